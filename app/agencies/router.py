from fastapi import APIRouter

from app.agencies import service
from app.agencies.schemas import AgencyPublic
from app.auth.dependencies import CurrentPrincipal, ReadSession

router = APIRouter(prefix="/agencies", tags=["agencies"])


@router.get("", response_model=list[AgencyPublic])
def list_agencies(session: ReadSession, _principal: CurrentPrincipal):
    return service.list_agencies(session=session)
