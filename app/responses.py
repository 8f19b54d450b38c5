from typing import Any

import orjson
from fastapi.responses import Response


def dumps(body: Any) -> bytes:
    return orjson.dumps(body)


def json_response(body: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Serialises plain dicts/dates straight to bytes: the hot paths skip a second pydantic validation."""
    return Response(orjson.dumps(body), status_code=status_code, headers=headers, media_type="application/json")
