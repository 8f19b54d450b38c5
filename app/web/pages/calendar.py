"""Pages: the working calendar of a year, and the secretariat's corrections of it."""

from datetime import date

from fastapi import APIRouter, Request
from pydantic import ValidationError

from app import unit_of_work
from app.calendar import service as calendar_service
from app.errors import ApiError
from app.web import service
from app.web.common import SignedInUser, as_day, as_int, form_of, redirect, refusal, render
from app.web.forms import CalendarDayForm

router = APIRouter(include_in_schema=False)

@router.get("/calendar")
async def calendar_page(request: Request, user: SignedInUser, year: str | None = None):
    chosen = as_int(year) or service.today().year
    chosen = min(max(chosen, 2000), 2100)
    days = await unit_of_work.read(lambda session: calendar_service.list_days(session=session, year=chosen))
    return render(request, "calendar.html", user, year=chosen, days=days, form={}, errors={})


@router.post("/calendar")
async def calendar_add(request: Request, user: SignedInUser):
    form = await form_of(request, user)
    try:
        day_in = CalendarDayForm.of(form)
        await unit_of_work.write(lambda session: calendar_service.add_day(session=session, day_in=day_in,
                                                                          principal=user.principal))
    except (ApiError, ValidationError) as error:
        status, errors = refusal(error, fields=frozenset({"day", "kind", "reason"}))
        year = (as_day(form.get("day")) or service.today()).year
        days = await unit_of_work.read(lambda session: calendar_service.list_days(session=session, year=year))
        return render(request, "calendar.html", user, status_code=status, year=year, days=days, form=form,
                      errors=errors)
    return redirect(f"/calendar?year={day_in.day.year}", "Đã thêm ngày vào lịch.", request=request, user=user)


@router.post("/calendar/{day}/delete")
async def calendar_delete(request: Request, day: date, user: SignedInUser):
    await form_of(request, user)
    await unit_of_work.write(lambda session: calendar_service.delete_day(session=session, day=day,
                                                                         principal=user.principal))
    return redirect(f"/calendar?year={day.year}", "Đã xóa ngày khỏi lịch.", request=request, user=user)

