from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import Response

from app import pagination, unit_of_work
from app.auth.dependencies import CurrentPrincipal
from app.directives import service
from app.directives.schemas import (
    DirectiveCreate,
    DirectiveEventPublic,
    DirectivePage,
    DirectivePublic,
    DirectiveUpdate,
)
from app.http import created, if_match_version
from app.responses import json_response
from app.types import PathId

router = APIRouter(prefix="/directives", tags=["directives"])


def _public(directive) -> dict:
    return DirectivePublic.model_validate(directive, from_attributes=True).model_dump(mode="json")


@router.get("", response_model=DirectivePage)
async def list_directives(_principal: CurrentPrincipal, limit: pagination.Limit = 50,
                          cursor: pagination.Cursor = None):
    """Directives, with their number and year (`reference`), dates, meeting and issuer; the most recently issued
    first, a page at a time as `GET /tasks` pages: `{"items", "next_cursor"}`; send `next_cursor` back as `cursor`
    for the next page (null: the last one)."""
    def read(session) -> dict:
        found, next_cursor = service.page_directives(session=session, limit=limit, cursor=cursor)
        return {"items": [_public(d) for d in found], "next_cursor": next_cursor}

    return await unit_of_work.read(read)


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
