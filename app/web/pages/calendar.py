"""Pages: the calendar of deadlines (a month: the tasks and the periodic reports due each day), the working
calendar of a year beside it, and the secretariat's corrections of it."""

from datetime import date, timedelta

from fastapi import APIRouter, Request
from pydantic import ValidationError

from app import unit_of_work
from app.calendar import service as calendar_service
from app.errors import ApiError
from app.web import service
from app.web.common import SignedInUser, as_day, as_int, form_of, redirect, refusal, render
from app.web.forms import CalendarDayForm

router = APIRouter(include_in_schema=False)

def _month_asked(year: int | None, month: str | None) -> tuple[date, str | None]:
    """The month the deadline calendar shows: `month` (yyyy-mm), else January of a year asked, else this month; and,
    when `month` is not one, what to say about it (never quietly another month)."""
    today = service.today()
    if month:
        y, m = (as_int(month[:4]), as_int(month[5:])) if len(month) == 7 and month[4] == "-" else (None, None)
        if y is not None and m is not None and 2000 <= y <= 2100 and 1 <= m <= 12:
            return date(y, m, 1), None
        return today.replace(day=1), (f"Không đọc được tháng “{month[:20]}” (cần dạng năm-tháng, ví dụ "
                                      f"{today.year}-{today.month:02d}): đang hiển thị tháng này.")
    if year is not None and year != today.year:
        return date(year, 1, 1), None
    return today.replace(day=1), None


def _calendar_view(session, year: int, first: date) -> dict:
    month, more = service.deadline_month(session, first)
    return {"days": calendar_service.list_days(session=session, year=year), "month": month, "more": more,
            "first": first, "previous": (first - timedelta(days=1)).replace(day=1),
            "following": (first + timedelta(days=32)).replace(day=1), "today": service.today()}


@router.get("/calendar")
async def calendar_page(request: Request, user: SignedInUser, year: str | None = None, month: str | None = None):
    first, unread = _month_asked(as_int(year), month)
    chosen = min(max(as_int(year) or first.year, 2000), 2100)
    view = await unit_of_work.read(lambda session: _calendar_view(session, chosen, first))
    return render(request, "calendar.html", user, status_code=422 if unread else 200, year=chosen, form={},
                  errors={}, unread=unread, **view)


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
        first, _ = _month_asked(year, None)
        view = await unit_of_work.read(lambda session: _calendar_view(session, year, first))
        return render(request, "calendar.html", user, status_code=status, year=year, form=form, errors=errors,
                      **view)
    return redirect(f"/calendar?year={day_in.day.year}", "Đã thêm ngày vào lịch.", request=request, user=user)


@router.post("/calendar/{day}/delete")
async def calendar_delete(request: Request, day: date, user: SignedInUser):
    await form_of(request, user)
    await unit_of_work.write(lambda session: calendar_service.delete_day(session=session, day=day,
                                                                         principal=user.principal))
    return redirect(f"/calendar?year={day.year}", "Đã xóa ngày khỏi lịch.", request=request, user=user)

