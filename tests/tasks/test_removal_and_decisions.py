"""A task recorded by mistake is removed by the secretariat (journaled, with a reason) and leaves every list, report
and count, but not once anyone has reported on it; a decision may grant a shorter deadline than the one asked."""

from tests.conftest import DONE_REPORT
from tests.dates import ahead, iso
from tests.paging import every_item


def _ahead(days: int) -> str:
    return iso(ahead(days))


def test_a_task_recorded_by_mistake_is_removed_with_its_reason(clients, make_task, directive):
    kept, mistaken = make_task(), make_task(title="Nhiệm vụ ghi trùng do đọc nhầm thông báo kết luận")
    url = f"/tasks/{mistaken['id']}/remove"
    assert clients.lead.post(url, json={"reason": "Ghi trùng"}).status_code == 403
    assert clients.observer.post(url, json={"reason": "Ghi trùng"}).status_code == 403
    missing = clients.secretariat.post(url, json={"reason": " "})
    assert missing.status_code == 422 and missing.json()["detail"][0]["field"] == "reason"
    assert clients.observer.get(f"/tasks/{mistaken['id']}").json()["status"] == "new"

    removed = clients.secretariat.post(url, json={"reason": "Ghi trùng với nhiệm vụ đã giao ở Mục 2.a"})
    assert removed.status_code == 200, removed.text
    assert removed.json()["status"] == "removed" and removed.json()["timing"] == "removed"
    last = every_item(clients.observer, f"/tasks/{mistaken['id']}/history")[-1]
    assert (last["kind"], last["from_status"], last["to_status"]) == ("removed", "new", "removed")
    assert last["note"] == "Ghi trùng với nhiệm vụ đã giao ở Mục 2.a"

    # It leaves every list and count; it stays readable by its status.
    listed = clients.observer.get("/tasks", params={"directive_id": directive["id"]}).json()
    assert [t["id"] for t in listed["items"]] == [kept["id"]] and listed["total"] == 1
    assert [t["id"] for t in clients.observer.get("/tasks", params={"directive_id": directive["id"],
                                                                     "status": "removed"}).json()["items"]] == [
        mistaken["id"]]
    summary = clients.observer.get("/reports/summary", params={"directive_id": directive["id"]}).json()
    assert summary["total"] == 1
    # ...on the day it was recorded too: it should never have been counted.
    assert clients.observer.get("/reports/summary", params={"directive_id": directive["id"],
                                                            "as_of": _ahead(0)}).json()["total"] == 1
    assert clients.secretariat.post(url, json={"reason": "lần nữa"}).status_code == 409


def test_a_task_reported_on_is_withdrawn_not_removed(clients, make_task):
    task = make_task()
    assert clients.lead.post(f"/tasks/{task['id']}/progress", json={
        "status": "in_progress", "progress_percent": 10, "note": "Đã giao đơn vị xây dựng dự thảo"}).status_code == 200
    refused = clients.secretariat.post(f"/tasks/{task['id']}/remove", json={"reason": "Nhầm"})
    assert refused.status_code == 409
    assert "rút nhiệm vụ" in refused.json()["detail"]["message_vi"]
    asked = make_task()
    assert clients.lead.post(f"/tasks/{asked['id']}/extension-requests", json={
        "kind": "withdraw", "reason": "Nhiệm vụ trùng với Nghị quyết của Chính phủ"}).status_code == 201
    assert clients.secretariat.post(f"/tasks/{asked['id']}/remove", json={"reason": "Nhầm"}).status_code == 409
    assert clients.observer.get(f"/tasks/{asked['id']}").json()["status"] == "new"


def test_an_approval_may_grant_less_time_than_asked(clients, make_task):
    task = make_task(deadline=_ahead(30))
    request = clients.lead.post(f"/tasks/{task['id']}/extension-requests", json={
        "requested_deadline": _ahead(90), "reason": "Chờ ý kiến thẩm định của Bộ Tư pháp"}).json()
    url = f"/extension-requests/{request['id']}/decision"
    too_late = clients.secretariat.post(url, json={"decision": "approved", "approved_deadline": _ahead(120)})
    assert too_late.status_code == 422 and too_late.json()["detail"][0]["field"] == "approved_deadline"
    too_early = clients.secretariat.post(url, json={"decision": "approved", "approved_deadline": _ahead(20)})
    assert too_early.status_code == 422 and too_early.json()["detail"][0]["field"] == "approved_deadline"
    on_rejection = clients.secretariat.post(url, json={"decision": "rejected", "approved_deadline": _ahead(60)})
    assert on_rejection.status_code == 422
    assert clients.observer.get(f"/tasks/{task['id']}").json()["deadline_on"] == _ahead(30)

    granted = clients.secretariat.post(url, json={"decision": "approved", "approved_deadline": _ahead(60),
                                                  "note": "Đồng ý lùi 30 ngày, không phải 60 ngày"})
    assert granted.status_code == 200, granted.text
    assert granted.json()["approved_deadline_on"] == _ahead(60)
    assert granted.json()["requested_deadline_on"] == _ahead(90)
    after = clients.observer.get(f"/tasks/{task['id']}").json()
    assert after["deadline_on"] == _ahead(60) and after["original_deadline_on"] == _ahead(30)
    event = every_item(clients.observer, f"/tasks/{task['id']}/history")[-1]
    assert event["kind"] == "deadline_extended"
    assert (event["data"]["to_deadline_on"], event["data"]["requested_deadline_on"]) == (_ahead(60), _ahead(90))

    # Approved as asked when no date is given.
    again = clients.lead.post(f"/tasks/{task['id']}/extension-requests", json={
        "requested_deadline": _ahead(100), "reason": "Chờ Chính phủ cho ý kiến"}).json()
    as_asked = clients.secretariat.post(f"/extension-requests/{again['id']}/decision", json={"decision": "approved"})
    assert as_asked.json()["approved_deadline_on"] == _ahead(100)


def test_grid_figures_list_exactly_what_they_count(clients, make_task, directive):
    """Each figure of the grid is a timing group the list can filter on, and the list's total is the figure."""
    make_task(deadline=_ahead(3))  # due soon: "trong hạn" in the grid
    make_task(deadline=_ahead(200))  # in time
    done = make_task(deadline=_ahead(100))
    clients.lead.post(f"/tasks/{done['id']}/progress", json=DONE_REPORT)
    clients.secretariat.post(f"/tasks/{done['id']}/accept", json={})
    summary = clients.observer.get("/reports/summary", params={"directive_id": directive["id"]}).json()
    figures = {"counted": summary["total"], "completed": summary["completed"]["total"],
               "completed_on_time": summary["completed"]["on_time"],
               "not_completed": summary["not_completed"]["total"],
               "within_deadline": summary["not_completed"]["in_time"], "overdue": summary["not_completed"]["overdue"]}
    assert figures == {"counted": 3, "completed": 1, "completed_on_time": 1, "not_completed": 2,
                       "within_deadline": 2, "overdue": 0}
    for group, figure in figures.items():
        listed = clients.observer.get("/tasks", params={"directive_id": directive["id"], "timing": group}).json()
        assert listed["total"] == figure, group
    meeting = clients.observer.get("/tasks", params={"meeting_date": directive["meeting_date"], "limit": 200}).json()
    assert directive["id"] in {t["directive"]["id"] for t in meeting["items"]}
    assert clients.observer.get("/tasks", params={"meeting_date": "2001-01-01"}).json()["total"] == 0
    assert clients.observer.get("/tasks", params={"timing": "late_or_never"}).status_code == 422
