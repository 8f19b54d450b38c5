"""Mounting the pages: the routes, their static files, the security headers, and the answers to a browser that is
not signed in or is refused something."""

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from app import errors
from app.web.common import HERE, SignInRequired, render, signed_in
from app.web.router import router

# No inline script or style anywhere in the pages: the policy says so, and the browser enforces it.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'")
_API_PREFIXES = ("/api/", "/docs", "/redoc", "/openapi.json", "/healthz", "/docs-assets")


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_API_PREFIXES):
            await self.app(scope, receive, send)
            return

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []),
                                      (b"content-security-policy", CSP.encode()),
                                      (b"x-frame-options", b"DENY"),
                                      (b"referrer-policy", b"same-origin"),
                                      (b"x-content-type-options", b"nosniff"),
                                      (b"cache-control", b"no-store")]
            await send(message)

        await self.app(scope, receive, with_headers)


async def _page_error(request: Request, error: errors.ApiError):
    user = await signed_in(request)
    return render(request, "error.html", user, status_code=error.status_code, error=error)


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    errors.page_error_renderer = _page_error

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, _exc: SignInRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            target = "/"
        return RedirectResponse(f"/login?next={target}", status_code=303)

    app.add_middleware(SecurityHeaders)

