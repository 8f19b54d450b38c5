from datetime import date, datetime

from pydantic import field_validator

from app.directives.models import DirectiveBase


class DirectiveCreate(DirectiveBase):
    @field_validator("number", "title", "meeting_name", "issuer")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank / không được để trống")
        return value


class DirectivePublic(DirectiveBase):
    id: int
    created_at: datetime


class DirectiveRef(DirectiveBase):
    id: int
    issued_on: date
