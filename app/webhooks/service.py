"""Subscriptions, the fan-out of journal rows into per-endpoint messages, and what can be done with messages."""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlmodel import Session

from app import pagination
from app.access import policy
from app.access.policy import Action, Relation
from app.access.principal import Principal, Role
from app.agencies import service as agency_service
from app.agencies.models import Agency
from app.calendar import service as calendar_service
from app.clock import utcnow
from app.config import get_settings
from app.directives.models import Directive
from app.errors import FieldProblem, InvalidInput, not_found
from app.tasks import journal
from app.tasks.models import Task, TaskEvent
from app.webhooks import hooks, outbox, payloads, security
from app.webhooks.models import (
    PING,
    MessageStatus,
    WebhookAttempt,
    WebhookEndpoint,
    WebhookEndpointFilter,
    WebhookMessage,
)
from app.webhooks.schemas import WebhookCreate, WebhookUpdate

SECRET_OVERLAP = timedelta(hours=24)


# ---------------------------------------------------------------- subscriptions


def _problem(field: str, exc: security.UnsafeUrl) -> FieldProblem:
    return FieldProblem(field, exc.message, exc.message_vi, type="unsafe_url")


def _check(session: Session, values: dict[str, Any], problems: list[FieldProblem]) -> None:
    if "url" in values and not (values["url"] or "").strip():
        problems.append(FieldProblem.of("url", "required", type="missing"))
    elif "url" in values:
        try:
            security.resolve(values["url"], get_settings())
        except security.UnsafeUrl as exc:
            problems.append(_problem("url", exc))
    if values.get("lead_agency_ids"):
        unknown = sorted(set(values["lead_agency_ids"]) - set(agency_service.by_ids(
            session=session, agency_ids=set(values["lead_agency_ids"]))))
        if unknown:
            problems.append(FieldProblem.of("lead_agency_ids", "unknown_agencies", ids=unknown))
    if values.get("directive_ids"):
        found = set(session.scalars(select(Directive.id).where(Directive.id.in_(values["directive_ids"]))))
        unknown = sorted(set(values["directive_ids"]) - found)
        if unknown:
            problems.append(FieldProblem.of("directive_ids", "unknown_directives", ids=unknown))


def create_endpoint(*, session: Session, endpoint_in: WebhookCreate, principal: Principal,
                    now: datetime | None = None) -> WebhookEndpoint:
    now = now or utcnow()
    values = endpoint_in.model_dump(mode="json")
    problems: list[FieldProblem] = []
    _check(session, values, problems)
    if problems:
        raise InvalidInput(problems)
    values["event_types"] = sorted(set(values["event_types"]))
    values["alert_policy"] = _policy(values["alert_policy"])
    if not values.pop("all_lead_agencies") and not values["lead_agency_ids"] \
            and not policy.allows(principal, Action.read_all_webhooks):
        values["lead_agency_ids"] = [principal.agency_id]  # an agency follows its own tasks unless it widens this
    endpoint = WebhookEndpoint(**values, owner_agency_id=principal.agency_id,
                               owner_is_secretariat=principal.role == Role.secretariat,
                               secret=security.new_secret(), created_at=now, updated_at=now)
    session.add(endpoint)
    session.flush()
    _sync_filters(session, endpoint)
    return endpoint


def _policy(policy: dict | None) -> dict | None:
    """Only what differs from the global policy is kept; None follows it entirely."""
    kept = {k: (sorted(set(v), reverse=True) if k == "due_soon_days" else v)
            for k, v in (policy or {}).items() if v is not None}
    return kept or None


def _sync_filters(session: Session, endpoint: WebhookEndpoint) -> None:
    session.execute(delete(WebhookEndpointFilter).where(WebhookEndpointFilter.endpoint_id == endpoint.id))
    rows = [{"endpoint_id": endpoint.id, "field": "lead_agency", "value": v} for v in endpoint.lead_agency_ids]
    rows += [{"endpoint_id": endpoint.id, "field": "directive", "value": v} for v in endpoint.directive_ids]
    if rows:
        session.execute(insert(WebhookEndpointFilter), rows)


def _relation(principal: Principal, endpoint: WebhookEndpoint) -> Relation:
    """A subscription is its agency's own, except one the secretariat made (those receive escalations): that one is
    the secretariat's alone, even to another token of the secretariat's own agency."""
    if endpoint.owner_is_secretariat:
        return Relation.other
    return policy.relation_to_owner(principal, endpoint.owner_agency_id)


def _visible(principal: Principal):
    condition = WebhookEndpoint.deleted_at.is_(None)
    if not policy.allows(principal, Action.read_all_webhooks):
        condition = condition & (WebhookEndpoint.owner_agency_id == principal.agency_id) & (
            WebhookEndpoint.owner_is_secretariat.is_(False))
    return condition


def list_endpoints(*, session: Session, principal: Principal) -> list[WebhookEndpoint]:
    return list(session.scalars(select(WebhookEndpoint).where(_visible(principal)).order_by(WebhookEndpoint.id)))


def get_endpoint(*, session: Session, endpoint_id: int, principal: Principal,
                 for_update: bool = False) -> WebhookEndpoint:
    statement = select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id,
                                              WebhookEndpoint.deleted_at.is_(None))
    if for_update:
        statement = statement.with_for_update()
    endpoint = session.scalars(statement).first()
    if endpoint is None:
        raise not_found("webhook")
    policy.require(principal, Action.manage_webhook, relation=_relation(principal, endpoint))
    return endpoint


def update_endpoint(*, session: Session, endpoint_id: int, endpoint_in: WebhookUpdate, principal: Principal,
                    now: datetime | None = None) -> WebhookEndpoint:
    now = now or utcnow()
    endpoint = get_endpoint(session=session, endpoint_id=endpoint_id, principal=principal, for_update=True)
    changes = endpoint_in.model_dump(mode="json", exclude_unset=True)
    problems = [FieldProblem.of(field, "not_null") for field, value in changes.items()
                if value is None and field != "alert_policy"]
    _check(session, {k: v for k, v in changes.items() if v is not None}, problems)
    if problems:
        raise InvalidInput(problems)
    if not changes:
        return endpoint
    if "event_types" in changes:
        changes["event_types"] = sorted(set(changes["event_types"]))
    if "alert_policy" in changes:
        changes["alert_policy"] = _policy(changes["alert_policy"])
    for field, value in changes.items():
        setattr(endpoint, field, value)
    if changes.get("active"):  # switching it back on clears an automatic disabling
        endpoint.disabled_at = endpoint.disabled_reason = endpoint.failing_since = None
    endpoint.updated_at = now
    session.add(endpoint)
    session.flush()
    if "lead_agency_ids" in changes or "directive_ids" in changes:
        _sync_filters(session, endpoint)
    return endpoint


def delete_endpoint(*, session: Session, endpoint_id: int, principal: Principal, now: datetime | None = None) -> None:
    """Kept for its delivery log, but gone from every list and never sent to again."""
    now = now or utcnow()
    endpoint = get_endpoint(session=session, endpoint_id=endpoint_id, principal=principal, for_update=True)
    endpoint.deleted_at = endpoint.updated_at = now
    endpoint.active = False
    session.add(endpoint)
    _close_open_messages(session, endpoint.id, "endpoint deleted")


def rotate_secret(*, session: Session, endpoint_id: int, principal: Principal,
                  now: datetime | None = None) -> WebhookEndpoint:
    now = now or utcnow()
    endpoint = get_endpoint(session=session, endpoint_id=endpoint_id, principal=principal, for_update=True)
    endpoint.previous_secret, endpoint.secret = endpoint.secret, security.new_secret()
    endpoint.previous_secret_expires_at = now + SECRET_OVERLAP
    endpoint.updated_at = now
    session.add(endpoint)
    session.flush()
    return endpoint


def secrets_in_use(endpoint, now: datetime) -> list[str]:
    if endpoint.previous_secret and endpoint.previous_secret_expires_at and endpoint.previous_secret_expires_at > now:
        return [endpoint.secret, endpoint.previous_secret]
    return [endpoint.secret]


def _close_open_messages(session: Session, endpoint_id: int, reason: str) -> None:
    session.execute(update(WebhookMessage).where(
        WebhookMessage.endpoint_id == endpoint_id, WebhookMessage.status == MessageStatus.pending,
    ).values(status=MessageStatus.dead, last_error=reason))


def disable_endpoint(*, session: Session, endpoint: WebhookEndpoint, reason: str, reason_vi: str,
                     now: datetime) -> None:
    """Stops sending to it (its queued messages become dead, to be replayed once it is fixed) and tells its owner's
    other subscriptions and the secretariat's."""
    endpoint.active = False
    endpoint.disabled_at = endpoint.updated_at = now
    endpoint.disabled_reason = reason[:200]
    session.add(endpoint)
    _close_open_messages(session, endpoint.id, f"endpoint disabled: {reason}"[:500])
    owner = session.get(Agency, endpoint.owner_agency_id)
    body = payloads.endpoint_disabled_body(endpoint=endpoint, owner=owner, reason=reason, reason_vi=reason_vi, at=now)
    listeners = session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.active, WebhookEndpoint.deleted_at.is_(None), WebhookEndpoint.id != endpoint.id,
        (WebhookEndpoint.owner_is_secretariat | (WebhookEndpoint.owner_agency_id == endpoint.owner_agency_id)),
    ))
    rows = [outbox.message_row(endpoint_id=listener.id, event_type=body["type"], payload=body, now=now,
                               dedupe_key=f"endpoint-disabled:{endpoint.id}:{now.isoformat()}")
            for listener in listeners if matches(listener, body["type"])]
    outbox.enqueue(session, rows)


# ---------------------------------------------------------------- fan-out


def matches(endpoint: WebhookEndpoint, event_type: str, task=None) -> bool:
    if endpoint.event_types and event_type not in endpoint.event_types:
        return False
    if task is None:
        return True
    if endpoint.lead_agency_ids and task.lead_agency_id not in endpoint.lead_agency_ids:
        return False
    if endpoint.directive_ids and task.directive_id not in endpoint.directive_ids:
        return False
    return not endpoint.priority_only or task.priority


def active_endpoints(session: Session) -> list[WebhookEndpoint]:
    return list(session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.active,
                                                              WebhookEndpoint.deleted_at.is_(None))))


def fan_out(*, session: Session, now: datetime, limit: int = 500) -> int:
    """Turns queued journal rows into one message per matching subscription, then drops them from the outbox; the
    caller commits. Rows are claimed with SKIP LOCKED, so several workers share the queue without doing a row
    twice, and a message's dedupe key (the journal row) makes a repeat after a crash harmless."""
    claimed = journal.claim_task_events(session, limit)
    if not claimed:
        return 0
    endpoints = active_endpoints(session)
    rows = []
    if endpoints:
        agency_service.secretariat(session=session)  # its current name, for the texts
        events = session.scalars(select(TaskEvent).where(TaskEvent.id.in_([event_id for _, event_id in claimed]))
                                  .order_by(TaskEvent.id)).all()
        tasks = {t.id: t for t in session.scalars(select(Task).where(Task.id.in_({j.task_id for j in events})))}
        directives = {d.id: d for d in session.scalars(select(Directive).where(
            Directive.id.in_({t.directive_id for t in tasks.values()})))}
        agencies = agency_service.by_ids(session=session, agency_ids={j.lead_agency_id for j in events})
        calendar = calendar_service.get_calendar(session=session)
        # Each body says its own event's figures, not those of the task as it is when the body is made: two reports
        # in quick succession are both fanned out after the second.
        after = journal.tasks_after(session=session, rows=events, tasks=tasks)
        for row in events:
            event_type = payloads.EVENT_OF_JOURNAL_KIND.get(row.kind)
            task = after[row.id]
            context = {"task": task, "directive": directives[task.directive_id],
                       "lead_agency": agencies[row.lead_agency_id], "calendar": calendar}
            targets = [e for e in endpoints if event_type and matches(e, event_type, task)]
            if targets:
                body = payloads.task_event_body(journal_row=row, **context)
                rows += [outbox.message_row(endpoint_id=e.id, event_type=event_type, task_id=task.id, payload=body,
                                            now=now, dedupe_key=f"journal:{row.id}", request_id=row.request_id)
                         for e in targets]
            rows += hooks.follow_ups(session=session, row=row, endpoints=endpoints, now=now, context=context)
    outbox.enqueue(session, rows)
    hooks.journal_read(session=session, event_ids=[event_id for _, event_id in claimed], now=now)
    journal.drop_task_events(session, [outbox_id for outbox_id, _ in claimed])
    return len(claimed)


# ---------------------------------------------------------------- messages


def list_messages(*, session: Session, endpoint: WebhookEndpoint, status: MessageStatus | None, limit: int,
                  cursor: str | None) -> tuple[list[WebhookMessage], str | None]:
    """Newest first."""
    statement = select(WebhookMessage).where(WebhookMessage.endpoint_id == endpoint.id)
    if status is not None:
        statement = statement.where(WebhookMessage.status == status)
    if cursor:
        statement = statement.where(WebhookMessage.id < pagination.decode_id(cursor))
    messages = list(session.scalars(statement.order_by(WebhookMessage.id.desc()).limit(limit + 1)))
    return pagination.page_of(messages, limit, lambda m: pagination.encode_id(m.id))


def get_message(*, session: Session, public_id: str, principal: Principal,
                for_update: bool = False) -> tuple[WebhookMessage, WebhookEndpoint]:
    statement = select(WebhookMessage).where(WebhookMessage.public_id == public_id)
    if for_update:
        statement = statement.with_for_update()
    message = session.scalars(statement).first()
    if message is None:
        raise not_found("message")
    endpoint = get_endpoint(session=session, endpoint_id=message.endpoint_id, principal=principal)
    return message, endpoint


def attempts(*, session: Session, message: WebhookMessage) -> list[WebhookAttempt]:
    """Every attempt, oldest first (the subscription's page)."""
    return list(session.scalars(select(WebhookAttempt).where(WebhookAttempt.message_id == message.id)
                                .order_by(WebhookAttempt.id)))


def page_attempts(*, session: Session, message: WebhookMessage, limit: int,
                  cursor: str | None) -> tuple[list[WebhookAttempt], str | None]:
    """A page of them in the same order, after the cursor's attempt (the API)."""
    statement = select(WebhookAttempt).where(WebhookAttempt.message_id == message.id)
    if cursor:
        statement = statement.where(WebhookAttempt.id > pagination.decode_id(cursor))
    found = list(session.scalars(statement.order_by(WebhookAttempt.id).limit(limit + 1)))
    return pagination.page_of(found, limit, lambda a: pagination.encode_id(a.id))


def _requeue(session: Session, condition, now: datetime) -> int:
    """Back to the queue for a fresh series of attempts; the id and body stay the same."""
    result = session.execute(update(WebhookMessage).where(condition).values(
        status=MessageStatus.pending, attempt_count=0, next_attempt_at=now,
        lease_token=WebhookMessage.lease_token + 1))
    return result.rowcount or 0


def redeliver(*, session: Session, public_id: str, principal: Principal, now: datetime | None = None) -> WebhookMessage:
    now = now or utcnow()
    message, endpoint = get_message(session=session, public_id=public_id, principal=principal, for_update=True)
    require_active(endpoint)
    _requeue(session, WebhookMessage.id == message.id, now)
    session.refresh(message)
    return message


def replay(*, session: Session, endpoint_id: int, since: datetime, principal: Principal,
           now: datetime | None = None) -> int:
    """Every message created since `since` whose delivery failed (dead, or waiting for a retry after a failure)."""
    now = now or utcnow()
    endpoint = get_endpoint(session=session, endpoint_id=endpoint_id, principal=principal, for_update=True)
    require_active(endpoint)
    failed = (WebhookMessage.status == MessageStatus.dead) | (
        (WebhookMessage.status == MessageStatus.pending) & (WebhookMessage.attempt_count > 0))
    return _requeue(session, (WebhookMessage.endpoint_id == endpoint.id) & (WebhookMessage.created_at >= since)
                    & failed, now)


def require_active(endpoint: WebhookEndpoint) -> None:
    if not endpoint.active:
        raise InvalidInput([FieldProblem.of("active", "endpoint_disabled", type="endpoint_disabled")])



def queue_ping(*, session: Session, endpoint_id: int, principal: Principal, settings,
               now: datetime | None = None) -> int:
    """A `ping` for POST /webhooks/{id}/test, sent at once by the caller, never retried. It is not due until its
    lease would end, so the queue's workers leave it to that request. Returns the message's row id."""
    now = now or utcnow()
    endpoint = get_endpoint(session=session, endpoint_id=endpoint_id, principal=principal)
    require_active(endpoint)
    row = outbox.message_row(endpoint_id=endpoint.id, event_type=PING, now=now,
                             payload=payloads.ping_body(endpoint=endpoint, at=now),
                             dedupe_key=f"ping:{outbox.new_message_id()}")
    row["next_attempt_at"] = now + timedelta(seconds=settings.delivery_lease_seconds)
    outbox.enqueue(session, [row])
    return session.scalar(select(WebhookMessage.id).where(WebhookMessage.public_id == row["public_id"]))


def last_attempt(*, session: Session, message_id: int) -> WebhookAttempt:
    return session.scalars(select(WebhookAttempt).where(WebhookAttempt.message_id == message_id)
                           .order_by(WebhookAttempt.id.desc())).first()


# ---------------------------------------------------------------- the operator's view of the queue


def queue_figures(*, session: Session, now: datetime) -> dict[str, Any]:
    """What waits to be delivered: journal rows not yet fanned out, messages pending or being sent (read through
    the due-messages index; delivered and dead ones are counted as they happen, by the delivery metrics), and how
    long the oldest due one has waited — the delivery's lag."""
    outbox, oldest_event = journal.queue_backlog(session)
    by_state = dict(session.execute(
        select(WebhookMessage.status, func.count()).where(WebhookMessage.status.in_([MessageStatus.pending,
                                                                                    MessageStatus.sending]))
        .group_by(WebhookMessage.status)).all())
    oldest_due = session.scalar(select(func.min(WebhookMessage.next_attempt_at)).where(
        WebhookMessage.status.in_([MessageStatus.pending, MessageStatus.sending]),
        WebhookMessage.next_attempt_at <= now))
    waited = [(now - at).total_seconds() for at in (oldest_event, oldest_due) if at is not None]
    return {"outbox": outbox, "messages": {str(state): by_state.get(state, 0) for state in
                                           (MessageStatus.pending, MessageStatus.sending)},
            "oldest_wait_seconds": max(waited, default=0.0)}
