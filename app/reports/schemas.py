from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.agencies.schemas import AgencyRef
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


class Summary(Grid):
    as_of: date
    directive: DirectiveInfo | None
    by_lead_agency: list[AgencyGrid]
    summary_vi: str


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
