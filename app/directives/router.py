from fastapi import APIRouter

from app import unit_of_work
from app.auth.dependencies import CurrentPrincipal
from app.directives import service
from app.directives.schemas import DirectiveCreate, DirectivePublic
from app.types import PathId

router = APIRouter(prefix="/directives", tags=["directives"])


@router.get("", response_model=list[DirectivePublic])
async def list_directives(_principal: CurrentPrincipal):
    return await unit_of_work.read(lambda session: service.list_directives(session=session))


@router.post("", response_model=DirectivePublic, status_code=201)
async def create_directive(directive_in: DirectiveCreate, principal: CurrentPrincipal):
    return await unit_of_work.write(
        lambda session: service.create(session=session, directive_in=directive_in, principal=principal))


@router.get("/{directive_id}", response_model=DirectivePublic)
async def get_directive(directive_id: PathId, _principal: CurrentPrincipal):
    return await unit_of_work.read(lambda session: service.get_or_404(session=session, directive_id=directive_id))
