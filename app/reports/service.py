"""The report grid as it stood at the end of any day, read from the journal."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session

from app import clock, messages
from app.access import policy
from app.access.policy import Action, Relation
from app.access.principal import Principal
from app.agencies import service as agency_service
from app.cache import TtlCache
from app.calendar import service as calendar_service
from app.calendar.models import EffectiveDay
from app.clock import utcnow
from app.config import get_settings
from app.directives import service as directive_service
from app.directives.models import Directive
from app.errors import FieldProblem, InvalidInput
from app.reports import indicators
from app.reports.models import ReportSettings
from app.reports.schemas import DocumentSettings
from app.tasks import journal, listing, timing
from app.tasks.models import Task
from app.tasks.timing import Timing
from app.text import collation_key


@dataclass(frozen=True)
class Scope:
    """Which tasks a report covers: those of some directives (None: all), of one lead agency (None: all)."""

    directive_ids: tuple[int, ...] | None = None
    lead_agency_id: int | None = None


@dataclass
class GridCounts:
    on_time: int = 0
    late: int = 0
    in_time: int = 0
    overdue: int = 0
    overdue_days: int = 0  # summed over the tasks still overdue
    longest_overdue: int = 0  # days overdue of the task overdue longest ("lâu nhất 120 ngày")
    standing: int = 0  # standing tasks ("thường xuyên"): a column of their own, out of the 2x2 grid
    standing_late: int = 0  # ... whose periodic report is late
    # The priority tasks ("nhiệm vụ trọng tâm") among the four columns above, counted the same way.
    priority_on_time: int = 0
    priority_late: int = 0
    priority_in_time: int = 0
    priority_overdue: int = 0

    @property
    def completed(self) -> int:
        return self.on_time + self.late

    @property
    def not_completed(self) -> int:
        return self.in_time + self.overdue

    @property
    def total(self) -> int:
        return self.completed + self.not_completed

    @property
    def rate(self) -> float:
        """The completion rate: completed over every task with a deadline (0 without one)."""
        return self.completed / self.total if self.total else 0.0

    @property
    def priority(self) -> "GridCounts":
        return GridCounts(on_time=self.priority_on_time, late=self.priority_late, in_time=self.priority_in_time,
                          overdue=self.priority_overdue)

    def add(self, other: "GridCounts") -> None:
        self.on_time += other.on_time
        self.late += other.late
        self.in_time += other.in_time
        self.overdue += other.overdue
        self.overdue_days += other.overdue_days
        self.longest_overdue = max(self.longest_overdue, other.longest_overdue)
        self.standing += other.standing
        self.standing_late += other.standing_late
        self.priority_on_time += other.priority_on_time
        self.priority_late += other.priority_late
        self.priority_in_time += other.priority_in_time
        self.priority_overdue += other.priority_overdue

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "completed": {"total": self.completed, "on_time": self.on_time, "late": self.late},
            "not_completed": {"total": self.not_completed, "in_time": self.in_time, "overdue": self.overdue},
            "standing": {"total": self.standing, "late": self.standing_late},
        }


def grid_by_agency(*, session: Session, as_of: date, scope: Scope = Scope()) -> dict[int, GridCounts]:
    state = journal.states_as_of(as_of=as_of, directive_ids=scope.directive_ids,
                                 lead_agency_id=scope.lead_agency_id)
    # Judged by the one timing rule, on the working calendar: a deadline on a day off ends on the next working day.
    effective = EffectiveDay.__table__.alias("effective")
    day = timing.bounds(calendar=calendar_service.get_calendar(session=session), today=as_of, due_soon_days=0)
    task = Task.__table__.alias("task")
    conditions = timing.sql_conditions(status=state.c.to_status, deadline_on=state.c.deadline_on,
                                       completed_on=state.c.completed_on, effective_on=effective.c.effective_on,
                                       not_overdue_from=day.not_overdue_from, due_soon_until=day.due_soon_until,
                                       cadence=task.c.reporting_cadence)

    def count_where(condition):
        return func.sum(case((condition, 1), else_=0))

    in_time = or_(conditions[Timing.due_soon], conditions[Timing.in_time])

    days_overdue = case((conditions[Timing.overdue], timing.sql_days_overdue_if_open(
        effective_number=effective.c.effective_number, today=as_of)), else_=0)
    statement = select(
        state.c.lead_agency_id,
        count_where(conditions[Timing.completed_on_time]),
        count_where(conditions[Timing.completed_late]),
        # The grid's "trong hạn" is every open task not overdue, due soon or not.
        count_where(in_time),
        count_where(conditions[Timing.overdue]),
        func.sum(days_overdue),
        func.max(days_overdue),
        count_where(or_(conditions[Timing.standing], conditions[Timing.standing_late])),
        count_where(conditions[Timing.standing_late]),
        *(count_where(and_(task.c.priority.is_(True), condition)) for condition in (
            conditions[Timing.completed_on_time], conditions[Timing.completed_late], in_time,
            conditions[Timing.overdue])),
    ).select_from(state.join(effective, effective.c.day == state.c.deadline_on)
                  .join(task, task.c.id == state.c.task_id)).group_by(state.c.lead_agency_id)
    return {row[0]: GridCounts(*(int(value or 0) for value in row[1:])) for row in session.execute(statement)}


def summary_sentence(counts: GridCounts, directive: Directive | None) -> str:
    """The grid in one sentence (the API's summary_vi, the pages, the documents), every count with its thousands
    separated: "Trong 1.243 nhiệm vụ …"."""
    n = messages.vn_number
    scope = f" giao tại {directive.meeting_name}" if directive else ""
    if counts.total == 0 and counts.standing == 0:
        return f"Chưa có nhiệm vụ nào{scope} tính đến ngày này."
    if counts.total == 0:  # standing tasks only: no deadline task to count in the grid
        sentence = f"Chưa có nhiệm vụ có thời hạn{scope}."
        lead = " Có"
    else:
        sentence = (
            f"Trong {n(counts.total)} nhiệm vụ{scope}, có {n(counts.completed)} nhiệm vụ đã hoàn thành "
            f"(đúng hạn {n(counts.on_time)}, quá hạn {n(counts.late)}), {n(counts.not_completed)} nhiệm vụ chưa "
            f"hoàn thành (trong hạn {n(counts.in_time)}, quá hạn {n(counts.overdue)})."
        )
        lead = " Ngoài ra có"
    if counts.standing:
        sentence += (f"{lead} {n(counts.standing)} nhiệm vụ thường xuyên"
                     f" ({n(counts.standing_late)} nhiệm vụ chậm báo cáo định kỳ)." if counts.standing_late else
                     f"{lead} {n(counts.standing)} nhiệm vụ thường xuyên, đều báo cáo đúng kỳ.")
    return sentence


def previous_meeting(*, session: Session, before: date) -> tuple[date, str] | None:
    """The committee's last meeting before a report's day, and its name: the day the previous report ran to, which a
    report counts its change from. Meetings are known by the directives that record them (meeting_date)."""
    found = session.execute(select(Directive.meeting_date, Directive.meeting_name)
                            .where(Directive.meeting_date < before)
                            .order_by(Directive.meeting_date.desc(), Directive.id).limit(1)).first()
    return (found[0], found[1]) if found else None


def summary(*, session: Session, as_of: date, directive: Directive | None) -> dict:
    per_agency = grid_by_agency(session=session, as_of=as_of,
                                scope=Scope(directive_ids=(directive.id,) if directive else None))
    agencies = agency_service.refs(session=session, agency_ids=set(per_agency))
    overall = GridCounts()
    for counts in per_agency.values():
        overall.add(counts)
    ordered = sorted(per_agency.items(),
                     key=lambda item: (-item[1].overdue, collation_key(agencies[item[0]]["name"])))
    return {
        "as_of": as_of,
        "directive": directive.model_dump() if directive else None,
        **overall.as_dict(),
        "by_lead_agency": [
            {"agency": agencies[agency_id], **counts.as_dict()} for agency_id, counts in ordered
        ],
        "summary_vi": summary_sentence(overall, directive),
        **indicators_of(session=session, as_of=as_of, directive=directive),
    }


def indicators_of(*, session: Session, as_of: date, directive: Directive | None) -> dict:
    """The summary's indicators section (app/reports/indicators.py), as of the same day."""
    found = indicators.section(session=session, as_of=as_of, directive_ids=(directive.id,) if directive else None)
    return {"indicators": [line.as_dict() for line in found], "indicators_vi": found.sentence}


SCORE_SORTS = ("overdue", "completion_rate", "average_days_overdue", "tasks", "name")


def scoreboard(*, session: Session, as_of: date, scope: Scope, sort: str, descending: bool) -> list[dict]:
    per_agency = grid_by_agency(session=session, as_of=as_of, scope=scope)
    agencies = agency_service.refs(session=session, agency_ids=set(per_agency))
    lines = [{
        "agency": agencies[agency_id], "tasks": c.total, "completed_on_time": c.on_time, "completed_late": c.late,
        "in_time": c.in_time, "overdue": c.overdue,
        "completion_rate": round(c.completed / c.total, 4) if c.total else 0.0,
        "average_days_overdue": round(c.overdue_days / c.overdue, 1) if c.overdue else 0.0,
    } for agency_id, c in per_agency.items()]
    lines.sort(key=lambda line: collation_key(line["agency"]["name"]))  # ties keep the alphabetical order
    if sort != "name":
        lines.sort(key=lambda line: line[sort], reverse=descending)
    elif descending:
        lines.reverse()
    return lines


def report_day(*, as_of: date | None, today: date, issued_on: date | None = None, location: str = "query") -> date:
    """The day a report's figures run to (default today), checked: never after today (a report counts what has
    happened; a day to come would only repeat today's figures under a false date), and a report's own date, when one
    is given, not before it."""
    day = as_of or today
    problems = [problem] if (problem := clock.past_day_problem(day, today, location)) else []
    if issued_on is not None and issued_on < day:
        problems.append(FieldProblem.of("issued_on", "report_before_cutoff", location=location, as_of=day))
    if problems:
        raise InvalidInput(problems)
    return day


@dataclass(frozen=True)
class ReportScope:
    """What a report or an export covers, resolved and checked: one directive, the directives of a meeting day, or
    everything (directives None); one lead agency or all."""

    directives: list[Directive] | None = None
    meeting_date: date | None = None
    lead_agency_id: int | None = None

    @property
    def scope(self) -> Scope:
        return Scope(directive_ids=tuple(d.id for d in self.directives) if self.directives is not None else None,
                     lead_agency_id=self.lead_agency_id)


def resolve_scope(*, session: Session, principal: Principal, directive_id: int | None = None,
                  meeting_date: date | None = None, lead_agency_id: int | None = None,
                  location: str = "query", action: Action = Action.export_tasks) -> ReportScope:
    """Checks the filters of a report and the caller's right to it. `action` export_tasks: a file of tasks (the one
    rule of every export, `listing.exportable_lead_agency`): an agency gets only the tasks it leads (its own list by
    default; another agency's is a 403). read_reports: the figures of every lead agency (the grid, the scoreboard)."""
    if action is Action.export_tasks:
        lead_agency_id = listing.exportable_lead_agency(principal, lead_agency_id)
    else:
        policy.require(principal, action)
    problems = []
    directives = None
    if directive_id is not None:
        directive = directive_service.get(session=session, directive_id=directive_id)
        directives = [directive] if directive else []
        if not directives:
            problems.append(FieldProblem.of("directive_id", "no_directive", location=location))
    elif meeting_date is not None:
        directives = directive_service.by_meeting_date(session=session, meeting_date=meeting_date)
        if not directives:
            problems.append(FieldProblem.of("meeting_date", "no_meeting", location=location))
    if lead_agency_id is not None and agency_service.get(session=session, agency_id=lead_agency_id) is None:
        problems.append(FieldProblem.of("lead_agency_id", "no_agency", location=location))
    if problems:
        raise InvalidInput(problems)
    return ReportScope(directives=directives, meeting_date=meeting_date if directive_id is None else None,
                       lead_agency_id=lead_agency_id)


# (scope, day) -> grid, under the task-write generation. The dashboard shows the grid of everything on every visit;
# read from the journal it costs a scan of every task. A write this process commits makes it stale at once, another
# replica's within ROVIEC_REPORT_CACHE_SECONDS.
_grids: TtlCache[tuple, dict] = TtlCache(lambda: get_settings().report_cache_seconds, max_entries=1000)


def grid_of(*, session: Session, scope: ReportScope, as_of: date) -> dict:
    """The grid of any scope (a directive, a meeting day, everything) as of a day: totals, per agency (most overdue
    first) and the sentence."""
    key = (scope.scope, scope.meeting_date, as_of)
    generation = listing.generation()
    grid = _grids.get(key, generation=generation)
    if grid is None:
        grid = _grids.put(key, compute_grid(session=session, scope=scope, as_of=as_of), generation=generation)
    return grid


def compute_grid(*, session: Session, scope: ReportScope, as_of: date) -> dict:
    """The grid of a scope as of a day, read now (no cache): totals ("overall"), the agencies with their counts, most
    overdue first, then overdue longest, then by name ("agencies"), and the sentence. An export reads it in the same
    snapshot as its rows, so that the summary and the list agree."""
    per_agency = grid_by_agency(session=session, as_of=as_of, scope=scope.scope)
    agencies = agency_service.refs(session=session, agency_ids=set(per_agency))
    overall = GridCounts()
    for counts in per_agency.values():
        overall.add(counts)
    ordered = sorted(per_agency.items(), key=lambda item: (-item[1].overdue, -item[1].longest_overdue,
                                                           collation_key(agencies[item[0]]["name"])))
    one = scope.directives[0] if scope.directives and len(scope.directives) == 1 else None
    return {"as_of": as_of, "overall": overall, "sentence": summary_sentence(overall, one),
            "agencies": [(agencies[a], c) for a, c in ordered]}


def summary_of(*, session: Session, principal: Principal, as_of: date, directive_id: int | None) -> dict:
    scope = resolve_scope(session=session, principal=principal, directive_id=directive_id,
                          action=Action.read_reports)
    return summary(session=session, as_of=as_of, directive=scope.directives[0] if scope.directives else None)


def indicator_section_of(*, session: Session, principal: Principal, as_of: date, directive_id: int | None,
                         group: str | None, agency_id: int | None) -> tuple[Directive | None,
                                                                           indicators.IndicatorSection]:
    """GET /reports/indicators: the section alone, for whoever may read reports; every bad filter named at once."""
    problems = []
    if agency_id is not None and agency_service.get(session=session, agency_id=agency_id) is None:
        problems.append(FieldProblem.of("agency_id", "no_agency", location="query"))
    try:
        scope = resolve_scope(session=session, principal=principal, directive_id=directive_id,
                              action=Action.read_reports)
    except InvalidInput as error:
        raise InvalidInput([*error.problems, *problems]) from None
    if problems:
        raise InvalidInput(problems)
    directive = scope.directives[0] if scope.directives else None
    return directive, indicators.section(session=session, as_of=as_of, directive_ids=scope.scope.directive_ids,
                                         group=group, agency_id=agency_id)


def scoreboard_of(*, session: Session, principal: Principal, as_of: date, directive_id: int | None,
                  meeting_date: date | None, sort: str, descending: bool) -> list[dict]:
    scope = resolve_scope(session=session, principal=principal, directive_id=directive_id, meeting_date=meeting_date,
                          action=Action.read_reports)
    return scoreboard(session=session, as_of=as_of, scope=scope.scope, sort=sort, descending=descending)


def _issuer_agency_id(principal: Principal) -> int | None:
    """Whose letterhead an export carries: the secretariat's (and the operator's on the command line), or the
    caller's own agency's."""
    if policy.allows(principal, Action.manage_report_settings):
        return None
    return principal.agency_id


def _stored(session: Session, agency_id: int | None) -> ReportSettings | None:
    return session.scalars(select(ReportSettings).where(
        ReportSettings.agency_id.is_(None) if agency_id is None else ReportSettings.agency_id == agency_id)).first()


def agency_defaults(agency, parent_name: str) -> DocumentSettings:
    """An agency's letterhead until it sets its own: its name as the issuing body, its parent above it, and blanks
    (dotted lines) where only the agency knows what goes, as offices print a form to fill in by hand."""
    return DocumentSettings(parent_body=parent_name, issuing_body=agency.name, symbol=agency.short_name[:30] or "CQ",
                            place=BLANK,
                            signer_authority="", signer_position=BLANK, signer_name="",
                            recipients=[f"- {secretariat_name_for_recipients()} (để tổng hợp);", "- Lưu: VT."])


BLANK = "……………"


def secretariat_name_for_recipients() -> str:
    name = messages.secretariat_name()
    return name[:1].upper() + name[1:]


def document_settings(*, session: Session, principal: Principal) -> DocumentSettings:
    """The document settings the caller's exports carry: the secretariat's (stored, or the defaults until it sets its
    own), or for anyone else their own agency's (stored, or made from the agency's name)."""
    agency_id = _issuer_agency_id(principal)
    stored = _stored(session, agency_id)
    if stored is not None:
        return DocumentSettings.model_validate(stored.values)
    if agency_id is None:
        return DocumentSettings()
    agency = agency_service.get(session=session, agency_id=agency_id)
    parent = agency_service.get(session=session, agency_id=agency.parent_id) if agency.parent_id else None
    return agency_defaults(agency, parent.name if parent else "")


def save_document_settings(*, session: Session, principal: Principal, settings_in: DocumentSettings,
                           now=None) -> DocumentSettings:
    """Set once by the secretariat for its reports, or by an agency for its own; number and date are per export, so
    they are not kept."""
    agency_id = _issuer_agency_id(principal)
    policy.require(principal, Action.manage_report_settings,
                   relation=Relation.own if agency_id is not None else Relation.other)
    values = settings_in.model_dump(mode="json") | {"number": "", "issued_on": None}
    stored = _stored(session, agency_id) or ReportSettings(agency_id=agency_id, values=values,
                                                           updated_at=now or utcnow())
    stored.values, stored.updated_at = values, now or utcnow()
    stored.updated_by_agency_id, stored.updated_by_account_id = principal.agency_id, principal.account_id
    session.add(stored)
    session.flush()
    return document_settings(session=session, principal=principal)


def with_overrides(settings: DocumentSettings, overrides: dict | None) -> DocumentSettings:
    """An export's own number, date and signer over the stored settings."""
    kept = {k: v for k, v in (overrides or {}).items() if v not in (None, "")}
    return settings.model_copy(update=kept) if kept else settings
