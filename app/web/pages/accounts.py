"""Pages: the accounts of the secretariat (every agency's) or of an agency (its own), its API tokens, and one's
own account."""


import dataclasses

from fastapi import APIRouter, Request
from pydantic import ValidationError

from app import messages, unit_of_work
from app.access import policy
from app.access.policy import Action
from app.auth import accounts, throttle
from app.auth import service as auth_service
from app.auth import sessions as web_sessions
from app.auth.models import Account
from app.clock import utcnow
from app.errors import ApiError
from app.notifications import service as notification_service
from app.types import PathId
from app.web import service
from app.web.common import (
    COOKIE,
    SignedInUser,
    client_address,
    form_of,
    is_secure,
    redirect,
    refusal,
    render,
    submit_once,
)
from app.web.forms import AccountActiveForm, AccountForm, AccountPasswordForm, AccountUnlockForm, OwnPasswordForm

router = APIRouter(include_in_schema=False)

ACCOUNT_FIELDS = frozenset({"username", "full_name", "job_title", "email", "agency_code", "role"})
ACCOUNT_ALIASES = {"agency": ("agency_code",), "password": ("_form",)}


async def _accounts_page(request: Request, user, *, status_code: int = 200, errors=None, form=None,
                         shown_password: tuple[str, str] | None = None, shown_token: str | None = None,
                         open_form: str | None = None):
    def read(session):
        listed = accounts.listed(session=session, principal=user.principal)
        oversees_tokens = policy.allows(user.principal, Action.manage_accounts) or policy.allows(
            user.principal, Action.manage_own_tokens, relation=policy.Relation.own)
        tokens = auth_service.tokens_listed(session=session, principal=user.principal) if oversees_tokens else []
        return {"accounts": listed, "tokens": tokens, "agencies": service.agency_choices(session),
                "sessions": web_sessions.active_counts(session=session, account_ids=[a.id for a, _ in listed]),
                "failing": throttle.failing_counts(session=session, usernames=[a.username for a, _ in listed],
                                                   now=utcnow())}

    view = await unit_of_work.read(read)
    return render(request, "accounts.html", user, status_code=status_code, errors=errors or {}, form=form or {},
                  shown_password=shown_password, shown_token=shown_token, open_form=open_form,
                  **view)


@router.get("/accounts")
async def accounts_page(request: Request, user: SignedInUser):
    return await _accounts_page(request, user)


@router.post("/accounts")
async def account_create(request: Request, user: SignedInUser):
    form = await form_of(request, user)
    made = {}

    def create(session) -> str:
        made["account"], made["password"] = accounts.create(session=session, principal=user.principal,
                                                             **account_in.model_dump())
        return f"/accounts#account-{made['account'].id}"

    try:
        account_in = AccountForm.of(form)
        _, replayed = await submit_once(user, form, create)
    except (ApiError, ValidationError) as error:
        status, errors = refusal(error, fields=ACCOUNT_FIELDS, aliases=ACCOUNT_ALIASES)
        return await _accounts_page(request, user, status_code=status, errors=errors, form=form, open_form="account")
    if replayed:
        return redirect("/accounts", messages.ACCOUNT_SENT_TWICE, request=request, user=user)
    return await _accounts_page(request, user, shown_password=(made["account"].username, made["password"]))


@router.post("/accounts/{account_id}/{action}")
async def account_action(request: Request, account_id: PathId, action: str, user: SignedInUser):
    form = await form_of(request, user)
    shown = None
    if action in ("deactivate", "activate"):
        active_in = AccountActiveForm.of(form, active=action == "activate")
        await unit_of_work.write(lambda session: accounts.set_active(session=session, principal=user.principal,
                                                                     account_id=account_id, active=active_in.active))
    elif action == "password":
        password_in = AccountPasswordForm.of(form)
        account, password = await unit_of_work.write(lambda session: accounts.set_password(
            session=session, principal=user.principal, account_id=account_id, password=password_in.password))
        shown = (account.username, password)
    elif action == "unlock":
        AccountUnlockForm.of(form)
        await unit_of_work.write(lambda session: accounts.unlock(session=session, principal=user.principal,
                                                                 account_id=account_id))
        return redirect("/accounts", "Đã mở khóa đăng nhập: các lần nhập sai trước đây không còn được tính.",
                        request=request, user=user)
    elif action == "sessions":
        await unit_of_work.write(lambda session: web_sessions.revoke_for(session=session, principal=user.principal,
                                                                         account_id=account_id))
    else:
        raise ApiError.of(404, "no_such_action", code="not_found")
    if shown:
        return await _accounts_page(request, user, shown_password=shown)
    return redirect("/accounts", "Đã cập nhật tài khoản.", request=request, user=user)


@router.post("/tokens")
async def token_create(request: Request, user: SignedInUser):
    form = await form_of(request, user)
    made = {}

    def create(session) -> str:
        made["token"], made["raw"] = auth_service.create_own_token(session=session, principal=user.principal,
                                                                    name=form.get("name", ""))
        return "/accounts#tokens"

    try:
        _, replayed = await submit_once(user, form, create)
    except ApiError as error:
        status, errors = refusal(error, fields=frozenset({"name"}))
        return await _accounts_page(request, user, status_code=status, errors=errors, form=form, open_form="token")
    if replayed:
        return redirect("/accounts", messages.TOKEN_SENT_TWICE, request=request, user=user)
    return await _accounts_page(request, user, shown_token=made["raw"])


@router.post("/tokens/{token_id}/revoke")
async def token_revoke(request: Request, token_id: PathId, user: SignedInUser):
    await form_of(request, user)
    await unit_of_work.write(lambda session: auth_service.revoke_own_token(session=session, principal=user.principal,
                                                                           token_id=token_id))
    return redirect("/accounts", "Đã thu hồi mã truy cập.", request=request, user=user)


async def own_account_page(request: Request, user, *, status_code: int = 200, errors=None, choice_errors=None,
                           choice_form=None, email_errors=None, email_form=None):
    """"Tài khoản của tôi": one's password, wrong passwords, sessions, and what one receives (app/web/pages/
    notifications.py posts its forms), each form's refusal shown at it."""
    def read(session):
        account = session.get(Account, user.account.id)
        return (throttle.recent_failures(session=session, username=user.account.username, now=utcnow()),
                notification_service.preferences(session=session, account=account))

    failures, notifications = await unit_of_work.read(read)
    return render(request, "account.html", user, status_code=status_code, errors=errors or {}, failures=failures,
                  notifications=notifications, choice_errors=choice_errors or {}, choice_form=choice_form or {},
                  email_errors=email_errors or {}, email_form=email_form or {})



@router.get("/account")
async def own_account(request: Request, user: SignedInUser):
    return await own_account_page(request, user)


@router.post("/account/password")
async def own_password(request: Request, user: SignedInUser):
    form = await form_of(request, user)

    def change(session) -> tuple[str, str]:
        now = utcnow()
        account = accounts.change_own_password(
            session=session, principal=user.principal, account_id=user.account.id,
            current_password=password_in.current_password, new_password=password_in.new_password,
            typed_again=password_in.new_password_again, field="new_password", now=now)
        # Every other session ends; this browser proved itself and carries on in a fresh one.
        return web_sessions.new_session_for(session=session, account=account, ip=client_address(request),
                                            user_agent=request.headers.get("user-agent", ""),
                                            remember=user.remembered, now=now)

    try:
        password_in = OwnPasswordForm.of(form)
        raw, csrf = await unit_of_work.write(change)
    except (ApiError, ValidationError) as error:
        status, errors = refusal(error, fields=frozenset({"current_password", "new_password", "new_password_again"}))
        return await own_account_page(request, user, status_code=status, errors=errors)
    # The message is sealed for the session the browser carries on in.
    response = redirect("/account", "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc.",
                        request=request, user=dataclasses.replace(user, csrf_token=csrf))
    response.set_cookie(COOKIE, raw, httponly=True, samesite="lax", secure=is_secure(request),
                        max_age=int(web_sessions.ABSOLUTE.total_seconds()) if user.remembered else None)
    return response


@router.post("/account/warning")
async def dismiss_warning(request: Request, user: SignedInUser):
    await form_of(request, user)
    await unit_of_work.write(lambda session: web_sessions.dismiss_warning(session=session,
                                                                          session_id=user.session_id))
    return redirect("/account")


