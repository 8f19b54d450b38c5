from typing import Any

import orjson
from fastapi.responses import Response

from app.types import JSON_OPTIONS


def dumps(body: Any) -> bytes:
    """JSON as every answer and webhook body is written: instants in UTC with `Z` (app/types.py: instant)."""
    return orjson.dumps(body, option=JSON_OPTIONS)


def json_response(body: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Serialises plain dicts/dates straight to bytes: the hot paths skip a second pydantic validation."""
    return Response(dumps(body), status_code=status_code, headers=headers, media_type="application/json")
