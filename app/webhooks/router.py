from datetime import datetime
from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Query, Response

from app import pagination, unit_of_work
from app.auth.dependencies import CurrentPrincipal
from app.config import get_settings
from app.http import created
from app.types import PathId, check_moment
from app.webhooks import delivery, service
from app.webhooks.models import MessageStatus, WebhookAttempt, WebhookMessage
from app.webhooks.schemas import (
    AttemptPage,
    AttemptPublic,
    MessagePage,
    MessagePublic,
    ReplayResult,
    WebhookCreate,
    WebhookPublic,
    WebhookUpdate,
    WebhookWithSecret,
)

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
messages_router = APIRouter(prefix="/messages", tags=["webhooks"])
MessageId = Annotated[str, Path(max_length=40)]


def _public(endpoint, with_secret: bool = False) -> dict:
    schema = WebhookWithSecret if with_secret else WebhookPublic
    return schema.model_validate(endpoint, from_attributes=True).model_dump(mode="json")


def _message(message: WebhookMessage) -> dict:
    open_ = message.status in (MessageStatus.pending, MessageStatus.sending)
    return MessagePublic(
        id=message.public_id, endpoint_id=message.endpoint_id, event_type=message.event_type, task_id=message.task_id,
        status=message.status, attempt_count=message.attempt_count,
        next_attempt_at=message.next_attempt_at if open_ else None, last_status_code=message.last_status_code,
        last_error=message.last_error, created_at=message.created_at, delivered_at=message.delivered_at,
        payload=orjson.loads(message.payload) if message.payload else None,
    ).model_dump(mode="json")


def _attempt(attempt: WebhookAttempt, public_id: str) -> dict:
    return AttemptPublic(id=attempt.id, message_id=public_id, attempted_at=attempt.attempted_at, url=attempt.url,
                         status_code=attempt.status_code, latency_ms=attempt.latency_ms, success=attempt.success,
                         response_body=attempt.response_body, error=attempt.error,
                         worker=attempt.worker).model_dump(mode="json")


@router.post("", status_code=201, response_model=WebhookWithSecret, openapi_extra=created("/webhooks/{id}"))
async def create_webhook(endpoint_in: WebhookCreate, principal: CurrentPrincipal):
    """The signing secret is in this answer only."""
    return await unit_of_work.write(lambda session: _public(
        service.create_endpoint(session=session, endpoint_in=endpoint_in, principal=principal), with_secret=True))


@router.get("", response_model=list[WebhookPublic])
async def list_webhooks(principal: CurrentPrincipal):
    """Your agency's subscriptions (the secretariat sees every one)."""
    return await unit_of_work.read(
        lambda session: [_public(e) for e in service.list_endpoints(session=session, principal=principal)])


@router.get("/{endpoint_id}", response_model=WebhookPublic)
async def get_webhook(endpoint_id: PathId, principal: CurrentPrincipal):
    """One subscription (its secret is never shown again)."""
    return await unit_of_work.read(lambda session: _public(
        service.get_endpoint(session=session, endpoint_id=endpoint_id, principal=principal)))


@router.patch("/{endpoint_id}", response_model=WebhookPublic)
async def update_webhook(endpoint_id: PathId, endpoint_in: WebhookUpdate, principal: CurrentPrincipal):
    """`active: true` also switches back on a webhook that was disabled automatically."""
    return await unit_of_work.write(lambda session: _public(service.update_endpoint(
        session=session, endpoint_id=endpoint_id, endpoint_in=endpoint_in, principal=principal)))


@router.delete("/{endpoint_id}", status_code=204)
async def delete_webhook(endpoint_id: PathId, principal: CurrentPrincipal):
    """Stops sending and hides the subscription; its delivery log is kept."""
    await unit_of_work.write(lambda session: service.delete_endpoint(session=session, endpoint_id=endpoint_id,
                                                                     principal=principal))
    return Response(status_code=204)


@router.post("/{endpoint_id}/rotate-secret", response_model=WebhookWithSecret)
async def rotate_webhook_secret(endpoint_id: PathId, principal: CurrentPrincipal):
    """A new secret, shown once; for 24 hours every message is signed with both the new and the old one."""
    return await unit_of_work.write(lambda session: _public(
        service.rotate_secret(session=session, endpoint_id=endpoint_id, principal=principal), with_secret=True))


@router.get("/{endpoint_id}/messages", response_model=MessagePage)
async def list_webhook_messages(endpoint_id: PathId, principal: CurrentPrincipal, status: MessageStatus | None = None,
                                limit: Annotated[int, Query(ge=1, le=200)] = 50,
                                cursor: Annotated[str | None, Query(max_length=40)] = None):
    """Newest first."""
    def read(session) -> dict:
        endpoint = service.get_endpoint(session=session, endpoint_id=endpoint_id, principal=principal)
        messages, next_cursor = service.list_messages(session=session, endpoint=endpoint, status=status, limit=limit,
                                                      cursor=cursor)
        return {"items": [_message(m) for m in messages], "next_cursor": next_cursor}

    return await unit_of_work.read(read)


@router.post("/{endpoint_id}/replay", response_model=ReplayResult)
async def replay_webhook(endpoint_id: PathId, since: datetime, principal: CurrentPrincipal):
    """Queues again every message created since `since` whose delivery failed (dead or awaiting a retry)."""
    check_moment("since", since)
    count = await unit_of_work.write(lambda session: service.replay(session=session, endpoint_id=endpoint_id,
                                                                    since=since, principal=principal))
    return {"requeued": count}


@router.post("/{endpoint_id}/test", response_model=AttemptPublic)
async def test_webhook(endpoint_id: PathId, principal: CurrentPrincipal):
    """Sends a `ping` now and answers with the attempt (a failed ping is not retried)."""
    settings = get_settings()
    message_id = await unit_of_work.write(lambda session: service.queue_ping(
        session=session, endpoint_id=endpoint_id, principal=principal, settings=settings))
    outcome = await delivery.send_now(settings=settings, message_id=message_id)
    return await unit_of_work.read(lambda session: _attempt(
        service.last_attempt(session=session, message_id=message_id), outcome.claimed.public_id))


@messages_router.get("/{message_id}", response_model=MessagePublic)
async def get_message(message_id: MessageId, principal: CurrentPrincipal):
    """One message of a subscription's log: its state and the body sent."""
    return await unit_of_work.read(lambda session: _message(
        service.get_message(session=session, public_id=message_id, principal=principal)[0]))


@messages_router.get("/{message_id}/attempts", response_model=AttemptPage)
async def list_attempts(message_id: MessageId, principal: CurrentPrincipal, limit: pagination.Limit = 50,
                        cursor: pagination.Cursor = None):
    """Every attempt, oldest first, a page at a time as `GET /tasks` pages (`{"items", "next_cursor"}`): time,
    status code, latency, the first 2 kB of the answer or the error."""
    def read(session) -> dict:
        message, _ = service.get_message(session=session, public_id=message_id, principal=principal)
        found, next_cursor = service.page_attempts(session=session, message=message, limit=limit, cursor=cursor)
        return {"items": [_attempt(a, message.public_id) for a in found], "next_cursor": next_cursor}

    return await unit_of_work.read(read)


@messages_router.post("/{message_id}/redeliver", response_model=MessagePublic)
async def redeliver_message(message_id: MessageId, principal: CurrentPrincipal):
    """Queues the message again now, same id and body, with a fresh series of retries."""
    return await unit_of_work.write(lambda session: _message(
        service.redeliver(session=session, public_id=message_id, principal=principal)))
