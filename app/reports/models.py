from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.types import UTCDateTime


class ReportSettings(SQLModel, table=True):
    """The secretariat's document settings (NĐ 30/2020: issuing body, place, signer, Nơi nhận), set once and used by
    every export; an export may override the number, the date and the signer."""

    __tablename__ = "report_settings"

    id: int = Field(default=1, primary_key=True)
    values: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(sa_type=UTCDateTime)
    updated_by_agency_id: int | None = Field(default=None, foreign_key="agencies.id")
    updated_by_account_id: int | None = Field(default=None, foreign_key="accounts.id")
