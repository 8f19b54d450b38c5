from datetime import date
from math import isfinite

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

from app.directives.schemas import _not_blank, in_range
from app.errors import invalid
from app.indicators.judgement import Comparator, Direction, Frequency, Kind, Status, parse_period
from app.indicators.models import IndicatorBase
from app.types import Instant, refuse_nul


def _a_period(value: str) -> str:
    period = parse_period(value)
    if period is None:
        raise invalid("not_a_period", wording=str(value)[:20])
    return period.text


def _finite(value: float | None) -> float | None:
    if value is not None and not isfinite(value):
        raise invalid("not_a_number")
    return value


class IndicatorCreate(IndicatorBase):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "code": "CQS-01", "name": "Tỷ lệ hồ sơ trực tuyến toàn trình", "unit": "%", "kind": "percentage",
        "direction": "increase", "comparator": ">=", "group_name": "Chính quyền số", "source_directive_id": 1,
        "reporting_agency_id": 5, "frequency": "monthly", "contributing_agency_ids": [], "task_ids": []}]})
    contributing_agency_ids: list[int] = Field(default_factory=list, max_length=100)
    task_ids: list[int] = Field(default_factory=list, max_length=500, description="the tasks that serve it")
    _refuse_nul = model_validator(mode="after")(refuse_nul)
    _texts = field_validator("code", "name")(_not_blank)


class TargetCreate(BaseModel):
    """A target for a period; setting one for a period that has one revises it (the old one stays in the history)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "period": "2025", "value": 80, "baseline_value": 42, "baseline_on": "2024-12-31",
        "note": "Nghị quyết số 01/NQ-CP"}]})
    period: str = Field(max_length=10, description="2025, 2025-H1, 2025-Q3 or 2025-07")
    value: float
    baseline_value: float
    baseline_on: date
    note: str | None = Field(default=None, max_length=1000)
    _refuse_nul = model_validator(mode="after")(refuse_nul)
    _period = field_validator("period")(_a_period)
    _numbers = field_validator("value", "baseline_value")(_finite)
    _day = field_validator("baseline_on")(in_range)


class MeasurementCreate(BaseModel):
    """A value for one period of the indicator's frequency. A ratio gives numerator and denominator (its value is
    computed); a correction names the measurement it supersedes."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "period": "2025-06", "value": 42.5, "official": False, "source": "Cổng Dịch vụ công quốc gia",
        "note": "Số liệu ước tính"}]})
    period: str = Field(max_length=10)
    value: float | None = None
    numerator: float | None = Field(default=None, ge=0)
    denominator: float | None = Field(default=None, gt=0)
    official: bool = False
    source: str = Field(default="", max_length=300)
    evidence_url: HttpUrl | None = Field(default=None, description="http or https only")
    note: str | None = Field(default=None, max_length=2000)
    supersedes_id: int | None = Field(default=None, ge=1, le=2**62)
    _refuse_nul = model_validator(mode="after")(refuse_nul)
    _period = field_validator("period")(_a_period)
    _numbers = field_validator("value", "numerator", "denominator")(_finite)


class TargetPublic(BaseModel):
    id: int
    period: str
    value: float
    baseline_value: float
    baseline_on: date
    note: str | None
    set_at: Instant
    replaced_at: Instant | None


class MeasurementPublic(BaseModel):
    id: int
    period: str
    value: float
    numerator: float | None
    denominator: float | None
    official: bool
    source: str
    evidence_url: str | None
    note: str | None
    supersedes_id: int | None
    superseded_by_id: int | None = Field(description="the correction that replaced it, as of the day asked for")
    recorded_at: Instant
    recorded_by_agency_id: int | None


class IndicatorPublic(BaseModel):
    id: int
    code: str
    name: str
    unit: str
    kind: Kind
    direction: Direction
    comparator: Comparator
    group_name: str
    source_directive_id: int | None
    source_document: str
    reporting_agency_id: int
    contributing_agency_ids: list[int]
    frequency: Frequency
    task_ids: list[int]
    as_of: date
    status: Status | None = Field(description="against the target in force for the period that holds `as_of` (the "
                                              "longest one), else the last one that ended; null without a target")
    target: TargetPublic | None
    latest: MeasurementPublic | None = Field(description="the value in force for the latest period reported")


class IndicatorDetail(IndicatorPublic):
    targets: list[TargetPublic] = Field(description="every target ever set, revised ones included, oldest first")
    measurements: list[MeasurementPublic] = Field(description="every measurement recorded by `as_of`, corrections "
                                                              "and what they corrected included, oldest first")
