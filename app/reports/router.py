from datetime import date

from fastapi import APIRouter

from app import concurrency
from app.auth.dependencies import CurrentPrincipal
from app.config import get_settings
from app.db import open_session
from app.directives import service as directive_service
from app.errors import FieldProblem, InvalidInput
from app.reports import service
from app.reports.schemas import Summary
from app.tasks.timing import local_today
from app.types import QueryDay, QueryId, utcnow

router = APIRouter(prefix="/reports", tags=["reports"])


def _summary(directive_id: int | None, as_of: date | None) -> dict:
    with open_session() as session:
        directive = None
        if directive_id is not None:
            directive = directive_service.get(session=session, directive_id=directive_id)
            if directive is None:
                raise InvalidInput([FieldProblem("directive_id", "no such directive", "không có văn bản chỉ đạo này")])
        as_of = as_of or local_today(get_settings().tz, utcnow())
        return service.summary(session=session, as_of=as_of, directive=directive)


@router.get("/summary", response_model=Summary)
async def report_summary(_principal: CurrentPrincipal, directive_id: QueryId = None, as_of: QueryDay = None):
    """The grid as it stood at the end of `as_of` (default: today), read from the journal."""
    return await concurrency.run_heavy(_summary, directive_id, as_of)
