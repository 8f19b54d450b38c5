import uuid
from datetime import date

import pytest

from tests.conftest import DONE_REPORT, TASK_DEADLINE
from tests.dates import ahead, dmy, iso, month_wording, year_wording
from tests.paging import every_item, walked_in_small_pages

Y = TASK_DEADLINE.year  # the default deadline is 30/06 of this year

PROGRESS = {"status": "in_progress", "progress_percent": 40, "note": "Đã lấy ý kiến các bộ, ngành"}


def _history(clients, task_id):
    return every_item(clients.observer, f"/tasks/{task_id}/history")


def test_life_of_a_task(clients, make_task):
    task = make_task()
    tid = task["id"]
    progressed = clients.lead.post(f"/tasks/{tid}/progress", json=PROGRESS)
    assert progressed.status_code == 200, progressed.text
    assert progressed.json()["status"] == "in_progress" and progressed.json()["progress_percent"] == 40

    done = clients.lead.post(f"/tasks/{tid}/progress", json=DONE_REPORT)
    assert done.status_code == 200
    assert done.json()["status"] == "reported_done"
    assert done.json()["completed_on"] == "2026-11-20"
    assert done.json()["evidence"]["document_number"] == "70/2025/NĐ-CP"

    accepted = clients.secretariat.post(f"/tasks/{tid}/accept", json={"note": "Đạt yêu cầu"})
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "completed"
    assert accepted.json()["timing"] == "completed_on_time"

    events = _history(clients, tid)
    assert [e["kind"] for e in events] == ["created", "progress_reported", "completion_reported",
                                           "completion_accepted"]
    assert [(e["from_status"], e["to_status"]) for e in events] == [
        (None, "new"), ("new", "in_progress"), ("in_progress", "reported_done"), ("reported_done", "completed")]
    assert events[1]["actor_agency"]["code"] == "000.00.00.G12"
    assert events[3]["actor_agency"]["code"] == "000.00.00.K01"
    assert events == sorted(events, key=lambda e: (e["occurred_at"], e["id"]))


def test_completion_needs_evidence(clients, make_task):
    task = make_task()
    response = clients.lead.post(f"/tasks/{task['id']}/progress",
                                 json={"status": "reported_done", "progress_percent": 100, "note": "Xong"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "evidence"
    assert "bắt buộc" in response.json()["detail"][0]["msg_vi"]
    future = {**DONE_REPORT, "evidence": {**DONE_REPORT["evidence"], "document_date": iso(ahead(30))}}
    refused = clients.lead.post(f"/tasks/{task['id']}/progress", json=future)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "evidence.document_date"  # the date typed, not the one left empty
    assert clients.observer.get(f"/tasks/{task['id']}").json()["status"] == "new"


def test_rejected_completion_goes_back_to_in_progress(clients, make_task):
    task = make_task()
    clients.lead.post(f"/tasks/{task['id']}/progress", json=DONE_REPORT)
    rejected = clients.secretariat.post(f"/tasks/{task['id']}/reject", json={"note": "Chưa có văn bản ký"})
    assert rejected.status_code == 200
    body = rejected.json()
    assert body["status"] == "in_progress" and body["completed_on"] is None
    assert _history(clients, task["id"])[-1]["kind"] == "completion_rejected"


def test_illegal_transitions_get_409_with_the_allowed_ones(clients, make_task):
    task = make_task()
    early_accept = clients.secretariat.post(f"/tasks/{task['id']}/accept")
    assert early_accept.status_code == 409
    detail = early_accept.json()["detail"]
    assert detail["current_status"] == "new"
    assert {t["status"] for t in detail["allowed_transitions"]} == {"in_progress", "reported_done", "withdrawn",
                                                                    "removed"}
    assert detail["message_vi"] == "Chưa có báo cáo hoàn thành để xác nhận: nhiệm vụ đang ở trạng thái «mới giao»"

    clients.lead.post(f"/tasks/{task['id']}/progress", json=DONE_REPORT)
    clients.secretariat.post(f"/tasks/{task['id']}/accept")
    after = clients.lead.post(f"/tasks/{task['id']}/progress", json=PROGRESS)
    assert after.status_code == 409
    assert after.json()["detail"]["allowed_transitions"] == []
    assert len(_history(clients, task["id"])) == 3


def test_idempotent_retry_returns_the_first_answer_and_writes_nothing(clients, make_task):
    task = make_task()
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = clients.lead.post(f"/tasks/{task['id']}/progress", json=PROGRESS, headers=key)
    assert first.status_code == 200
    again = clients.lead.post(f"/tasks/{task['id']}/progress", json=PROGRESS, headers=key)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["etag"] == first.headers["etag"]  # the retrying client can go on to its next PATCH
    assert len(_history(clients, task["id"])) == 2
    assert clients.lead.get(f"/tasks/{task['id']}").json()["version"] == first.json()["version"]

    different = clients.lead.post(f"/tasks/{task['id']}/progress", json={**PROGRESS, "progress_percent": 60},
                                  headers=key)
    assert different.status_code == 422
    assert different.json()["detail"][0]["field"] == "Idempotency-Key"
    assert len(_history(clients, task["id"])) == 2


def test_idempotent_create_makes_one_task(clients, directive, agencies):
    from tests.conftest import task_payload

    key = {"Idempotency-Key": str(uuid.uuid4())}
    payload = task_payload(directive, agencies)
    first = clients.secretariat.post("/tasks", json=payload, headers=key)
    second = clients.secretariat.post("/tasks", json=payload, headers=key)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert clients.secretariat.get("/tasks", params={"directive_id": directive["id"]}).json()["total"] == 1


def test_approved_extension_moves_the_deadline_and_keeps_the_original(clients, make_task):
    task = make_task(deadline=month_wording(date(Y, 6, 1)))
    request = clients.lead.post(f"/tasks/{task['id']}/extension-requests",
                                json={"requested_deadline": f"quý IV/{Y}", "reason": "Chờ ý kiến thẩm định"})
    assert request.status_code == 201, request.text
    assert request.json()["requested_deadline_on"] == iso(date(Y, 12, 31))
    assert request.json()["status"] == "pending"
    second = clients.lead.post(f"/tasks/{task['id']}/extension-requests",
                               json={"requested_deadline": year_wording(Y + 1), "reason": "Thêm"})
    assert second.status_code == 409

    decided = clients.secretariat.post(f"/extension-requests/{request.json()['id']}/decision",
                                       json={"decision": "approved", "note": "Đồng ý"})
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    after = clients.observer.get(f"/tasks/{task['id']}").json()
    assert after["deadline_on"] == iso(date(Y, 12, 31))
    assert after["original_deadline_on"] == iso(date(Y, 6, 30))
    assert after["deadline_text"] == f"quý IV/{Y}"
    events = _history(clients, task["id"])
    assert [e["kind"] for e in events][-2:] == ["extension_requested", "deadline_extended"]
    assert events[-2]["actor_agency"]["code"] == "000.00.00.G12"
    assert events[-1]["actor_agency"]["code"] == "000.00.00.K01"
    assert events[-1]["data"]["from_deadline_on"] == iso(date(Y, 6, 30))
    again = clients.secretariat.post(f"/extension-requests/{request.json()['id']}/decision",
                                     json={"decision": "rejected", "note": "Không đủ căn cứ"})
    assert again.status_code == 409
    assert again.json()["detail"]["message_vi"] == "Đề nghị này đã được chấp thuận"


def test_extension_must_move_the_deadline_later_and_give_a_reason(clients, make_task):
    task = make_task(deadline=iso(TASK_DEADLINE))
    before_it = date(Y, 1, 1)  # ahead, but before the current deadline
    earlier = clients.lead.post(f"/tasks/{task['id']}/extension-requests",
                                json={"requested_deadline": iso(before_it), "reason": "Sớm hơn"})
    assert earlier.status_code == 422
    assert earlier.json()["detail"][0]["field"] == "requested_deadline"
    assert earlier.json()["detail"][0]["msg_vi"].startswith(
        f"{dmy(before_it)}: thời hạn đề nghị phải sau thời hạn hiện tại ({dmy(TASK_DEADLINE)})")
    no_reason = clients.lead.post(f"/tasks/{task['id']}/extension-requests",
                                  json={"requested_deadline": iso(date(Y + 1, 1, 1))})
    assert no_reason.status_code == 422
    assert no_reason.json()["detail"][0]["field"] == "reason"


def test_rejected_extension_keeps_the_deadline(clients, make_task):
    task = make_task()
    request = clients.lead.post(f"/tasks/{task['id']}/extension-requests",
                                json={"requested_deadline": year_wording(Y + 1), "reason": "Thiếu kinh phí"}).json()
    no_reason = clients.secretariat.post(f"/extension-requests/{request['id']}/decision",
                                         json={"decision": "rejected"})
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["field"] == "note"
    clients.secretariat.post(f"/extension-requests/{request['id']}/decision",
                             json={"decision": "rejected", "note": "Kinh phí đã được bố trí"})
    assert clients.observer.get(f"/tasks/{task['id']}").json()["deadline_on"] == iso(TASK_DEADLINE)
    assert _history(clients, task["id"])[-1]["kind"] == "extension_rejected"


def test_approved_withdrawal_withdraws_the_task(clients, make_task):
    task = make_task()
    request = clients.lead.post(f"/tasks/{task['id']}/extension-requests",
                                json={"kind": "withdraw", "reason": "Nhiệm vụ đã được giao cho cơ quan khác"})
    assert request.status_code == 201
    clients.secretariat.post(f"/extension-requests/{request.json()['id']}/decision", json={"decision": "approved"})
    after = clients.observer.get(f"/tasks/{task['id']}").json()
    assert after["status"] == "withdrawn" and after["timing"] == "withdrawn"
    assert clients.lead.post(f"/tasks/{task['id']}/progress", json=PROGRESS).status_code == 409


def test_patch_requires_if_match(clients, make_task):
    task = make_task()
    url = f"/tasks/{task['id']}"
    missing = clients.secretariat.patch(url, json={"priority": False})
    assert missing.status_code == 428
    assert missing.json()["detail"]["message_vi"]

    current = clients.secretariat.get(url)
    etag = current.headers["etag"]
    assert clients.secretariat.get(url, headers={"If-None-Match": etag}).status_code == 304
    updated = clients.secretariat.patch(url, json={"priority": False, "clause_ref": "Mục 3"},
                                        headers={"If-Match": etag})
    assert updated.status_code == 200, updated.text
    assert updated.json()["priority"] is False and updated.json()["version"] == current.json()["version"] + 1
    assert updated.headers["etag"] != etag

    stale = clients.secretariat.patch(url, json={"priority": True}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert clients.secretariat.get(url).json()["priority"] is False
    event = _history(clients, task["id"])[-1]
    assert event["kind"] == "updated"
    assert event["data"]["before"] == {"priority": True, "clause_ref": "Mục 2.a"}


def test_patch_cannot_move_the_deadline_or_blank_a_ro(clients, make_task):
    task = make_task()
    url = f"/tasks/{task['id']}"
    etag = clients.secretariat.get(url).headers["etag"]
    moved = clients.secretariat.patch(url, json={"deadline": iso(date(Y + 1, 1, 1))}, headers={"If-Match": etag})
    assert moved.status_code == 422
    blanked = clients.secretariat.patch(url, json={"objective": ""}, headers={"If-Match": etag})
    assert blanked.status_code == 422
    assert "rõ mục tiêu" in blanked.json()["detail"][0]["msg_vi"]
    assert clients.secretariat.get(url).headers["etag"] == etag


def test_concurrent_reports_are_all_journaled(clients, make_task):
    from concurrent.futures import ThreadPoolExecutor

    task = make_task()
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda n: clients.lead.post(
            f"/tasks/{task['id']}/progress", json={**PROGRESS, "progress_percent": n}), range(10, 30)))
    assert all(a.status_code == 200 for a in answers)
    assert sorted(a.json()["version"] for a in answers) == list(range(2, 22))
    assert len(_history(clients, task["id"])) == 21


@pytest.mark.real_server
def test_progress_with_a_stale_if_match_is_refused_and_without_one_is_taken(clients, make_task):
    task = make_task()
    url = f"/tasks/{task['id']}"
    read = clients.lead.get(url)
    etag = read.headers["etag"]

    first = clients.lead.post(f"{url}/progress", json={**PROGRESS, "progress_percent": 50},
                              headers={"If-Match": etag})
    assert first.status_code == 200, first.text
    assert first.json()["version"] == read.json()["version"] + 1
    assert first.headers["etag"] == f'"{task["id"]}-{first.json()["version"]}"' != etag

    # Another report over the version first read: refused, nothing written, the current ETag named.
    stale = clients.lead.post(f"{url}/progress", json={**PROGRESS, "progress_percent": 70},
                              headers={"If-Match": etag})
    assert stale.status_code == 412
    detail = stale.json()["detail"]
    assert detail["code"] == "precondition_failed" and detail["message_vi"]
    assert detail["current_etag"] == stale.headers["etag"] == first.headers["etag"]
    weak = clients.lead.post(f"{url}/progress", json=PROGRESS, headers={"If-Match": f"W/{first.headers['etag']}"})
    assert weak.status_code == 412
    assert clients.lead.get(url).json()["progress_percent"] == 50
    assert [e["kind"] for e in _history(clients, task["id"])] == ["created", "progress_reported"]

    # With the current ETag, with `*`, or with none at all (an agency reporting without reading first): taken.
    current = clients.lead.post(f"{url}/progress", json={**PROGRESS, "progress_percent": 70},
                                headers={"If-Match": detail["current_etag"]})
    assert current.status_code == 200 and current.json()["progress_percent"] == 70
    assert clients.lead.post(f"{url}/progress", json=PROGRESS, headers={"If-Match": "*"}).status_code == 200
    blind = clients.lead.post(f"{url}/progress", json={**PROGRESS, "progress_percent": 80})
    assert blind.status_code == 200 and blind.headers["etag"] == clients.lead.get(url).headers["etag"]
    assert blind.json()["version"] == first.json()["version"] + 3


@pytest.mark.real_server
def test_a_tasks_history_is_paged_oldest_first_with_the_progress_after_each_event(clients, make_task):
    task = make_task()
    for percent in (10, 20, 30, 40, 50):
        assert clients.lead.post(f"/tasks/{task['id']}/progress",
                                 json={**PROGRESS, "progress_percent": percent}).status_code == 200
    assert clients.secretariat.post(f"/tasks/{task['id']}/reminders", json={}).status_code == 201
    events = walked_in_small_pages(clients.observer, f"/tasks/{task['id']}/history", 3)
    assert [e["kind"] for e in events] == ["created"] + ["progress_reported"] * 5 + ["reminded"]
    assert [e["progress_percent"] for e in events] == [0, 10, 20, 30, 40, 50, 50]
    assert clients.observer.get("/tasks/999999999/history").status_code == 404


def test_a_finished_task_refuses_requests_naming_its_status_in_vietnamese(clients, make_task):
    task = make_task()
    assert clients.lead.post(f"/tasks/{task['id']}/progress", json=DONE_REPORT).status_code == 200
    assert clients.secretariat.post(f"/tasks/{task['id']}/accept").status_code == 200
    refused = clients.lead.post(f"/tasks/{task['id']}/extension-requests",
                                json={"requested_deadline": year_wording(Y + 1), "reason": "Xin thêm thời gian"})
    assert refused.status_code == 409
    detail = refused.json()["detail"]
    assert detail["code"] == "illegal_transition" and detail["current_status"] == "completed"
    assert detail["message_vi"] == ("Nhiệm vụ đang ở trạng thái «đã hoàn thành», không thể điều chỉnh thời hạn "
                                    "hoặc rút")
