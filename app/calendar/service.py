"""The Vietnamese working calendar: weekends and the Labour Code 2019 Art. 112 public holidays (from the `holidays`
package, lunar Tết and the announced swaps included), corrected by the secretariat's own entries.

A deadline that falls on a day off moves to the next working day (Civil Code 2015 Art. 148) for timing and alerts;
the stored deadline never changes. Because that move never goes backwards, "effective deadline before day X" is
always "stored deadline before some day X'", so every timing filter stays a range on the stored, indexed column.
"""

import hashlib
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from sqlalchemy import delete, func, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import messages
from app.access import policy
from app.access.policy import Action
from app.access.principal import Principal
from app.cache import TtlCache
from app.calendar.models import CalendarDay, CalendarState, DayKind, EffectiveDay
from app.clock import utcnow
from app.errors import FieldProblem, InvalidInput, not_found
from app.types import FIRST_DAY, LAST_DAY

# Calendar edits made in another process are seen within this; edits made here at once.
CACHE_SECONDS = 30.0
CALENDAR_LOCK = 727_003  # PostgreSQL advisory lock around a rebuild of calendar_effective_days
MAX_SHIFT = 30  # no run of days off is longer (Tết is at most 9 with the weekends)


@lru_cache(maxsize=1)
def _statutory() -> holidays.HolidayBase:
    return holidays.Vietnam(language="vi")


class WorkCalendar:
    def __init__(self, overrides: dict[date, DayKind]):
        self.overrides = overrides
        self._working: dict[date, bool] = {}

    def is_working_day(self, day: date) -> bool:
        known = self._working.get(day)
        if known is None:
            kind = self.overrides.get(day)
            known = (kind == DayKind.working_day) if kind else _statutory().is_working_day(day)
            self._working[day] = known
        return known

    def effective(self, deadline: date) -> date:
        """The day a deadline really ends: itself, or the next working day."""
        day = deadline
        while not self.is_working_day(day) and day < LAST_DAY and (day - deadline).days < MAX_SHIFT:
            day += timedelta(days=1)
        return day

    def earliest_deadline_ending_on_or_after(self, day: date) -> date:
        """The smallest stored deadline whose effective day is `day` or later."""
        while day > FIRST_DAY and not self.is_working_day(day - timedelta(days=1)):
            day -= timedelta(days=1)
        return day

    def latest_deadline_ending_on_or_before(self, day: date) -> date:
        """The largest stored deadline whose effective day is `day` or earlier."""
        while not self.is_working_day(day) and day > FIRST_DAY:
            day -= timedelta(days=1)
        return day

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day after `start` ("trong 10 ngày làm việc" from the directive's date)."""
        day = start
        while count > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def days_off(self, year: int) -> list[tuple[date, str, str]]:
        """Every holiday and every worked weekend day of a year: (day, kind, reason)."""
        statutory = holidays.Vietnam(language="vi", years=year)
        rows = {d: (DayKind.holiday.value, name, "statutory") for d, name in statutory.items() if d.year == year}
        rows |= {d: (DayKind.working_day.value, "Ngày làm việc bù", "statutory")
                 for d in getattr(statutory, "weekend_workdays", ()) if d.year == year}
        return sorted((d, *kind_reason) for d, kind_reason in rows.items())


# The calendar and its signature if known, for CACHE_SECONDS.
_calendar: TtlCache[str, tuple[WorkCalendar, str | None]] = TtlCache(CACHE_SECONDS, max_entries=1)


def get_calendar(*, session: Session, fresh: bool = False, signature: str | None = None) -> WorkCalendar:
    """The working calendar, cached for CACHE_SECONDS; at once anew when `fresh` or when `signature` (the
    calendar's current one, from ensure_effective_days) is not the cached calendar's."""
    hit = None if fresh else _calendar.get("calendar")
    if hit is None or (signature is not None and signature != hit[1]):
        overrides = {row.day: DayKind(row.kind) for row in session.exec(select(CalendarDay))}
        hit = _calendar.put("calendar", (WorkCalendar(overrides), signature))
    return hit[0]


def day_number(day: date) -> int:
    return (day - FIRST_DAY).days


def _signature(session: Session) -> str:
    entries = session.exec(select(CalendarDay.day, CalendarDay.kind).order_by(CalendarDay.day)).all()
    text = f"holidays {holidays.__version__};" + ";".join(f"{day}:{kind}" for day, kind in entries)
    return hashlib.sha256(text.encode()).hexdigest()


def ensure_effective_days(*, session: Session) -> str:
    """Rebuilds calendar_effective_days when the calendar it was built from changed (a secretariat entry, a new
    version of the holidays package). Runs in the caller's write transaction. Returns the calendar's signature."""
    signature = _signature(session)
    state = session.get(CalendarState, 1)
    if state is not None and state.signature == signature:
        return signature
    if session.get_bind().dialect.name == "postgresql":
        # Two rebuilds at once (two calendar edits, two replicas) would collide on the new rows: one at a time,
        # and the second finds the work done.
        session.execute(select(func.pg_advisory_xact_lock(CALENDAR_LOCK)))
        signature = _signature(session)
        state = session.get(CalendarState, 1, populate_existing=True)
        if state is not None and state.signature == signature:
            return signature
    calendar = get_calendar(session=session, fresh=True, signature=signature)
    session.execute(delete(EffectiveDay))
    rows, day, effective = [], LAST_DAY, LAST_DAY
    while day >= FIRST_DAY:  # backwards: a day off ends where the next day ends
        effective = day if calendar.is_working_day(day) or day == LAST_DAY else effective
        rows.append({"day": day, "effective_on": effective, "effective_number": day_number(effective)})
        day -= timedelta(days=1)
    for start in range(0, len(rows), 5000):
        session.execute(insert(EffectiveDay), rows[start:start + 5000])
    if state is None:
        state = CalendarState(id=1, signature=signature)
    state.signature = signature
    session.add(state)
    session.flush()
    return signature


def forget() -> None:
    _calendar.forget()


def list_days(*, session: Session, year: int) -> list[dict]:
    overrides = {row.day: row for row in session.exec(select(CalendarDay).where(
        CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)))}
    days = {day: {"day": day, "kind": kind, "reason": reason, "source": source}
            for day, kind, reason, source in get_calendar(session=session).days_off(year)}
    for day, row in overrides.items():
        days[day] = {"day": day, "kind": row.kind, "reason": row.reason, "source": "secretariat"}
    return [days[day] for day in sorted(days)]


def get_day(*, session: Session, day: date) -> dict:
    """The day as the year's list shows it; 404 for an ordinary day (a working weekday, a weekend)."""
    found = next((d for d in list_days(session=session, year=day.year) if d["day"] == day), None)
    if found is None:
        raise not_found("calendar_entry")
    return found


def add_day(*, session: Session, day_in, principal: Principal, now: datetime | None = None) -> dict:
    """A correction of the calendar: a day off, or a worked day. A day that is already so (a statutory holiday, a
    weekend; a working day) is refused: it would change nothing, and listed twice it reads as two entries."""
    policy.require(principal, Action.manage_calendar)
    calendar = get_calendar(session=session, fresh=True)
    if day_in.day not in calendar.overrides:
        working = calendar.is_working_day(day_in.day)
        if day_in.kind == DayKind.holiday and not working:
            reason = dict((d, r) for d, _, r, _ in calendar.days_off(day_in.day.year)).get(day_in.day)
            raise InvalidInput([FieldProblem.of("day", "calendar_already_off", type="duplicate",
                                                what=reason or messages.WEEKEND_VI)])
        if day_in.kind == DayKind.working_day and working:
            raise InvalidInput([FieldProblem.of("day", "calendar_already_working", type="duplicate")])
    row = CalendarDay(day=day_in.day, kind=day_in.kind, reason=day_in.reason.strip(), created_at=now or utcnow(),
                      created_by_token_id=principal.token_id)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        raise InvalidInput([FieldProblem.of("day", "calendar_day_taken", type="duplicate")]) from exc
    forget()
    ensure_effective_days(session=session)
    return {"day": row.day, "kind": row.kind, "reason": row.reason, "source": "secretariat"}


def delete_day(*, session: Session, day: date, principal: Principal) -> None:
    policy.require(principal, Action.manage_calendar)
    row = session.exec(select(CalendarDay).where(CalendarDay.day == day)).first()
    if row is None:
        raise not_found("calendar_entry")
    session.delete(row)
    session.flush()
    forget()
    ensure_effective_days(session=session)
