from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_serializer

from app.types import Id, Instant, NoNul
from app.webhooks.models import EventType, MessageStatus, MessageType

# The message log's `payload`: the union of every event's body (app/webhooks/events.py, which app/openapi.py puts in
# the document as the component WebhookPayload — read only when the document is built), or null.
PAYLOAD_SCHEMA = {"anyOf": [{"$ref": "#/components/schemas/WebhookPayload"}, {"type": "null"}]}

class AlertPolicy(BaseModel):
    """Overrides of the global deadline-alert policy (ROVIEC_ALERT_*); what is left out follows it."""

    model_config = ConfigDict(extra="forbid")

    due_soon_days: list[Annotated[int, Field(ge=1, le=90)]] | None = Field(default=None, max_length=10,
                                                                           description="e.g. [7, 3, 1]")
    overdue_repeat_days: int | None = Field(default=None, ge=1, le=90)
    escalate_after_days: int | None = Field(default=None, ge=1, le=365)

    @model_serializer(mode="wrap")
    def _only_overrides(self, handler):
        """What is left out follows the global policy: it is not written as null."""
        return {name: value for name, value in handler(self).items() if value is not None}


class WebhookBase(NoNul):
    model_config = ConfigDict(extra="forbid")

    description: str = Field(default="", max_length=500)
    event_types: list[EventType] = Field(default_factory=list, max_length=len(EventType),
                                         description="empty: every event type")
    lead_agency_ids: list[Id] = Field(default_factory=list, max_length=200)
    directive_ids: list[Id] = Field(default_factory=list, max_length=200)
    priority_only: bool = False
    digest: bool = Field(default=False, description="deadline and indicator alerts as one grouped message per kind "
                         "per scan")
    alert_policy: AlertPolicy | None = None
    active: bool = True


class WebhookCreate(WebhookBase):
    url: str = Field(max_length=2000, description="https only; internal addresses are refused")
    all_lead_agencies: bool = Field(default=False, description="an agency's subscription without lead_agency_ids "
                                    "follows the tasks its agency leads, unless this widens it to every agency")


class WebhookUpdate(NoNul):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, max_length=2000)
    description: str | None = Field(default=None, max_length=500)
    event_types: list[EventType] | None = Field(default=None, max_length=len(EventType))
    lead_agency_ids: list[Id] | None = Field(default=None, max_length=200)
    directive_ids: list[Id] | None = Field(default=None, max_length=200)
    priority_only: bool | None = None
    digest: bool | None = None
    alert_policy: AlertPolicy | None = None
    active: bool | None = None


class WebhookPublic(BaseModel):
    id: int
    owner_agency_id: int
    url: str
    description: str
    event_types: list[EventType] = Field(description="empty: every event type")
    lead_agency_ids: list[int]
    directive_ids: list[int]
    priority_only: bool
    digest: bool
    alert_policy: AlertPolicy | None
    active: bool
    disabled_at: Instant | None
    disabled_reason: str | None
    failing_since: Instant | None
    previous_secret_expires_at: Instant | None
    created_at: Instant
    updated_at: Instant


class WebhookWithSecret(WebhookPublic):
    secret: str = Field(description="shown only in this answer: keep it to verify signatures")


class MessagePublic(BaseModel):
    id: str = Field(description="the webhook-id header of every attempt")
    endpoint_id: int
    event_type: MessageType
    task_id: int | None
    status: MessageStatus
    attempt_count: int
    next_attempt_at: Instant | None
    last_status_code: int | None
    last_error: str | None
    created_at: Instant
    delivered_at: Instant | None
    payload: Annotated[dict[str, Any] | None, WithJsonSchema(PAYLOAD_SCHEMA)] = Field(
        description="the body sent, byte for byte as kept (null: a deadline alert not yet rendered, which gets its "
                    "body at its first attempt)")


class MessagePage(BaseModel):
    items: list[MessagePublic]
    next_cursor: str | None


class AttemptPublic(BaseModel):
    id: int
    message_id: str
    attempted_at: Instant
    url: str
    status_code: int | None
    latency_ms: int
    success: bool
    response_body: str | None
    error: str | None
    worker: str


class AttemptPage(BaseModel):
    items: list[AttemptPublic]
    next_cursor: str | None


class ReplayResult(BaseModel):
    requeued: int
