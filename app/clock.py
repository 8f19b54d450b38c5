"""The one clock: the instant in UTC, and the local day every rule counts in (ROVIEC_TIMEZONE: a deadline ends at
24:00 local time, "as of" is the end of a local day). Everything that asks "what time is it" or "what day is it"
asks here, so a test (or faketime) moves every part at once."""

from datetime import UTC, date, datetime

from app.config import get_settings


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_day(moment: datetime) -> date:
    """The local calendar day of an instant."""
    return moment.astimezone(get_settings().tz).date()


def today(now: datetime | None = None) -> date:
    """Today's local date (at `now` when given)."""
    return local_day(now or utcnow())


def past_day_problem(as_of: date | None, today: date, location: str = "query"):
    """The one rule of an "as of" day: never after today (the figures count what has happened; a day to come would
    only repeat today's under a false date). The problem to report, or None."""
    from app.errors import FieldProblem

    if as_of is not None and as_of > today:
        return FieldProblem.of("as_of", "as_of_in_future", location=location, today=today, type="date_in_future")
    return None
