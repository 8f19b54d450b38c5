from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app import messages
from app.directives.models import DirectiveBase
from app.errors import invalid
from app.text import shown, vagueness
from app.types import FIRST_DAY, LAST_DAY, ChangedFields, Instant, refuse_nul


def _not_blank(value: str | None) -> str | None:
    if value is None:
        return value
    value = value.strip()
    if not shown(value):
        raise invalid("not_blank")
    return value


# A directive's title and meeting as few characters as a reader would accept for them ("X" is not a title).
MIN_LENGTH = {"title": 10, "meeting_name": 5}


def _not_vague(value: str | None, info) -> str | None:
    if value is None:
        return value
    reason = vagueness(value, MIN_LENGTH[info.field_name])
    if reason is not None:
        raise invalid("directive_text_vague", reason_en=messages.VAGUE[reason][0].format(
            minimum=MIN_LENGTH[info.field_name]), reason_vi=messages.VAGUE[reason][1].format(
            minimum=MIN_LENGTH[info.field_name]))
    return value


def in_range(value: date | None) -> date | None:
    """A directive's dates are days the service reasons about: a notice dated 1970 is a misreading or a typo."""
    if value is not None and not FIRST_DAY <= value <= LAST_DAY:
        raise invalid("date_out_of_range", first=FIRST_DAY, last=LAST_DAY)
    return value


class DirectiveCreate(DirectiveBase):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "number": "128/TB-VPCP", "title": "Thông báo kết luận của Thủ tướng Chính phủ tại Phiên họp thứ hai của Ủy "
        "ban Quốc gia về chuyển đổi số", "issued_on": "2022-05-06",
        "meeting_name": "Phiên họp thứ 2 của Ủy ban Quốc gia về chuyển đổi số", "meeting_date": "2022-04-27",
        "issuer": "Văn phòng Chính phủ"}]})
    _refuse_nul = model_validator(mode="after")(refuse_nul)
    _texts = field_validator("number", "title", "meeting_name", "issuer")(_not_blank)
    _clear = field_validator("title", "meeting_name")(_not_vague)
    _dates = field_validator("issued_on", "meeting_date")(in_range)


class DirectiveUpdate(BaseModel):
    """A correction: any field; what is left out stays."""

    model_config = ConfigDict(extra="forbid")
    _refuse_nul = model_validator(mode="after")(refuse_nul)

    number: str | None = Field(default=None, max_length=50)
    title: str | None = Field(default=None, max_length=500)
    issued_on: date | None = None
    meeting_name: str | None = Field(default=None, max_length=300)
    meeting_date: date | None = None
    issuer: str | None = Field(default=None, max_length=200)
    _texts = field_validator("number", "title", "meeting_name", "issuer")(_not_blank)
    _clear = field_validator("title", "meeting_name")(_not_vague)
    _dates = field_validator("issued_on", "meeting_date")(in_range)


class DirectivePublic(DirectiveBase):
    id: int
    issued_year: int
    reference: str = Field(description='number and year, as the directive is named: "128/TB-VPCP (2022)"')
    version: int
    created_at: Instant
    updated_at: Instant


class DirectiveFields(ChangedFields):
    """A directive's fields before or after a correction."""

    number: str | None = None
    title: str | None = None
    issued_on: date | None = None
    meeting_name: str | None = None
    meeting_date: date | None = None
    issuer: str | None = None


class DirectiveChange(BaseModel):
    before: DirectiveFields
    after: DirectiveFields


class DirectivePage(BaseModel):
    items: list[DirectivePublic]
    next_cursor: str | None


class DirectiveEventPublic(BaseModel):
    id: int
    occurred_at: Instant
    kind: Literal["created", "updated"]
    data: DirectiveChange | None = Field(description="a correction (`updated`): the fields before and after; null "
                                                     "for `created`")
    actor_token_id: int | None
    actor_agency_id: int | None
