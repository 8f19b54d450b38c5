from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.types import UTCDateTime


class AlertScanState(SQLModel, table=True):
    """When the deadline watch last ran. Windows change only with the day, so later scans of the same day look only
    at tasks and subscriptions changed since (see service.scan)."""

    __tablename__ = "alert_scan_state"

    id: int = Field(default=1, primary_key=True)
    scanned_day: date
    scanned_at: datetime = Field(sa_type=UTCDateTime)
    calendar_signature: str | None = Field(default=None, max_length=64,
                                           description="the calendar the scan used: another one means a full scan")


class AlertDigestEntry(SQLModel, table=True):
    """One (subscription, task, kind, window) alert of a digest subscription: unique like a message, so it is raised
    once, then grouped with the other entries of its kind raised by the same scan (same `created_at`) into one
    message, keyed `digest:<kind>:<created_at>`. No foreign keys, for the reason given on WebhookMessage
    (app/webhooks/models.py)."""

    __tablename__ = "alert_digest_entries"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "dedupe_key"),
        Index("ix_alert_digest_entries_created_at", "created_at"),
        Index("ix_alert_digest_entries_task_id_event_type", "task_id", "event_type"),
    )

    id: int | None = Field(default=None, primary_key=True)
    endpoint_id: int
    task_id: int
    event_type: str = Field(max_length=40)
    dedupe_key: str = Field(max_length=200)
    deadline_on: date
    created_at: datetime = Field(sa_type=UTCDateTime)


class IndicatorDigestEntry(SQLModel, table=True):
    """One (subscription, indicator, target period, kind) alert of a digest subscription (app/alerts/indicators.py):
    unique like the message it stands for, so it is raised once, then listed with the other entries of its kind
    raised by the same scan in one message, keyed `digest:<kind>:<scan time>`. No foreign keys, as on
    AlertDigestEntry."""

    __tablename__ = "alert_indicator_entries"
    __table_args__ = (UniqueConstraint("endpoint_id", "dedupe_key"),)

    id: int | None = Field(default=None, primary_key=True)
    endpoint_id: int
    indicator_id: int
    event_type: str = Field(max_length=40)
    dedupe_key: str = Field(max_length=200)
    period: str = Field(max_length=10, description="the period of the target judged against")
    created_at: datetime = Field(sa_type=UTCDateTime)
