"""What every page shares: the templates, the signed-in person, the posted form, rendering, redirects and
refusals by field."""

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from sqlmodel import Session

from app import messages, unit_of_work
from app.access import policy
from app.access.policy import Action
from app.auth import sessions as web_sessions
from app.errors import ApiError, FieldProblem, InvalidInput
from app.notifications import service as notification_service
from app.tasks.deadlines import ACCEPTED_FORMS
from app.tasks.models import DeliverableType
from app.tasks.status import TaskStatus
from app.tasks.timing import Timing
from app.types import digits
from app.web import format as web_format

HERE = Path(__file__).parent
COOKIE = "rv_session"
LOGIN_COOKIE = "rv_login"  # the sign-in form's CSRF token, before there is a session
DEVICE_COOKIE = "rv_device"  # a browser that signed in before: others' wrong passwords do not slow it
FLASH_COOKIE = "rv_flash"  # the message a page says once after a post (see `redirect`)
FLASH_SECONDS = 120
FLASH_MAX_CHARS = 500
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters.update(web_format.FILTERS)
templates.env.globals.update(submission_key=lambda: secrets.token_urlsafe(16))
templates.env.globals.update(messages=messages, Timing=Timing, TaskStatus=TaskStatus, Action=Action,
                             DeliverableType=DeliverableType, ACCEPTED_FORMS=ACCEPTED_FORMS)


# ---------------------------------------------------------------- plumbing


class SignInRequired(Exception):
    pass


def client_address(request: Request) -> str:
    """The client's address: the connection's, or what a trusted proxy (ROVIEC_TRUSTED_PROXIES) says it is."""
    return request.client.host if request.client else ""


def is_secure(request: Request) -> bool:
    # A proxy's X-Forwarded-Proto counts only from ROVIEC_TRUSTED_PROXIES: uvicorn applies it to the scheme then.
    return request.url.scheme == "https"


async def signed_in(request: Request) -> web_sessions.SignedIn | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    found = web_sessions.cached(raw)
    if found is None:
        found = await unit_of_work.read(lambda session: web_sessions.current(session=session, raw=raw))
        if found is None:
            return None
        web_sessions.remember(raw, found)
    if web_sessions.needs_touch(found):
        await unit_of_work.write(lambda session: web_sessions.touch(session=session, signed_in=found))
    request.scope.setdefault("state", {})["principal"] = found.principal  # for the request's log line
    return found


async def require_user(request: Request) -> web_sessions.SignedIn:
    """The signed-in person, or the sign-in page (SignInRequired: app/web/app.py sends them there and back). For a
    page read, their unread notifications are counted for the header (one count on an index:
    app/notifications/service.py); a post reads its form first, so that a database away gives it back."""
    user = await signed_in(request)
    if user is None:
        raise SignInRequired
    if request.method in ("GET", "HEAD"):
        request.scope.setdefault("state", {})[UNREAD] = await unit_of_work.read(
            lambda session: notification_service.unread_count(session=session, account_id=user.account.id))
    return user


UNREAD = "unread_notifications"


# The one way a page gets the person signed in: a parameter `user: SignedInUser` (the sign-in page alone asks
# `signed_in`, which may answer nobody).
SignedInUser = Annotated[web_sessions.SignedIn, Depends(require_user)]


async def posted_form(request: Request):
    """The posted form, read once and kept with the request: when the work it asks for cannot be done (the database
    away, too many requests), the error page gives the person what they typed back, ready to send again."""
    form = await request.form()
    request.scope.setdefault("state", {})[POSTED_FORM] = form
    return form


POSTED_FORM = "posted_form"
# Never written back into a page: a password stays with the person who typed it.
_NOT_REPLAYED = ("password", "login_token")


def form_was_read(request: Request) -> bool:
    return POSTED_FORM in request.scope.get("state", {})


def replayable_fields(request: Request) -> list[tuple[str, str]] | None:
    """What the refused form held, as (name, value) to post again; None when no form was read. Files cannot be put
    back into a page: the page says to choose them again."""
    form = request.scope.get("state", {}).get(POSTED_FORM)
    if form is None:
        return None
    return [(name, value) for name, value in form.multi_items()
            if isinstance(value, str) and not any(word in name for word in _NOT_REPLAYED)]


def typed_text(fields: list[tuple[str, str]]) -> list[str]:
    """What a person wrote in the form, to show back: words (a space or a letter with its diacritics), not the form's
    own keys, versions or choices."""
    return [value for name, value in fields
            if name not in ("csrf_token", "submission", "version") and not name.startswith("was-")
            and (" " in value.strip() or not value.isascii())]


def posted_files(request: Request) -> list[str]:
    form = request.scope.get("state", {}).get(POSTED_FORM)
    return [] if form is None else [value.filename or name for name, value in form.multi_items()
                                    if not isinstance(value, str)]


async def form_of(request: Request, user: web_sessions.SignedIn) -> dict[str, Any]:
    """The posted form, after its CSRF token is checked: a forged post changes nothing (403)."""
    form = await posted_form(request)
    if not web_sessions.csrf_ok(user, form.get("csrf_token")):
        raise ApiError.of(403, "form_expired", code="csrf")
    return {key: (value.strip() if isinstance(value, str) else value) for key, value in form.multi_items()
            if key != "csrf_token"} | {"_lists": {key: form.getlist(key) for key in form}}


def render(request: Request, template: str, user: web_sessions.SignedIn | None, status_code: int = 200,
           **context) -> HTMLResponse:
    nav = []
    if user is not None:
        p = user.principal
        nav = [("/", "Tổng quan"), ("/brief", "Tóm tắt"), ("/tasks", "Nhiệm vụ"), ("/indicators", "Chỉ tiêu"),
               ("/directives", "Văn bản chỉ đạo"), ("/reports", "Báo cáo")]
        if policy.allows(p, Action.import_notice):
            nav.append(("/imports", "Nhập thông báo"))
        nav += [("/subscriptions", "Kết nối phần mềm"), ("/calendar", "Lịch")]
        if policy.allows(p, Action.read_own_accounts, relation=policy.Relation.own):
            nav.append(("/accounts", "Tài khoản"))
    if context.get("notice") is None:
        context["notice"] = flash_of(request, user)
    response = templates.TemplateResponse(request, template, {
        "user": user, "nav": nav, "path": request.url.path, "csrf": user.csrf_token if user else None,
        "unread_notifications": request.scope.get("state", {}).get(UNREAD) if user else None,
        "can": (lambda action, task=None, relation=None: user is not None and policy.allows(
            user.principal, action, task, relation=relation)), **context}, status_code=status_code)
    if FLASH_COOKIE in request.cookies:  # said once (or, when not for this page or person, dropped)
        response.delete_cookie(FLASH_COOKIE)
    return response


async def submit_once(user: web_sessions.SignedIn, form: dict[str, Any],
                      function: Callable[[Session], str]) -> tuple[str, bool]:
    """A page's form that makes something (a directive, a task, a subscription...), made at most once however often
    the same form is sent (a double click, a refresh, the back button and send again): `function` makes it and
    returns the address of its page. The form carries a key of its own (`submission`, new at every rendering); the
    same key with the same values gets that address back (replayed: True) and makes nothing; changed values are a
    new request. Without a key it simply runs."""
    made, replayed = await made_once(user, form, lambda session: {"location": function(session)})
    return made["location"], replayed


async def made_once(user: web_sessions.SignedIn, form: dict[str, Any],
                    function: Callable[[Session], dict[str, Any]]) -> tuple[dict[str, Any], bool]:
    """`submit_once` for a form whose outcome is a page of its own rather than an address (the list's reminders:
    which tasks were reminded, which skipped and why): `function` returns that outcome (JSON), kept with the key, and
    the same form sent again gets it back (replayed: True) without doing anything again."""
    values = sorted((k, str(v)) for k, v in form.items() if k not in ("submission", "_lists", "_principal"))
    values += sorted((k, repr(v)) for k, v in form.get("_lists", {}).items() if k not in ("submission", "csrf_token"))
    digest = hashlib.sha256(repr(values).encode()).hexdigest()
    key = f"page:{form['submission'][:100]}:{digest[:32]}" if form.get("submission") else None
    answer = await unit_of_work.write_once(lambda session: (303, function(session), {}),
                                           principal=user.principal, key=key, fingerprint=digest)
    return json.loads(answer.content), answer.headers.get("Idempotent-Replayed") == "true"


def redirect(url: str, message: str | None = None, *, request: Request | None = None,
             user: web_sessions.SignedIn | None = None) -> RedirectResponse:
    """After a post, to the page that shows its result. The message to say there (`message`, written by the server)
    goes in a cookie of its own (FLASH_COOKIE), signed for the person's session and for that page, and is said once
    by the next rendering of that page: never in the address, so a link cannot put words on our pages."""
    response = RedirectResponse(url, status_code=303)
    if message and user is not None and request is not None:
        path = urlsplit(url).path
        response.set_cookie(FLASH_COOKIE, _flash_seal(user, path, message[:FLASH_MAX_CHARS]), httponly=True,
                            samesite="lax", secure=is_secure(request), max_age=FLASH_SECONDS)
    return response


def _flash_mac(user: web_sessions.SignedIn, path: str, message: str) -> str:
    """Keyed by the session's CSRF token: a secret of the server's and of this session, so that only this server,
    for this person, makes a message their pages will say (not a cookie set by a neighbouring site)."""
    data = json.dumps(["flash", path, message], ensure_ascii=False).encode()
    return hmac.new(user.csrf_token.encode(), data, hashlib.sha256).hexdigest()


def _flash_seal(user: web_sessions.SignedIn, path: str, message: str) -> str:
    body = base64.urlsafe_b64encode(json.dumps([path, message], ensure_ascii=False).encode()).decode().rstrip("=")
    return f"{body}.{_flash_mac(user, path, message)}"


def flash_of(request: Request, user: web_sessions.SignedIn | None) -> str | None:
    """The message the server left for this page (see `redirect`), when its seal holds for this person and this
    page; anything else (a forged, altered or stale cookie, another page's message) says nothing."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw or user is None:
        return None
    body, _, mac = raw.rpartition(".")
    try:
        path, message = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, TypeError):
        return None
    if not isinstance(path, str) or not isinstance(message, str) or path != request.url.path:
        return None
    expected = _flash_mac(user, path, message)
    return message if hmac.compare_digest(mac.encode(), expected.encode()) else None  # bytes: any cookie compares


def problems_by_field(error: InvalidInput | ValidationError, *, fields: frozenset[str] | None = None,
                      aliases: dict[str, tuple[str, ...]] | None = None) -> dict[str, list[str]]:
    """The refusal's messages by field: a service's (InvalidInput) or a form's (pydantic's ValidationError).
    `fields`: the names the form shows; a problem about anything else is the form's own ("_form", shown in the
    summary at its top). `aliases`: a service's field -> the form's fields it concerns (a missing `evidence` is its
    number and its date)."""
    if isinstance(error, ValidationError):
        error = from_validation(error)
    found: dict[str, list[str]] = {}
    for problem in error.problems:
        names = (aliases or {}).get(problem.field or "", (problem.field or "_form",))
        for name in names:
            if fields is not None and name not in fields:
                name = "_form"
            messages_ = found.setdefault(name, [])
            if problem.msg_vi not in messages_:
                messages_.append(problem.msg_vi)
    return found


def refusal(error: Exception, *, fields: frozenset[str] | None = None,
            aliases: dict[str, tuple[str, ...]] | None = None) -> tuple[int, dict[str, list[str]]]:
    """The status and the messages by field of a refused form: a service's or a form model's validation problems
    (422, by field), or a refusal of the whole action (409, 412: the form's own). A forbidden action (403), a missing
    page (404) and
    anything else is not a refusal of the form: raised again (the site's error page says it)."""
    if isinstance(error, InvalidInput | ValidationError):
        return 422, problems_by_field(error, fields=fields, aliases=aliases)
    if isinstance(error, ApiError) and error.status_code in (409, 412, 413):
        return error.status_code, {"_form": [error.message_vi]}
    raise error  # 403 (the page never offers a form its reader may not use: a forged post), 404: the error page


def from_validation(error: ValidationError, prefix: str = "") -> InvalidInput:
    problems = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"])
        message = str(item.get("msg", "")).removeprefix("Value error, ")
        kind = item["type"]
        if item.get("input") is None or (isinstance(item.get("input"), str) and not item["input"].strip()):
            kind = "missing"  # a field left empty is missing, whatever the model calls it ("too short")
        vi = (item.get("ctx") or {}).get("msg_vi") or messages.FORM_PYDANTIC_VI.get(
            kind, messages.FORM_PYDANTIC_VI["value_error"])
        problems.append(FieldProblem(prefix + field, message, vi, type=kind))
    return InvalidInput(problems)


def read_day(value: str | None, field: str) -> date | None:
    """A date typed on a page (dd/mm/yyyy, or ISO from a link): None when left empty; a refusal naming the field when
    it is not a date, never quietly another day."""
    if value is None or not value.strip():
        return None
    day = as_day(value)
    if day is None:
        raise InvalidInput([FieldProblem.of(field, "not_a_day", location="query", wording=value.strip()[:40])])
    return day


def as_int(value: str | None) -> int | None:
    """A whole number typed or linked (an id, a page, a year): ASCII digits only, else None."""
    return digits(value)


def as_day(value: str | None) -> date | None:
    """A date as people type it (dd/mm/yyyy) or as ISO; None when it is neither."""
    iso = as_iso(value)
    try:
        return date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def as_iso(value: str | None) -> str | None:
    """dd/mm/yyyy (as pages show dates) to yyyy-mm-dd for the services; anything else unchanged, for them to judge."""
    if not value:
        return None
    parts = value.strip().replace("-", "/").replace(".", "/").split("/")
    if len(parts) == 3 and len(parts[2]) == 4 and all(digits(p) is not None for p in parts):
        return f"{parts[2]}-{int(parts[1]):02d}-{int(parts[0]):02d}"
    return value.strip()

