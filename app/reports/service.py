"""The report grid as it stood at the end of any day, read from the journal."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlmodel import Session

from app.agencies import service as agency_service
from app.calendar import service as calendar_service
from app.calendar.models import EffectiveDay
from app.config import get_settings
from app.directives.models import Directive
from app.tasks.models import OPEN_STATUSES, Task, TaskEvent, TaskStatus
from app.tasks.timing import end_of_day_utc


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

    @property
    def completed(self) -> int:
        return self.on_time + self.late

    @property
    def not_completed(self) -> int:
        return self.in_time + self.overdue

    @property
    def total(self) -> int:
        return self.completed + self.not_completed

    def add(self, other: "GridCounts") -> None:
        self.on_time += other.on_time
        self.late += other.late
        self.in_time += other.in_time
        self.overdue += other.overdue
        self.overdue_days += other.overdue_days
        self.longest_overdue = max(self.longest_overdue, other.longest_overdue)

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "completed": {"total": self.completed, "on_time": self.on_time, "late": self.late},
            "not_completed": {"total": self.not_completed, "in_time": self.in_time, "overdue": self.overdue},
        }


def states_as_of(*, as_of: date, scope: Scope = Scope()):
    """Each task's last journal entry up to the end of `as_of` (local time): its status, deadline in force,
    completion date and lead agency on that day. Tasks created later, and withdrawn ones, do not appear."""
    cutoff = end_of_day_utc(as_of, get_settings().tz)
    ranked = select(
        TaskEvent.task_id, TaskEvent.to_status, TaskEvent.deadline_on, TaskEvent.completed_on,
        TaskEvent.lead_agency_id,
        func.row_number().over(partition_by=TaskEvent.task_id,
                               order_by=(TaskEvent.occurred_at.desc(), TaskEvent.id.desc())).label("rank"),
    ).where(TaskEvent.occurred_at < cutoff)
    if scope.directive_ids is not None:
        ranked = ranked.join(Task, Task.id == TaskEvent.task_id).where(Task.directive_id.in_(scope.directive_ids))
    ranked = ranked.subquery("ranked")
    state = select(ranked).where(ranked.c.rank == 1, ranked.c.to_status != TaskStatus.withdrawn)
    if scope.lead_agency_id is not None:
        state = state.where(ranked.c.lead_agency_id == scope.lead_agency_id)
    return state.subquery("state")


def grid_by_agency(*, session: Session, as_of: date, scope: Scope = Scope()) -> dict[int, GridCounts]:
    state = states_as_of(as_of=as_of, scope=scope)
    completed = state.c.to_status == TaskStatus.completed
    open_ = state.c.to_status.in_([s.value for s in OPEN_STATUSES])

    def count_where(condition):
        return func.sum(case((condition, 1), else_=0))

    # Judged on the working calendar: a deadline on a day off ends on the next working day.
    effective = EffectiveDay.__table__.alias("effective")
    first_not_overdue = calendar_service.get_calendar(session=session).earliest_deadline_ending_on_or_after(as_of)
    days_overdue = case((and_(open_, state.c.deadline_on < first_not_overdue),
                         calendar_service.day_number(as_of) - effective.c.effective_number), else_=0)
    statement = select(
        state.c.lead_agency_id,
        count_where(and_(completed, state.c.completed_on <= effective.c.effective_on)),
        count_where(and_(completed, state.c.completed_on > effective.c.effective_on)),
        count_where(and_(open_, state.c.deadline_on >= first_not_overdue)),
        count_where(and_(open_, state.c.deadline_on < first_not_overdue)),
        func.sum(days_overdue),
        func.max(days_overdue),
    ).select_from(state.join(effective, effective.c.day == state.c.deadline_on)).group_by(state.c.lead_agency_id)
    return {
        agency_id: GridCounts(int(on_time or 0), int(late or 0), int(in_time or 0), int(overdue or 0),
                              int(overdue_days or 0), int(longest or 0))
        for agency_id, on_time, late, in_time, overdue, overdue_days, longest in session.execute(statement)
    }


def summary_sentence(counts: GridCounts, directive: Directive | None) -> str:
    scope = f" giao tại {directive.meeting_name}" if directive else ""
    return (
        f"Trong {counts.total} nhiệm vụ{scope}, có {counts.completed} nhiệm vụ đã hoàn thành "
        f"(đúng hạn {counts.on_time}, quá hạn {counts.late}), {counts.not_completed} nhiệm vụ chưa hoàn thành "
        f"(trong hạn {counts.in_time}, quá hạn {counts.overdue})."
    )


def summary(*, session: Session, as_of: date, directive: Directive | None) -> dict:
    per_agency = grid_by_agency(session=session, as_of=as_of,
                                scope=Scope(directive_ids=(directive.id,) if directive else None))
    agencies = agency_service.refs(session=session, agency_ids=set(per_agency))
    overall = GridCounts()
    for counts in per_agency.values():
        overall.add(counts)
    ordered = sorted(per_agency.items(), key=lambda item: (-item[1].overdue, agencies[item[0]]["name"]))
    return {
        "as_of": as_of,
        "directive": directive.model_dump() if directive else None,
        **overall.as_dict(),
        "by_lead_agency": [
            {"agency": agencies[agency_id], **counts.as_dict()} for agency_id, counts in ordered
        ],
        "summary_vi": summary_sentence(overall, directive),
    }


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
    lines.sort(key=lambda line: line["agency"]["name"])  # ties keep the alphabetical order
    if sort != "name":
        lines.sort(key=lambda line: line[sort], reverse=descending)
    elif descending:
        lines.reverse()
    return lines
