"""The pages as a sub-application mounted at "/" below the API: their routes, their static files, the security
headers, and the answers to a browser that is not signed in or is refused something."""

import contextlib
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from app import errors, messages
from app.errors import FieldProblem, InvalidInput
from app.web.common import (
    HERE,
    SignInRequired,
    form_was_read,
    is_secure,
    posted_files,
    posted_form,
    render,
    replayable_fields,
    signed_in,
    typed_text,
)
from app.web.pages.auth import sign_in_again
from app.web.router import router

# No inline script or style anywhere in the pages: the policy says so, and the browser enforces it.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'")
SECURITY_HEADERS = (("content-security-policy", CSP), ("x-frame-options", "DENY"),
                    ("referrer-policy", "same-origin"), ("x-content-type-options", "nosniff"),
                    ("cache-control", "no-store"))
# What is not a page (the API, /openapi.json, /healthz, the docs' assets) loads nothing and is never framed.
API_HEADERS = (("content-security-policy", "default-src 'none'; frame-ancestors 'none'"),
               ("x-frame-options", "DENY"), ("x-content-type-options", "nosniff"))
# /docs and /redoc run inline scripts of their own (Swagger UI's, ReDoc's start-up): never framed (clickjacking of
# the Authorize button), no plugin, no other base for their addresses; and nothing fetched from anywhere else (ReDoc
# links its sidebar's logo from cdn.redoc.ly, and drops it when the browser refuses: no request leaves the machine).
DOCS_HEADERS = (("content-security-policy", "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; "
                 "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:"),
                ("x-frame-options", "DENY"), ("x-content-type-options", "nosniff"),
                ("referrer-policy", "same-origin"))
# Over https only (a browser ignores it over http anyway): a year, this host alone (not its subdomains, which the
# deployment does not own); the first visit still has to come over https, or be redirected by the proxy.
HSTS = ("strict-transport-security", "max-age=31536000")
_API_PREFIXES = ("/api/", "/docs", "/redoc", "/openapi.json", "/healthz", "/docs-assets")


def security_headers(scope: Scope) -> tuple[tuple[str, str], ...]:
    """The headers every answer carries, by what it is: a page, /docs and /redoc, or the rest; and HSTS when the
    request came over https (app/web/common.py: is_secure)."""
    path = scope.get("path", "")
    found = DOCS_HEADERS if path in ("/docs", "/redoc") else (
        API_HEADERS if path.startswith(_API_PREFIXES) else SECURITY_HEADERS)
    # is_secure decides; a request with no sign of https (most, behind no proxy) is not made into a Request for it.
    if (scope.get("scheme") == "https" or any(name == b"x-forwarded-proto" for name, _ in scope.get("headers", ()))) \
            and is_secure(Request(scope)):
        found = (*found, HSTS)
    return found


class SecurityHeaders:
    """Outermost of the app's own middleware (app/main.py adds it last), so the request guard's refusals (401, 413)
    carry the headers too; a header the answer already has is left as the answer set it."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [(name.encode(), value.encode()) for name, value in security_headers(scope)]

        async def with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((name, value) for name, value in headers if name not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)


def _page_above(request: Request) -> str | None:
    """The nearest page above an address that only takes a form's post (/tasks/5/progress -> /tasks/5): where a
    person lands who reopens, reloads or shares the address a refused form left in the address bar."""
    path = request.url.path.rstrip("/")
    while "/" in path.strip("/"):
        path = path.rsplit("/", 1)[0]
        scope = {**request.scope, "path": path, "method": "GET"}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            return path
    return None


# Refusals that say "try again in a moment": the form that was refused comes back with them, ready to send again.
_TRY_AGAIN = (429, 503)


async def _page_error(request: Request, error: errors.ApiError):
    if error.status_code == 405 and request.method == "GET" and (above := _page_above(request)) is not None:
        return RedirectResponse(above, status_code=303)
    try:
        user = await signed_in(request)
    except Exception:  # noqa: BLE001 - the error page must show even when the database cannot say who is signed in
        user = None
    if error.status_code in _TRY_AGAIN and request.method == "POST" and request.url.path == "/login":
        if not form_was_read(request):
            with contextlib.suppress(Exception):
                await posted_form(request)
        response = sign_in_again(request, error.message_vi, error.status_code)
        response.headers.update(error.headers or {})
        return response
    replay = None
    if error.status_code in _TRY_AGAIN and request.method == "POST":
        if not form_was_read(request):  # refused before the page read it (who is signed in could not be asked)
            with contextlib.suppress(Exception):  # a body that cannot be read as a form: nothing to give back
                await posted_form(request)
        replay = replayable_fields(request)
    response = render(request, "error.html", user, status_code=error.status_code, error=error, replay=replay,
                      typed=typed_text(replay or []), action=request.url.path,
                      files=posted_files(request) if replay is not None else [])
    if error.headers:
        response.headers.update(error.headers)
    return response


async def _http_error(request: Request, exc: StarletteHTTPException):
    """No such page (404), not a page's method (405, with Allow), a body that streamed in past its limit (413):
    the site's own page, in Vietnamese."""
    if exc.status_code == 413 and hasattr(exc, "limit"):  # app/http.py: BodyTooLarge
        return await _page_error(request, errors.too_large(exc.limit))
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        headers["Allow"] = errors.allowed_methods(request)
    message = exc.detail if isinstance(exc.detail, str) else "Request failed"
    return await _page_error(request, errors.ApiError(
        exc.status_code, message, messages.PAGE_HTTP_VI.get(exc.status_code, messages.PAGE_HTTP_VI[0]),
        code=f"http_{exc.status_code}", headers=headers or None))


async def _no_such_page(request: Request, _exc: RequestValidationError):
    """A page's address with something else where an id goes (/tasks/abc): no such page."""
    return await _page_error(request, errors.ApiError(404, "Not found", messages.PAGE_HTTP_VI[404], code="not_found"))


async def _value_refused(request: Request, _exc: DataError):
    # The database refused a value the forms let through (a NUL character, a number out of range); the unit of work
    # rolled back, so nothing was written.
    return await _page_error(request, InvalidInput([FieldProblem.of("", "database_refused_value",
                                                                    type="invalid_value")]))


async def _database_unavailable(request: Request, exc: Exception):
    if not errors.is_database_unavailable(exc):
        raise exc  # a fault of the code or the schema: the site's 500 page (_unexpected)
    return await _page_error(request, errors.database_unavailable_page())


async def _sign_in(request: Request, _exc: SignInRequired):
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = "/"
    # The whole address, filter and all, comes back after the sign-in: encoded, so its own & and = stay in it.
    return RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)


async def _unexpected(request: Request, exc: Exception):
    """An error nobody foresaw: a person gets the site's own page (in Vietnamese, with a way back), never a bare
    "Internal Server Error"; the API answers JSON. (Starlette raises it on after this answer: the server logs it
    with its traceback.)"""
    if not errors.is_page(request):
        body = {"detail": {"code": "internal_error", "message": "Internal server error",
                           "message_vi": messages.PAGE_HTTP_VI[500]}}
        response = JSONResponse(body, status_code=500)
    else:
        error = errors.ApiError(500, "Internal server error", messages.PAGE_HTTP_VI[500], code="internal_error")
        response = render(request, "error.html", None, status_code=500, error=error)
    # Answered outside every middleware (Starlette's ServerErrorMiddleware): the headers are set here.
    for name, value in security_headers(request.scope):
        response.headers[name] = value
    return response


def create_pages() -> FastAPI:
    """The pages as an application of their own, with their own answers to what goes wrong: every refusal is a page
    in Vietnamese, and a person not signed in is sent to the sign-in. The API's JSON errors never reach a person."""
    pages = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    pages.include_router(router)
    pages.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    pages.add_exception_handler(StarletteHTTPException, _http_error)
    pages.add_exception_handler(errors.ApiError, _page_error)
    pages.add_exception_handler(RequestValidationError, _no_such_page)
    pages.add_exception_handler(DataError, _value_refused)
    for outage in errors.DATABASE_UNAVAILABLE:
        pages.add_exception_handler(outage, _database_unavailable)
    pages.add_exception_handler(SignInRequired, _sign_in)
    pages.add_exception_handler(Exception, _unexpected)
    return pages


class PagesMount(Mount):
    """The pages at "/", below whatever the API has at its own addresses (errors.is_page): an address of the API's
    that no route serves stays the API's (a JSON 404, a 405 with Allow), not a page."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and not errors.is_page_path(scope.get("path", "")):
            return Match.NONE, {}
        return super().matches(scope)


def mount(app: FastAPI) -> None:
    """The pages, mounted after every route of the API (routes are tried in order); also the hook by which the
    request guard, which runs before any routing, answers a page's address with a page."""
    errors.page_error_renderer = _page_error
    app.router.routes.append(PagesMount("", app=create_pages(), name="pages"))
    app.add_exception_handler(Exception, _unexpected)
    # SecurityHeaders is added by app/main.py, after the request guard: outermost, around the pages too.
