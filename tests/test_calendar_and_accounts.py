"""Small refusals a person meets: a calendar day that is already so, an account without its agency."""

import uuid
from datetime import date

from app.calendar.service import WorkCalendar


def _next_weekday(start: date) -> date:
    calendar = WorkCalendar({})
    day = start
    while not calendar.is_working_day(day):
        day = date.fromordinal(day.toordinal() + 1)
    return day


def test_a_day_already_so_is_not_added_again(clients):
    new_year = clients.secretariat.post("/calendar/days", json={"day": "2031-01-01", "kind": "holiday",
                                                                  "reason": "Tết Dương lịch"})
    assert new_year.status_code == 422 and new_year.json()["detail"][0]["field"] == "day"
    assert "đã là ngày nghỉ" in new_year.json()["detail"][0]["msg_vi"]
    weekday = _next_weekday(date(2031, 3, 10))
    worked = clients.secretariat.post("/calendar/days", json={"day": weekday.isoformat(), "kind": "working_day",
                                                                "reason": "Làm bù"})
    assert worked.status_code == 422 and "đã là ngày làm việc" in worked.json()["detail"][0]["msg_vi"]
    listed = [d for d in clients.observer.get("/calendar/days", params={"year": 2031}).json()
              if d["day"] == "2031-01-01"]
    assert len(listed) == 1


def test_an_account_needs_its_agency_chosen(migrated):
    refused = migrated.cli("user", "create", "--username", f"u-{uuid.uuid4().hex[:6]}", "--agency", "",
                           "--role", "agency", "--full-name", "Nguyễn Văn A")
    assert refused.returncode != 0
    assert "chọn cơ quan" in refused.stderr + refused.stdout
