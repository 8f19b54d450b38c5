from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from sqlalchemy import JSON, Column, Index, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.clock import utcnow
from app.types import UTCDateTime


class EventType(StrEnum):
    task_created = "task.created"
    task_updated = "task.updated"
    task_progress_reported = "task.progress_reported"
    task_completed = "task.completed"
    task_reopened = "task.reopened"
    task_extension_requested = "task.extension_requested"
    task_extension_decided = "task.extension_decided"
    task_removed = "task.removed"  # taken out by the secretariat as recorded by mistake
    # A task's thread and reminders (app/tasks/comments.py, app/tasks/reminders.py), from the journal like the above.
    task_commented = "task.commented"
    task_explanation_requested = "task.explanation_requested"  # a secretariat comment asking the lead to explain
    task_explanation_answered = "task.explanation_answered"  # the lead agency's answer, closing the request
    task_reminded = "task.reminded"  # the secretariat chases the lead agency ("đôn đốc")
    task_due_soon = "task.due_soon"
    task_due_today = "task.due_today"
    task_overdue = "task.overdue"
    task_escalated = "task.escalated"
    task_overdue_resolved = "task.overdue_resolved"
    # The indicator watch (app/alerts/indicators.py): once per (subscription, indicator, target period, kind).
    indicator_off_track = "indicator.off_track"
    indicator_no_data = "indicator.no_data"
    indicator_achieved = "indicator.achieved"
    endpoint_disabled = "endpoint.disabled"


PING = "ping"  # sent only by POST /webhooks/{id}/test, whatever the subscription's event types
# What a message carries: an event, or the ping.
MessageType = EventType | Literal["ping"]


class WebhookEndpoint(SQLModel, table=True):
    """A subscription: where to send which events, signed with its own secret."""

    __tablename__ = "webhook_endpoints"

    id: int | None = Field(default=None, primary_key=True)
    owner_agency_id: int = Field(foreign_key="agencies.id", index=True)
    owner_is_secretariat: bool = Field(default=False, description="made by a secretariat token")
    url: str = Field(max_length=2000)
    description: str = Field(default="", max_length=500)
    event_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False),
                                   description="empty: every event type")
    lead_agency_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    directive_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    priority_only: bool = False
    digest: bool = False
    alert_policy: dict | None = Field(default=None, sa_column=Column(JSON),
                                      description="overrides of the global deadline-alert policy")
    active: bool = True
    secret: str = Field(max_length=200)
    previous_secret: str | None = Field(default=None, max_length=200)
    previous_secret_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    failing_since: datetime | None = Field(default=None, sa_type=UTCDateTime,
                                           description="first failure since the last success")
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    disabled_reason: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookEndpointFilter(SQLModel, table=True):
    """The lead-agency and directive filters of a subscription as rows, so the deadline scan can join them."""

    __tablename__ = "webhook_endpoint_filters"
    __table_args__ = (Index("ix_webhook_endpoint_filters_field_value", "field", "value", "endpoint_id"),)

    id: int | None = Field(default=None, primary_key=True)
    endpoint_id: int = Field(foreign_key="webhook_endpoints.id", index=True)
    field: str = Field(max_length=20, description="lead_agency | directive")
    value: int


class MessageStatus(StrEnum):
    pending = "pending"  # waiting for its first or next attempt
    sending = "sending"  # claimed by a worker (lease)
    delivered = "delivered"
    dead = "dead"  # every retry failed


OPEN_MESSAGE_STATUSES = (MessageStatus.pending, MessageStatus.sending)
_OPEN_PREDICATE = text("status IN ('pending', 'sending')")


class WebhookMessage(SQLModel, table=True):
    """One event for one endpoint. Its body is fixed once rendered, and its public id is the `webhook-id` header of
    every attempt.

    `endpoint_id` and `task_id` carry no foreign keys: neither subscriptions nor tasks are ever deleted (they are
    soft-deleted and withdrawn), and checking both keys of every row was 40 % of a deadline scan that writes
    200,000 alerts (see README, bench/scan.py)."""

    __tablename__ = "webhook_messages"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "dedupe_key"),
        Index("ix_webhook_messages_due", "next_attempt_at", "id", postgresql_where=_OPEN_PREDICATE,
              sqlite_where=_OPEN_PREDICATE),
        Index("ix_webhook_messages_endpoint_id_created_at", "endpoint_id", "created_at"),
        Index("ix_webhook_messages_task_id_event_type", "task_id", "event_type"),
    )

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(max_length=40, unique=True)
    endpoint_id: int
    event_type: str = Field(max_length=40)
    dedupe_key: str = Field(max_length=200, description="one message per endpoint and key, e.g. the journal row")
    task_id: int | None = None
    alert_deadline_on: date | None = Field(default=None, description="deadline in force when an alert was raised")
    payload: str | None = Field(default=None, sa_type=Text, description="the body, rendered once and kept")
    status: MessageStatus = Field(default=MessageStatus.pending, sa_type=String(20))
    attempt_count: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    lease_token: int = Field(default=0, description="raised at each claim; a result is recorded only by the holder")
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    request_id: str | None = Field(default=None, max_length=100, description="the request whose change it reports")
    claimed_by: str | None = Field(default=None, max_length=100,
                                   description="the worker holding the claim, so that it can take it back at restart")


class WebhookAttempt(SQLModel, table=True):
    __tablename__ = "webhook_attempts"
    __table_args__ = (Index("ix_webhook_attempts_message_id_id", "message_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="webhook_messages.id")
    endpoint_id: int = Field(foreign_key="webhook_endpoints.id")
    attempted_at: datetime = Field(sa_type=UTCDateTime)
    url: str = Field(max_length=2000)
    status_code: int | None = None
    latency_ms: int
    success: bool
    response_body: str | None = Field(default=None, sa_type=Text, description="the first 2 kB")
    error: str | None = Field(default=None, max_length=500)
    worker: str = Field(max_length=100, description="host:pid of the sender")
    request_id: str | None = Field(default=None, max_length=100, description="the request whose change it reports")
