from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import Response

from app import unit_of_work
from app.auth.dependencies import CurrentPrincipal
from app.directives import service
from app.directives.schemas import DirectiveCreate, DirectiveEventPublic, DirectivePublic, DirectiveUpdate
from app.http import created, if_match_version
from app.responses import json_response
from app.types import PathId

router = APIRouter(prefix="/directives", tags=["directives"])


def _public(directive) -> dict:
    return DirectivePublic.model_validate(directive, from_attributes=True).model_dump(mode="json")


@router.get("", response_model=list[DirectivePublic])
async def list_directives(_principal: CurrentPrincipal):
    """Every directive, with its number and year (`reference`), dates, meeting and issuer."""
    return await unit_of_work.read(lambda session: [_public(d) for d in service.list_directives(session=session)])


@router.post("", response_model=DirectivePublic, status_code=201, openapi_extra=created("/directives/{id}"))
async def create_directive(directive_in: DirectiveCreate, principal: CurrentPrincipal):
    """Secretariat. A number goes with its year: 128/TB-VPCP of 2022 and of 2024 are two directives."""
    def work(session) -> Response:
        directive = service.create(session=session, directive_in=directive_in, principal=principal)
        return json_response(_public(directive), 201, headers={"ETag": service.etag(directive)})

    return await unit_of_work.write(work)


@router.get("/{directive_id}", response_model=DirectivePublic)
async def get_directive(directive_id: PathId, _principal: CurrentPrincipal):
    """One directive, with its `ETag` (send it as `If-Match` to correct it)."""
    def read(session) -> Response:
        directive = service.get_or_404(session=session, directive_id=directive_id)
        return json_response(_public(directive), headers={"ETag": service.etag(directive)})

    return await unit_of_work.read(read)


@router.patch("/{directive_id}", response_model=DirectivePublic)
async def update_directive(directive_id: PathId, directive_in: DirectiveUpdate, principal: CurrentPrincipal,
                           if_match: Annotated[str | None, Header()] = None):
    """Secretariat: correct a directive (If-Match with its ETag). Journaled with the values before and after."""
    def work(session) -> Response:
        directive = service.update(session=session, directive_id=directive_id, directive_in=directive_in,
                                   principal=principal, expected_version=if_match_version(f"d{directive_id}", if_match))
        return json_response(_public(directive), headers={"ETag": service.etag(directive)})

    return await unit_of_work.write(work)


@router.get("/{directive_id}/history", response_model=list[DirectiveEventPublic])
async def directive_history(directive_id: PathId, _principal: CurrentPrincipal):
    """The directive's journal, oldest first: its recording and every correction (before and after)."""
    return await unit_of_work.read(lambda session: [
        DirectiveEventPublic.model_validate(e, from_attributes=True).model_dump(mode="json")
        for e in service.history(session=session, directive_id=directive_id)])
