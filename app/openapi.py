"""The OpenAPI document as a client generator needs it: the bearer scheme; every error status an operation can
answer with the error bodies the service really sends (app/errors.py), not FastAPI's generic ones; the headers it
sends and takes (ETag, Location, Idempotent-Replayed, If-Match, Idempotency-Key); files as files; the webhooks a
subscriber receives (app/webhooks/events.py); tags, servers, contact and the package name a generator uses."""

from collections.abc import Iterable
from typing import Annotated, Any

import orjson
from fastapi import FastAPI, Header
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from app.config import get_settings
from app.errors import ErrorCode
from app.http import LOCATION_KEY
from app.indicators import judgement
from app.notifications import kinds as notification_kinds
from app.tasks.status import TaskStatus
from app.types import Instant

PACKAGE_NAME = "roviec-client"  # what a generated client installs as (ASCII: "Rõ Việc" is no package name)


def operation_id(route: APIRoute) -> str:
    """The endpoint function's name (`list_tasks`, `report_progress`): short, and unique across the API (checked when
    the document is built)."""
    return route.name


class FieldError(BaseModel):
    loc: list[str] = Field(description='where: ["body", "deadline"], ["query", "limit"], ["header", "If-Match"]')
    field: str = Field(description="the field's dotted path, or `body` for the body as a whole")
    type: str = Field(description="e.g. seven_ro_missing, seven_ro_vague, deadline_format, missing, duplicate")
    msg: str
    msg_vi: str


class ValidationErrorBody(BaseModel):
    """422: every problem of the request at once."""

    detail: list[FieldError]
    message: str
    message_vi: str


class AllowedTransition(BaseModel):
    status: TaskStatus
    via: str = Field(description='the call that makes it, e.g. "POST /accept"')


class ErrorDetail(BaseModel):
    """The error, and for some codes what the client needs to act on it."""

    model_config = ConfigDict(extra="forbid")

    code: ErrorCode
    message: str
    message_vi: str
    current_status: TaskStatus | None = Field(default=None, description="illegal_transition, not_remindable")
    allowed_transitions: list[AllowedTransition] | None = Field(default=None, description="illegal_transition")
    current_etag: str | None = Field(default=None, description="precondition_failed: send it as If-Match")
    current_version: int | None = Field(default=None, description="precondition_failed (a task)")
    limit_bytes: int | None = Field(default=None, description="payload_too_large")
    field: str | None = Field(default=None, description="payload_too_large: the file part that was too large")
    open_tasks: int | None = Field(default=None, description="agency_has_open_tasks")
    pending_request_id: int | None = Field(default=None, description="pending_request_exists")
    status: str | None = Field(default=None, description="already_decided: the request's status")
    answer_id: int | None = Field(default=None, description="already_answered")
    reminded_at: Instant | None = Field(default=None, description="already_reminded")


class ErrorBody(BaseModel):
    """Every other error: `detail.code` and the message in both languages, with what some codes add (a 409's
    `current_status` and `allowed_transitions`, a 412's `current_etag`, a 413's `limit_bytes`)."""

    detail: ErrorDetail


_DESCRIPTIONS = {
    "401": "missing, invalid or revoked token", "403": "the caller's role may not do this; nothing changed",
    "404": "no such resource", "409": "the resource's state does not allow it (e.g. an illegal status move)",
    "412": "If-Match names a version that is no longer current", "413": "the request body is too large",
    "422": "invalid input: every problem, per field, in English and Vietnamese",
    "428": "If-Match is required (send the ETag from the GET)",
    "503": "every notice reader stayed busy: try again after Retry-After seconds",
}
_CONFLICTS = ("/progress", "/accept", "/reject", "/extension-requests", "/decision", "/merge", "/deactivate",
              "/redeliver", "/replay", "/test", "/commit", "/drafts", "/remove", "/discard", "/comments", "/answer",
              "/reminders")
# The operations that send the resource's version as ETag (paths under the API's prefix). The suite checks that
# every ETag it receives is declared (tests/openapi_check.py).
_ETAGS = {("post", "/tasks"), ("get", "/tasks/{task_id}"), ("patch", "/tasks/{task_id}"),
          ("post", "/tasks/{task_id}/progress"), ("post", "/tasks/{task_id}/accept"),
          ("post", "/tasks/{task_id}/reject"), ("post", "/tasks/{task_id}/remove"), ("post", "/directives"),
          ("get", "/directives/{directive_id}"), ("patch", "/directives/{directive_id}"), ("get", "/files/{file_id}")}

TAGS = [
    {"name": "tasks", "description": "Nhiệm vụ: giao, báo cáo tiến độ, xác nhận hoàn thành, gia hạn, tệp minh chứng, "
                                     "trao đổi và đôn đốc. Tasks with the seven \"rõ\": progress, review, extensions "
                                     "and withdrawals, evidence files, a task's thread and reminders."},
    {"name": "auth", "description": "Người gọi. Who the token is, its role and what it may do."},
    {"name": "agencies", "description": "Cơ quan (mã QCVN 102:2016). Agencies: add, rename, deactivate, merge."},
    {"name": "directives", "description": "Văn bản chỉ đạo (thông báo kết luận). Directives, their corrections "
                                          "and journal."},
    {"name": "reports", "description": "Báo cáo: bảng tổng hợp, danh sách tình hình thực hiện (CSV, XLSX, DOCX, "
                                       "PDF), chỉ tiêu, bảng xếp hạng. Reports, as of any past day."},
    {"name": "webhooks", "description": "Đăng ký nhận sự kiện (webhook), nhật ký gửi. Subscriptions, their message "
                                        "log and redelivery (the events themselves: the `webhooks` section)."},
    {"name": "alerts", "description": "Cảnh báo thời hạn. What the deadline watch would raise."},
    {"name": "calendar", "description": "Lịch làm việc: ngày nghỉ, ngày làm bù. The working calendar."},
    {"name": "imports", "description": "Đọc thông báo kết luận thành dự thảo nhiệm vụ. Reading a conclusion notice "
                                       "into draft tasks."},
    {"name": "indicators", "description": "Chỉ tiêu: mục tiêu, số liệu, trạng thái. Indicators, targets and "
                                          "measurements."},
    {"name": "notifications", "description": "Thông báo cho người dùng. The caller's inbox and what is sent."},
    {"name": "operations", "description": "Vận hành: kiểm tra sống, sẵn sàng. The operator's probes (no token)."},
    {"name": "events", "description": "Sự kiện webhook gửi tới hệ thống đăng ký (Standard Webhooks). What a "
                                      "subscriber receives, one body per event type."},
]

_HEADERS = {
    "ETag": {"description": "the resource's version (strong): send it back as If-Match to change it, or as "
                            "If-None-Match to read it only if it changed", "schema": {"type": "string",
                                                                                      "examples": ['"12-3"']}},
    "Location": {"description": "where the resource this request created is read, under the server's address",
                 "schema": {"type": "string", "format": "uri-reference"}},
    "Idempotent-Replayed": {"description": "`true`: this is the first answer to a request with the same "
                                           "Idempotency-Key, sent again; nothing was written this time",
                            "schema": {"type": "string", "enum": ["true"]}},
    "Retry-After": {"description": "seconds to wait before trying again", "schema": {"type": "integer"}},
    "Content-Disposition": {"description": "`attachment`, with the file's name (RFC 6266; `filename*` in UTF-8)",
                            "schema": {"type": "string"}},
}
_PARAMETER_TEXT = {
    "If-Match": "the ETag of the version this change is made against (from the last GET or write): a stale or weak "
                "one → 412 with `current_etag`",
    "If-None-Match": "the ETag already held: 304 without a body while it is current",
    "Idempotency-Key": "any text up to 200 characters, unique per intended write (per token): a retry with the same "
                       "key gets the first answer back (with `Idempotent-Replayed: true`) and writes nothing again; "
                       "the same key with a different request → 422",
}
_BINARY = {"type": "string", "format": "binary"}


def download(media_types: Iterable[str], description: str, *, octets: bool = True) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=` for a file: each media type it sends, as a binary string (what openapi-python-client
    reads as a `File` and openapi-typescript as a binary), after `application/octet-stream` (the same bytes, sent
    under that type to a client that asks for it with `Accept`: app/http.py `OctetStreamOnRequest`; it comes first
    because generators read an operation's first type they know). `octets=False`: a file that is the other answer
    of an operation answering JSON first."""
    content = {"application/octet-stream": {"schema": _BINARY}} if octets else {}
    content |= {media.split(";")[0].strip(): {"schema": _BINARY} for media in media_types}
    return {200: {"description": description, "content": content,
                  "headers": {"Content-Disposition": {"$ref": "#/components/headers/Content-Disposition"}}}}


def _statuses(path: str, method: str, operation: dict) -> set[str]:
    statuses = {"401", "422"}
    if "{" in path:
        statuses.add("404")
    if method in ("post", "put", "patch", "delete"):
        statuses.add("403")
        if "requestBody" in operation:
            statuses.add("413")
        if method == "patch" or path.endswith(_CONFLICTS):
            statuses.add("409")
        if method == "patch" and ("/tasks/" in path or "/directives/" in path):
            statuses |= {"412", "428"}
        if path.endswith("/progress"):  # an If-Match given and no longer current
            statuses.add("412")
    if path.endswith("/imports") and method == "post":  # every notice reader busy
        statuses.add("503")
    if path.endswith("/completion") or path.startswith(("/api/v1/webhooks", "/api/v1/messages",
                                                         "/api/v1/me/notification")):  # the latter: a person's
        statuses.add("403")
    return statuses


def _header(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


def _parameters(path: str, operation: dict) -> None:
    """The request headers: described, and If-Match required where its absence is a 428."""
    parameters = operation.setdefault("parameters", [])
    if path.endswith("/tasks/{task_id}/progress") and not any(p["name"].lower() == "if-match" for p in parameters):
        parameters.append({"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"}})
    for parameter in parameters:
        # FastAPI names a header by its parameter (if-match): named as RFC 9110 writes it (header names ignore case).
        name = next((known for known in _PARAMETER_TEXT if known.lower() == parameter["name"].lower()), None)
        if parameter["in"] == "header" and name is not None:
            parameter["name"] = name
            parameter["description"] = _PARAMETER_TEXT[name]
            parameter["schema"] = {"type": "string", "maxLength": 200} if parameter["name"] == "Idempotency-Key" \
                else {"type": "string"}
            if parameter["name"] == "If-Match":
                parameter["required"] = "428" in operation["responses"]
                if parameter["required"]:
                    parameter["description"] += "; missing or `*` → 428"
    if not parameters:
        operation.pop("parameters")


def _response_headers(path: str, method: str, operation: dict, api_prefix: str) -> None:
    responses = operation["responses"]
    relative = path.removeprefix(api_prefix)
    location = operation.pop(LOCATION_KEY, None)
    replayed = any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
    for status, response in responses.items():
        if not status.startswith("2") and status != "304":
            continue
        headers = response.setdefault("headers", {})
        if (method, relative) in _ETAGS:
            headers["ETag"] = _header("ETag")
        if status == "201":
            if location is None:
                raise ValueError(f"{method.upper()} {path} answers 201 without declaring where (app/http.py: "
                                 "created)")
            headers["Location"] = {**_HEADERS["Location"], "description": f"the created resource: "
                                   f"`{api_prefix}{location}`", "required": True}
        if replayed and status.startswith("2"):
            headers["Idempotent-Replayed"] = _header("Idempotent-Replayed")
        if not headers:
            response.pop("headers")
    if "412" in responses:
        responses["412"]["headers"] = {"ETag": {**_HEADERS["ETag"], "description": "the current version's ETag"}}
    if "503" in responses:
        responses["503"]["headers"] = {"Retry-After": _header("Retry-After")}


def declare_webhooks(app: FastAPI) -> None:
    """The `webhooks` section: one operation per event type, its body the event's model (app/webhooks/events.py)
    and the Standard Webhooks headers every attempt carries."""
    from app.webhooks import events

    for event_type, model in events.PAYLOADS.items():
        def receive(body: model,  # type: ignore[valid-type]
                    webhook_id: Annotated[str, Header(alias="webhook-id", description=(
                        "msg_…: the same on every attempt of one message (drop duplicates by it)"))],
                    webhook_timestamp: Annotated[int, Header(alias="webhook-timestamp", description=(
                        "the attempt's Unix time"))],
                    webhook_signature: Annotated[str, Header(alias="webhook-signature", description=(
                        "`v1,` + base64 HMAC-SHA256 of `id.timestamp.body` keyed with the base64-decoded `whsec_…` "
                        "secret; two, space-separated, for 24 h after a rotation"))]) -> None:
            """Never called: it only describes what a subscriber's endpoint receives."""
        app.webhooks.post(event_type, operation_id="on_" + event_type.replace(".", "_"), tags=["events"],
                          summary=event_type, description=model.__doc__)(receive)


def _webhook_responses(operation: dict) -> None:
    operation["responses"] = {
        "2XX": {"description": "received: any 2xx (a redirect is a failure)"},
        "410": {"description": "gone: the subscription is switched off at once"},
        "default": {"description": "anything else, or no answer within 15 s: retried after about 5 s, 5 min, 30 min, "
                                   "2 h, 5 h, 10 h and 10 h (a longer Retry-After is honoured), then dead"}}


def _components(schema: dict) -> None:
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for model in (FieldError, ValidationErrorBody, ErrorDetail, ErrorBody):
        model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode="serialization")
        schemas.update(model_schema.pop("$defs", {}))
        schemas[model.__name__] = model_schema
    # The bodies' models are the `webhooks` section's (FastAPI put them here): the message log's union names them.
    from app.webhooks import events

    refs = {event_type: f"#/components/schemas/{model.__name__}" for event_type, model in events.PAYLOADS.items()}
    schemas["WebhookPayload"] = {"description": "A webhook body, by its `type` (the `webhooks` section).",
                                 "oneOf": [{"$ref": ref} for ref in refs.values()],
                                 "discriminator": {"propertyName": "type", "mapping": refs}}
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    components["headers"] = {name: header for name, header in _HEADERS.items() if name != "Location"}


# Enums whose class names other enums share (pydantic then names them by module path): by the names a client reads.
_ENUM_NAMES = {"IndicatorKind": judgement.Kind, "IndicatorStatus": judgement.Status,
               "NotificationKind": notification_kinds.Kind}


def _rename_enums(schema: dict) -> dict:
    schemas = schema["components"]["schemas"]
    renames = {}
    for new, enum in _ENUM_NAMES.items():
        values = [member.value for member in enum]
        renames |= {name: new for name, found in schemas.items()
                    if found.get("enum") == values and found.get("title") == enum.__name__}
    for old, new in renames.items():
        schemas[new] = {**schemas.pop(old), "title": new}
    text = orjson.dumps(schema).decode()
    for old, new in renames.items():
        text = text.replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
    return orjson.loads(text)


def _check_operation_ids(schema: dict) -> None:
    seen: dict[str, str] = {}
    for section in ("paths", "webhooks"):
        for path, operations in schema.get(section, {}).items():
            for method, operation in operations.items():
                name = operation["operationId"]
                if name in seen:
                    raise ValueError(f"operationId {name} of {method.upper()} {path} is also {seen[name]}'s: rename "
                                     "one of the endpoint functions")
                seen[name] = f"{method.upper()} {path}"


def install(app: FastAPI, api_prefix: str) -> None:
    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        if not app.webhooks.routes:  # the bodies' models are made when the document is first asked for, not at start
            declare_webhooks(app)
        settings = get_settings()
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes,
            webhooks=app.webhooks.routes, tags=TAGS,
            servers=[{"url": settings.base_url, "description": "this installation (ROVIEC_PUBLIC_URL)"}],
            contact={"name": "Rõ Việc — bộ phận thư ký (the secretariat)", "url": settings.base_url})
        schema["info"]["x-package-name"] = PACKAGE_NAME
        _components(schema)
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                if not path.startswith(api_prefix):
                    responses.pop("422", None)
                    continue
                if method == "get" and path.endswith("/tasks/{task_id}"):
                    responses["304"] = {"description": "not modified: If-None-Match names the current ETag"}
                for status in sorted(_statuses(path, method, operation)):
                    body = "ValidationErrorBody" if status == "422" else "ErrorBody"
                    responses[status] = {"description": _DESCRIPTIONS[status], "content": {"application/json": {
                        "schema": {"$ref": f"#/components/schemas/{body}"}}}}
                _parameters(path, operation)
                _response_headers(path, method, operation, api_prefix)
        for operations in schema.get("webhooks", {}).values():
            for operation in operations.values():
                _webhook_responses(operation)
        schema = _rename_enums(schema)
        _check_operation_ids(schema)
        app.openapi_schema = schema
        return schema

    app.openapi = build
