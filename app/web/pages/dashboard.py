"""Pages: dashboard."""


from fastapi import APIRouter, Request

from app import unit_of_work
from app.web import service
from app.web.common import as_day, as_int, render, require_user

router = APIRouter(include_in_schema=False)

# ---------------------------------------------------------------- dashboard


@router.get("/")
async def dashboard(request: Request, directive_id: str | None = None, meeting_date: str | None = None,
                    as_of: str | None = None):
    user = await require_user(request)
    day = as_day(as_of) or service.today()
    board = await unit_of_work.read(lambda session: service.dashboard(
        session, user.principal, directive_id=as_int(directive_id), meeting_date=as_day(meeting_date), as_of=day))
    return render(request, "dashboard.html", user, board=board, as_of=day, directive_id=as_int(directive_id),
                  meeting_date=as_day(meeting_date))

