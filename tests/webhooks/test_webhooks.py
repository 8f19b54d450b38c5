"""Webhook subscriptions and delivery, with a real receiver on 127.0.0.1 and the real delivery worker run in this
process with an injected clock."""

import json
import time
import uuid
from datetime import datetime, timedelta

import httpx
import pytest
from standardwebhooks import Webhook

from app.config import Settings
from app.webhooks import security
from tests.conftest import (
    DONE_REPORT,
    LEAD_AGENCY,
    SECRETARIAT_AGENCY,
    TASK_DEADLINE,
    serving,
)
from tests.dates import dmy_short, iso
from tests.paging import every_item, walked_in_small_pages
from tests.receiver import Reply
from tests.webhooks.helpers import attempts, messages, subscribe, verified

# Integration: a real `roviec serve` process over HTTP.
pytestmark = pytest.mark.real_server


def test_signing_matches_the_standard_webhooks_test_vector():
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert security.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == expected
    assert Webhook(secret).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", datetime.fromtimestamp(1614265330),
                                body.decode()) == expected


def test_secret_is_shown_once_and_event_is_signed_and_verifiable(clients, receiver, directive, make_task, deliver):
    hook = subscribe(clients, receiver, directive)
    assert hook["secret"].startswith("whsec_") and 24 <= len(security.base64.b64decode(hook["secret"][6:])) <= 64
    shown_again = clients.secretariat.get(f"/webhooks/{hook['id']}").json()
    assert "secret" not in shown_again and shown_again["url"] == hook["url"]

    task = make_task()
    deliver()
    [request] = receiver.at(hook["path"])
    body = verified(hook, request)
    assert body["type"] == "task.created"
    assert request.headers["webhook-id"].startswith("msg_")
    assert len(request.body) < 20_000
    data = body["data"]
    assert data["task_id"] == task["id"]
    assert data["directive"]["number"] == directive["number"]
    assert data["lead_agency"]["code"] == LEAD_AGENCY and data["lead_agency"]["name"] == "Bộ Tài chính"
    assert data["deadline_on"] == iso(TASK_DEADLINE) and data["status"] == "new"
    assert data["timing"] == "in_time" and data["days_overdue"] == 0
    # A person opens the page from a chat message; software reads the API.
    assert data["url"].endswith(f"/tasks/{task['id']}") and "/api/" not in data["url"]
    assert data["api_url"].endswith(f"/api/v1/tasks/{task['id']}")
    assert data["text"].startswith("Nhiệm vụ mới: 'Trình Chính phủ ban hành Nghị định")
    assert f"Bộ Tài chính chủ trì, thời hạn {dmy_short(TASK_DEADLINE)}" in data["text"]
    [message] = messages(clients, hook)
    assert message["status"] == "delivered" and message["id"] == request.headers["webhook-id"]


def test_every_task_change_becomes_an_event(clients, receiver, directive, make_task, deliver):
    hook = subscribe(clients, receiver, directive)
    task = make_task()
    tid = task["id"]
    extended_to = TASK_DEADLINE.replace(month=12, day=31)
    progress = {"status": "in_progress", "progress_percent": 30, "note": "Đã xin ý kiến"}
    assert clients.lead.post(f"/tasks/{tid}/progress", json=progress).status_code == 200
    etag = clients.secretariat.get(f"/tasks/{tid}").headers["ETag"]
    assert clients.secretariat.patch(f"/tasks/{tid}", json={"priority": False},
                                     headers={"If-Match": etag}).status_code == 200
    extension = clients.lead.post(f"/tasks/{tid}/extension-requests",
                                  json={"kind": "extend", "requested_deadline": iso(extended_to),
                                        "reason": "Chờ ý kiến"})
    assert clients.secretariat.post(f"/extension-requests/{extension.json()['id']}/decision",
                                    json={"decision": "approved"}).status_code == 200
    assert clients.lead.post(f"/tasks/{tid}/progress", json=DONE_REPORT).status_code == 200
    assert clients.secretariat.post(f"/tasks/{tid}/reject", json={"note": "Thiếu văn bản"}).status_code == 200
    assert clients.lead.post(f"/tasks/{tid}/progress", json=DONE_REPORT).status_code == 200
    assert clients.secretariat.post(f"/tasks/{tid}/accept").status_code == 200
    deliver()
    bodies = sorted((verified(hook, r) for r in receiver.at(hook["path"])),
                    key=lambda b: b["data"]["event"]["journal_id"])
    assert [b["type"] for b in bodies] == [
        "task.created", "task.progress_reported", "task.updated", "task.extension_requested",
        "task.extension_decided", "task.progress_reported", "task.reopened", "task.progress_reported",
        "task.completed"]
    assert bodies[4]["data"]["deadline_on"] == iso(extended_to)
    assert f"đến {dmy_short(extended_to)}" in bodies[4]["data"]["text"]
    assert bodies[-1]["data"]["status"] == "completed"
    assert bodies[-1]["data"]["text"].endswith(f"đã hoàn thành đúng hạn (thời hạn {dmy_short(extended_to)}).")
    assert "30%" in bodies[1]["data"]["text"]


def test_each_body_says_its_own_events_figures(clients, receiver, directive, make_task, deliver, agencies):
    """Reports in quick succession are fanned out after the last of them: each body still says the state its own
    journal row recorded (status, progress, title as then), and its Vietnamese line agrees with its fields."""
    hook = subscribe(clients, receiver, directive)
    task = make_task()
    tid, first_title = task["id"], task["title"]
    deliver()  # task.created, out of the way
    assert clients.lead.post(f"/tasks/{tid}/progress", json={"status": "in_progress", "progress_percent": 60,
                                                              "note": "Đã trình dự thảo lần 2"}).status_code == 200
    assert clients.lead.post(f"/tasks/{tid}/progress", json={"status": "in_progress", "progress_percent": 100,
                                                              "note": "Đã hoàn thiện dự thảo"}).status_code == 200
    etag = clients.secretariat.get(f"/tasks/{tid}").headers["ETag"]
    new_title = "Trình Chính phủ Nghị định về hóa đơn, chứng từ điện tử (sửa tên)"
    assert clients.secretariat.patch(f"/tasks/{tid}", json={"title": new_title, "priority": False},
                                     headers={"If-Match": etag}).status_code == 200
    assert clients.lead.post(f"/tasks/{tid}/progress", json=DONE_REPORT).status_code == 200
    deliver()

    bodies = sorted((verified(hook, r) for r in receiver.at(hook["path"])),
                    key=lambda b: b["data"]["event"]["journal_id"])
    assert [b["type"] for b in bodies] == ["task.created", "task.progress_reported", "task.progress_reported",
                                           "task.updated", "task.progress_reported"]
    _, sixty, hundred, edited, done = (b["data"] for b in bodies)
    assert (sixty["status"], sixty["progress_percent"], sixty["title"], sixty["priority"]) == (
        "in_progress", 60, first_title, True)
    assert sixty["text"] == f"Bộ Tài chính báo cáo tiến độ nhiệm vụ '{first_title}': 60%."
    assert sixty["event"]["note"] == "Đã trình dự thảo lần 2"
    assert (hundred["status"], hundred["progress_percent"], hundred["title"]) == ("in_progress", 100, first_title)
    assert hundred["text"] == f"Bộ Tài chính báo cáo tiến độ nhiệm vụ '{first_title}': 100%."
    assert (edited["title"], edited["priority"], edited["progress_percent"]) == (new_title, False, 100)
    assert edited["text"] == f"Nhiệm vụ '{new_title}' của Bộ Tài chính đã được cập nhật."
    assert (done["status"], done["progress_percent"], done["completed_on"], done["title"]) == (
        "reported_done", 100, DONE_REPORT["evidence"]["document_date"], new_title)
    assert done["text"].startswith(f"Bộ Tài chính báo cáo đã hoàn thành nhiệm vụ '{new_title}' (70/2025/NĐ-CP)")
    # The message log keeps the same bodies.
    logged = {m["payload"]["data"]["event"]["journal_id"]: m["payload"]["data"] for m in messages(clients, hook)}
    assert logged[sixty["event"]["journal_id"]]["progress_percent"] == 60
    # And the journal says it too.
    history = every_item(clients.observer, f"/tasks/{tid}/history")
    assert [e["progress_percent"] for e in history] == [0, 60, 100, 100, 100]


def test_filters_by_event_type_lead_agency_and_priority(clients, receiver, directive, make_task, deliver, agencies):
    completed_only = subscribe(clients, receiver, directive, event_types=["task.completed"])
    other_lead = subscribe(clients, receiver, directive, lead_agency_ids=[agencies["000.00.00.H29"]["id"]])
    priority_only = subscribe(clients, receiver, directive, priority_only=True)
    make_task(priority=False)
    task = make_task(priority=True)
    clients.lead.post(f"/tasks/{task['id']}/progress", json=DONE_REPORT)
    clients.secretariat.post(f"/tasks/{task['id']}/accept")
    deliver()
    assert [verified(completed_only, r)["type"] for r in receiver.at(completed_only["path"])] == ["task.completed"]
    assert receiver.at(other_lead["path"]) == []
    assert {verified(priority_only, r)["data"]["task_id"] for r in receiver.at(priority_only["path"])} == {task["id"]}


def test_failures_are_retried_with_backoff_and_the_same_id(clients, receiver, directive, make_task, deliver, clock):
    hook = subscribe(clients, receiver, directive, Reply(500, body=b"boom"), Reply(503))
    make_task()
    deliver()
    [message] = messages(clients, hook)
    assert message["status"] == "pending" and message["attempt_count"] == 1
    wait = datetime.fromisoformat(message["next_attempt_at"]) - clock.now
    assert timedelta(seconds=4) <= wait <= timedelta(seconds=6)  # 5 s ± 20 %

    deliver()  # nothing is due yet
    assert len(receiver.at(hook["path"])) == 1
    clock.advance(seconds=7)
    deliver()
    [message] = messages(clients, hook)
    assert message["attempt_count"] == 2 and message["last_status_code"] == 503
    wait = datetime.fromisoformat(message["next_attempt_at"]) - clock.now
    assert timedelta(minutes=4) <= wait <= timedelta(minutes=6)
    clock.advance(minutes=7)
    deliver()

    [message] = messages(clients, hook)
    assert message["status"] == "delivered"
    requests = receiver.at(hook["path"])
    assert len(requests) == 3
    assert len({r.headers["webhook-id"] for r in requests}) == 1
    assert all(verified(hook, r)["type"] == "task.created" for r in requests)
    log = attempts(clients, message["id"])
    assert [a["status_code"] for a in log] == [500, 503, 200]
    assert [a["success"] for a in log] == [False, False, True]
    assert log[0]["response_body"] == "boom" and all(a["latency_ms"] >= 0 for a in log)
    assert walked_in_small_pages(clients.secretariat, f"/messages/{message['id']}/attempts", 2) == log  # 2 + 1


def test_retry_after_is_honoured(clients, receiver, directive, make_task, deliver, clock):
    hook = subscribe(clients, receiver, directive, Reply(429, headers={"Retry-After": "600"}))
    make_task()
    deliver()
    [message] = messages(clients, hook)
    assert datetime.fromisoformat(message["next_attempt_at"]) - clock.now >= timedelta(seconds=600)


def test_after_eight_failed_attempts_the_message_is_dead(clients, receiver, directive, make_task, deliver, clock):
    hook = subscribe(clients, receiver, directive, *[Reply(500)] * 8)
    make_task()
    for _ in range(8):
        deliver()
        clock.advance(hours=13)
    [message] = messages(clients, hook)
    assert message["status"] == "dead" and message["attempt_count"] == 8
    assert len(receiver.at(hook["path"])) == 8
    assert [m["id"] for m in messages(clients, hook, status="dead")] == [message["id"]]

    redelivered = clients.secretariat.post(f"/messages/{message['id']}/redeliver")
    assert redelivered.status_code == 200 and redelivered.json()["status"] == "pending"
    clock.catch_up()
    deliver()
    [message] = messages(clients, hook)
    assert message["status"] == "delivered"
    assert {r.headers["webhook-id"] for r in receiver.at(hook["path"])} == {message["id"]}


def test_replay_requeues_every_failure_since_a_time(clients, receiver, directive, make_task, deliver, clock):
    hook = subscribe(clients, receiver, directive, *[Reply(500)] * 3)
    since = clock.now - timedelta(seconds=1)
    for _ in range(3):
        make_task()
    deliver()
    assert {m["status"] for m in messages(clients, hook)} == {"pending"}
    replayed = clients.secretariat.post(f"/webhooks/{hook['id']}/replay", params={"since": since.isoformat()})
    assert replayed.status_code == 200 and replayed.json() == {"requeued": 3}
    clock.catch_up()
    deliver()
    assert {m["status"] for m in messages(clients, hook)} == {"delivered"}
    no_zone = clients.secretariat.post(f"/webhooks/{hook['id']}/replay", params={"since": "2026-01-01T00:00:00"})
    assert no_zone.status_code == 422 and no_zone.json()["detail"][0]["field"] == "since"


def test_410_disables_the_endpoint_and_tells_the_secretariat(clients, receiver, directive, make_task, deliver,
                                                              clock):
    watcher = subscribe(clients, receiver, directive, event_types=["endpoint.disabled"])
    gone = subscribe(clients, receiver, directive, Reply(410), client=clients.lead, event_types=["task.created"])
    make_task()
    deliver()
    make_task()
    deliver()
    assert len(receiver.at(gone["path"])) == 1  # nothing more is sent to it
    state = clients.lead.get(f"/webhooks/{gone['id']}").json()
    assert state["active"] is False and "410" in state["disabled_reason"]
    assert {m["status"] for m in messages(clients, gone, client=clients.lead)} == {"dead"}
    notices = [verified(watcher, r) for r in receiver.at(watcher["path"])]
    assert [n["type"] for n in notices] == ["endpoint.disabled"]
    assert notices[0]["data"]["endpoint_id"] == gone["id"] and "410" in notices[0]["data"]["text"]

    refused = clients.lead.post(f"/webhooks/{gone['id']}/replay", params={"since": "2026-01-01T00:00:00Z"})
    assert refused.status_code == 422
    revived = clients.lead.patch(f"/webhooks/{gone['id']}", json={"active": True})
    assert revived.json()["active"] is True and revived.json()["disabled_reason"] is None
    assert clients.lead.post(f"/webhooks/{gone['id']}/replay",
                             params={"since": "2026-01-01T00:00:00Z"}).json() == {"requeued": 1}
    clock.catch_up()
    deliver()
    assert len(receiver.at(gone["path"])) == 2


def test_an_endpoint_failing_for_five_days_is_disabled(clients, receiver, directive, make_task, deliver, clock):
    hook = subscribe(clients, receiver, directive, *[Reply(500)] * 20)
    task = make_task()
    deliver()
    clock.advance(days=4, hours=23)
    deliver()
    assert clients.secretariat.get(f"/webhooks/{hook['id']}").json()["active"] is True
    clock.advance(hours=2)
    etag = clients.secretariat.get(f"/tasks/{task['id']}").headers["ETag"]
    clients.secretariat.patch(f"/tasks/{task['id']}", json={"priority": False}, headers={"If-Match": etag})
    deliver()
    state = clients.secretariat.get(f"/webhooks/{hook['id']}").json()
    assert state["active"] is False and "5 days" in state["disabled_reason"]


def test_redirects_are_not_followed(clients, receiver, directive, make_task, deliver):
    target = f"/hook/{uuid.uuid4().hex[:10]}"
    hook = subscribe(clients, receiver, directive, Reply(302, headers={"Location": receiver.base_url + target}))
    make_task()
    deliver()
    [message] = messages(clients, hook)
    assert message["status"] == "pending" and message["last_status_code"] == 302
    assert receiver.at(target) == []


def test_ping_is_sent_now_and_answers_with_the_attempt(clients, receiver, directive):
    hook = subscribe(clients, receiver, directive, Reply(200, body=b"pong"))
    response = clients.secretariat.post(f"/webhooks/{hook['id']}/test")
    assert response.status_code == 200, response.text
    attempt = response.json()
    assert attempt["success"] is True and attempt["status_code"] == 200 and attempt["response_body"] == "pong"
    [request] = receiver.at(hook["path"])
    body = verified(hook, request)
    assert body["type"] == "ping" and request.headers["webhook-id"] == attempt["message_id"]


def test_rotated_secret_signs_with_both_for_a_day(clients, receiver, directive, make_task, deliver, clock):
    hook = subscribe(clients, receiver, directive)
    rotated = clients.secretariat.post(f"/webhooks/{hook['id']}/rotate-secret")
    assert rotated.status_code == 200
    new_secret = rotated.json()["secret"]
    assert new_secret != hook["secret"] and rotated.json()["previous_secret_expires_at"]
    make_task()
    deliver()
    [request] = receiver.at(hook["path"])
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    verified(hook, request)  # the old secret still verifies
    verified({"secret": new_secret}, request)

    clock.advance(hours=25)
    make_task()
    deliver()
    later = receiver.at(hook["path"])[-1]
    assert len(later.headers["webhook-signature"].split(" ")) == 1
    verified({"secret": new_secret}, later)


UNSAFE_URLS = [
    "https://10.1.2.3/hook",  # private
    "https://172.16.0.1/hook",
    "https://192.168.1.10/hook",
    "https://169.254.169.254/latest/meta-data",  # link-local, cloud metadata
    "https://100.64.0.7/hook",  # CGNAT
    "https://224.0.0.251/hook",  # multicast
    "https://240.0.0.1/hook",  # reserved
    "https://0.0.0.0/hook",
    "https://[::ffff:10.0.0.1]/hook",  # IPv4-mapped IPv6
    "https://[fe80::1]/hook",
    "https://[fc00::1]/hook",
    "https://[::1]/hook",
]


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_internal_targets_are_refused(clients, url):
    response = clients.secretariat.post("/webhooks", json={"url": url})
    assert response.status_code == 422, response.text
    [problem] = response.json()["detail"]
    assert problem["field"] == "url" and problem["type"] == "unsafe_url"
    assert "mạng nội bộ" in problem["msg_vi"] and "internal" in problem["msg"]


def test_loopback_and_plain_http_need_the_operator(clients, receiver):
    strict = Settings(database_url="sqlite://")
    with pytest.raises(security.UnsafeUrl, match="loopback"):
        security.resolve("https://localhost/hook", strict)
    with pytest.raises(security.UnsafeUrl, match="https"):
        security.resolve("http://example.org/hook", strict)
    assert security.resolve(receiver.base_url + "/x", clients.database.settings()).address == "127.0.0.1"
    for url in ("ftp://example.org/", "https://user:pw@example.org/", "not a url", "https:///nohost"):
        assert clients.secretariat.post("/webhooks", json={"url": url}).status_code == 422


def test_the_address_is_checked_again_at_send_time(clients, receiver, directive, make_task, deliver):
    hook = subscribe(clients, receiver, directive)
    make_task()
    deliver(webhook_allowed_networks="")  # the operator withdrew the exemption since the subscription was made
    [message] = messages(clients, hook)
    assert message["status"] == "pending" and "loopback" in message["last_error"]
    assert receiver.at(hook["path"]) == []


def test_each_agency_manages_only_its_own_webhooks(clients, receiver, directive):
    mine = subscribe(clients, receiver, directive, client=clients.lead)
    observer = subscribe(clients, receiver, directive, client=clients.observer)
    assert observer["owner_agency_id"] != mine["owner_agency_id"]
    for call in (lambda c: c.get(f"/webhooks/{mine['id']}"),
                 lambda c: c.patch(f"/webhooks/{mine['id']}", json={"description": "của tôi"}),
                 lambda c: c.post(f"/webhooks/{mine['id']}/rotate-secret"),
                 lambda c: c.get(f"/webhooks/{mine['id']}/messages"),
                 lambda c: c.delete(f"/webhooks/{mine['id']}")):
        response = call(clients.other_agency)
        assert response.status_code == 403, response.text
        assert response.json()["detail"]["message_vi"]
    assert clients.lead.get(f"/webhooks/{mine['id']}").json()["description"] == "Tổ giúp việc tỉnh"
    assert mine["id"] not in {w["id"] for w in clients.other_agency.get("/webhooks").json()}
    assert {mine["id"], observer["id"]} <= {w["id"] for w in clients.secretariat.get("/webhooks").json()}
    assert clients.anonymous.get("/webhooks").status_code == 401

    assert clients.lead.delete(f"/webhooks/{mine['id']}").status_code == 204
    assert clients.lead.get(f"/webhooks/{mine['id']}").status_code == 404


def test_another_token_of_the_secretariats_agency_cannot_touch_its_webhooks(clients, receiver, directive):
    """The secretariat's subscriptions receive escalations: an observer or agency token issued to the secretariat's
    own agency may neither see nor change them."""
    hook = subscribe(clients, receiver, directive)
    for role in ("observer", "agency"):
        headers = {"Authorization": f"Bearer {clients.database.token(SECRETARIAT_AGENCY, role)}"}
        with httpx.Client(base_url=str(clients.secretariat.base_url), headers=headers) as same_agency:
            assert hook["id"] not in {w["id"] for w in same_agency.get("/webhooks").json()}
            for response in (same_agency.get(f"/webhooks/{hook['id']}"),
                             same_agency.post(f"/webhooks/{hook['id']}/rotate-secret"),
                             same_agency.patch(f"/webhooks/{hook['id']}", json={"description": "x"})):
                assert response.status_code == 403, response.text
            own = same_agency.post("/webhooks", json={"url": receiver.base_url + "/hook/own"})
            assert own.status_code == 201 and same_agency.get(f"/webhooks/{own.json()['id']}").status_code == 200
    assert clients.secretariat.get(f"/webhooks/{hook['id']}").json()["description"] == "Tổ giúp việc tỉnh"


def test_a_host_name_with_an_empty_or_overlong_label_is_a_422(clients):
    for url in (f"https://{'a' * 64}.com/", "https://a..b.com/"):
        response = clients.secretariat.post("/webhooks", json={"url": url})
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["field"] == "url"


def test_bad_subscription_input_is_a_bilingual_422(clients, receiver):
    url = receiver.base_url + "/hook/bad"
    cases = [{"url": url, "event_types": ["task.exploded"]}, {"url": url, "lead_agency_ids": [2_000_000]},
             {"url": url, "directive_ids": [0]}, {"url": url, "extra": 1}, {}]
    for body in cases:
        response = clients.secretariat.post("/webhooks", json=body)
        assert response.status_code == 422, (body, response.text)
        assert all(d["msg_vi"] for d in response.json()["detail"])
    hook = clients.secretariat.post("/webhooks", json={"url": url}).json()
    assert clients.secretariat.patch(f"/webhooks/{hook['id']}", json={"url": None}).status_code == 422
    assert clients.secretariat.get("/messages/msg_nope/attempts").status_code == 404
    assert clients.secretariat.get(f"/webhooks/{hook['id']}/messages", params={"cursor": "%%"}).status_code == 422
    assert json.loads(clients.secretariat.get(f"/webhooks/{hook['id']}").text)["url"] == url


def test_serve_delivers_by_itself_unless_the_scheduler_is_off(clients, receiver, directive, make_task):
    """The other tests drive the worker by hand; a default `roviec serve` runs it on its own, every second."""
    hook = subscribe(clients, receiver, directive)
    with serving(clients.database, ROVIEC_SCHEDULER="on", ROVIEC_WEBHOOK_POLL_SECONDS="0.2"):
        deadline = time.monotonic() + 20
        make_task()
        while not receiver.at(hook["path"]) and time.monotonic() < deadline:
            time.sleep(0.1)
        [request] = receiver.at(hook["path"])
        assert verified(hook, request)["type"] == "task.created"


def test_a_wild_retry_after_is_capped_not_fatal(clients, receiver, directive, make_task, deliver, clock):
    hook = subscribe(clients, receiver, directive, Reply(503, headers={"Retry-After": "99999999999999999999"}))
    make_task()
    deliver()
    [message] = messages(clients, hook)
    assert message["status"] == "pending" and message["attempt_count"] == 1
    wait = datetime.fromisoformat(message["next_attempt_at"]) - clock.now
    assert timedelta(hours=23) <= wait <= timedelta(days=1, minutes=1)


def test_vietnamese_domain_names_are_checked_as_punycode():
    _, host, port = security.check_url_form("https://bộtàichính.vn/hook", Settings(database_url="sqlite://"))
    assert host == "xn--btichnh-9va4j8495a.vn" and port == 443


def test_replay_since_out_of_range_is_a_422(clients, receiver, directive):
    hook = subscribe(clients, receiver, directive)
    for since in ("0001-01-01T00:00:00+07:00", "9999-12-31T23:00:00-05:00"):
        response = clients.secretariat.post(f"/webhooks/{hook['id']}/replay", params={"since": since})
        assert response.status_code == 422 and response.json()["detail"][0]["field"] == "since"
