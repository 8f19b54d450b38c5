"""Small refusals a person meets: a calendar day that is already so, an account without its agency."""

import uuid

from tests.dates import iso, next_on, wednesday_ahead


def test_a_day_already_so_is_not_added_again(clients):
    new_year_day = next_on(1, 1)
    new_year = clients.secretariat.post("/calendar/days", json={"day": iso(new_year_day), "kind": "holiday",
                                                                  "reason": "Tết Dương lịch"})
    assert new_year.status_code == 422 and new_year.json()["detail"][0]["field"] == "day"
    assert "đã là ngày nghỉ" in new_year.json()["detail"][0]["msg_vi"]
    weekday = wednesday_ahead(at_least=60)
    worked = clients.secretariat.post("/calendar/days", json={"day": iso(weekday), "kind": "working_day",
                                                                "reason": "Làm bù"})
    assert worked.status_code == 422 and "đã là ngày làm việc" in worked.json()["detail"][0]["msg_vi"]
    listed = [d for d in clients.observer.get("/calendar/days", params={"year": new_year_day.year}).json()
              if d["day"] == iso(new_year_day)]
    assert len(listed) == 1


def test_an_account_needs_its_agency_chosen(migrated):
    refused = migrated.cli("user", "create", "--username", f"u-{uuid.uuid4().hex[:6]}", "--agency", "",
                           "--role", "agency", "--full-name", "Nguyễn Văn A")
    assert refused.returncode != 0
    assert "chọn cơ quan" in refused.stderr + refused.stdout
