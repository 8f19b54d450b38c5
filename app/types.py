from datetime import UTC, date, datetime
from typing import Annotated, Any

import orjson
from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema, model_serializer, model_validator
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC on both databases (SQLite keeps no offset, so it is restored on the way out)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def result_processor(self, dialect, coltype):
        # The generic TypeDecorator path costs ~3 µs a value; a page of tasks reads two per row.
        parse = self.impl_instance.result_processor(dialect, coltype)
        if dialect.name == "sqlite":
            def to_utc(value):
                return None if value is None else parse(value).replace(tzinfo=UTC)
        else:
            def to_utc(value):
                return None if value is None else value.astimezone(UTC)
        return to_utc


def instant(moment: datetime) -> str:
    """An instant as every JSON answer, webhook body, header and file writes it: in UTC, ISO 8601, ending in `Z`
    (never `+00:00`, never the offset it was given in). The one way: `Instant` fields, `jsonable` and the JSON writer
    (app/responses.py, `JSON_OPTIONS`) all write through it or as it does."""
    if moment.tzinfo is None:
        raise ValueError("an instant without a time zone")
    return moment.astimezone(UTC).isoformat().removesuffix("+00:00") + "Z"


# orjson writes a UTC datetime as instant() does ("…Z"); every datetime the service holds is UTC (UTCDateTime).
JSON_OPTIONS = orjson.OPT_UTC_Z
INSTANT_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$"
# A datetime in an answer: written by instant(), and so described (the suite checks every answer against it).
Instant = Annotated[datetime, PlainSerializer(instant, return_type=str, when_used="json"),
                    WithJsonSchema({"type": "string", "format": "date-time", "pattern": INSTANT_PATTERN,
                                    "examples": ["2026-11-23T01:00:00Z"]})]


def jsonable(value: Any) -> Any:
    """A value as a journal row's data keeps it: a day as YYYY-MM-DD, an instant as instant() writes it."""
    if isinstance(value, datetime):
        return instant(value)
    return value.isoformat() if isinstance(value, date) else value


# Ids are 32-bit integers on PostgreSQL: anything larger is refused with 422 before it reaches the database.
MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
# Days the service reasons about; far-future dates would overflow date arithmetic.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
QueryDay = Annotated[date | None, Query(ge=FIRST_DAY, le=LAST_DAY)]


def digits(text: str | None, *, max_digits: int = 9) -> int | None:
    """A whole number written in ASCII digits only ("15", not "¹", "１" or "٣", which str.isdigit() also takes and
    int() either refuses or reads as another script's digit), at most `max_digits` long: None for anything else. Every
    id or number read from a path, a query, a form or a header goes through here, never through isdigit() and int()."""
    if not text:
        return None
    text = text.strip()
    if not text or len(text) > max_digits or not text.isascii() or not text.isdigit():
        return None
    return int(text)


def id_from(text: str | None) -> int | None:
    """An id (1 … 2³¹−1) written in ASCII digits, or None."""
    value = digits(text, max_digits=10)
    return value if value is not None and 1 <= value <= MAX_ID else None


def check_moment(field: str, moment: datetime) -> None:
    """A query-string instant: with a time zone, within the days the service reasons about."""
    from app.errors import FieldProblem, InvalidInput

    if moment.tzinfo is None:
        raise InvalidInput([FieldProblem.of(field, "timezone_required", location="query")])
    if not FIRST_DAY <= moment.date() <= LAST_DAY or not FIRST_DAY.year <= moment.astimezone(UTC).year <= LAST_DAY.year:
        raise InvalidInput([FieldProblem.of(field, "date_out_of_range", first=FIRST_DAY, last=LAST_DAY,
                                            location="query")])


def _nul_fields(value, path: str = "") -> list[str]:
    if isinstance(value, str):
        return [path] if "\x00" in value else []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    return [found for key, item in items for found in _nul_fields(item, f"{path}.{key}" if path else str(key))]


def refuse_nul(model):
    """A NUL character is refused on both databases, naming the field (PostgreSQL cannot store one; SQLite would)."""
    from app.errors import FieldProblem, InvalidInput

    if fields := _nul_fields(model.model_dump(mode="json")):
        raise InvalidInput([FieldProblem.of(field, "nul_character", type="nul_character") for field in fields])
    return model


class NoNul(BaseModel):
    """A request body in which no text may hold a NUL character."""

    _refuse_nul = model_validator(mode="after")(refuse_nul)


class ChangedFields(BaseModel):
    """A journal row's fields before or after a change (a task's or a directive's): only those the row holds are
    answered — the ones that changed — and any other it keeps is answered as kept."""

    model_config = ConfigDict(extra="allow")

    @model_serializer(mode="wrap")
    def _only_what_changed(self, handler):
        return {name: value for name, value in handler(self).items() if name in self.model_fields_set}
