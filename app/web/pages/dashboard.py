"""Pages: the dashboard: the grid and the scoreboard of a scope as of a day, the secretariat's queues, the tasks to
chase; an agency's own tasks."""

from urllib.parse import urlencode

from fastapi import APIRouter, Request

from app import unit_of_work
from app.errors import InvalidInput
from app.web import service
from app.web.common import SignedInUser, render
from app.web.forms import ReportScopeForm, by_field

router = APIRouter(include_in_schema=False)


@router.get("/")
async def dashboard(request: Request, user: SignedInUser):
    scope, typed, errors = ReportScopeForm.read(dict(request.query_params), today=service.today())

    def read(session):
        try:
            return service.dashboard(session, user.principal, directive_id=scope.directive_id,
                                     meeting_date=scope.meeting_date, as_of=scope.as_of,
                                     figures=not errors), {}
        except InvalidInput as error:  # no such directive, no meeting that day
            return service.dashboard(session, user.principal, directive_id=None, meeting_date=None,
                                     as_of=service.today(), figures=False), by_field(error.problems)

    board, more = await unit_of_work.read(read)
    errors = errors | more
    # Every figure links to the list of exactly the tasks it counts: the same scope, the same day.
    link = urlencode({k: v for k, v in typed.items() if k in ("directive_id", "meeting_date")}
                     | ({"as_of": typed["as_of"]} if scope.as_of < service.today() else {}))
    return render(request, "dashboard.html", user, status_code=422 if errors else 200, board=board, scope=typed,
                  errors=errors, as_of=scope.as_of, link=link)


@router.get("/brief")
async def leader_brief(request: Request, user: SignedInUser):
    """The leader's brief, made for a phone: the headline first, then short cards, each a link; the scoreboard
    folded below. As of today: a leader reads it the night before, or in the meeting."""
    as_of = service.today()
    brief = await unit_of_work.read(lambda session: service.brief(session, user.principal, as_of=as_of))
    return render(request, "brief.html", user, brief=brief, as_of=as_of)
