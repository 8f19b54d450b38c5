from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.auth.dependencies import CurrentPrincipal, require_secretariat
from app.calendar import service
from app.calendar.schemas import CalendarDayCreate, CalendarDayPublic
from app.db import open_session
from app.types import FIRST_DAY, LAST_DAY

router = APIRouter(prefix="/calendar", tags=["calendar"])


@router.get("/days", response_model=list[CalendarDayPublic])
def list_calendar_days(_principal: CurrentPrincipal,
                       year: Annotated[int, Query(ge=FIRST_DAY.year, le=LAST_DAY.year)]):
    """Holidays and worked weekend days of a year: the statutory ones and the secretariat's corrections."""
    with open_session() as session:
        return service.list_days(session=session, year=year)


@router.post("/days", status_code=201, response_model=CalendarDayPublic)
def add_calendar_day(day_in: CalendarDayCreate, principal: CurrentPrincipal):
    """Secretariat: an extra day off (`holiday`) or a worked day (`working_day`), e.g. a swap announced by the
    Ministry of Home Affairs. Timing and alerts follow at once in this process, within 30 s in the others."""
    require_secretariat(principal)
    with open_session(write=True) as session:
        row = service.add_day(session=session, day_in=day_in, principal=principal)
        session.commit()
        return {"day": row.day, "kind": row.kind, "reason": row.reason, "source": "secretariat"}


@router.delete("/days/{day}", status_code=204)
def delete_calendar_day(day: Annotated[date, Path(ge=FIRST_DAY, le=LAST_DAY)], principal: CurrentPrincipal):
    """Secretariat: removes a correction (statutory holidays cannot be removed, only overridden)."""
    require_secretariat(principal)
    with open_session(write=True) as session:
        service.delete_day(session=session, day=day)
        session.commit()
    return Response(status_code=204)
