"""Pages: auth."""

import asyncio
import secrets

from fastapi import APIRouter, Request

from app import messages, unit_of_work
from app.auth import sessions as web_sessions
from app.web.common import COOKIE, LOGIN_COOKIE, form_of, is_secure, redirect, render, require_user

router = APIRouter(include_in_schema=False)

# ---------------------------------------------------------------- sign-in


@router.get("/login")
async def login_page(request: Request, next: str = "/"):  # noqa: A002
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", None, next=next if next.startswith("/") else "/", login_token=token)
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="lax", secure=is_secure(request), max_age=3600)
    return response


@router.post("/login")
async def login(request: Request):
    form = await request.form()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    next_url = str(form.get("next") or "/")
    next_url = next_url if next_url.startswith("/") and not next_url.startswith("//") else "/"
    sent, expected = form.get("login_token"), request.cookies.get(LOGIN_COOKIE)
    if not sent or not expected or not secrets.compare_digest(str(sent), expected):
        return render(request, "login.html", None, status_code=403, next=next_url, login_token=expected or "",
                      error=messages.SIGN_IN["form_expired"])
    ip = request.client.host if request.client else ""
    throttle = await unit_of_work.read(lambda session: web_sessions.throttle(session=session, username=username,
                                                                             ip=ip))
    if throttle.refused_for is not None:
        minutes = max(1, round(throttle.refused_for.total_seconds() / 60))
        return render(request, "login.html", None, status_code=429, next=next_url, login_token=expected,
                      username=username, error=messages.SIGN_IN["throttled"].format(minutes=minutes))
    if throttle.delay_seconds:
        await asyncio.sleep(throttle.delay_seconds)  # each further guess costs more time
    account, raw = await unit_of_work.write(lambda session: web_sessions.sign_in(
        session=session, username=username, password=password, ip=ip,
        user_agent=request.headers.get("user-agent", "")))
    if account is None:
        return render(request, "login.html", None, status_code=401, next=next_url, login_token=expected,
                      username=username, error=messages.SIGN_IN["wrong"])
    response = redirect(next_url)
    # A new session at every sign-in: whatever cookie the browser had is replaced (no fixation).
    response.set_cookie(COOKIE, raw, httponly=True, samesite="lax", secure=is_secure(request),
                        max_age=int(web_sessions.ABSOLUTE.total_seconds()))
    response.delete_cookie(LOGIN_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request):
    user = await require_user(request)
    form = await form_of(request, user)
    everywhere = form.get("everywhere") == "1"
    await unit_of_work.write(lambda session: web_sessions.revoke_all(session=session, account_id=user.account.id)
                             if everywhere else web_sessions.sign_out(session=session, session_id=user.session_id))
    response = redirect("/login")
    response.delete_cookie(COOKIE)
    return response

