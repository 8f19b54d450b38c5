from datetime import datetime, timedelta
from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Query, Response
from sqlalchemy import select

from app import concurrency
from app.auth.dependencies import CurrentPrincipal
from app.config import get_settings
from app.db import open_session
from app.types import PathId, check_moment, utcnow
from app.webhooks import delivery, payloads, service
from app.webhooks.models import PING, MessageStatus, WebhookAttempt, WebhookMessage
from app.webhooks.schemas import (
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


@router.post("", status_code=201, response_model=WebhookWithSecret)
def create_webhook(endpoint_in: WebhookCreate, principal: CurrentPrincipal):
    """The signing secret is in this answer only."""
    with open_session(write=True) as session:
        endpoint = service.create_endpoint(session=session, endpoint_in=endpoint_in, principal=principal)
        session.commit()
        return _public(endpoint, with_secret=True)


@router.get("", response_model=list[WebhookPublic])
def list_webhooks(principal: CurrentPrincipal):
    """Your agency's subscriptions (the secretariat sees every one)."""
    with open_session() as session:
        return [_public(e) for e in service.list_endpoints(session=session, principal=principal)]


@router.get("/{endpoint_id}", response_model=WebhookPublic)
def get_webhook(endpoint_id: PathId, principal: CurrentPrincipal):
    with open_session() as session:
        return _public(service.get_endpoint(session=session, endpoint_id=endpoint_id, principal=principal))


@router.patch("/{endpoint_id}", response_model=WebhookPublic)
def update_webhook(endpoint_id: PathId, endpoint_in: WebhookUpdate, principal: CurrentPrincipal):
    """`active: true` also switches back on a webhook that was disabled automatically."""
    with open_session(write=True) as session:
        endpoint = service.update_endpoint(session=session, endpoint_id=endpoint_id, endpoint_in=endpoint_in,
                                           principal=principal)
        session.commit()
        return _public(endpoint)


@router.delete("/{endpoint_id}", status_code=204)
def delete_webhook(endpoint_id: PathId, principal: CurrentPrincipal):
    with open_session(write=True) as session:
        service.delete_endpoint(session=session, endpoint_id=endpoint_id, principal=principal)
        session.commit()
    return Response(status_code=204)


@router.post("/{endpoint_id}/rotate-secret", response_model=WebhookWithSecret)
def rotate_webhook_secret(endpoint_id: PathId, principal: CurrentPrincipal):
    """A new secret, shown once; for 24 hours every message is signed with both the new and the old one."""
    with open_session(write=True) as session:
        endpoint = service.rotate_secret(session=session, endpoint_id=endpoint_id, principal=principal)
        session.commit()
        return _public(endpoint, with_secret=True)


@router.get("/{endpoint_id}/messages", response_model=MessagePage)
def list_webhook_messages(endpoint_id: PathId, principal: CurrentPrincipal, status: MessageStatus | None = None,
                          limit: Annotated[int, Query(ge=1, le=200)] = 50,
                          cursor: Annotated[str | None, Query(max_length=40)] = None):
    """Newest first."""
    with open_session() as session:
        endpoint = service.get_endpoint(session=session, endpoint_id=endpoint_id, principal=principal)
        messages, next_cursor = service.list_messages(session=session, endpoint=endpoint, status=status, limit=limit,
                                                      cursor=cursor)
        return {"items": [_message(m) for m in messages], "next_cursor": next_cursor}


@router.post("/{endpoint_id}/replay", response_model=ReplayResult)
def replay_webhook(endpoint_id: PathId, since: datetime, principal: CurrentPrincipal):
    """Queues again every message created since `since` whose delivery failed (dead or awaiting a retry)."""
    check_moment("since", since)
    with open_session(write=True) as session:
        count = service.replay(session=session, endpoint_id=endpoint_id, since=since, principal=principal)
        session.commit()
    return {"requeued": count}


@router.post("/{endpoint_id}/test", response_model=AttemptPublic)
async def test_webhook(endpoint_id: PathId, principal: CurrentPrincipal):
    """Sends a `ping` now and answers with the attempt (a failed ping is not retried)."""

    def queue_ping(session) -> int:
        endpoint = service.get_endpoint(session=session, endpoint_id=endpoint_id, principal=principal)
        service.require_active(endpoint)
        now = utcnow()
        body = payloads.ping_body(endpoint=endpoint, at=now)
        # Not due until the lease would end: the queue's workers leave it to this request.
        row = service.message_row(endpoint_id=endpoint.id, event_type=PING, payload=body, now=now,
                                  dedupe_key=f"ping:{service.new_message_id()}")
        row["next_attempt_at"] = now + timedelta(seconds=get_settings().webhook_lease_seconds)
        service.insert_ignoring_duplicates(session, [row])
        session.commit()
        return session.scalar(select(WebhookMessage.id).where(WebhookMessage.public_id == row["public_id"]))

    message_id = await concurrency.run_in_session(queue_ping, write=True)
    outcome = await delivery.send_now(session_factory=lambda: open_session(write=True), settings=get_settings(),
                                      message_id=message_id)

    def last_attempt(session) -> dict:
        attempt = session.scalars(select(WebhookAttempt).where(WebhookAttempt.message_id == message_id)
                                  .order_by(WebhookAttempt.id.desc())).first()
        return _attempt(attempt, outcome.claimed.public_id)

    return await concurrency.run_in_session(last_attempt)


@messages_router.get("/{message_id}", response_model=MessagePublic)
def get_message(message_id: MessageId, principal: CurrentPrincipal):
    with open_session() as session:
        message, _ = service.get_message(session=session, public_id=message_id, principal=principal)
        return _message(message)


@messages_router.get("/{message_id}/attempts", response_model=list[AttemptPublic])
def list_attempts(message_id: MessageId, principal: CurrentPrincipal):
    """Every attempt, oldest first: time, status code, latency, the first 2 kB of the answer or the error."""
    with open_session() as session:
        message, _ = service.get_message(session=session, public_id=message_id, principal=principal)
        return [_attempt(a, message.public_id) for a in service.attempts(session=session, message=message)]


@messages_router.post("/{message_id}/redeliver", response_model=MessagePublic)
def redeliver_message(message_id: MessageId, principal: CurrentPrincipal):
    """Queues the message again now, same id and body, with a fresh series of retries."""
    with open_session(write=True) as session:
        message = service.redeliver(session=session, public_id=message_id, principal=principal)
        session.commit()
        return _message(message)
