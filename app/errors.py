"""Errors a client can act on: every one carries an English and a Vietnamese message."""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic_core import PydanticCustomError
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app import messages


class ErrorCode(StrEnum):
    """Every `detail.code` an error body may carry (the OpenAPI document's enum; a test finds every code the source
    raises here). A 422 of the request's fields has no code: its `detail` is the list of problems."""

    unauthorized = "unauthorized"
    forbidden = "forbidden"
    not_found = "not_found"
    illegal_transition = "illegal_transition"
    precondition_failed = "precondition_failed"
    precondition_required = "precondition_required"
    payload_too_large = "payload_too_large"
    too_large = "too_large"  # a notice's upload over its limit (app/imports)
    rate_limited = "rate_limited"
    database_unavailable = "database_unavailable"
    busy = "busy"  # every notice reader busy
    agency_has_open_tasks = "agency_has_open_tasks"
    already_merged = "already_merged"
    already_decided = "already_decided"
    already_answered = "already_answered"
    already_reminded = "already_reminded"
    not_remindable = "not_remindable"
    not_an_explanation_request = "not_an_explanation_request"
    pending_request_exists = "pending_request_exists"
    task_removed = "task_removed"
    committed = "committed"
    discarded = "discarded"
    email_off = "email_off"
    link_invalid = "link_invalid"
    csrf = "csrf"
    internal_error = "internal_error"
    # An address or a body no route reads (app/errors.py: _http_error).
    http_400 = "http_400"
    http_404 = "http_404"
    http_405 = "http_405"


@dataclass
class FieldProblem:
    field: str
    msg: str
    msg_vi: str
    type: str = "value_error"
    location: str = "body"  # where the value came from: body, query, header or path

    @classmethod
    def of(cls, field: str, key: str, *, type: str = "value_error", location: str = "body",  # noqa: A002
           **values) -> "FieldProblem":
        """The problem with the catalogue's wording (app/messages.py: REFUSALS[key])."""
        return cls(field, *messages.refusal(key, **values), type=type, location=location)

    def as_dict(self) -> dict[str, Any]:
        loc = [self.location, *self.field.split(".")] if self.field else [self.location]
        return {"loc": loc, "field": self.field or self.location, "type": self.type, "msg": self.msg,
                "msg_vi": self.msg_vi}


@dataclass
class ApiError(Exception):
    status_code: int
    message: str
    message_vi: str
    code: str
    extra: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] | None = None

    @classmethod
    def of(cls, status_code: int, key: str, *, code: str, extra: dict[str, Any] | None = None,
           headers: dict[str, str] | None = None, **values) -> "ApiError":
        """The error with the catalogue's wording (app/messages.py: REFUSALS[key])."""
        return cls(status_code, *messages.refusal(key, **values), code=code, extra=extra or {}, headers=headers)

    def body(self) -> dict[str, Any]:
        return {"detail": {"code": self.code, "message": self.message, "message_vi": self.message_vi, **self.extra}}


def _summary(problems: list[dict[str, Any]]) -> tuple[str, str]:
    """The one-line message of a 422: each field by its label ("thời hạn", not `deadline`), in both languages."""
    return messages.refusal(
        "request_invalid",
        problems="; ".join(f"{messages.field_label(p['field'])[1]}: {p['msg']}" for p in problems),
        problems_vi="; ".join(f"{messages.field_label(p['field'])[0]}: {p['msg_vi']}" for p in problems))


class InvalidInput(ApiError):
    """422 listing every problem at once, so a client can fix a request in one round."""

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        message, message_vi = _summary([p.as_dict() for p in problems])
        super().__init__(422, message, message_vi, code="validation_error")

    def body(self) -> dict[str, Any]:
        return {"detail": [p.as_dict() for p in self.problems], "message": self.message, "message_vi": self.message_vi}


def not_found(thing: str) -> ApiError:
    """404 naming what was not found (app/messages.py: THINGS)."""
    what, what_vi = messages.THINGS[thing]
    return ApiError(404, f"{what} not found", f"Không tìm thấy {what_vi}", code="not_found")


def too_large(limit: int) -> ApiError:
    """413 for a request body over `limit` bytes."""
    return ApiError.of(413, "payload_too_large", code="payload_too_large", extra={"limit_bytes": limit}, limit=limit,
                       limit_vi=messages.vn_number(limit))


# What a database that went away (stopped, restarting, unreachable, every connection busy past the pool's timeout)
# raises: answered 503 with Retry-After, never a 500, and logged as one line, not a traceback. The classes are wider
# than an outage (a missing table is an OperationalError too): `is_database_unavailable` tells them apart.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)
RETRY_AFTER_OUTAGE_SECONDS = 5
# PostgreSQL's SQLSTATEs of a server that cannot be reached or is going away: connection exceptions (class 08), the
# administrator's shutdown or crash (57P01, 57P02), starting up (57P03), no connection slot left (53300).
_UNREACHABLE_STATES = ("08", "57P01", "57P02", "57P03", "53300")
# SQLite's: another writer holds the file past the busy timeout, the file cannot be opened or read.
_SQLITE_UNAVAILABLE = ("database is locked", "unable to open database file", "disk i/o error")


def is_database_unavailable(exc: BaseException) -> bool:
    """The database is away or saturated (try again shortly), not a fault of the request or the code."""
    if isinstance(exc, PoolTimeout):
        return True
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    if getattr(exc, "connection_invalidated", False):
        return True
    original = getattr(exc, "orig", None)
    state = getattr(original, "sqlstate", None)
    if original is not None and type(original).__module__.startswith("psycopg"):
        return state is None or state.startswith(_UNREACHABLE_STATES)  # no state: the connection itself failed
    return any(text in str(original or exc).lower() for text in _SQLITE_UNAVAILABLE)


def database_unavailable() -> ApiError:
    return ApiError.of(503, "database_unavailable", code="database_unavailable",
                       headers={"Retry-After": str(RETRY_AFTER_OUTAGE_SECONDS)}, seconds=RETRY_AFTER_OUTAGE_SECONDS)


def database_unavailable_page() -> ApiError:
    """The same, as a page says it to a person."""
    error = database_unavailable()
    error.message_vi = messages.PAGE_HTTP_VI[503]
    return error


def forbidden(message: str, message_vi: str) -> ApiError:
    return ApiError(403, message, message_vi, code="forbidden")


def invalid(key: str, **values) -> PydanticCustomError:
    """What a schema's validator raises: the catalogue's wording (messages.REFUSALS[key]), both languages carried to
    the 422 (the Vietnamese in the error's context)."""
    english, vietnamese = messages.refusal(key, **values)
    return PydanticCustomError(key, english.replace("{", "{{").replace("}", "}}"), {"msg_vi": vietnamese})


def _from_pydantic(error: dict[str, Any], content_type: str) -> dict[str, Any]:
    loc = [str(part) for part in error.get("loc", ())]
    kind = error.get("type", "value_error")
    if kind == "json_invalid":
        loc = ["body"]  # FastAPI puts the character offset where the field would be
    field_path = ".".join(loc[1:]) if loc and loc[0] in {"body", "query", "path", "header"} else ".".join(loc)
    field_path = field_path or "body"  # the body as a whole: missing, or not a JSON object
    msg = str(error.get("msg", "Invalid value"))
    ctx = error.get("ctx") or {}
    msg_vi = ctx.get("msg_vi") or messages.PYDANTIC_VI.get(kind, messages.PYDANTIC_VI["value_error"])
    if kind in {"enum", "literal_error"} and "expected" in ctx:
        msg_vi += f": {ctx['expected']}"
    elif "limit_value" in ctx or "min_length" in ctx or "max_length" in ctx:
        limit = ctx.get("limit_value", ctx.get("min_length", ctx.get("max_length")))
        msg_vi += f" (giới hạn {limit})"
    if kind == "extra_forbidden" and field_path in messages.FORBIDDEN_FIELDS:
        msg, msg_vi = messages.FORBIDDEN_FIELDS[field_path]
    if field_path == "body" and kind in {"model_attributes_type", "dict_type", "json_invalid", "missing"} \
            and content_type and "json" not in content_type:
        msg, msg_vi = messages.refusal("body_not_json", content_type=content_type)
        kind = "content_type"
    return {"loc": loc, "field": field_path, "type": kind, "msg": msg, "msg_vi": msg_vi}


def allowed_methods(request: Request) -> str:
    """Every method of the path, across the routes of the application answering (the API's or the pages') that
    serve it (FastAPI makes one route per method)."""
    methods = {method for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
               for route in request.app.router.routes
               if route.matches({**request.scope, "method": method})[0] == Match.FULL}
    return ", ".join(sorted(methods))


# The addresses that are not the web pages': the API's and its documentation's.
NOT_PAGES = ("/api/", "/docs", "/openapi", "/redoc", "/healthz", "/readyz", "/metrics")

# How a page's address is refused before any routing (the request guard's 413, an error in a middleware): with a
# page, not JSON. Set by app/web/app.py when the pages are mounted; the pages' own errors have their own handlers.
page_error_renderer = None


def is_page_path(path: str) -> bool:
    return not path.startswith(NOT_PAGES)


def is_page(request: Request) -> bool:
    return page_error_renderer is not None and is_page_path(request.url.path)


def install_handlers(app: FastAPI) -> None:
    """The API's answers to what goes wrong, as JSON. (The pages, a sub-application of their own, answer theirs with
    pages: app/web/app.py.)"""
    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        status = exc.status_code
        message = exc.detail if isinstance(exc.detail, str) else "Request failed"
        headers = dict(getattr(exc, "headers", None) or {})
        if status == 400 and message == "There was an error parsing the body":
            # FastAPI's answer to a body that is not UTF-8 (or not decodable at all): a 422 on the body, as documented.
            problem = FieldProblem.of("", "body_not_utf8", type="json_invalid")
            return JSONResponse(InvalidInput([problem]).body(), status_code=422)
        if status == 405:
            headers["Allow"] = allowed_methods(request)
        if status == 413 and hasattr(exc, "limit"):  # app/http.py: a body that streamed in past its limit
            return JSONResponse(too_large(exc.limit).body(), status_code=413)
        body = {"detail": {"code": f"http_{status}", "message": message,
                           "message_vi": messages.HTTP_VI.get(status, messages.HTTP_VI[0])}}
        return JSONResponse(body, status_code=status, headers=headers or None)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError):
        return JSONResponse(exc.body(), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(PoolTimeout)
    async def _database_unavailable(_request: Request, exc: Exception):
        if not is_database_unavailable(exc):
            raise exc  # a fault of the code or the schema: the unexpected error's 500, with its traceback logged
        error = database_unavailable()
        return JSONResponse(error.body(), status_code=503, headers=error.headers)

    @app.exception_handler(DataError)
    async def _data_error(_request: Request, _exc: DataError):
        # The database refused a value the schemas let through (a NUL character, a number out of range).
        # The transaction is rolled back with the session, so nothing was written.
        problem = FieldProblem.of("", "database_refused_value", type="invalid_value")
        return JSONResponse(InvalidInput([problem]).body(), status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        content_type = request.headers.get("content-type", "")
        details = [_from_pydantic(e, content_type) for e in exc.errors()]
        message, message_vi = _summary(details)
        return JSONResponse({"detail": details, "message": message, "message_vi": message_vi}, status_code=422)
