from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from app.clock import utcnow
from app.types import UTCDateTime


class DayKind(StrEnum):
    holiday = "holiday"  # a day off that is not in the Labour Code list (an extra day off, a swapped day)
    working_day = "working_day"  # a weekend day or listed holiday that is worked this year (the other half of a swap)


class CalendarDay(SQLModel, table=True):
    """The secretariat's corrections to the statutory calendar, e.g. the swaps the Ministry of Home Affairs
    announces each year."""

    __tablename__ = "calendar_days"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True)
    kind: DayKind = Field(sa_type=String(20))
    reason: str = Field(max_length=300)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_token_id: int | None = Field(default=None, foreign_key="api_tokens.id")


class EffectiveDay(SQLModel, table=True):
    """Every day from 2000 to 2100 with the day a deadline falling on it really ends, so SQL can judge deadlines on
    the working calendar. Rebuilt from the calendar when it changes (see service.ensure_effective_days)."""

    __tablename__ = "calendar_effective_days"

    day: date = Field(primary_key=True)
    effective_on: date
    effective_number: int = Field(description="days from 2000-01-01 to effective_on, for day arithmetic in SQL")


class CalendarState(SQLModel, table=True):
    """What calendar_effective_days was built from (holidays package version and the secretariat's entries)."""

    __tablename__ = "calendar_state"

    id: int = Field(default=1, primary_key=True)
    signature: str = Field(max_length=64)
