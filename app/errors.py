"""Errors a client can act on: every one carries an English and a Vietnamese message."""

from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match


@dataclass
class FieldProblem:
    field: str
    msg: str
    msg_vi: str
    type: str = "value_error"
    location: str = "body"  # where the value came from: body, query, header or path

    def as_dict(self) -> dict[str, Any]:
        loc = [self.location, *self.field.split(".")] if self.field else [self.location]
        return {"loc": loc, "field": self.field or self.location, "type": self.type, "msg": self.msg,
                "msg_vi": self.msg_vi}


@dataclass
class ApiError(Exception):
    status_code: int
    message: str
    message_vi: str
    code: str = "error"
    extra: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] | None = None

    def body(self) -> dict[str, Any]:
        return {"detail": {"code": self.code, "message": self.message, "message_vi": self.message_vi, **self.extra}}


def _summary(problems: list[dict[str, Any]]) -> tuple[str, str]:
    """The one-line message of a 422: each field by its label ("thời hạn", not `deadline`), in both languages."""
    from app.messages import field_label

    return ("The request is invalid: " + "; ".join(f"{field_label(p['field'])[1]}: {p['msg']}" for p in problems),
            "Yêu cầu không hợp lệ: " + "; ".join(f"{field_label(p['field'])[0]}: {p['msg_vi']}" for p in problems))


class InvalidInput(ApiError):
    """422 listing every problem at once, so a client can fix a request in one round."""

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        message, message_vi = _summary([p.as_dict() for p in problems])
        super().__init__(422, message, message_vi, code="validation_error")

    def body(self) -> dict[str, Any]:
        return {"detail": [p.as_dict() for p in self.problems], "message": self.message, "message_vi": self.message_vi}


def not_found(what: str, what_vi: str) -> ApiError:
    return ApiError(404, f"{what} not found", f"Không tìm thấy {what_vi}", code="not_found")


def forbidden(message: str, message_vi: str) -> ApiError:
    return ApiError(403, message, message_vi, code="forbidden")


# Vietnamese for the pydantic error types a client actually meets.
_PYDANTIC_VI = {
    "missing": "Thiếu trường bắt buộc",
    "string_too_short": "Chuỗi quá ngắn",
    "string_too_long": "Chuỗi quá dài",
    "string_type": "Phải là chuỗi ký tự",
    "int_parsing": "Phải là số nguyên",
    "int_type": "Phải là số nguyên",
    "bool_parsing": "Phải là true hoặc false",
    "bool_type": "Phải là true hoặc false",
    "date_from_datetime_parsing": "Ngày không hợp lệ (dạng YYYY-MM-DD)",
    "date_parsing": "Ngày không hợp lệ (dạng YYYY-MM-DD)",
    "date_type": "Ngày không hợp lệ (dạng YYYY-MM-DD)",
    "datetime_from_date_parsing": "Thời điểm không hợp lệ (ISO 8601)",
    "datetime_parsing": "Thời điểm không hợp lệ (ISO 8601)",
    "enum": "Giá trị không thuộc danh sách cho phép",
    "literal_error": "Giá trị không thuộc danh sách cho phép",
    "greater_than_equal": "Giá trị quá nhỏ",
    "less_than_equal": "Giá trị quá lớn",
    "greater_than": "Giá trị quá nhỏ",
    "less_than": "Giá trị quá lớn",
    "extra_forbidden": "Trường không được phép",
    "json_invalid": "JSON không hợp lệ",
    "model_attributes_type": "Phải là một đối tượng JSON",
    "dict_type": "Phải là một đối tượng JSON",
    "list_type": "Phải là một danh sách",
    "url_parsing": "URL không hợp lệ",
    "url_scheme": "URL không hợp lệ",
    "value_error": "Giá trị không hợp lệ",
    "string_pattern_mismatch": "Chứa ký tự không được phép (ví dụ ký tự NUL)",
}


def _from_pydantic(error: dict[str, Any], content_type: str) -> dict[str, Any]:
    from app.messages import FORBIDDEN_FIELDS

    loc = [str(part) for part in error.get("loc", ())]
    kind = error.get("type", "value_error")
    if kind == "json_invalid":
        loc = ["body"]  # FastAPI puts the character offset where the field would be
    field_path = ".".join(loc[1:]) if loc and loc[0] in {"body", "query", "path", "header"} else ".".join(loc)
    field_path = field_path or "body"  # the body as a whole: missing, or not a JSON object
    msg = str(error.get("msg", "Invalid value"))
    msg_vi = _PYDANTIC_VI.get(kind, "Giá trị không hợp lệ")
    ctx = error.get("ctx") or {}
    if kind in {"enum", "literal_error"} and "expected" in ctx:
        msg_vi += f": {ctx['expected']}"
    elif "limit_value" in ctx or "min_length" in ctx or "max_length" in ctx:
        limit = ctx.get("limit_value", ctx.get("min_length", ctx.get("max_length")))
        msg_vi += f" (giới hạn {limit})"
    if kind == "extra_forbidden" and field_path in FORBIDDEN_FIELDS:
        msg, msg_vi = FORBIDDEN_FIELDS[field_path]
    if field_path == "body" and kind in {"model_attributes_type", "dict_type", "json_invalid", "missing"} \
            and content_type and "json" not in content_type:
        msg = f"send the body as JSON with Content-Type: application/json (got {content_type})"
        msg_vi = f"nội dung phải là JSON với Content-Type: application/json (đang gửi {content_type})"
        kind = "content_type"
    return {"loc": loc, "field": field_path, "type": kind, "msg": msg, "msg_vi": msg_vi}


# Vietnamese for the HTTP errors raised before a route runs (no such path, wrong method, unreadable body).
_HTTP_VI = {400: "Không đọc được nội dung yêu cầu (JSON)", 404: "Không tìm thấy đường dẫn",
            405: "Đường dẫn này không nhận phương thức đó", 413: "Nội dung yêu cầu quá lớn",
            415: "Kiểu nội dung không được hỗ trợ"}


def _allowed_methods(request: Request) -> str:
    """Every method of the path, across the routes that serve it (FastAPI makes one route per method)."""
    methods = {method for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
               for route in request.app.router.routes
               if route.matches({**request.scope, "method": method})[0] == Match.FULL}
    return ", ".join(sorted(methods))


# The web pages answer their refusals with a page, not JSON (set by app/web/app.py).
page_error_renderer = None


def _is_page(request: Request) -> bool:
    return page_error_renderer is not None and not request.url.path.startswith(("/api/", "/docs", "/openapi"))


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        status = exc.status_code
        message = exc.detail if isinstance(exc.detail, str) else "Request failed"
        headers = dict(getattr(exc, "headers", None) or {})
        if status == 400 and message == "There was an error parsing the body":
            # FastAPI's answer to a body that is not UTF-8 (or not decodable at all): a 422 on the body, as documented.
            problem = FieldProblem("", "the body is not readable JSON: send UTF-8 encoded JSON",
                                   "không đọc được nội dung: hãy gửi JSON mã hóa UTF-8", type="json_invalid")
            return JSONResponse(InvalidInput([problem]).body(), status_code=422)
        if status == 405:
            headers["Allow"] = _allowed_methods(request)
        if status == 413 and hasattr(exc, "limit"):  # app/http.py: a body that streamed in past its limit
            return JSONResponse({"detail": {"code": "payload_too_large", "message": message,
                                            "message_vi": f"Nội dung yêu cầu vượt quá {exc.limit:,} byte".replace(
                                                ",", "."), "limit_bytes": exc.limit}}, status_code=413)
        body = {"detail": {"code": f"http_{status}", "message": message,
                           "message_vi": _HTTP_VI.get(status, "Yêu cầu không thực hiện được")}}
        return JSONResponse(body, status_code=status, headers=headers or None)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        if _is_page(request):
            return await page_error_renderer(request, exc)
        return JSONResponse(exc.body(), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(DataError)
    async def _data_error(_request: Request, _exc: DataError):
        # The database refused a value the schemas let through (a NUL character, a number out of range).
        # The transaction is rolled back with the session, so nothing was written.
        problem = FieldProblem("", "a value is not acceptable to the database (e.g. a NUL character)",
                               "có giá trị không hợp lệ (ví dụ ký tự NUL)", type="invalid_value")
        return JSONResponse(InvalidInput([problem]).body(), status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        content_type = request.headers.get("content-type", "")
        details = [_from_pydantic(e, content_type) for e in exc.errors()]
        message, message_vi = _summary(details)
        return JSONResponse({"detail": details, "message": message, "message_vi": message_vi}, status_code=422)
