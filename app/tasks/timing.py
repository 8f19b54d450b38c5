"""The one timing rule, in Python and in SQL side by side: completed on time / late, not completed in time / due soon /
overdue, and the days overdue. Listing, the report grid, the completion list, webhook payloads and the deadline
watch all judge a task here.

A task is judged against its *effective* deadline: the deadline in force, or the next working day when it falls on
a day off (Civil Code Art. 148; app/calendar/service.py). A deadline ends at 24:00 local time of its day, so a task
is overdue from the next day on: days overdue = today - effective deadline, when positive. A completed task is judged
by its completion date (the agency's reported date) against the deadline it then had.

The SQL form keeps every condition a range on the stored, indexed deadline: because moving a deadline off a day off
never goes backwards, "effective deadline before D" is "stored deadline before D'" for one D' that `bounds` finds on
the calendar. A property test (tests/tasks/test_timing_property.py) checks that both forms agree on both databases.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, case, literal, or_
from sqlalchemy.sql.elements import ColumnElement

from app.calendar.service import day_number
from app.tasks.models import TaskStatus
from app.tasks.status import OPEN_VALUES


class Timing(StrEnum):
    overdue = "overdue"
    due_soon = "due_soon"
    in_time = "in_time"
    completed_on_time = "completed_on_time"
    completed_late = "completed_late"
    withdrawn = "withdrawn"
    removed = "removed"  # taken out by the secretariat (recorded by mistake): judged on nothing
    standing = "standing"  # a standing task whose periodic report is not yet late
    standing_late = "standing_late"  # ... whose periodic report is late (days_overdue: how late)


class TimingGroup(StrEnum):
    """The report grid's figures, each a set of timings: a figure links to exactly the tasks it counts."""

    completed = "completed"  # đã hoàn thành: on time or late
    not_completed = "not_completed"  # chưa hoàn thành: in time, due soon or overdue
    within_deadline = "within_deadline"  # the grid's "trong hạn": not completed and not overdue
    counted = "counted"  # every task the grid counts (standing and withdrawn ones are apart)
    on_schedule = "on_schedule"  # done on time, or still within the deadline
    behind = "behind"  # done late, or overdue
    any_standing = "any_standing"  # standing tasks, reporting on time or late


GROUPS: dict[TimingGroup, tuple[Timing, ...]] = {
    TimingGroup.completed: (Timing.completed_on_time, Timing.completed_late),
    TimingGroup.not_completed: (Timing.in_time, Timing.due_soon, Timing.overdue),
    TimingGroup.within_deadline: (Timing.in_time, Timing.due_soon),
    TimingGroup.counted: (Timing.completed_on_time, Timing.completed_late, Timing.in_time, Timing.due_soon,
                          Timing.overdue),
    TimingGroup.on_schedule: (Timing.completed_on_time, Timing.in_time, Timing.due_soon),
    TimingGroup.behind: (Timing.completed_late, Timing.overdue),
    TimingGroup.any_standing: (Timing.standing, Timing.standing_late),
}


def timings_of(value: "Timing | TimingGroup") -> tuple[Timing, ...]:
    """The timings a filter value stands for: itself, or a group's."""
    return GROUPS[value] if isinstance(value, TimingGroup) else (value,)


def parse_timing(value: str | None) -> "Timing | TimingGroup | None":
    if not value:
        return None
    if value in Timing.__members__:
        return Timing(value)
    if value in TimingGroup.__members__:
        return TimingGroup(value)
    return None


def end_of_day_utc(day: date, tz: ZoneInfo) -> datetime:
    """A day ends at 24:00 local time: the first instant of the next local day."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


# ---------------------------------------------------------------- Python


def classify(*, status: str, deadline_on: date, completed_on: date | None, today: date, due_soon_days: int,
             standing: bool = False) -> tuple[Timing, int]:
    """Timing and days overdue (0 when not late) of a task whose *effective* deadline is `deadline_on`. A standing
    task has no deadline: `deadline_on` is when its next periodic report is due, and it is judged on that report."""
    if status == TaskStatus.withdrawn:
        return Timing.withdrawn, 0
    if status == TaskStatus.removed:
        return Timing.removed, 0
    if standing:
        if status == TaskStatus.completed:
            return Timing.standing, 0
        late = (today - deadline_on).days
        return (Timing.standing_late, late) if late > 0 else (Timing.standing, 0)
    if status == TaskStatus.completed and completed_on is not None:
        late = (completed_on - deadline_on).days
        return (Timing.completed_late, late) if late > 0 else (Timing.completed_on_time, 0)
    late = (today - deadline_on).days
    if late > 0:
        return Timing.overdue, late
    if -late <= due_soon_days:
        return Timing.due_soon, 0
    return Timing.in_time, 0


# ---------------------------------------------------------------- SQL


@dataclass(frozen=True)
class Bounds:
    """The day `today` as ranges of stored deadlines, on a working calendar."""

    not_overdue_from: date  # the smallest stored deadline whose effective day is today or later
    due_soon_until: date  # the largest stored deadline whose effective day is within the due-soon days


def bounds(*, calendar, today: date, due_soon_days: int) -> Bounds:
    return Bounds(calendar.earliest_deadline_ending_on_or_after(today),
                  calendar.latest_deadline_ending_on_or_before(today + timedelta(days=due_soon_days)))


def sql_conditions(*, status, deadline_on, completed_on, effective_on, not_overdue_from, due_soon_until,
                   cadence, is_open=None) -> dict[Timing, ColumnElement]:
    """Timing as one condition per value, over SQL columns: `deadline_on` the stored deadline in force,
    `effective_on` its effective day (from calendar_effective_days), `cadence` the reporting cadence (standing tasks),
    the bounds as bound parameters or literals. `is_open` may be given as literal SQL text so that a planner matches
    a partial index on it."""
    is_open = status.in_(OPEN_VALUES) if is_open is None else is_open
    completed = status == TaskStatus.completed.value
    has_deadline, standing = cadence.is_(None), cadence.is_not(None)
    return {
        Timing.overdue: and_(is_open, deadline_on < not_overdue_from, has_deadline),
        Timing.due_soon: and_(is_open, deadline_on >= not_overdue_from, deadline_on <= due_soon_until, has_deadline),
        Timing.in_time: and_(is_open, deadline_on > due_soon_until, has_deadline),
        Timing.completed_on_time: and_(completed, completed_on <= effective_on, has_deadline),
        Timing.completed_late: and_(completed, completed_on > effective_on, has_deadline),
        Timing.withdrawn: status == TaskStatus.withdrawn.value,
        Timing.removed: status == TaskStatus.removed.value,
        Timing.standing: and_(standing, or_(completed, and_(is_open, deadline_on >= not_overdue_from))),
        Timing.standing_late: and_(standing, is_open, deadline_on < not_overdue_from),
    }


def sql_timing(*, status, deadline_on, completed_on, effective_on, cadence, bounds: Bounds) -> ColumnElement:
    """The timing as one CASE expression (its value is the Timing's string)."""
    conditions = sql_conditions(status=status, deadline_on=deadline_on, completed_on=completed_on,
                                effective_on=effective_on, not_overdue_from=bounds.not_overdue_from,
                                due_soon_until=bounds.due_soon_until, cadence=cadence)
    return case(*((condition, literal(timing.value)) for timing, condition in conditions.items()), else_=None)


def sql_days_overdue_if_open(*, effective_number, today: date) -> ColumnElement:
    """Days past the effective deadline of an open task (calendar_effective_days.effective_number is the effective
    day as a day number); the caller applies it to overdue tasks only."""
    return literal(day_number(today), Integer) - effective_number
