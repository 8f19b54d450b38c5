from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from app.notifications.kinds import Kind, Mode
from app.notifications.models import EmailStatus
from app.types import Instant


class EmailOfNotification(BaseModel):
    status: EmailStatus
    status_vi: str
    attempts: int
    last_error: str | None
    sent_at: Instant | None


class NotificationPublic(BaseModel):
    id: int
    kind: Kind
    kind_vi: str
    event_type: str = Field(description="the event or alert that raised it, e.g. task.due_soon, task.commented")
    subject: str
    text: str = Field(description="the line a person reads, in Vietnamese")
    task_id: int | None
    indicator_id: int | None
    link: str = Field(description="the page's path, e.g. /tasks/12")
    url: str = Field(description="the page's address (ROVIEC_PUBLIC_URL): what a person opens, never the API")
    created_at: Instant
    shown_at: Instant = Field(description="when it came into the inbox (a digest's: at the account's hour)")
    read_at: Instant | None
    email: EmailOfNotification | None = Field(description="its e-mail, when one was sent or is being sent")


class NotificationPage(BaseModel):
    items: list[NotificationPublic]
    next_cursor: str | None
    unread: int = Field(description="the account's unread notifications, all pages")


class MarkedRead(BaseModel):
    marked: int


class KindPreference(BaseModel):
    kind: Kind
    label_vi: str
    mode: Mode
    default_mode: Mode = Field(description="the role's default")


class EmailState(BaseModel):
    enabled: bool = Field(description="an SMTP server is set (ROVIEC_SMTP_HOST); otherwise no e-mail is sent")
    address: str | None
    verified: bool = Field(description="the address was proven by its link (or given by the operator): only then used")
    verification_sent_to: str | None


class Preferences(BaseModel):
    digest_hour: int = Field(description="local hour (0-23) of the daily digest")
    email: EmailState
    kinds: list[KindPreference] = Field(description="every kind the account's role is offered")


class PreferencesUpdate(BaseModel):
    """Only what is sent changes."""

    model_config = ConfigDict(extra="forbid")

    digest_hour: int | None = None
    kinds: Annotated[dict[str, str] | None, WithJsonSchema({"anyOf": [{
        "type": "object", "propertyNames": {"enum": [kind.value for kind in Kind]},
        "additionalProperties": {"enum": [mode.value for mode in Mode]}}, {"type": "null"}]})] = Field(
        default=None, description="kind -> immediate | digest | none (only the kinds the caller's role is offered)")
    email: str | None = Field(default=None, max_length=200,
                              description="a new address: used once proven by the link sent to it")
