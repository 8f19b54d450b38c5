"""The report grid: completed on time / late, not completed in time / overdue."""

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from app.tasks.models import TaskStatus


class Timing(StrEnum):
    overdue = "overdue"
    due_soon = "due_soon"
    in_time = "in_time"
    completed_on_time = "completed_on_time"
    completed_late = "completed_late"
    withdrawn = "withdrawn"


def local_today(tz: ZoneInfo, now: datetime) -> date:
    return now.astimezone(tz).date()


def end_of_day_utc(day: date, tz: ZoneInfo) -> datetime:
    """A day ends at 24:00 local time: the first instant of the next local day."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def classify(*, status: str, deadline_on: date, completed_on: date | None, today: date,
             due_soon_days: int) -> tuple[Timing, int]:
    """Timing and days overdue (days past the deadline, 0 when not late)."""
    if status == TaskStatus.withdrawn:
        return Timing.withdrawn, 0
    if status == TaskStatus.completed and completed_on is not None:
        late = (completed_on - deadline_on).days
        return (Timing.completed_late, late) if late > 0 else (Timing.completed_on_time, 0)
    late = (today - deadline_on).days
    if late > 0:
        return Timing.overdue, late
    if -late <= due_soon_days:
        return Timing.due_soon, 0
    return Timing.in_time, 0
