from typing import Annotated

from fastapi import APIRouter, Path

from app import unit_of_work
from app.agencies import service
from app.agencies.schemas import AgencyCreate, AgencyMerge, AgencyPublic, AgencyUpdate, MergeResult
from app.auth.dependencies import CurrentPrincipal
from app.http import created
from app.tasks import agency_merge as merge

router = APIRouter(prefix="/agencies", tags=["agencies"])
AgencyKey = Annotated[str, Path(max_length=20, description="the agency's code (e.g. 000.00.00.G12) or its id")]


@router.get("", response_model=list[AgencyPublic])
async def list_agencies(_principal: CurrentPrincipal):
    """Every agency, active or not (merged agencies keep their codes and names, for history)."""
    return await unit_of_work.read(lambda session: [service.public(session=session, agency=a)
                                                    for a in service.list_agencies(session=session)])


@router.post("", response_model=AgencyPublic, status_code=201, openapi_extra=created("/agencies/{code}"))
async def create_agency(agency_in: AgencyCreate, principal: CurrentPrincipal):
    """Secretariat: a province's department or district, a new ministry."""
    return await unit_of_work.write(lambda session: service.public(
        session=session, agency=service.create(session=session, agency_in=agency_in, principal=principal)))


@router.get("/{key}", response_model=AgencyPublic)
async def get_agency(key: AgencyKey, _principal: CurrentPrincipal):
    """By code or id. The code of a merged agency still resolves, to that agency with its `merged_into`."""
    return await unit_of_work.read(lambda session: service.public(session=session,
                                                                  agency=service.find(session=session, key=key)))


@router.patch("/{key}", response_model=AgencyPublic)
async def update_agency(key: AgencyKey, agency_in: AgencyUpdate, principal: CurrentPrincipal):
    """Secretariat: rename or correct. Reports keep showing the name an agency has when they are made."""
    return await unit_of_work.write(lambda session: service.public(
        session=session, agency=service.update(session=session, key=key, agency_in=agency_in, principal=principal)))


@router.post("/{key}/deactivate", response_model=AgencyPublic)
async def deactivate_agency(key: AgencyKey, principal: CurrentPrincipal):
    """Secretariat: no new task may be given to it; refused (409) while it leads open tasks (merge it instead)."""
    return await unit_of_work.write(lambda session: service.public(
        session=session, agency=merge.deactivate(session=session, key=key, principal=principal)))


@router.post("/{key}/merge", response_model=MergeResult)
async def merge_agency(key: AgencyKey, merge_in: AgencyMerge, principal: CurrentPrincipal):
    """Secretariat: merge into a successor. Open tasks (as lead or coordinator) move to the successor, each with a
    journal entry; closed tasks and every report as of an earlier day keep this agency and its name."""
    return await unit_of_work.write(lambda session: merge.merge(session=session, key=key, merge_in=merge_in,
                                                                principal=principal))
