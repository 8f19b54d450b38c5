"""Inputs at the edges: each gets a clear 4xx, never a 500, and nothing is written."""

import base64
import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from tests.conftest import DONE_REPORT, TASK_DEADLINE, task_payload
from tests.dates import year_ahead, year_wording
from tests.paging import every_item

# Integration: a real `roviec serve` process over HTTP.
pytestmark = pytest.mark.real_server


@pytest.mark.parametrize(("report", "kind"), [
    (DONE_REPORT, "completion_reported"),
    ({"status": "in_progress", "progress_percent": 40, "note": "Đang thực hiện"}, "progress_reported"),
])
def test_concurrent_retries_with_one_key_all_get_the_first_answer(clients, make_task, report, kind):
    task = make_task()
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: clients.lead.post(f"/tasks/{task['id']}/progress", json=report,
                                                             headers=headers), range(6)))
    assert [a.status_code for a in answers] == [200] * 6
    assert len({a.content for a in answers}) == 1
    kinds = [e["kind"] for e in every_item(clients.observer, f"/tasks/{task['id']}/history")]
    assert kinds == ["created", kind]


def test_an_agency_cannot_take_back_its_completion_report(clients, make_task):
    task = make_task()
    clients.lead.post(f"/tasks/{task['id']}/progress", json=DONE_REPORT)
    undo = clients.lead.post(f"/tasks/{task['id']}/progress",
                             json={"status": "in_progress", "progress_percent": 10, "note": "Làm lại"})
    assert undo.status_code == 409
    assert {t["via"] for t in undo.json()["detail"]["allowed_transitions"]} >= {"POST /accept", "POST /reject"}
    extension = clients.lead.post(f"/tasks/{task['id']}/extension-requests",
                                  json={"requested_deadline": year_wording(TASK_DEADLINE.year + 1),
                                        "reason": "Lùi hạn sau khi báo cáo"})
    assert extension.status_code == 409
    assert clients.observer.get(f"/tasks/{task['id']}").json()["status"] == "reported_done"


def test_completion_cannot_predate_the_directive(clients, make_task, directive):
    task = make_task()
    early = {**DONE_REPORT, "evidence": {**DONE_REPORT["evidence"], "document_date": "2019-01-01"}}
    response = clients.lead.post(f"/tasks/{task['id']}/progress", json=early)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "completed_on"


@pytest.mark.parametrize("path", ["/tasks/2147483648", "/tasks/99999999999999999999", "/tasks/0",
                                  "/tasks?lead_agency_id=99999999999999999999", "/directives/2147483648",
                                  "/reports/summary?directive_id=2147483648", "/tasks/2147483648/history"])
def test_ids_out_of_range_are_422(clients, path):
    response = clients.observer.get(path)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["msg_vi"]


def test_body_ids_and_cursor_ids_out_of_range_are_422(clients, directive, agencies):
    body = task_payload(directive, agencies, lead_agency_id=2**40, coordinating_agency_ids=[2**31])
    fields = {d["field"] for d in clients.secretariat.post("/tasks", json=body).json()["detail"]}
    assert fields == {"lead_agency_id", "coordinating_agency_ids.0"}
    cursor = base64.urlsafe_b64encode(json.dumps(["2024-01-01", 10**25]).encode()).decode()
    assert clients.observer.get("/tasks", params={"cursor": cursor}).status_code == 422


@pytest.mark.parametrize("cursor", ["%%", "bm90IGpzb24", "WyIyMDI0LTAxLTAxIiwgMV0", "MA", "dHJ1ZQ", "MTA"])
def test_a_cursor_of_another_list_or_none_at_all_is_422_on_every_list(clients, make_task, cursor):
    # not base64, not JSON, a task cursor, id 0, `true`, and "10": a good id cursor (refused by /tasks only).
    make_task()
    for path in ("/tasks", "/extension-requests"):
        response = clients.secretariat.get(path, params={"cursor": cursor})
        if path == "/extension-requests" and cursor == "MTA":
            assert response.status_code == 200, response.text
            continue
        if path == "/tasks" and cursor == "WyIyMDI0LTAxLTAxIiwgMV0":
            assert response.status_code == 200, response.text
            continue
        assert response.status_code == 422, (path, response.text)
        problem = response.json()["detail"][0]
        assert problem["field"] == "cursor" and problem["msg_vi"] == "con trỏ phân trang không hợp lệ"


def test_nul_characters_are_refused_naming_the_field_on_both_databases(clients, directive, agencies, make_task):
    search = clients.observer.get("/tasks", params={"q": "a\x00b"})
    assert search.status_code == 422 and search.json()["detail"][0]["field"] == "q"
    title = "Nhiệm vụ\x00 có ký tự lạ ở giữa câu"
    created = clients.secretariat.post("/tasks", json=task_payload(directive, agencies, title=title))
    assert created.status_code == 422
    assert [(d["field"], d["type"]) for d in created.json()["detail"]] == [("title", "nul_character")]
    assert "NUL" in created.json()["detail"][0]["msg_vi"]
    task = make_task()
    report = {"status": "in_progress", "progress_percent": 10, "note": "ok",
              "evidence": {"document_number": "12/\x00BC", "document_date": "2026-11-20"}}
    refused = clients.lead.post(f"/tasks/{task['id']}/progress", json=report)
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"][0]["field"] == "evidence.document_number"
    assert clients.secretariat.post("/directives", json={
        "number": "x\x00", "title": "Thông báo kết luận", "issued_on": "2026-01-01", "meeting_name": "Phiên họp",
        "meeting_date": "2026-01-01", "issuer": "VPCP"}).json()["detail"][0]["field"] == "number"
    assert clients.observer.get("/tasks", params={"directive_id": directive["id"]}).json()["total"] == 1


@pytest.mark.parametrize(("params", "field"), [({"as_of": "9999-12-31"}, "as_of"),
                                                ({"deadline_before": "1900-01-01"}, "deadline_before")])
def test_far_dates_in_queries_are_422(clients, params, field):
    path = "/reports/summary" if "as_of" in params else "/tasks"
    response = clients.observer.get(path, params=params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field


def test_far_deadlines_are_422(clients, directive, agencies):
    response = clients.secretariat.post("/tasks", json=task_payload(directive, agencies, deadline="31/12/9999"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "deadline"


@pytest.mark.parametrize(("wording", "expected"), [(f"tháng 8 năm {year_ahead(5)}", f"{year_ahead(5)}-08-31"),
                                                    (f"ngày 15 tháng 8 năm {year_ahead(5)}", f"{year_ahead(5)}-08-15")])
def test_deadlines_written_out_in_words(clients, directive, agencies, wording, expected):
    response = clients.secretariat.post("/tasks", json=task_payload(directive, agencies, deadline=wording))
    assert response.status_code == 201, response.text
    assert response.json()["deadline_on"] == expected


def test_patch_edge_cases(clients, make_task):
    task = make_task()
    url = f"/tasks/{task['id']}"
    etag = clients.secretariat.get(url).headers["etag"]
    nulled = clients.secretariat.patch(url, json={"coordinating_agency_ids": None}, headers={"If-Match": etag})
    assert nulled.status_code == 422
    empty = clients.secretariat.patch(url, json={}, headers={"If-Match": etag})
    assert empty.status_code == 200
    assert empty.headers["etag"] == etag
    assert len(every_item(clients.observer, f"{url}/history")) == 1


def test_an_extension_must_not_end_in_the_past(clients, backdated):
    task_id = backdated(datetime(2025, 1, 2, 3, tzinfo=UTC), deadline="2025-03-31")
    response = clients.lead.post(f"/tasks/{task_id}/extension-requests",
                                 json={"requested_deadline": "2025-06-30", "reason": "Xin lùi hạn"})
    assert response.status_code == 422
    assert "ngày hôm nay" in response.json()["detail"][0]["msg_vi"]


def test_requests_refused_before_any_route_still_answer_in_both_languages(clients, make_task):
    for response in (clients.observer.get("/no-such-path"), clients.observer.delete("/agencies")):
        assert response.status_code in (404, 405)
        assert response.json()["detail"]["message_vi"] and response.json()["detail"]["message"]
    task = make_task()
    for content, headers in ((b'{"status":', {"content-type": "application/json"}),
                             (b"", {"content-type": "application/json"}),
                             (b"[1, 2]", {"content-type": "application/json"})):
        response = clients.lead.post(f"/tasks/{task['id']}/progress", content=content, headers=headers)
        assert response.status_code == 422, response.text
        assert [d["field"] for d in response.json()["detail"]] == ["body"]
        assert response.json()["message_vi"]
