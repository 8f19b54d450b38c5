"""The queues the secretariat works from."""

from tests.conftest import DONE_REPORT, TASK_DEADLINE
from tests.dates import year_wording


def test_requests_to_decide_and_completions_to_accept(clients, make_task, directive, agencies):
    asked = make_task()
    request = clients.lead.post(f"/tasks/{asked['id']}/extension-requests",
                                json={"requested_deadline": year_wording(TASK_DEADLINE.year + 1),
                                      "reason": "Chờ ý kiến thẩm định"}).json()
    done = make_task()
    clients.lead.post(f"/tasks/{done['id']}/progress", json=DONE_REPORT)

    pending = clients.secretariat.get("/extension-requests", params={"status": "pending",
                                                                     "directive_id": directive["id"]}).json()
    assert [r["id"] for r in pending["items"]] == [request["id"]]
    assert pending["items"][0]["task"]["title"] == asked["title"]
    assert pending["items"][0]["task"]["directive"]["reference"].endswith("(2024)")
    by_code = clients.secretariat.get("/extension-requests", params={"lead_agency_code": "000.00.00.G12",
                                                                     "directive_id": directive["id"]}).json()
    assert [r["id"] for r in by_code["items"]] == [request["id"]]
    # One task's requests, as its page shows them.
    assert [r["id"] for r in clients.observer.get("/extension-requests", params={
        "task_id": asked["id"]}).json()["items"]] == [request["id"]]
    assert clients.observer.get("/extension-requests", params={"task_id": done["id"]}).json()["items"] == []
    one = clients.observer.get(f"/extension-requests/{request['id']}")
    assert one.status_code == 200 and one.json()["status"] == "pending"
    assert clients.observer.get("/extension-requests/2000000").status_code == 404

    decision = clients.secretariat.get("/tasks", params={"awaiting": "decision", "directive_id": directive["id"]})
    assert [t["id"] for t in decision.json()["items"]] == [asked["id"]]
    acceptance = clients.secretariat.get("/tasks", params={"awaiting": "acceptance", "directive_id": directive["id"]})
    assert [t["id"] for t in acceptance.json()["items"]] == [done["id"]]

    clients.secretariat.post(f"/extension-requests/{request['id']}/decision", json={"decision": "approved"})
    assert clients.secretariat.get("/extension-requests", params={
        "status": "pending", "directive_id": directive["id"]}).json()["items"] == []


def test_a_rejected_completion_is_no_longer_100(clients, make_task):
    task = make_task()
    clients.lead.post(f"/tasks/{task['id']}/progress", json={"status": "in_progress", "progress_percent": 60,
                                                             "note": "Đang trình"})
    clients.lead.post(f"/tasks/{task['id']}/progress", json=DONE_REPORT)
    rejected = clients.secretariat.post(f"/tasks/{task['id']}/reject", json={"note": "Chưa có văn bản ký"})
    assert rejected.json()["progress_percent"] == 60
    again = clients.secretariat.post(f"/tasks/{task['id']}/reject", json={"note": "Trả lại lần nữa"})
    assert again.status_code == 409
    assert again.json()["detail"]["message_vi"].startswith("Chưa có báo cáo hoàn thành để trả lại")
