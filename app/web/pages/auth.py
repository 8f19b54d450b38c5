"""Pages: auth."""

import math
import secrets

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import APIRouter, Request
from fastapi.responses import Response

from app import messages, unit_of_work
from app.auth import sessions as web_sessions
from app.auth import throttle
from app.clock import utcnow
from app.web.common import (
    COOKIE,
    DEVICE_COOKIE,
    LOGIN_COOKIE,
    POSTED_FORM,
    SignedInUser,
    client_address,
    form_of,
    is_secure,
    posted_form,
    redirect,
    render,
)

router = APIRouter(include_in_schema=False)

# ---------------------------------------------------------------- sign-in


@router.get("/login")
async def login_page(request: Request, next: str = "/"):  # noqa: A002
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", None, next=_same_site(next), login_token=token)
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="lax", secure=is_secure(request), max_age=3600)
    return response


def _same_site(address: str) -> str:
    """Where to go after signing in: a path of this site, never another site ("//host", "/\\host" — browsers read
    a backslash as a slash — or "https://host")."""
    if not address.startswith("/") or address[1:2] in ("/", "\\") or "\\" in address or any(
            ord(ch) < 32 for ch in address):
        return "/"
    return address


# Argon2 checks at once: each takes a core for a fraction of a second; a burst of sign-ins queues here rather than
# starving the pages (the checks run on threads, never on the database writer).
_checks = CapacityLimiter(2)


@router.post("/login")
async def login(request: Request):
    form = await posted_form(request)
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    remember = form.get("remember") == "1"
    next_url = _same_site(str(form.get("next") or "/"))
    sent, expected = form.get("login_token"), request.cookies.get(LOGIN_COOKIE)
    again = {"next": next_url, "login_token": expected or "", "username": username, "remember": remember}
    if not sent or not expected or not secrets.compare_digest(str(sent), expected):
        return render(request, "login.html", None, status_code=403, error=messages.SIGN_IN["form_expired"], **again)
    if not username.strip() or not password:  # nothing to check: not an attempt, and not counted as one
        return render(request, "login.html", None, status_code=422, error=messages.SIGN_IN["empty"], **again)
    ip = client_address(request)
    device = request.cookies.get(DEVICE_COOKIE) or secrets.token_urlsafe(24)
    reservation = await unit_of_work.write(lambda session: web_sessions.reserve(
        session=session, username=username, ip=ip, device=device))
    if reservation.attempt_id is None:
        wait = max(1.0, (reservation.retry_at - utcnow()).total_seconds())
        response = render(request, "login.html", None, status_code=429,
                          error=messages.SIGN_IN["throttled"].format(wait=messages.wait_vi(wait)), **again)
        response.headers["Retry-After"] = str(math.ceil(wait))
        return response
    right, rehashed = await anyio.to_thread.run_sync(web_sessions.check, reservation, password, limiter=_checks)
    account, raw = await unit_of_work.write(lambda session: web_sessions.finish(
        session=session, reservation=reservation, right=right, rehashed=rehashed, ip=ip,
        user_agent=request.headers.get("user-agent", ""), remember=remember))
    if account is None:
        return render(request, "login.html", None, status_code=401, error=messages.SIGN_IN["wrong"], **again)
    response = redirect(next_url)
    # A new session at every sign-in: whatever cookie the browser had is replaced (no fixation). Without "ghi nhớ
    # đăng nhập" the cookie ends with the browser.
    response.set_cookie(COOKIE, raw, httponly=True, samesite="lax", secure=is_secure(request),
                        max_age=int(web_sessions.ABSOLUTE.total_seconds()) if remember else None)
    # The browser is known to this account from now on: a stranger's wrong passwords do not slow it down.
    response.set_cookie(DEVICE_COOKIE, device, httponly=True, samesite="lax", secure=is_secure(request),
                        max_age=int(throttle.KNOWN_FOR.total_seconds()))
    response.delete_cookie(LOGIN_COOKIE)
    return response


def sign_in_again(request: Request, message: str, status_code: int) -> Response:
    """The sign-in page given back after a refusal for a moment (the database away, too many requests): the name
    typed is kept, the password never written back."""
    form = request.scope.get("state", {}).get(POSTED_FORM) or {}
    return render(request, "login.html", None, status_code=status_code, error=message,
                  next=_same_site(str(form.get("next") or "/")), login_token=request.cookies.get(LOGIN_COOKIE) or "",
                  username=str(form.get("username", "")), remember=form.get("remember") == "1")


@router.post("/logout")
async def logout(request: Request, user: SignedInUser):
    form = await form_of(request, user)
    everywhere = form.get("everywhere") == "1"
    await unit_of_work.write(lambda session: web_sessions.revoke_all(session=session, account_id=user.account.id)
                             if everywhere else web_sessions.sign_out(session=session, session_id=user.session_id))
    response = redirect("/login")
    response.delete_cookie(COOKIE)
    return response

