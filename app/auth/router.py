from fastapi import APIRouter

from app import unit_of_work
from app.auth import service
from app.auth.dependencies import CurrentPrincipal
from app.auth.schemas import Me

router = APIRouter(tags=["auth"])


@router.get("/me", response_model=Me)
async def me(principal: CurrentPrincipal):
    """Who this token (or signed-in person) is: agency, role, and the actions the role allows."""
    return await unit_of_work.read(lambda session: service.describe(session=session, principal=principal))
