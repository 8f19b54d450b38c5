from datetime import date, datetime

from pydantic import ConfigDict, field_validator, model_validator

from app.directives.models import DirectiveBase
from app.text import shown
from app.types import FIRST_DAY, LAST_DAY, refuse_nul


class DirectiveCreate(DirectiveBase):
    model_config = ConfigDict(extra="forbid")
    _refuse_nul = model_validator(mode="after")(refuse_nul)

    @field_validator("number", "title", "meeting_name", "issuer")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not shown(value):
            raise ValueError("must not be blank / không được để trống")
        return value

    @field_validator("issued_on", "meeting_date")
    @classmethod
    def _in_range(cls, value: date) -> date:
        if not FIRST_DAY <= value <= LAST_DAY:
            raise ValueError(f"must be between {FIRST_DAY} and {LAST_DAY} / phải trong khoảng {FIRST_DAY} – "
                             f"{LAST_DAY}")
        return value


class DirectivePublic(DirectiveBase):
    id: int
    created_at: datetime


class DirectiveRef(DirectiveBase):
    id: int
    issued_on: date
