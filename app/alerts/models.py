from datetime import date, datetime

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
