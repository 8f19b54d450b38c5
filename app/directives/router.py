from fastapi import APIRouter

from app.auth.dependencies import CurrentPrincipal, ReadSession, require_secretariat
from app.db import open_session
from app.directives import service
from app.directives.schemas import DirectiveCreate, DirectivePublic
from app.errors import not_found
from app.types import PathId

router = APIRouter(prefix="/directives", tags=["directives"])


@router.get("", response_model=list[DirectivePublic])
def list_directives(session: ReadSession, _principal: CurrentPrincipal):
    return service.list_directives(session=session)


@router.post("", response_model=DirectivePublic, status_code=201)
def create_directive(directive_in: DirectiveCreate, principal: CurrentPrincipal):
    require_secretariat(principal)
    with open_session(write=True) as session:
        directive = service.create(session=session, directive_in=directive_in)
        session.commit()
        return directive


@router.get("/{directive_id}", response_model=DirectivePublic)
def get_directive(directive_id: PathId, session: ReadSession, _principal: CurrentPrincipal):
    directive = service.get(session=session, directive_id=directive_id)
    if directive is None:
        raise not_found("directive", "văn bản chỉ đạo")
    return directive
