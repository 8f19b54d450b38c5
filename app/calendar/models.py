from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from app.types import UTCDateTime, utcnow


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
