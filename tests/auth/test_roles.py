"""Every write endpoint against every role: who may, who gets 403 with nothing changed."""

import uuid

import pytest

from tests.conftest import DONE_REPORT, TASK_DEADLINE, task_payload
from tests.dates import year_wording
from tests.paging import every_item

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
    history = every_item(clients.secretariat, f"/tasks/{tid}/history")
    directives = len(every_item(clients.secretariat, "/directives"))
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


# ---------------------------------------------------------------- the task page's forms

# A task brought to a state through the API, by whoever may: the states a task page is read in.
STATES = {
    "new": [],
    "in_progress": [("lead", "post", "/tasks/{id}/progress", {"json": {
        "status": "in_progress", "progress_percent": 30, "note": "Đã xây dựng dự thảo"}})],
    "reported_done": [("lead", "post", "/tasks/{id}/progress", {"json": DONE_REPORT})],
    "extension_pending": [("lead", "post", "/tasks/{id}/extension-requests", {"json": {
        "requested_deadline": year_wording(TASK_DEADLINE.year + 1), "reason": "Cần thêm thời gian thẩm định"}})],
    "withdrawal_pending_after_report": [
        ("lead", "post", "/tasks/{id}/progress", {"json": DONE_REPORT}),
        ("lead", "post", "/tasks/{id}/extension-requests", {"json": {
            "kind": "withdraw", "reason": "Nhiệm vụ đã được giao cho cơ quan khác"}})],
    "completed": [("lead", "post", "/tasks/{id}/progress", {"json": DONE_REPORT}),
                  ("secretariat", "post", "/tasks/{id}/accept", {})],
}


def _in_state(clients, make_task, state: str) -> dict:
    task = make_task()
    for role, method, url, kwargs in STATES[state]:
        response = getattr(clients.by_role(role), method)(url.format(id=task["id"]), **kwargs)
        assert response.status_code < 300, response.text
    return task


def _requests(clients, task_id: int, **params) -> list[dict]:
    return clients.secretariat.get("/extension-requests", params={"task_id": task_id, **params}).json()["items"]


def _submissions(clients, task_id: int) -> dict[str, list[tuple[str, str, dict]]]:
    """Each form of the task page as the call of the service it makes (the API's, which the page's post calls): a form
    with choices is every choice of it."""
    pending = next(iter(_requests(clients, task_id, status="pending")), None)
    etag = clients.secretariat.get(f"/tasks/{task_id}").headers["etag"]
    found = {
        "progress": [("post", f"/tasks/{task_id}/progress", {"json": {
            "status": "in_progress", "progress_percent": 60, "note": "Đã lấy ý kiến các bộ"}})],
        "request": [("post", f"/tasks/{task_id}/extension-requests", {"json": {
            "requested_deadline": year_wording(TASK_DEADLINE.year + 1), "reason": "Cần thêm thời gian"}}),
                    ("post", f"/tasks/{task_id}/extension-requests", {"json": {
                        "kind": "withdraw", "reason": "Không còn phù hợp với tình hình"}})],
        "review": [("post", f"/tasks/{task_id}/accept", {}),
                   ("post", f"/tasks/{task_id}/reject", {"json": {"note": "Chưa có văn bản ký ban hành"}})],
        "edit": [("patch", f"/tasks/{task_id}", {"json": {"priority": True}, "headers": {"If-Match": etag}})],
        "remove": [("post", f"/tasks/{task_id}/remove", {"json": {"reason": "Trùng với nhiệm vụ đã giao"}})],
    }
    if pending is not None:
        decide = f"/extension-requests/{pending['id']}/decision"
        found["decision"] = [("post", decide, {"json": {"decision": "rejected", "note": "Chưa đủ căn cứ"}}),
                             ("post", decide, {"json": {"decision": "approved"}})]
    return found


def _next_actions(clients, role: str, task_id: int):
    from app.access.principal import Principal, Role
    from app.tasks import presenter

    client = clients.by_role(role)
    me = client.get("/me").json()
    principal = Principal(token_id=None, agency_id=me["agency"]["id"], role=Role(me["role"]))
    return presenter.next_actions(
        principal=principal, task=client.get(f"/tasks/{task_id}").json(), requests=_requests(clients, task_id),
        history=every_item(client, f"/tasks/{task_id}/history"), agency_names={})


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("role", ROLES)
def test_the_task_page_offers_a_form_exactly_when_the_service_takes_it(clients, make_task, role, state):
    """presenter.next_actions decides the forms of a task's page. Each form it offers, sent as it is, is taken by the
    service; each it leaves out would be refused (a page never offers what the service refuses, nor hides what it
    takes, but for one case said below). Every submission runs on a task of its own in that state."""
    task = _in_state(clients, make_task, state)
    actions = _next_actions(clients, role, task["id"])
    client = clients.by_role(role)
    for form, choices in _submissions(clients, task["id"]).items():
        taken = []
        for choice in range(len(choices)):
            fresh = _in_state(clients, make_task, state)
            method, url, kwargs = _submissions(clients, fresh["id"])[form][choice]
            response = getattr(client, method)(url, **kwargs)
            taken.append(response.status_code < 300)
            assert response.status_code < 500, response.text
        if form == "request":  # the choices offered are exactly those taken
            assert taken == [kind in actions.request_kinds for kind in ("extend", "withdraw")], (form, taken)
        elif form == "decision":  # rejecting is offered with the decision; approving only when it can be approved
            assert taken == [form in actions.forms, actions.approve], (form, taken)
        elif form == "edit" and state == "completed":
            # The one form left out that the service would take: the API may still correct a finished task, the
            # page offers no edit of one (its history is what it was). Never the other way round.
            assert form not in actions.forms, actions
        else:
            assert any(taken) == (form in actions.forms), (form, taken, actions)
