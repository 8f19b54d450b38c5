from datetime import datetime

from pydantic import BaseModel


class PreviewAlert(BaseModel):
    type: str
    task_id: int
    window: str


class PreviewSubscription(BaseModel):
    webhook_id: int
    url: str
    digest: bool
    alerts: list[PreviewAlert]


class AlertPreview(BaseModel):
    as_of: datetime
    subscriptions: list[PreviewSubscription]
