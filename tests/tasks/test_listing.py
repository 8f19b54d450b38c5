from datetime import UTC, date, datetime

from app.config import Settings
from tests.conftest import DONE_REPORT
from tests.dates import dmy, iso, year_ahead

Y = year_ahead(4)


def _ids(response):
    assert response.status_code == 200, response.text
    return [t["id"] for t in response.json()["items"]]


def test_timing_and_days_overdue(clients, directive, backdated, make_task):
    overdue = backdated(datetime(2025, 1, 1, tzinfo=UTC), deadline="2025-03-31")
    future = make_task(deadline=iso(date(Y + 1, 1, 1)))["id"]
    soon = make_task(deadline=_in_days(clients, 3))["id"]
    overdue_task = clients.observer.get(f"/tasks/{overdue}").json()
    assert overdue_task["timing"] == "overdue"
    today = datetime.now(UTC).astimezone(Settings().tz).date()
    assert overdue_task["days_overdue"] == (today - datetime(2025, 3, 31).date()).days

    by_timing = {
        timing: set(_ids(clients.observer.get("/tasks", params={"directive_id": directive["id"], "timing": timing})))
        for timing in ("overdue", "due_soon", "in_time", "completed_on_time", "completed_late")
    }
    assert by_timing["overdue"] == {overdue}
    assert by_timing["due_soon"] == {soon}
    assert by_timing["in_time"] == {future}

    clients.lead.post(f"/tasks/{overdue}/progress", json=DONE_REPORT)
    clients.secretariat.post(f"/tasks/{overdue}/accept")
    late = clients.observer.get(f"/tasks/{overdue}").json()
    assert late["timing"] == "completed_late"
    assert late["days_overdue"] == (datetime(2026, 11, 20).date() - datetime(2025, 3, 31).date()).days
    assert _ids(clients.observer.get("/tasks", params={"directive_id": directive["id"],
                                                       "timing": "completed_late"})) == [overdue]


def _in_days(clients, days: int) -> str:
    from datetime import timedelta

    return (datetime.now(UTC).astimezone(Settings().tz).date() + timedelta(days=days)).isoformat()


def test_filters(clients, directive, make_task, agencies):
    a = make_task(deadline=iso(date(Y, 1, 31)), priority=True)["id"]
    b = make_task(deadline=iso(date(Y, 6, 30)), priority=False,
                  lead_agency_id=agencies["000.00.00.H29"]["id"], coordinating_agency_ids=[],
                  accountable_official="Chủ tịch UBND Thành phố Hồ Chí Minh")["id"]
    c = make_task(deadline=iso(date(Y + 1, 12, 31)), priority=False)["id"]
    clients.lead.post(f"/tasks/{c}/progress", json={"status": "in_progress", "progress_percent": 5, "note": "Bắt đầu"})
    base = {"directive_id": directive["id"]}
    get = clients.observer.get
    assert _ids(get("/tasks", params=base)) == [a, b, c]
    assert _ids(get("/tasks", params={**base, "lead_agency_id": agencies["000.00.00.H29"]["id"]})) == [b]
    assert _ids(get("/tasks", params={**base, "status": "in_progress"})) == [c]
    assert _ids(get("/tasks", params={**base, "priority": "true"})) == [a]
    between = {"deadline_after": iso(date(Y, 2, 1)), "deadline_before": iso(date(Y, 12, 31))}
    assert _ids(get("/tasks", params={**base, **between})) == [b]
    assert get("/tasks", params={**base, "status": "done"}).status_code == 422
    assert get("/tasks", params={**base, "deadline_before": dmy(date(Y, 12, 31))}).status_code == 422


def test_search_ignores_accents(clients, directive, make_task, agencies):
    finance = make_task()["id"]
    hcm = make_task(lead_agency_id=agencies["000.00.00.H29"]["id"], coordinating_agency_ids=[],
                    title="Triển khai nền tảng dữ liệu dân cư trên địa bàn thành phố",
                    accountable_official="Chủ tịch UBND Thành phố Hồ Chí Minh")["id"]
    base = {"directive_id": directive["id"]}
    assert _ids(clients.observer.get("/tasks", params={**base, "q": "bo tai chinh"})) == [finance]
    assert _ids(clients.observer.get("/tasks", params={**base, "q": "Bộ Tài Chính"})) == [finance]
    assert _ids(clients.observer.get("/tasks", params={**base, "q": "du lieu dan cu"})) == [hcm]
    assert _ids(clients.observer.get("/tasks", params={**base, "q": "100%_"})) == []


def test_cursor_pages_through_everything_once(clients, directive, make_task):
    made = [make_task(deadline=iso(date(Y, 1 + i % 3, 28)))["id"] for i in range(7)]
    seen, cursor, pages = [], None, 0
    while True:
        params = {"directive_id": directive["id"], "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = clients.observer.get("/tasks", params=params).json()
        assert page["total"] == 7
        seen += [t["id"] for t in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))
    assert clients.observer.get("/tasks", params={"cursor": "garbage!"}).status_code == 422
    assert clients.observer.get("/tasks", params={"limit": 0}).status_code == 422


def test_unknown_task_is_404(clients):
    response = clients.observer.get("/tasks/99999999")
    assert response.status_code == 404
    assert response.json()["detail"]["message_vi"] == "Không tìm thấy nhiệm vụ"


def test_progress_report_payload_is_checked(clients, make_task):
    task = make_task()
    bad = clients.lead.post(f"/tasks/{task['id']}/progress", json={"status": "completed", "progress_percent": 150})
    assert bad.status_code == 422
    fields = {d["field"] for d in bad.json()["detail"]}
    assert fields == {"status", "progress_percent", "note"}


def test_total_follows_writes_at_once(clients, directive, make_task):
    """Totals are reused between requests for a moment, but never across a write made through the server."""
    def total(**params) -> int:
        response = clients.observer.get("/tasks", params={"directive_id": directive["id"], **params})
        assert response.status_code == 200, response.text
        return response.json()["total"]

    first = make_task()["id"]
    assert (total(), total(), total(status="in_progress"), total(status="in_progress")) == (1, 1, 0, 0)
    make_task()
    assert total() == 2
    report = {"status": "in_progress", "progress_percent": 10, "note": "Bắt đầu"}
    assert clients.lead.post(f"/tasks/{first}/progress", json=report).status_code == 200
    assert (total(status="in_progress"), total(status="in_progress", limit=1), total(status="new")) == (1, 1, 1)
    page = clients.observer.get("/tasks", params={"directive_id": directive["id"], "limit": 1}).json()
    assert page["total"] == 2 and page["next_cursor"]
    later = clients.observer.get("/tasks", params={"directive_id": directive["id"], "cursor": page["next_cursor"]})
    assert later.json()["total"] == 2
