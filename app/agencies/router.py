from fastapi import APIRouter

from app import unit_of_work
from app.agencies import service
from app.agencies.schemas import AgencyPublic
from app.auth.dependencies import CurrentPrincipal

router = APIRouter(prefix="/agencies", tags=["agencies"])


@router.get("", response_model=list[AgencyPublic])
async def list_agencies(_principal: CurrentPrincipal):
    return await unit_of_work.read(lambda session: service.list_agencies(session=session))
