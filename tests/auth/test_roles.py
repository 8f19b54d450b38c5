"""Every write endpoint against every role: who may, who gets 403 with nothing changed."""

import uuid

import pytest

from tests.conftest import DONE_REPORT, TASK_DEADLINE, task_payload
from tests.dates import year_wording

ROLES = ("secretariat", "lead", "other_agency", "observer")
# other_agency (TP. Hồ Chí Minh) coordinates the tasks made by `make_task`: it reads them but may not write.
ALLOWED = {
    "create_directive": {"secretariat": 201},
    "create_task": {"secretariat": 201},
    "patch_task": {"secretariat": 200},
    "report_progress": {"secretariat": 200, "lead": 200},
    "accept": {"secretariat": 200},
    "reject": {"secretariat": 200},
    "request_extension": {"secretariat": 201, "lead": 201},
    "decide_extension": {"secretariat": 200},
}


def _prepare(action, clients, make_task):
    """Returns (method, url, kwargs, task_id) with the task in the state the action needs."""
    task = make_task()
    tid = task["id"]
    if action in {"accept", "reject"}:
        clients.lead.post(f"/tasks/{tid}/progress", json=DONE_REPORT)
    if action == "create_directive":
        return "post", "/directives", {"json": {
            "number": f"{uuid.uuid4().hex[:8]}/TB-VPCP", "title": "Thông báo kết luận", "issued_on": "2026-11-02",
            "meeting_name": "Phiên họp", "meeting_date": "2026-11-01", "issuer": "Văn phòng Chính phủ"}}, tid
    if action == "create_task":
        return "post", "/tasks", {"json": task_payload({"id": task["directive_id"]}, _agencies(clients))}, tid
    if action == "patch_task":
        etag = clients.secretariat.get(f"/tasks/{tid}").headers["etag"]
        return "patch", f"/tasks/{tid}", {"json": {"priority": False}, "headers": {"If-Match": etag}}, tid
    if action == "report_progress":
        return "post", f"/tasks/{tid}/progress", {
            "json": {"status": "in_progress", "progress_percent": 10, "note": "Đang làm"}}, tid
    if action == "accept":
        return "post", f"/tasks/{tid}/accept", {}, tid
    if action == "reject":  # a completion is sent back with its reason
        return "post", f"/tasks/{tid}/reject", {"json": {"note": "Chưa có văn bản ký ban hành"}}, tid
    if action == "request_extension":
        return "post", f"/tasks/{tid}/extension-requests", {
            "json": {"requested_deadline": year_wording(TASK_DEADLINE.year + 1),
                     "reason": "Cần thêm thời gian thẩm định"}}, tid
    if action == "decide_extension":
        request = clients.lead.post(f"/tasks/{tid}/extension-requests",
                                    json={"requested_deadline": year_wording(TASK_DEADLINE.year + 1),
                                          "reason": "Cần thêm thời gian"}).json()
        return "post", f"/extension-requests/{request['id']}/decision", {"json": {"decision": "approved"}}, tid
    raise AssertionError(action)


def _agencies(clients):
    return {a["code"]: a for a in clients.secretariat.get("/agencies").json()}


def _snapshot(clients, tid):
    task = clients.secretariat.get(f"/tasks/{tid}").json()
    history = clients.secretariat.get(f"/tasks/{tid}/history").json()
    directives = len(clients.secretariat.get("/directives").json())
    total = clients.secretariat.get("/tasks", params={"directive_id": task["directive_id"]}).json()["total"]
    return task, len(history), directives, total


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ALLOWED))
def test_role_matrix(clients, make_task, action, role):
    method, url, kwargs, tid = _prepare(action, clients, make_task)
    before = _snapshot(clients, tid)
    response = getattr(clients.by_role(role), method)(url, **kwargs)
    expected = ALLOWED[action].get(role, 403)
    assert response.status_code == expected, response.text
    if expected == 403:
        assert response.json()["detail"]["message_vi"]
        assert _snapshot(clients, tid) == before
    else:
        assert _snapshot(clients, tid) != before


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads(clients, make_task, role):
    task = make_task()
    client = clients.by_role(role)
    assert client.get(f"/tasks/{task['id']}").status_code == 200
    assert client.get("/tasks").status_code == 200
    assert client.get(f"/tasks/{task['id']}/history").status_code == 200
    assert client.get("/reports/summary").status_code == 200
    # The grid and the scoreboard count tasks everyone reads (app/access/policy.py: read_reports).
    assert client.get("/reports/agencies").status_code == 200
