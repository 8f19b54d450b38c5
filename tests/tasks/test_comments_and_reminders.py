"""A task's thread (comments, the secretariat's requests for an explanation, the lead agency's answers) and the
secretariat's reminders ("đôn đốc"), through the API: who may, the queue of explanations awaited, once a day unless
forced with a reason, many at once with every skipped task said."""

import uuid

import pytest

from app.access.principal import Principal, Role
from app.tasks import presenter, reminders
from app.tasks.schemas import ReminderCreate
from tests.conftest import DONE_REPORT, LEAD_AGENCY, OTHER_AGENCY, SECRETARIAT_AGENCY, InProcessClient
from tests.dates import ahead, noon
from tests.paging import every_item


@pytest.fixture
def stranger(clients, agencies):
    """A client of an agency with nothing to do with the tasks made here (neither lead nor coordinating)."""
    code = next(c for c in sorted(agencies) if c not in (LEAD_AGENCY, OTHER_AGENCY, SECRETARIAT_AGENCY)
                and agencies[c].get("active", True) and agencies[c].get("kind") != "committee")
    return InProcessClient(clients.lead._client, clients.database.token(code, "agency"))


def _history(clients, task_id: int) -> list[dict]:
    return every_item(clients.observer, f"/tasks/{task_id}/history")


def test_who_writes_in_a_task_thread_and_who_reads_it(clients, make_task, stranger):
    task = make_task()  # Bộ Tài chính leads, TP. Hồ Chí Minh (other_agency) coordinates
    url = f"/tasks/{task['id']}/comments"
    etag = clients.secretariat.get(f"/tasks/{task['id']}").headers["ETag"]
    written = {}
    for role, text in (("secretariat", "Đề nghị Bộ Tài chính khẩn trương trình Chính phủ"),
                       ("lead", "Bộ đã gửi dự thảo lấy ý kiến các bộ, ngành"),
                       ("other_agency", "Thành phố đã góp ý dự thảo bằng văn bản")):
        made = clients.by_role(role).post(url, json={"comment": text})
        assert made.status_code == 201, made.text
        written[role] = made.json()
        assert made.json()["kind"] == "comment" and made.json()["comment"] == text
        assert made.json()["explanation_status"] is None
    assert written["lead"]["author_agency"]["code"] == LEAD_AGENCY

    # Another agency and an observer may not write (403, nothing written); everyone reads.
    before = len(_history(clients, task["id"]))
    for client in (stranger, clients.observer):
        refused = client.post(url, json={"comment": "Ý kiến của cơ quan không liên quan"})
        assert refused.status_code == 403, refused.text
        assert refused.json()["detail"]["message_vi"]
    assert len(_history(clients, task["id"])) == before
    for client in (clients.observer, stranger, clients.lead):
        thread = client.get(url).json()
        assert [c["id"] for c in thread["items"]] == [w["id"] for w in written.values()]
    # Paged with the lists' cursor, oldest first.
    first = clients.observer.get(url, params={"limit": 2}).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = clients.observer.get(url, params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [c["id"] for c in first["items"] + rest["items"]] == [w["id"] for w in written.values()]
    assert rest["next_cursor"] is None
    assert clients.observer.get(url, params={"cursor": "không-phải"}).status_code == 422

    # Journaled, each with its text; the task itself is unchanged (its ETag stays).
    said = [e for e in _history(clients, task["id"]) if e["kind"] == "commented"]
    assert [e["note"] for e in said] == [w["comment"] for w in written.values()]
    assert said[1]["data"]["comment_id"] == written["lead"]["id"]
    assert clients.secretariat.get(f"/tasks/{task['id']}").headers["ETag"] == etag


def test_a_comment_refused_names_its_field_in_both_languages(clients, make_task):
    task = make_task()
    url = f"/tasks/{task['id']}/comments"
    for body in ({"comment": "   "}, {"comment": ""}, {}):
        refused = clients.lead.post(url, json=body)
        assert refused.status_code == 422, (body, refused.text)
        [problem] = refused.json()["detail"]
        assert problem["field"] == "comment" and problem["msg_vi"], problem
        assert "ý kiến" in refused.json()["message_vi"] and "comment" in refused.json()["message"]
    long = clients.lead.post(url, json={"comment": "x" * 2001})
    assert long.status_code == 422 and long.json()["detail"][0]["field"] == "comment"
    assert clients.lead.post(url, json={"comment": "Ý kiến", "extra": 1}).status_code == 422
    assert clients.lead.post("/tasks/2000000/comments", json={"comment": "Ý kiến"}).status_code == 404
    assert clients.lead.get("/tasks/2000000/comments").status_code == 404
    assert clients.lead.post(url, content=b"\xff", headers={"Content-Type": "application/json"}).status_code == 422
    # The same comment sent again with its Idempotency-Key is written once.
    key = {"Idempotency-Key": uuid.uuid4().hex}
    once = clients.lead.post(url, json={"comment": "Bộ xin báo cáo thêm"}, headers=key)
    again = clients.lead.post(url, json={"comment": "Bộ xin báo cáo thêm"}, headers=key)
    assert once.status_code == again.status_code == 201 and once.json()["id"] == again.json()["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert len(clients.lead.get(url).json()["items"]) == 1


def test_an_explanation_asked_waits_in_the_queue_until_the_lead_agency_answers(clients, make_task, directive):
    task = make_task()
    other = make_task()
    url = f"/tasks/{task['id']}/comments"
    queue = {"awaiting": "explanation", "directive_id": directive["id"]}
    assert clients.secretariat.get("/tasks", params=queue).json()["items"] == []

    # Only the secretariat asks: an agency's comment cannot (403).
    assert clients.lead.post(url, json={"comment": "Tự giải trình", "asks_explanation": True}).status_code == 403
    assert clients.other_agency.post(url, json={"comment": "Đề nghị giải trình",
                                                "asks_explanation": True}).status_code == 403
    asked = clients.secretariat.post(url, json={"comment": "Đề nghị Bộ giải trình lý do chậm trình Nghị định",
                                                "asks_explanation": True})
    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert request["kind"] == "explanation_request" and request["explanation_status"] == "open"
    listed = clients.secretariat.get("/tasks", params=queue).json()
    assert [t["id"] for t in listed["items"]] == [task["id"]] and listed["total"] == 1

    answer_url = f"{url}/{request['id']}/answer"
    # The coordinating agency, an observer: not theirs to answer. A comment of another task: not found.
    assert clients.other_agency.post(answer_url, json={"comment": "Thay Bộ giải trình"}).status_code == 403
    assert clients.observer.post(answer_url, json={"comment": "Giải trình"}).status_code == 403
    assert clients.lead.post(f"/tasks/{other['id']}/comments/{request['id']}/answer",
                             json={"comment": "Giải trình"}).status_code == 404
    blank = clients.lead.post(answer_url, json={"comment": " "})
    assert blank.status_code == 422 and blank.json()["detail"][0]["field"] == "comment"
    assert [t["id"] for t in clients.secretariat.get("/tasks", params=queue).json()["items"]] == [task["id"]]

    answered = clients.lead.post(answer_url, json={"comment": "Bộ chờ ý kiến thẩm định của Bộ Tư pháp"})
    assert answered.status_code == 201, answered.text
    answer = answered.json()
    assert answer["kind"] == "explanation_answer" and answer["answers_id"] == request["id"]
    assert clients.secretariat.get("/tasks", params=queue).json()["items"] == []
    thread = clients.observer.get(url).json()["items"]
    assert thread[0]["explanation_status"] == "answered" and thread[0]["answer_id"] == answer["id"]
    assert thread[0]["answered_at"] is not None and thread[1]["id"] == answer["id"]

    again = clients.lead.post(answer_url, json={"comment": "Giải trình lần hai"})
    assert again.status_code == 409 and again.json()["detail"]["code"] == "already_answered"
    plain = clients.lead.post(url, json={"comment": "Một ý kiến thường"}).json()
    not_a_request = clients.lead.post(f"{url}/{plain['id']}/answer", json={"comment": "Trả lời"})
    assert not_a_request.status_code == 409 and not_a_request.json()["detail"]["message_vi"]
    kinds = [e["kind"] for e in _history(clients, task["id"])]
    assert kinds[-3:] == ["explanation_requested", "explanation_answered", "commented"]

    # Nothing more is written on a task removed as recorded by mistake.
    mistaken = make_task()
    assert clients.secretariat.post(f"/tasks/{mistaken['id']}/remove",
                                    json={"reason": "Ghi trùng nhiệm vụ"}).status_code == 200
    closed = clients.secretariat.post(f"/tasks/{mistaken['id']}/comments", json={"comment": "Ý kiến"})
    assert closed.status_code == 409 and closed.json()["detail"]["message_vi"]


def test_a_task_is_reminded_once_a_day_unless_forced_with_a_reason(clients, make_task, agencies):
    task = make_task()
    url = f"/tasks/{task['id']}/reminders"
    etag = clients.secretariat.get(f"/tasks/{task['id']}").headers["ETag"]
    for client in (clients.lead, clients.other_agency, clients.observer):
        assert client.post(url, json={}).status_code == 403
    assert not [e for e in _history(clients, task["id"]) if e["kind"] == "reminded"]

    sent = clients.secretariat.post(url, json={"note": "Đề nghị Bộ báo cáo tiến độ trước phiên họp"})
    assert sent.status_code == 201, sent.text
    body = sent.json()
    assert body["forced"] is False and body["note"] == "Đề nghị Bộ báo cáo tiến độ trước phiên họp"
    assert body["lead_agency"]["code"] == LEAD_AGENCY and body["journal_id"]
    assert sent.headers["X-Journal-Id"] == str(body["journal_id"])

    second = clients.secretariat.post(url, json={"note": "Nhắc lần nữa"})
    assert second.status_code == 409, second.text
    detail = second.json()["detail"]
    assert detail["code"] == "already_reminded" and "một lần mỗi ngày" in detail["message_vi"]
    assert detail["reminded_at"]
    no_reason = clients.secretariat.post(url, json={"force": True, "force_reason": "  "})
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["field"] == "force_reason"
    assert "lý do gửi lại" in no_reason.json()["message_vi"]
    forced = clients.secretariat.post(url, json={"force": True, "force_reason": "Lãnh đạo Ủy ban yêu cầu"})
    assert forced.status_code == 201 and forced.json()["forced"] is True
    assert forced.json()["force_reason"] == "Lãnh đạo Ủy ban yêu cầu"

    rows = [e for e in _history(clients, task["id"]) if e["kind"] == "reminded"]
    assert [e["note"] for e in rows] == ["Đề nghị Bộ báo cáo tiến độ trước phiên họp", None]
    assert rows[1]["data"] == {"note": None, "forced": True, "force_reason": "Lãnh đạo Ủy ban yêu cầu"}
    assert clients.secretariat.get(f"/tasks/{task['id']}").headers["ETag"] == etag  # the task did not change

    # A completion reported waits on the secretariat, not on the agency: not chased.
    clients.lead.post(f"/tasks/{task['id']}/progress", json=DONE_REPORT)
    waiting = clients.secretariat.post(url, json={"force": True, "force_reason": "Nhắc"})
    assert waiting.status_code == 409 and waiting.json()["detail"]["code"] == "not_remindable"
    assert clients.secretariat.post("/tasks/2000000/reminders", json={}).status_code == 404


def test_yesterdays_reminder_does_not_hold_back_todays(clients, make_task, agencies):
    task = make_task()
    secretariat = Principal(token_id=None, agency_id=agencies[SECRETARIAT_AGENCY]["id"], role=Role.secretariat)
    clients.database.write(lambda session: reminders.remind(
        session=session, task_id=task["id"], reminder=ReminderCreate(note="Hôm qua"), principal=secretariat,
        now=noon(ahead(-1))))
    today = clients.secretariat.post(f"/tasks/{task['id']}/reminders", json={})
    assert today.status_code == 201 and today.json()["forced"] is False


def test_many_tasks_reminded_at_once_and_each_one_skipped_said(clients, make_task, directive):
    fresh, reminded, reported = make_task(), make_task(), make_task()
    clients.secretariat.post(f"/tasks/{reminded['id']}/reminders", json={})
    clients.lead.post(f"/tasks/{reported['id']}/progress", json=DONE_REPORT)
    ids = [fresh["id"], reminded["id"], reported["id"], 2000000]
    assert clients.lead.post("/tasks/reminders", json={"task_ids": ids}).status_code == 403
    assert clients.observer.post("/tasks/reminders", json={"task_ids": ids}).status_code == 403

    done = clients.secretariat.post("/tasks/reminders", json={"task_ids": ids, "note": "Nhắc trước phiên họp"})
    assert done.status_code == 200, done.text
    result = done.json()
    assert [r["task_id"] for r in result["reminded"]] == [fresh["id"]]
    assert result["reminded"][0]["note"] == "Nhắc trước phiên họp"
    skipped = {s["task_id"]: s for s in result["skipped"]}
    assert list(skipped) == [reminded["id"], reported["id"], 2000000]
    assert skipped[reminded["id"]]["code"] == "already_reminded" and skipped[reminded["id"]]["reminded_at"]
    assert skipped[reported["id"]]["code"] == "not_remindable"
    assert skipped[2000000]["code"] == "not_found" and skipped[2000000]["title"] is None
    assert all(s["message_vi"] and s["message"] for s in result["skipped"])

    # By the list's filters: the directive's tasks, each reminded today now, forced with a reason.
    by_filter = {"filters": {"directive_id": directive["id"]}}
    again = clients.secretariat.post("/tasks/reminders", json=by_filter).json()
    assert again["reminded"] == [] and {s["code"] for s in again["skipped"]} == {"already_reminded",
                                                                                 "not_remindable"}
    assert {s["task_id"] for s in again["skipped"]} == {fresh["id"], reminded["id"], reported["id"]}
    forced = clients.secretariat.post("/tasks/reminders", json=by_filter | {
        "force": True, "force_reason": "Phiên họp được đưa lên sớm"}).json()
    assert sorted(r["task_id"] for r in forced["reminded"]) == sorted([fresh["id"], reminded["id"]])
    assert all(r["forced"] for r in forced["reminded"])
    assert [s["task_id"] for s in forced["skipped"]] == [reported["id"]]
    by_code = clients.secretariat.post("/tasks/reminders", json={"filters": {
        "directive_id": directive["id"], "lead_agency_code": LEAD_AGENCY, "status": "reported_done"}}).json()
    assert [s["task_id"] for s in by_code["skipped"]] == [reported["id"]] and by_code["reminded"] == []

    # One or the other, and what each filter is, refused at its field.
    for body in ({}, {"task_ids": [fresh["id"]], "filters": {"directive_id": directive["id"]}}):
        refused = clients.secretariat.post("/tasks/reminders", json=body)
        assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "task_ids", refused.text
    for body in ({"task_ids": []}, {"task_ids": list(range(1, 502))}, {"filters": {"timing": "soon-ish"}},
                 {"filters": {"deadline_before": "31/02/2027"}}, {"task_ids": [fresh["id"]], "force": True}):
        refused = clients.secretariat.post("/tasks/reminders", json=body)
        assert refused.status_code == 422, (body, refused.text)
        assert refused.json()["detail"][0]["msg_vi"]
    unknown = clients.secretariat.post("/tasks/reminders", json={"filters": {"lead_agency_code": "NOPE"}})
    assert unknown.status_code in (404, 422) and unknown.status_code != 500


def test_the_task_page_offers_the_thread_and_the_reminder_to_whom_the_service_takes_them(clients, make_task):
    task = make_task()
    asked = clients.secretariat.post(f"/tasks/{task['id']}/comments", json={
        "comment": "Đề nghị giải trình", "asks_explanation": True}).json()

    def actions(role: str):
        client = clients.by_role(role)
        me = client.get("/me").json()
        principal = Principal(token_id=None, agency_id=me["agency"]["id"], role=Role(me["role"]))
        return presenter.next_actions(principal=principal, task=client.get(f"/tasks/{task['id']}").json(),
                                      requests=[], history=every_item(client, f"/tasks/{task['id']}/history"),
                                      agency_names={})

    secretariat, lead, coordinating, observer = (actions(r) for r in ("secretariat", "lead", "other_agency",
                                                                       "observer"))
    assert (secretariat.comment, secretariat.explain, secretariat.remind) == (True, True, True)
    assert secretariat.reminded_today is None
    assert (lead.comment, lead.explain, lead.answerable, lead.remind) == (True, False, (asked["id"],), False)
    assert (coordinating.comment, coordinating.answerable, coordinating.remind) == (True, (), False)
    assert observer.forms & {"comment", "answer", "remind"} == set()
    clients.secretariat.post(f"/tasks/{task['id']}/reminders", json={})
    assert actions("secretariat").reminded_today is not None
