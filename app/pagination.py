"""Opaque cursors of keyset pages: a page's `next_cursor` is what the client sends back for the next page. Every
list of the API reads them here, so a cursor that is not one of ours is refused the same way everywhere."""

import base64
import binascii
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, TypeVar

from fastapi import Query

from app.errors import FieldProblem, InvalidInput
from app.types import MAX_ID

T = TypeVar("T")

# The query parameters of a paged list, as GET /tasks takes them (each route gives the defaults: `= 50`, `= None`).
Limit = Annotated[int, Query(ge=1, le=200, description="at most this many items (1–200)")]
Cursor = Annotated[str | None, Query(max_length=200, description="the `next_cursor` of the page before")]


def page_of(rows: list[T], limit: int, cursor_of: Callable[[T], str]) -> tuple[list[T], str | None]:
    """A page from the `limit + 1` rows a list reads: the one more says a next page exists, which starts after the
    last row shown (its cursor)."""
    return rows[:limit], (cursor_of(rows[limit - 1]) if len(rows) > limit else None)


def _encode(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode(cursor: str, read: Callable[[object], T]) -> T:
    try:
        return read(json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))))
    except (ValueError, TypeError, binascii.Error) as exc:
        raise InvalidInput([FieldProblem.of("cursor", "not_a_cursor", location="query")]) from exc


def _row_id(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise ValueError("not a row id")
    return value


def encode_id(row_id: int) -> str:
    """A page ordered by id: the last id shown."""
    return _encode(row_id)


def decode_id(cursor: str) -> int:
    return _decode(cursor, _row_id)


def encode_day_and_id(day: date, row_id: int) -> str:
    """A page ordered by a day, then id (tasks by deadline): the last row's day and id."""
    return _encode([day.isoformat(), row_id])


def decode_day_and_id(cursor: str) -> tuple[date, int]:
    def read(value) -> tuple[date, int]:
        day, row_id = value
        return date.fromisoformat(day), _row_id(row_id)

    return _decode(cursor, read)


def encode_moment_and_id(moment: datetime, row_id: int) -> str:
    """A page ordered by a moment, then id (an inbox, newest first): the last row's moment and id."""
    return _encode([moment.isoformat(), row_id])


def decode_moment_and_id(cursor: str) -> tuple[datetime, int]:
    def read(value) -> tuple[datetime, int]:
        moment, row_id = value
        parsed = datetime.fromisoformat(moment)
        if parsed.tzinfo is None:
            raise ValueError("no time zone")
        return parsed, _row_id(row_id)

    return _decode(cursor, read)
