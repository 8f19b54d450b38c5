"""Pages: one's notifications ("Thông báo": the inbox, marked read one by one or all at once) and, on "Tài khoản
của tôi", what one receives and how, and one's e-mail address with the link that proves it."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError

from app import unit_of_work
from app.auth.models import Account
from app.errors import ApiError
from app.notifications import service
from app.types import PathId
from app.web.common import SignedInUser, form_of, redirect, refusal, render
from app.web.forms import EmailAddressForm, NotificationChoicesForm
from app.web.pages.accounts import own_account_page

router = APIRouter(include_in_schema=False)


def _account(session, user) -> Account:
    return service.account_of(session=session, principal=user.principal)


@router.get("/notifications")
async def inbox_page(request: Request, user: SignedInUser, unread: Annotated[str | None, Query()] = None,
                     cursor: Annotated[str | None, Query()] = None):
    only_unread = unread == "1"

    def read(session):
        account = _account(session, user)
        try:
            items, next_cursor = service.inbox(session=session, account=account, unread_only=only_unread,
                                               cursor=cursor or None)
        except ApiError:  # a page address whose cursor is not ours: the first page
            items, next_cursor = service.inbox(session=session, account=account, unread_only=only_unread)
        return {"items": items, "next_cursor": next_cursor, "only_unread": only_unread,
                "email": service.preferences(session=session, account=account)["email"]}

    view = await unit_of_work.read(read)
    return render(request, "notifications.html", user, **view)


@router.post("/notifications/read")
async def mark_all_read(request: Request, user: SignedInUser):
    await form_of(request, user)
    marked = await unit_of_work.write(lambda session: service.mark_all_read(session=session,
                                                                           account=_account(session, user)))
    return redirect("/notifications", f"Đã đánh dấu {marked} thông báo là đã đọc.", request=request, user=user)


@router.post("/notifications/{notification_id}/read")
async def mark_read(request: Request, notification_id: PathId, user: SignedInUser):
    await form_of(request, user)
    await unit_of_work.write(lambda session: service.mark_read(session=session, account=_account(session, user),
                                                               notification_id=notification_id))
    return redirect("/notifications", "Đã đánh dấu thông báo là đã đọc.", request=request, user=user)


CHOICE_FIELDS = frozenset({"digest_hour"})


@router.post("/account/notifications")
async def choices(request: Request, user: SignedInUser):
    form = await form_of(request, user)
    try:
        choices_in = NotificationChoicesForm.of(form)
        await unit_of_work.write(lambda session: service.update_preferences(
            session=session, account=_account(session, user), modes=choices_in.modes,
            digest_hour=choices_in.digest_hour, field_of=lambda kind: f"mode_{kind}"))
    except (ApiError, ValidationError) as error:
        status, errors = refusal(error, fields=CHOICE_FIELDS | {k for k in form if k.startswith("mode_")})
        return await own_account_page(request, user, status_code=status, choice_errors=errors, choice_form=form)
    return redirect("/account", "Đã lưu cách nhận thông báo.", request=request, user=user)


@router.post("/account/email")
async def email_address(request: Request, user: SignedInUser):
    form = await form_of(request, user)
    try:
        email_in = EmailAddressForm.of(form)
        said = await unit_of_work.write(lambda session: service.set_address(
            session=session, account=_account(session, user), address=email_in.email))
    except (ApiError, ValidationError) as error:
        status, errors = refusal(error, fields=frozenset({"email"}))
        return await own_account_page(request, user, status_code=status, email_errors=errors, email_form=form)
    return redirect("/account", said, request=request, user=user)


@router.post("/account/email/verification")
async def send_link_again(request: Request, user: SignedInUser):
    await form_of(request, user)
    try:
        await unit_of_work.write(lambda session: service.send_verification(session=session,
                                                                           account=_account(session, user)))
    except ApiError as error:
        status, errors = refusal(error, fields=frozenset({"email"}))
        return await own_account_page(request, user, status_code=status, email_errors=errors)
    return redirect("/account", "Đã gửi lại thư xác nhận; đường dẫn trong thư trước không còn dùng được.",
                    request=request, user=user)


@router.get("/account/email/verify")
async def verify(request: Request, user: SignedInUser, token: Annotated[str | None, Query()] = None):
    """The link of the e-mail that proves the address: opened by the person signed in (a link scanner, which is
    not, proves nothing)."""
    try:
        address = await unit_of_work.write(lambda session: service.verify(session=session,
                                                                         account=_account(session, user),
                                                                         token=token))
    except ApiError as error:
        if error.status_code != 422:
            raise
        return await own_account_page(request, user, status_code=422, email_errors={"_form": [error.message_vi]})
    return redirect("/account", f"Đã xác nhận địa chỉ {address}: thông báo sẽ được gửi tới địa chỉ này.",
                    request=request, user=user)
