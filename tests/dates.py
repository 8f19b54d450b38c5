"""Dates for the tests, relative to the day they run: the one place a test gets a date the API will judge against
"today" (a deadline, a requested deadline, an as-of day, a notice's deadlines).

"Today" is the server's: the real clock (`datetime.now`, moved by faketime when the suite runs at a moved clock) in
Asia/Ho_Chi_Minh, read as the app reads it. A test never writes a future date literally (tests/test_dates.py fails
on one); it asks for one here: `ahead(30)`, a far year (`year_ahead(4)`), or a day with the calendar properties it
needs (`wednesday_ahead`, `saturday_ahead`, ...), checked on the app's own working calendar. Dates in the past that
stay valid (the seed's 2022 history, Tết 2026 in the pure calendar tests) may stay literal.
"""

import calendar as _calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.calendar.service import WorkCalendar

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
_ROMAN = ("I", "II", "III", "IV")
_STATUTORY = WorkCalendar({})  # weekends and the statutory holidays, without the secretariat's corrections


def today() -> date:
    """The server's today: Asia/Ho_Chi_Minh on the real clock, read each time (a run may cross midnight)."""
    return datetime.now(UTC).astimezone(HCM).date()


def ahead(days: int) -> date:
    return today() + timedelta(days=days)


def year_ahead(years: int) -> int:
    """A year number `years` after this one: 30/06 of year_ahead(4) is 3½ to 4½ years away."""
    return today().year + years


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=HCM)


# Formats: what the API reads and what it writes.

def iso(day: date) -> str:
    return day.isoformat()


def dmy(day: date) -> str:
    """'05/12/2026', as typed in a form and as the pages and the refusals write it."""
    return day.strftime("%d/%m/%Y")


def dmy_short(day: date) -> str:
    """'5/12/2026', as the webhook and alert texts write it."""
    return f"{day.day}/{day.month}/{day.year}"


def month_end(day: date) -> date:
    return date(day.year, day.month, _calendar.monthrange(day.year, day.month)[1])


def quarter_end(day: date) -> date:
    return month_end(date(day.year, (day.month - 1) // 3 * 3 + 3, 1))


def month_wording(day: date) -> str:
    """'tháng 8/2027' for a day of August 2027: it means 31/08/2027."""
    return f"tháng {day.month}/{day.year}"


def quarter_wording(day: date) -> str:
    """'quý III/2027' for a day of July to September 2027: it means 30/09/2027."""
    return f"quý {_ROMAN[(day.month - 1) // 3]}/{day.year}"


def year_wording(year: int) -> str:
    """'năm 2027': it means 31/12/2027."""
    return f"năm {year}"


# Pickers: the first day at least `at_least` days ahead with the calendar property a test needs.

def quiet(day: date, days: int = 10) -> bool:
    """No public holiday and no worked weekend day within `days` days either side of `day`: every day is a working
    day exactly when it is Monday to Friday (the statutory calendar, as the app reads it)."""
    return all(_STATUTORY.is_working_day(d) == (d.weekday() < 5)
               for d in (day + timedelta(days=n) for n in range(-days, days + 1)))


def weekday_ahead(weekday: int, *, at_least: int, quiet_days: int = 10) -> date:
    """The first `weekday` (0 = Monday) at least `at_least` days ahead with no holiday within `quiet_days` days."""
    day = ahead(at_least)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    while not quiet(day, quiet_days):
        day += timedelta(days=7)
    return day


def wednesday_ahead(*, at_least: int) -> date:
    return weekday_ahead(2, at_least=at_least)


def friday_ahead(*, at_least: int) -> date:
    return weekday_ahead(4, at_least=at_least)


def saturday_ahead(*, at_least: int) -> date:
    """An ordinary weekend: Saturday and Sunday off, the days around them working days."""
    return weekday_ahead(5, at_least=at_least)


def next_on(month: int, day: int, *, at_least: int = 0) -> date:
    """The first `day`/`month` at least `at_least` days ahead (29/02 only in a leap year)."""
    earliest = ahead(at_least)
    year = earliest.year
    while True:
        if day <= _calendar.monthrange(year, month)[1] and (found := date(year, month, day)) >= earliest:
            return found
        year += 1


def leap_year_ahead(*, at_least_years: int) -> int:
    """The first leap year at least `at_least_years` years after this one."""
    year = year_ahead(at_least_years)
    while not _calendar.isleap(year):
        year += 1
    return year
