from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.agencies.schemas import AgencyRef
from app.indicators.judgement import Comparator, Kind, Status
from app.types import FIRST_DAY, LAST_DAY, NoNul


class Completed(BaseModel):
    total: int
    on_time: int
    late: int


class NotCompleted(BaseModel):
    total: int
    in_time: int
    overdue: int


class Standing(BaseModel):
    """Standing tasks ("thường xuyên"), out of the 2x2 grid: judged on their periodic reports."""

    total: int
    late: int


class Grid(BaseModel):
    total: int = Field(description="tasks with a deadline (standing tasks are counted apart)")
    completed: Completed
    not_completed: NotCompleted
    standing: Standing


class AgencyGrid(Grid):
    agency: AgencyRef


class DirectiveInfo(BaseModel):
    id: int
    number: str
    issued_on: date
    meeting_name: str
    meeting_date: date


class IndicatorTargetLine(BaseModel):
    period: str = Field(description="2024, 2024-H1, 2024-Q3 or 2024-07")
    value: float
    baseline_value: float
    baseline_on: date


class IndicatorValueLine(BaseModel):
    period: str
    value: float = Field(description="a ratio's numerator / denominator in percent; yes-no: 1 or 0")
    numerator: float | None
    denominator: float | None
    official: bool = Field(description="false: an estimate (ước tính)")


class IndicatorLinePublic(BaseModel):
    """One indicator of a report's scope as of its day ("Chỉ tiêu"): plain numbers, and the words the documents
    print beside them."""

    id: int
    code: str
    name: str
    unit: str
    kind: Kind
    comparator: Comparator
    group_name: str
    reporting_agency: AgencyRef
    source_directive_id: int | None
    target: IndicatorTargetLine | None = Field(description="the target judged against; null: none set by then")
    latest: IndicatorValueLine | None = Field(description="the value in force for the latest period reported")
    status: Status | None = Field(description="null: no target to judge against")
    status_vi: str = Field(description="Đạt, Đúng tiến độ, Có nguy cơ chậm, Chậm tiến độ, Không đạt, Chưa có số "
                                       "liệu, Chưa có chỉ tiêu (app/messages.py: INDICATOR_STATUS_VI)")
    target_vi: str = Field(description='"80% (năm 2024)"; "Chưa xác định" without a target')
    latest_vi: str = Field(description='"4.543/6.325 (71,83%) (năm 2024, ước tính)"; "Chưa có số liệu"')


class IndicatorCounts(BaseModel):
    """How many indicators per status; `none`: without a target."""

    achieved: int
    on_track: int
    at_risk: int
    off_track: int
    missed: int
    no_data: int
    none: int


class IndicatorReport(BaseModel):
    """The indicators section of the reports, alone."""

    as_of: date
    directive: DirectiveInfo | None
    indicators: list[IndicatorLinePublic]
    counts: IndicatorCounts
    summary_vi: str = Field(description='"Có 5 chỉ tiêu: đạt 1, không đạt 3, chưa có chỉ tiêu 1."')


class Summary(Grid):
    as_of: date
    directive: DirectiveInfo | None
    by_lead_agency: list[AgencyGrid]
    summary_vi: str
    indicators: list[IndicatorLinePublic] = Field(description="the indicators of the scope as of the same day "
                                                              "(\"Chỉ tiêu\"); empty when it has none")
    indicators_vi: str = Field(description='"Có 5 chỉ tiêu: đạt 1, ..."; "Không có chỉ tiêu nào trong phạm vi báo '
                                           'cáo."')


class AgencyScore(BaseModel):
    """One line of the scoreboard ("bảng xếp hạng") meetings discuss."""

    agency: AgencyRef
    tasks: int
    completed_on_time: int
    completed_late: int
    in_time: int
    overdue: int
    completion_rate: float
    average_days_overdue: float


# Where a completion report goes by default: the committee's chair and members, every ministry and province.
DEFAULT_RECIPIENTS = (
    "- Chủ tịch Ủy ban (để báo cáo);",
    "- Các thành viên Ủy ban;",
    "- Các bộ, ngành, địa phương;",
    "- Lưu: VT, TGV.",
)
Line = Annotated[str, Field(max_length=300)]


class DocumentSettings(NoNul):
    """What an administrative document needs beyond the data (Nghị định 30/2020/NĐ-CP): who issues it, its number,
    place and date, who signs it and where it goes. The secretariat sets them once and may override the number, the
    date and the signer per export. Bodies and positions are written as in running text ("Tổ giúp việc"): the
    header and the signature upper-case them, the appendix quotes them as written. An empty number or date leaves
    blanks to be filled in by hand, as offices print a report before it is signed."""

    model_config = ConfigDict(str_strip_whitespace=True)

    parent_body: str = Field("Ủy ban Quốc gia về chuyển đổi số", max_length=200,
                             description="cơ quan chủ quản; empty when the issuing body has none")
    issuing_body: str = Field("Tổ giúp việc", min_length=1, max_length=200, description="cơ quan ban hành")
    symbol: str = Field("TGV", min_length=1, max_length=30,
                        description="chữ viết tắt tên cơ quan: the 'TGV' of 'BC-TGV'")
    number: str = Field("", max_length=50, description="'15/BC-TGV', or '15' (the rest is added); empty: a blank")
    place: str = Field("Hà Nội", min_length=1, max_length=100, description="địa danh")
    issued_on: date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY,
                                   description="ngày ban hành; None: a blank, to be filled in by hand")
    signer_authority: str = Field("TM. Tổ giúp việc", max_length=200,
                                  description="'TM. Tổ giúp việc', 'KT. Tổ trưởng'; empty when the head signs")
    signer_position: str = Field("Tổ trưởng", min_length=1, max_length=200, description="chức vụ người ký")
    signer_name: str = Field("", max_length=100, description="họ và tên người ký; empty: a blank")
    recipients: list[Line] = Field(default_factory=lambda: list(DEFAULT_RECIPIENTS), max_length=30,
                                   description="the 'Nơi nhận:' lines, the last usually '- Lưu: VT, ...'")
