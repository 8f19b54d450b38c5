"""Pages: sending the tracker's events to an agency's own software (webhook subscriptions): create one (its signing
key shown once), filter it, switch it off, test it, read its delivery log and send a message again."""

from fastapi import APIRouter, Request
from pydantic import ValidationError

from app import messages, unit_of_work
from app.config import get_settings
from app.directives import service as directive_service
from app.errors import ApiError
from app.types import PathId
from app.web import service
from app.web.common import SignedInUser, form_of, redirect, refusal, render, submit_once
from app.web.forms import SubscriptionForm, SubscriptionUpdateForm
from app.webhooks import delivery
from app.webhooks import service as webhook_service

router = APIRouter(include_in_schema=False)

EVENT_LABELS = messages.EVENT_VI
FIELDS = frozenset({"url", "description", "event_types", "lead_agency_ids", "directive_ids", "priority_only",
                    "digest", "all", "active"})


async def _subscriptions_page(request: Request, user, *, status_code: int = 200, errors=None, form=None,
                              secret: str | None = None):
    def read(session):
        endpoints = webhook_service.list_endpoints(session=session, principal=user.principal)
        return {"endpoints": endpoints,
                "owners": {a.id: a.name for a in service.agency_choices(session, active_only=False)},
                "agencies": service.agency_choices(session),
                "directives": directive_service.list_directives(session=session)}

    view = await unit_of_work.read(read)
    return render(request, "subscriptions.html", user, status_code=status_code, errors=errors or {},
                  form=form or {}, secret=secret, events=EVENT_LABELS, **view)


@router.get("/subscriptions")
async def subscriptions_page(request: Request, user: SignedInUser):
    return await _subscriptions_page(request, user)


@router.post("/subscriptions")
async def subscription_create(request: Request, user: SignedInUser):
    form = await form_of(request, user)
    made = {}

    def create(session) -> str:
        made["endpoint"] = webhook_service.create_endpoint(session=session, endpoint_in=endpoint_in,
                                                           principal=user.principal)
        return f"/subscriptions/{made['endpoint'].id}"

    try:
        endpoint_in = SubscriptionForm.of(form)
        location, replayed = await submit_once(user, form, create)
    except (ApiError, ValidationError) as error:
        status, errors = refusal(error, fields=FIELDS)
        return await _subscriptions_page(request, user, status_code=status, errors=errors, form=form)
    endpoint_id = int(location.rsplit("/", 1)[1])
    if replayed:  # the same form sent again: nothing new was made, and the key is not shown a second time
        return await _subscription_page(request, user, endpoint_id, notice=messages.SUBSCRIPTION_SENT_TWICE)
    return await _subscription_page(request, user, endpoint_id, secret=made["endpoint"].secret,
                                    notice="Đã tạo đăng ký. Hãy lưu khóa ký dưới đây: khóa chỉ hiển thị một lần.")


async def _subscription_page(request: Request, user, endpoint_id: int, *, status_code: int = 200, errors=None,
                             form=None, secret: str | None = None, notice: str | None = None,
                             attempt: dict | None = None):
    def read(session):
        endpoint = webhook_service.get_endpoint(session=session, endpoint_id=endpoint_id, principal=user.principal)
        messages_, _ = webhook_service.list_messages(session=session, endpoint=endpoint, status=None, limit=30,
                                                     cursor=None)
        return {"endpoint": endpoint, "log": [(m, webhook_service.attempts(session=session, message=m))
                                              for m in messages_],
                "agencies": service.agency_choices(session),
                "directives": directive_service.list_directives(session=session)}

    view = await unit_of_work.read(read)
    return render(request, "subscription.html", user, status_code=status_code, errors=errors or {},
                  form=form or {}, secret=secret, events=EVENT_LABELS, attempt=attempt,
                  notice=notice, **view)


@router.get("/subscriptions/{endpoint_id}")
async def subscription_page(request: Request, endpoint_id: PathId, user: SignedInUser):
    return await _subscription_page(request, user, endpoint_id)


@router.post("/subscriptions/{endpoint_id}/{action}")
async def subscription_action(request: Request, endpoint_id: PathId, action: str, user: SignedInUser):
    form = await form_of(request, user)
    p = user.principal
    if action == "update":
        try:
            endpoint_in = SubscriptionUpdateForm.of(form)
            await unit_of_work.write(lambda session: webhook_service.update_endpoint(
                session=session, endpoint_id=endpoint_id, endpoint_in=endpoint_in, principal=p))
        except (ApiError, ValidationError) as error:
            status, errors = refusal(error, fields=FIELDS)
            return await _subscription_page(request, user, endpoint_id, status_code=status, errors=errors,
                                            form=form)
        return redirect(f"/subscriptions/{endpoint_id}", "Đã lưu đăng ký.", request=request, user=user)
    if action == "rotate":
        endpoint = await unit_of_work.write(lambda session: webhook_service.rotate_secret(
            session=session, endpoint_id=endpoint_id, principal=p))
        return await _subscription_page(request, user, endpoint_id, secret=endpoint.secret,
                                        notice="Đã đổi khóa ký; khóa cũ còn dùng được 24 giờ.")
    if action == "test":
        settings = get_settings()
        message_id = await unit_of_work.write(lambda session: webhook_service.queue_ping(
            session=session, endpoint_id=endpoint_id, principal=p, settings=settings))
        outcome = await delivery.send_now(settings=settings, message_id=message_id)
        result = {"success": outcome.success, "status_code": outcome.status_code, "error": outcome.error,
                  "latency_ms": outcome.latency_ms}
        return await _subscription_page(request, user, endpoint_id, attempt=result)
    if action == "delete":
        await unit_of_work.write(lambda session: webhook_service.delete_endpoint(
            session=session, endpoint_id=endpoint_id, principal=p))
        return redirect("/subscriptions", "Đã xóa đăng ký; nhật ký gửi của đăng ký vẫn được lưu.",
                        request=request, user=user)
    raise ApiError.of(404, "no_such_action", code="not_found")


@router.post("/messages/{message_id}/redeliver")
async def message_redeliver(request: Request, message_id: str, user: SignedInUser):
    await form_of(request, user)
    message = await unit_of_work.write(lambda session: webhook_service.redeliver(
        session=session, public_id=message_id, principal=user.principal))
    return redirect(f"/subscriptions/{message.endpoint_id}", "Đã gửi lại thông điệp.", request=request, user=user)

