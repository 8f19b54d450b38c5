from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.types import UTCDateTime


class ReportSettings(SQLModel, table=True):
    """Document settings (NĐ 30/2020: issuing body, place, signer, Nơi nhận), set once and used by every export an
    issuer makes; an export may override the number, the date and the signer. Row 1 (no agency) is the secretariat's,
    the others an agency's own: an agency's export is headed and signed as that agency."""

    __tablename__ = "report_settings"

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int | None = Field(default=None, foreign_key="agencies.id", unique=True,
                                  description="None: the secretariat's settings")
    values: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(sa_type=UTCDateTime)
    updated_by_agency_id: int | None = Field(default=None, foreign_key="agencies.id")
    updated_by_account_id: int | None = Field(default=None, foreign_key="accounts.id")
