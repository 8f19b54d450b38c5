"""The OpenAPI document as a client generator needs it: the bearer scheme, and every error status an operation can
answer with the error bodies the service really sends (app/errors.py), not FastAPI's generic ones."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field


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


class ErrorDetail(BaseModel):
    code: str = Field(description="e.g. unauthorized, forbidden, not_found, illegal_transition, precondition_failed")
    message: str
    message_vi: str

    model_config = {"extra": "allow"}


class ErrorBody(BaseModel):
    """Every other error: `detail.code` and the message in both languages, with extra fields for some codes (a 409's
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
        if path.endswith("/tasks/{task_id}/progress"):  # If-Match optional: a stale one only
            statuses.add("412")
    if path.endswith("/imports") and method == "post":  # every notice reader busy
        statuses.add("503")
    if path.endswith("/completion") or path.startswith(("/api/v1/webhooks", "/api/v1/messages",
                                                         "/api/v1/me/notification")):  # the latter: a person's
        statuses.add("403")
    return statuses


def install(app: FastAPI, api_prefix: str) -> None:
    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (FieldError, ValidationErrorBody, ErrorDetail, ErrorBody):
            model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(model_schema.pop("$defs", {}))
            components[model.__name__] = model_schema
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
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
        app.openapi_schema = schema
        return schema

    app.openapi = build
