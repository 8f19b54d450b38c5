from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from app import unit_of_work
from app.auth.dependencies import CurrentPrincipal
from app.http import created
from app.indicators import service
from app.indicators.judgement import Status
from app.indicators.schemas import (
    IndicatorCreate,
    IndicatorDetail,
    IndicatorPublic,
    MeasurementCreate,
    MeasurementPublic,
    TargetCreate,
    TargetPublic,
)
from app.responses import json_response
from app.types import PathId, QueryDay, QueryId

router = APIRouter(prefix="/indicators", tags=["indicators"])


class TaskLinks(BaseModel):
    model_config = ConfigDict(extra="forbid")
    task_ids: list[int] = Field(max_length=500)


def _target(target) -> dict | None:
    return None if target is None else TargetPublic.model_validate(target, from_attributes=True).model_dump(mode="json")


def _measurement(measurement, superseded_by: dict[int, int]) -> dict:
    return MeasurementPublic.model_validate(
        {**measurement.model_dump(), "superseded_by_id": superseded_by.get(measurement.id)}).model_dump(mode="json")


_FIELDS = ("id", "code", "name", "unit", "kind", "direction", "comparator", "group_name", "source_directive_id",
           "source_document", "reporting_agency_id", "contributing_agency_ids", "frequency")


def _public(state: service.State, detail: bool = False) -> dict:
    indicator = state.indicator
    # The stored enum values are plain strings: read as they are (model_dump would warn about each).
    body = {name: getattr(indicator, name) for name in _FIELDS} | {
        "task_ids": state.task_ids, "as_of": state.as_of.isoformat(),
        "status": state.status.value if state.status else None, "target": _target(state.target),
        "latest": _measurement(state.latest, state.superseded_by) if state.latest else None}
    if detail:
        body |= {"targets": [_target(t) for t in state.targets],
                 "measurements": [_measurement(m, state.superseded_by) for m in state.measurements]}
    return body


@router.get("", response_model=list[IndicatorPublic])
async def list_indicators(principal: CurrentPrincipal, group: str | None = None, agency_id: QueryId = None,
                          directive_id: QueryId = None, status: Status | None = None, as_of: QueryDay = None):
    """Every indicator with its status against its target as of the end of `as_of` (default today, never after),
    judged from the history; filters: group, reporting agency, source directive, status."""
    day = service.reading_day(as_of)
    # The bodies are already in their JSON form: written out as they are, as the task list's are (a second pydantic
    # pass over a board of 2,000 indicators was a tenth of the request).
    return json_response(await unit_of_work.read(lambda session: [_public(s) for s in service.list_states(
        session=session, principal=principal, as_of=day, group=group, agency_id=agency_id,
        directive_id=directive_id, status=status)]))


@router.post("", response_model=IndicatorDetail, status_code=201, openapi_extra=created("/indicators/{id}"))
async def create_indicator(indicator_in: IndicatorCreate, principal: CurrentPrincipal):
    """Secretariat: an indicator ("chỉ tiêu"), with the tasks that serve it."""
    def work(session):
        indicator = service.create(session=session, indicator_in=indicator_in, principal=principal)
        state = service.state_of(session=session, principal=principal, indicator_id=indicator.id,
                                 as_of=service.reading_day(None))
        return json_response(_public(state, detail=True), 201)

    return await unit_of_work.write(work)


@router.get("/{indicator_id}", response_model=IndicatorDetail)
async def get_indicator(indicator_id: PathId, principal: CurrentPrincipal, as_of: QueryDay = None):
    """The indicator as of the end of `as_of`: its targets (revised ones included), every measurement recorded by
    then (corrections and what they corrected), the tasks that serve it, and its status."""
    day = service.reading_day(as_of)
    return await unit_of_work.read(lambda session: _public(service.state_of(
        session=session, principal=principal, indicator_id=indicator_id, as_of=day), detail=True))


@router.post("/{indicator_id}/targets", response_model=TargetPublic, status_code=201,
             openapi_extra=created("/indicators/{indicator_id}"))
async def set_target(indicator_id: PathId, target_in: TargetCreate, principal: CurrentPrincipal):
    """Secretariat: the target for a period ("2025", "2025-H1", "2025-Q3", "2025-07") with its baseline; a period
    that has one gets a revision (the old target stays in the history)."""
    def work(session):
        target = service.set_target(session=session, indicator_id=indicator_id, target_in=target_in,
                                    principal=principal)
        return json_response(_target(target), 201)

    return await unit_of_work.write(work)


@router.post("/{indicator_id}/measurements", response_model=MeasurementPublic, status_code=201,
             openapi_extra=created("/indicators/{indicator_id}"))
async def record_measurement(indicator_id: PathId, measurement_in: MeasurementCreate, principal: CurrentPrincipal):
    """The agency that reports the indicator (or the secretariat): a value for one period of its frequency. A ratio
    gives `numerator` and `denominator`; a correction names the measurement it supersedes (`supersedes_id`)."""
    def work(session):
        measurement = service.record_measurement(session=session, indicator_id=indicator_id,
                                                 measurement_in=measurement_in, principal=principal)
        return json_response(_measurement(measurement, {}), 201)

    return await unit_of_work.write(work)


@router.put("/{indicator_id}/tasks", response_model=IndicatorDetail)
async def link_tasks(indicator_id: PathId, links: TaskLinks, principal: CurrentPrincipal):
    """Secretariat: the tasks that serve the indicator (the list replaces the one before)."""
    def work(session):
        service.link_tasks(session=session, indicator_id=indicator_id, task_ids=links.task_ids, principal=principal)
        return json_response(_public(service.state_of(session=session, principal=principal,
                                                      indicator_id=indicator_id,
                                                      as_of=service.reading_day(None)), detail=True))

    return await unit_of_work.write(work)
