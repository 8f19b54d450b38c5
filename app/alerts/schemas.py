from typing import Literal

from pydantic import BaseModel

from app.types import Instant
from app.webhooks.models import EventType


class PreviewAlert(BaseModel):
    type: Literal[EventType.task_due_soon, EventType.task_due_today, EventType.task_overdue, EventType.task_escalated]
    task_id: int
    window: str


class PreviewSubscription(BaseModel):
    webhook_id: int
    url: str
    digest: bool
    alerts: list[PreviewAlert]


class AlertPreview(BaseModel):
    as_of: Instant
    subscriptions: list[PreviewSubscription]
