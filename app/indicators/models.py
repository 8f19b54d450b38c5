"""Indicators ("chỉ tiêu"): what a meeting measures progress by, with targets per period and measurements that are
never overwritten (a correction is a new row that supersedes an earlier one; both stay)."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.clock import utcnow
from app.indicators.judgement import Comparator, Direction, Frequency, Kind
from app.types import UTCDateTime


class IndicatorBase(SQLModel):
    code: str = Field(max_length=40, description="short and unique, e.g. CQS-01")
    name: str = Field(max_length=500, description="e.g. Tỷ lệ hồ sơ trực tuyến toàn trình")
    unit: str = Field(default="", max_length=50, description="e.g. %, thủ tục, tỷ đồng")
    kind: Kind = Field(sa_type=String(20))
    direction: Direction = Field(default=Direction.increase, sa_type=String(10))
    comparator: Comparator = Field(default=Comparator.at_least, sa_type=String(2))
    group_name: str = Field(default="", max_length=100, description="e.g. chính quyền số / kinh tế số / xã hội số")
    source_directive_id: int | None = Field(default=None, foreign_key="directives.id")
    source_document: str = Field(default="", max_length=300, description="a strategy or plan named by its number")
    reporting_agency_id: int = Field(foreign_key="agencies.id", index=True)
    frequency: Frequency = Field(sa_type=String(20))


class Indicator(IndicatorBase, table=True):
    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("code"),)

    id: int | None = Field(default=None, primary_key=True)
    contributing_agency_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_agency_id: int | None = Field(default=None, foreign_key="agencies.id")


class IndicatorTarget(SQLModel, table=True):
    """A target for a period; a revision is a new row, the one it replaces keeps its `replaced_at`."""

    __tablename__ = "indicator_targets"
    __table_args__ = (Index("ix_indicator_targets_indicator_id_period", "indicator_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicators.id")
    period: str = Field(max_length=10, description="2025, 2025-H1, 2025-Q3 or 2025-07")
    value: float
    baseline_value: float
    baseline_on: date
    note: str | None = Field(default=None, max_length=1000)
    set_at: datetime = Field(sa_type=UTCDateTime)
    set_by_agency_id: int | None = Field(default=None, foreign_key="agencies.id")
    set_by_account_id: int | None = Field(default=None, foreign_key="accounts.id")
    replaced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class IndicatorMeasurement(SQLModel, table=True):
    """Append-only. A correction names the measurement it supersedes."""

    __tablename__ = "indicator_measurements"
    __table_args__ = (Index("ix_indicator_measurements_indicator_id_period", "indicator_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicators.id")
    period: str = Field(max_length=10)
    value: float = Field(description="a ratio's numerator / denominator in percent; yes-no: 1 or 0")
    numerator: float | None = None
    denominator: float | None = None
    official: bool = Field(default=False, description="an official figure, or an estimate (ước tính)")
    source: str = Field(default="", max_length=300)
    evidence_url: str | None = Field(default=None, max_length=2000)
    note: str | None = Field(default=None, max_length=2000)
    supersedes_id: int | None = Field(default=None, foreign_key="indicator_measurements.id")
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    recorded_by_agency_id: int | None = Field(default=None, foreign_key="agencies.id")
    recorded_by_token_id: int | None = Field(default=None, foreign_key="api_tokens.id")
    recorded_by_account_id: int | None = Field(default=None, foreign_key="accounts.id")


class IndicatorTask(SQLModel, table=True):
    """A task that serves an indicator (many to many)."""

    __tablename__ = "indicator_tasks"

    indicator_id: int = Field(foreign_key="indicators.id", primary_key=True)
    task_id: int = Field(foreign_key="tasks.id", primary_key=True, index=True)
