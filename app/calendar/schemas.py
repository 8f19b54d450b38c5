from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from app.calendar.models import DayKind
from app.types import FIRST_DAY, LAST_DAY, NoNul


class CalendarDayCreate(NoNul):
    model_config = ConfigDict(extra="forbid")

    day: date = Field(ge=FIRST_DAY, le=LAST_DAY)
    kind: DayKind
    reason: str = Field(min_length=3, max_length=300)


class CalendarDayPublic(BaseModel):
    day: date
    kind: DayKind
    reason: str
    source: str = Field(description="'statutory' (Labour Code, from the holidays package) or 'secretariat'")
