from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app import unit_of_work
from app.auth.dependencies import CurrentPrincipal
from app.calendar import service
from app.calendar.schemas import CalendarDayCreate, CalendarDayPublic
from app.http import created
from app.types import FIRST_DAY, LAST_DAY

router = APIRouter(prefix="/calendar", tags=["calendar"])


@router.get("/days", response_model=list[CalendarDayPublic])
async def list_calendar_days(_principal: CurrentPrincipal,
                             year: Annotated[int, Query(ge=FIRST_DAY.year, le=LAST_DAY.year)]):
    """Holidays and worked weekend days of a year: the statutory ones and the secretariat's corrections."""
    return await unit_of_work.read(lambda session: service.list_days(session=session, year=year))


@router.post("/days", status_code=201, response_model=CalendarDayPublic, openapi_extra=created("/calendar/days/{day}"))
async def add_calendar_day(day_in: CalendarDayCreate, principal: CurrentPrincipal):
    """Secretariat: an extra day off (`holiday`) or a worked day (`working_day`), e.g. a swap announced by the
    Ministry of Home Affairs. Timing and alerts follow at once in this process, within 30 s in the others."""
    return await unit_of_work.write(lambda session: service.add_day(session=session, day_in=day_in,
                                                                    principal=principal))


CalendarDate = Annotated[date, Path(ge=FIRST_DAY, le=LAST_DAY)]


@router.get("/days/{day}", response_model=CalendarDayPublic)
async def get_calendar_day(day: CalendarDate, _principal: CurrentPrincipal):
    """One day off or worked weekend day of the calendar (statutory or the secretariat's); 404 for an ordinary day."""
    return await unit_of_work.read(lambda session: service.get_day(session=session, day=day))


@router.delete("/days/{day}", status_code=204)
async def delete_calendar_day(day: CalendarDate, principal: CurrentPrincipal):
    """Secretariat: removes a correction (statutory holidays cannot be removed, only overridden)."""
    await unit_of_work.write(lambda session: service.delete_day(session=session, day=day, principal=principal))
    return Response(status_code=204)
