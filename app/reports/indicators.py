"""The indicators section ("Chỉ tiêu") of the reports: the indicators of a report's scope as they stood at the end of
its day — code, name, the target judged against (period and value), the latest value (its period; "ước tính" when not
official) and the status in words — for the completion list in every format, the summary and GET /reports/indicators.

Which indicators: for a directive (or the directives of a meeting day), those it is the source of and those that
serve one of its tasks (the meeting set the figure, or its tasks work towards it); for everything, all of them. With a
lead agency (an agency's own list), of those, the ones it reports or contributes to, or that serve a task it leads.
An indicator defined after the day is not in the report of that day; the figures are read as of its end
(app/indicators/service.py: states).

The words follow Vietnamese writing, as the pages write them (app/messages.py: indicator_value_vi,
indicator_period_vi, indicator_status_vi): "87,08%", "4.543/6.325 (71,83%)", "12.430 hồ sơ", "6 tháng đầu năm
2024"; the JSON keeps plain numbers beside its words."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlmodel import Session

from app import messages
from app.agencies import service as agency_service
from app.config import get_settings
from app.indicators import service as indicator_service
from app.indicators.judgement import Status
from app.indicators.models import Indicator, IndicatorTask
from app.tasks.models import Task
from app.tasks.timing import end_of_day_utc

# The statuses in the order a report counts them: met first, then on the way, behind, failed, unknown.
STATUS_ORDER = ("achieved", "on_track", "at_risk", "off_track", "missed", "no_data", "none")
TITLE = "Chỉ tiêu"
# The columns of the CSV (text as the documents write it) and of the documents' table.
CSV_COLUMNS = ("STT", "Mã", "Chỉ tiêu", "Nhóm", "Mục tiêu", "Số liệu mới nhất", "Tình trạng")
TABLE_COLUMNS = ("STT", "Mã", "Chỉ tiêu", "Mục tiêu", "Số liệu mới nhất", "Tình trạng")


# ---------------------------------------------------------------- one line, the section


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator as of the report's day: the values as numbers (JSON, XLSX) and as words (documents, CSV)."""

    id: int
    code: str
    name: str
    unit: str
    kind: str
    comparator: str
    group_name: str
    reporting_agency: dict
    source_directive_id: int | None
    target_period: str | None
    target_value: float | None
    baseline_value: float | None
    baseline_on: date | None
    latest_period: str | None
    latest_value: float | None
    numerator: float | None
    denominator: float | None
    official: bool | None
    status: str | None  # a Status value; None without a target

    @property
    def status_key(self) -> str:
        return self.status or "none"

    @property
    def status_vi(self) -> str:
        return messages.indicator_status_vi(self.status)

    @property
    def target_lines(self) -> list[str]:
        """["80%", "(năm 2024)"], ["không quá 10 ngày", "(quý III/2025)"]; ["Chưa xác định"] without a target."""
        return messages.indicator_target_vi(self.kind, self.comparator, self.target_value, self.unit,
                                            self.target_period)

    @property
    def latest_lines(self) -> list[str]:
        """["4.543/6.325 (71,83%)", "(năm 2024, ước tính)"], ["87,08%", "(6 tháng đầu năm 2024)"]; ["Chưa có số
        liệu"] without a value."""
        return messages.indicator_latest_vi(self.kind, self.latest_value, self.unit, self.numerator,
                                            self.denominator, self.latest_period, self.official)

    @property
    def target_vi(self) -> str:
        """The target on one line: "80% (năm 2024)"."""
        return " ".join(self.target_lines)

    @property
    def latest_vi(self) -> str:
        """The latest value on one line: "18,3% (6 tháng đầu năm 2024, ước tính)"."""
        return " ".join(self.latest_lines)

    def cells(self, number: int) -> list:
        """The CSV's columns (CSV_COLUMNS), as the documents word them."""
        return [number, self.code, self.name, self.group_name, self.target_vi, self.latest_vi, self.status_vi]

    def table_cells(self, number: int) -> list[list[str]]:
        """The documents' table (TABLE_COLUMNS), each cell as its lines: the value above its period."""
        return [[str(number)], [self.code], [self.name], self.target_lines, self.latest_lines, [self.status_vi]]

    def as_dict(self) -> dict:
        """The JSON answer (IndicatorLinePublic): plain numbers, the words beside them."""
        target = None if self.target_period is None else {
            "period": self.target_period, "value": self.target_value, "baseline_value": self.baseline_value,
            "baseline_on": self.baseline_on}
        latest = None if self.latest_period is None else {
            "period": self.latest_period, "value": self.latest_value, "numerator": self.numerator,
            "denominator": self.denominator, "official": self.official}
        return {"id": self.id, "code": self.code, "name": self.name, "unit": self.unit, "kind": self.kind,
                "comparator": self.comparator, "group_name": self.group_name,
                "reporting_agency": self.reporting_agency, "source_directive_id": self.source_directive_id,
                "target": target, "latest": latest, "status": self.status, "status_vi": self.status_vi,
                "target_vi": self.target_vi, "latest_vi": self.latest_vi}


@dataclass(frozen=True)
class IndicatorSection:
    as_of: date
    lines: tuple[IndicatorLine, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.lines)

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self):
        return iter(self.lines)

    @property
    def counts(self) -> dict[str, int]:
        """How many per status, every status named (none: no target)."""
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for line in self.lines:
            counts[line.status_key] += 1
        return counts

    @property
    def sentence(self) -> str:
        """"Có 5 chỉ tiêu: đạt 1, không đạt 3, chưa có chỉ tiêu 1." (the statuses met, in STATUS_ORDER)."""
        if not self.lines:
            return "Không có chỉ tiêu nào trong phạm vi báo cáo."
        parts = [f"{messages.INDICATOR_STATUS_VI[key].lower()} {messages.vn_number(count)}"
                 for key, count in self.counts.items() if count]
        return f"Có {messages.vn_number(len(self.lines))} chỉ tiêu: {', '.join(parts)}."

    def as_dict(self) -> dict:
        return {"as_of": self.as_of, "indicators": [line.as_dict() for line in self.lines], "counts": self.counts,
                "summary_vi": self.sentence}


def in_scope(*, session: Session, as_of: date, directive_ids: tuple[int, ...] | None = None,
             lead_agency_id: int | None = None, group: str | None = None,
             agency_id: int | None = None) -> list[Indicator]:
    """The indicators a report covers (see the module's text), defined by the end of `as_of`, by group and code;
    `group` and `agency_id` (the reporting agency) narrow them as GET /indicators does."""
    statement = select(Indicator).where(Indicator.created_at < end_of_day_utc(as_of, get_settings().tz)) \
        .order_by(Indicator.group_name, Indicator.code)
    if group is not None:
        statement = statement.where(Indicator.group_name == group)
    if agency_id is not None:
        statement = statement.where(Indicator.reporting_agency_id == agency_id)
    if directive_ids is not None:
        serving = select(IndicatorTask.indicator_id).join(Task, Task.id == IndicatorTask.task_id) \
            .where(Task.directive_id.in_(directive_ids))
        statement = statement.where(or_(Indicator.source_directive_id.in_(directive_ids),
                                        Indicator.id.in_(serving)))
    found = list(session.scalars(statement))
    if lead_agency_id is None:
        return found
    led = select(IndicatorTask.indicator_id).join(Task, Task.id == IndicatorTask.task_id) \
        .where(Task.lead_agency_id == lead_agency_id)
    if directive_ids is not None:
        led = led.where(Task.directive_id.in_(directive_ids))
    serving_led = set(session.scalars(led))
    return [i for i in found if i.reporting_agency_id == lead_agency_id or i.id in serving_led
            or lead_agency_id in (i.contributing_agency_ids or [])]


def section(*, session: Session, as_of: date, directive_ids: tuple[int, ...] | None = None,
            lead_agency_id: int | None = None, group: str | None = None,
            agency_id: int | None = None) -> IndicatorSection:
    """The section as of the end of `as_of`, read in the caller's session (an export's snapshot)."""
    indicators = in_scope(session=session, as_of=as_of, directive_ids=directive_ids, lead_agency_id=lead_agency_id,
                          group=group, agency_id=agency_id)
    if not indicators:
        return IndicatorSection(as_of)
    states = indicator_service.states(session=session, indicators=indicators, as_of=as_of)
    agencies = agency_service.refs(session=session, agency_ids={i.reporting_agency_id for i in indicators})
    lines = []
    for state in states:
        indicator, target, latest = state.indicator, state.target, state.latest
        lines.append(IndicatorLine(
            id=indicator.id, code=indicator.code, name=indicator.name, unit=indicator.unit or "",
            kind=str(indicator.kind), comparator=str(indicator.comparator), group_name=indicator.group_name or "",
            reporting_agency=agencies[indicator.reporting_agency_id],
            source_directive_id=indicator.source_directive_id,
            target_period=target.period if target else None, target_value=target.value if target else None,
            baseline_value=target.baseline_value if target else None,
            baseline_on=target.baseline_on if target else None,
            latest_period=latest.period if latest else None, latest_value=latest.value if latest else None,
            numerator=latest.numerator if latest else None, denominator=latest.denominator if latest else None,
            official=latest.official if latest else None,
            status=state.status.value if isinstance(state.status, Status) else state.status))
    return IndicatorSection(as_of, tuple(lines))
