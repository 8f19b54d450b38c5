"""The deadline watch, on an injected clock: windows, escalation, resolution, digests, preview, the working calendar,
and exactly one message per window however many scans or processes run."""

import multiprocessing
import uuid
from datetime import date, datetime, time, timedelta
from time import sleep
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlmodel import Session

from app.alerts import service as alert_service
from app.alerts.models import AlertScanState
from app.calendar import service as calendar_service
from app.calendar.service import WorkCalendar
from app.config import Settings
from app.db import make_engine
from app.tasks.deadlines import parse_deadline
from app.webhooks.models import WebhookEndpoint, WebhookMessage
from tests.conftest import DONE_REPORT, LEAD_AGENCY
from tests.dates import dmy, dmy_short, friday_ahead, iso, saturday_ahead, wednesday_ahead
from tests.receiver import Reply
from tests.webhooks.helpers import messages, subscribe, verified

# Integration: a real `roviec serve` process over HTTP.
pytestmark = pytest.mark.real_server

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
ALERTS = ["task.due_soon", "task.due_today", "task.overdue", "task.escalated", "task.overdue_resolved"]
DEADLINE = wednesday_ahead(at_least=14)  # a Wednesday, no holiday within 10 days of it


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=HCM)


@pytest.fixture
def scan(clients, write_engine, clock):
    """One run of the real scan in this process at `clock`, committed. Each test starts with a full scan: the
    previous test's injected clock may have left the scan state on any day."""
    with Session(write_engine) as session:
        session.execute(delete(AlertScanState))
        session.commit()

    def run(**overrides) -> alert_service.ScanResult:
        calendar_service.forget()  # the server may have changed the calendar
        for _ in range(100):
            with Session(write_engine) as session:
                result = alert_service.scan(session=session, now=clock.now,
                                            settings=clients.database.settings(**overrides))
                session.commit()
            # Skipped: another scan holds the PostgreSQL lock, as a second replica would. The test wants this scan.
            if not result.skipped:
                return result
            sleep(0.1)
        pytest.fail(f"the deadline scan stayed locked out: {_lock_holders(write_engine)}")

    return run


def _lock_holders(engine) -> list:
    with engine.connect() as connection:
        return connection.execute(text(
            "SELECT a.pid, a.state, a.query FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.objid = :key"), {"key": alert_service.SCAN_LOCK}).all()


def received(receiver, hook) -> list[dict]:
    return [verified(hook, r) for r in receiver.at(hook["path"])]


def test_a_task_through_its_life(clients, receiver, directive, make_task, scan, deliver, clock, agencies):
    secretariat = subscribe(clients, receiver, directive, event_types=ALERTS)
    follower = subscribe(clients, receiver, directive, client=clients.observer, event_types=ALERTS,
                         lead_agency_ids=[agencies[LEAD_AGENCY]["id"]])
    task = make_task(deadline=dmy(DEADLINE))
    expected = {-8: [], -7: ["task.due_soon"], -5: [], -4: [], -3: ["task.due_soon"], -2: [], -1: ["task.due_soon"],
                0: ["task.due_today"], 1: ["task.overdue"], 2: [], 3: [], 4: ["task.overdue"], 6: [],
                7: ["task.escalated", "task.overdue"]}
    for offset, types in expected.items():
        clock.now = noon(DEADLINE + timedelta(days=offset))
        before = len(receiver.at(secretariat["path"]))
        scan()
        deliver()
        new = received(receiver, secretariat)[before:]
        assert sorted(b["type"] for b in new) == types, offset
    texts = [b["data"]["text"] for b in received(receiver, secretariat)]
    assert texts[0].endswith(f"của Bộ Tài chính còn 7 ngày đến hạn (thời hạn {dmy_short(DEADLINE)}).")
    assert "còn 3 ngày" in texts[1] and "còn 1 ngày" in texts[2]
    assert texts[3].endswith(f"đến hạn hôm nay ({dmy_short(DEADLINE)}).")
    assert texts[4].endswith(f"đã quá hạn 1 ngày (thời hạn {dmy_short(DEADLINE)}).") and "quá hạn 4 ngày" in texts[5]
    escalation = next(b for b in received(receiver, secretariat) if b["type"] == "task.escalated")
    assert "quá hạn 7 ngày" in escalation["data"]["text"] and "Bộ trưởng Bộ Tài chính" in escalation["data"]["text"]
    assert escalation["data"]["days_overdue"] == 7 and escalation["data"]["task_id"] == task["id"]
    # The observer follows the lead agency but is neither the lead agency nor the secretariat: no escalation.
    assert [b["type"] for b in received(receiver, follower)].count("task.escalated") == 0
    assert [b["type"] for b in received(receiver, follower)].count("task.overdue") == 3

    for _ in range(10):  # the same minute again and again: nothing new
        assert scan().raised == 0
    deliver()
    assert len(receiver.at(secretariat["path"])) == 8

    assert clients.lead.post(f"/tasks/{task['id']}/progress", json=DONE_REPORT).status_code == 200
    assert clients.secretariat.post(f"/tasks/{task['id']}/accept").status_code == 200
    clock.advance(days=1)
    scan()
    deliver()
    last = received(receiver, secretariat)[-1]
    assert last["type"] == "task.overdue_resolved" and last["data"]["status"] == "completed"
    assert "(từng quá hạn) đã hoàn thành" in last["data"]["text"]
    assert received(receiver, follower)[-1]["type"] == "task.overdue_resolved"
    assert len(receiver.at(secretariat["path"])) == 9


def test_reported_done_is_not_chased_and_extensions_rearm_the_windows(clients, receiver, directive, make_task, scan,
                                                                      deliver, clock):
    hook = subscribe(clients, receiver, directive, event_types=ALERTS)
    reported = make_task(deadline=dmy(DEADLINE))
    extended = make_task(deadline=dmy(DEADLINE))
    assert clients.lead.post(f"/tasks/{reported['id']}/progress", json=DONE_REPORT).status_code == 200
    clock.now = noon(DEADLINE + timedelta(days=1))
    scan()
    deliver()
    assert [(b["type"], b["data"]["task_id"]) for b in received(receiver, hook)] == [("task.overdue", extended["id"])]

    new_deadline = DEADLINE + timedelta(days=35)
    request = clients.lead.post(f"/tasks/{extended['id']}/extension-requests",
                                json={"kind": "extend", "requested_deadline": iso(new_deadline),
                                      "reason": "Chờ thẩm định"})
    decided = clients.secretariat.post(f"/extension-requests/{request.json()['id']}/decision",
                                       json={"decision": "approved"})
    assert decided.status_code == 200
    clock.now = noon(new_deadline - timedelta(days=7))
    scan()
    deliver()
    last = received(receiver, hook)[-1]
    assert last["type"] == "task.due_soon" and last["data"]["deadline_on"] == iso(new_deadline)
    assert "còn 7 ngày" in last["data"]["text"]


def test_digest_groups_a_run_and_truncates_past_100(clients, receiver, directive, backdated, scan, deliver, clock):
    hook = subscribe(clients, receiver, directive, event_types=["task.overdue"], digest=True)
    for _ in range(101):
        backdated(datetime.now(HCM), deadline=iso(DEADLINE))
    clock.now = noon(DEADLINE + timedelta(days=1))
    scan()
    scan()
    deliver()
    [digest] = received(receiver, hook)
    assert digest["type"] == "task.overdue"
    data = digest["data"]
    assert data["digest"] is True and data["count"] == 101 and data["truncated"] is True
    assert len(data["tasks"]) == 100 and data["tasks"][0]["days_overdue"] == 1
    assert data["text"] == "Có 101 nhiệm vụ quá hạn (cơ quan chủ trì: Bộ Tài chính)."
    clock.advance(days=3)  # the next window of the same tasks: one more digest
    scan()
    deliver()
    assert [d["data"]["count"] for d in received(receiver, hook)] == [101, 101]


def test_a_later_scan_of_the_day_digests_only_what_it_raised(clients, receiver, directive, make_task, scan, deliver,
                                                             clock):
    soon = (clock.now.astimezone(HCM) + timedelta(days=3)).date()
    hook = subscribe(clients, receiver, directive, event_types=["task.due_soon"], digest=True)
    make_task(deadline=soon.isoformat())
    make_task(deadline=soon.isoformat())
    scan()
    clock.catch_up()
    clock.advance(seconds=1)
    late = make_task(deadline=soon.isoformat())
    clock.catch_up()
    scan()
    scan()  # the same tick retried: its digest is not sent twice
    deliver()
    # Both digests are sent in the same run, concurrently: compare them in the order of the scans that made them.
    digests = sorted(received(receiver, hook), key=lambda d: d["timestamp"])
    assert [d["data"]["count"] for d in digests] == [2, 1]
    assert [t["task_id"] for t in digests[1]["data"]["tasks"]] == [late["id"]]


def test_preview_shows_what_would_fire_and_keeps_nothing(clients, receiver, directive, make_task, scan, clock):
    hook = subscribe(clients, receiver, directive, event_types=ALERTS)
    mine = subscribe(clients, receiver, directive, client=clients.lead, event_types=ALERTS)
    task = make_task(deadline=dmy(DEADLINE))
    as_of = noon(DEADLINE + timedelta(days=1)).isoformat()
    for _ in range(2):
        response = clients.secretariat.get("/alerts/preview", params={"as_of": as_of})
        assert response.status_code == 200, response.text
        by_hook = {s["webhook_id"]: s for s in response.json()["subscriptions"]}
        assert {"type": "task.overdue", "task_id": task["id"], "window": f"overdue:{task['id']}:{iso(DEADLINE)}:1"} in \
            by_hook[hook["id"]]["alerts"]
    # An agency previews its own subscriptions (other tests of the run may have made more of them), never the
    # secretariat's.
    preview = clients.lead.get("/alerts/preview", params={"as_of": as_of}).json()
    own = {s["webhook_id"] for s in preview["subscriptions"]}
    assert mine["id"] in own and hook["id"] not in own
    assert own <= {w["id"] for w in clients.lead.get("/webhooks").json()}
    without_zone = noon(DEADLINE + timedelta(days=1)).replace(tzinfo=None).isoformat()
    assert clients.secretariat.get("/alerts/preview", params={"as_of": without_zone}).status_code == 422
    clock.now = noon(DEADLINE + timedelta(days=1))
    assert scan().raised >= 2  # the preview stored nothing


def test_deadline_on_a_day_off_moves_to_the_next_working_day():
    calendar = WorkCalendar({})
    assert calendar.effective(date(2026, 12, 5)) == date(2026, 12, 7)  # Saturday -> Monday
    assert calendar.effective(date(2026, 12, 4)) == date(2026, 12, 4)
    # Tết Bính Ngọ: 16-20/2/2026 off, with the weekends on both sides.
    assert calendar.effective(date(2026, 2, 13)) == date(2026, 2, 13)  # the last working day before Tết
    assert calendar.effective(date(2026, 2, 14)) == date(2026, 2, 23)
    assert calendar.effective(date(2026, 2, 18)) == date(2026, 2, 23)
    month = parse_deadline("trong tháng 2/2026")
    assert month == date(2026, 2, 28) and calendar.effective(month) == date(2026, 3, 2)
    assert calendar.is_working_day(date(2026, 8, 22))  # a Saturday worked in exchange for 31/8/2026
    assert not calendar.is_working_day(date(2026, 8, 31))
    assert calendar.add_working_days(date(2026, 2, 10), 10) == date(2026, 3, 3)
    assert parse_deadline("trong 10 ngày làm việc", working_days_from=date(2026, 2, 10),
                          calendar=calendar) == date(2026, 3, 3)


def test_alerts_follow_the_effective_deadline(clients, receiver, directive, make_task, scan, deliver, clock):
    hook = subscribe(clients, receiver, directive, event_types=ALERTS)
    saturday = saturday_ahead(at_least=7)
    monday = saturday + timedelta(days=2)
    make_task(deadline=dmy(saturday))
    for day, types in ((saturday, ["task.due_soon"]), (saturday + timedelta(days=1), ["task.due_soon"]),
                       (monday, ["task.due_today"]), (monday + timedelta(days=1), ["task.overdue"])):
        clock.now = noon(day)
        before = len(receiver.at(hook["path"]))
        scan()
        deliver()
        assert [b["type"] for b in received(receiver, hook)[before:]] == types, day
    overdue = received(receiver, hook)[-1]["data"]
    assert overdue["effective_deadline_on"] == iso(monday) and overdue["days_overdue"] == 1
    assert overdue["text"].endswith(
        f"đã quá hạn 1 ngày (thời hạn {dmy_short(saturday)}, lùi sang ngày làm việc {dmy_short(monday)}).")


def test_working_days_skip_the_new_day_off():
    # 24/11/2026 is Ngày Văn hóa Việt Nam, a day off from 2026: 10 working days from 20/11/2026 end on 7/12/2026.
    assert WorkCalendar({}).add_working_days(date(2026, 11, 20), 10) == date(2026, 12, 7)


def test_working_day_deadline_and_the_secretariat_calendar(clients, directive, make_task, agencies):
    today = datetime.now(HCM).date()
    issued = clients.secretariat.post("/directives", json={
        "number": f"{uuid.uuid4().hex[:8]}/TB-VPCP", "title": "Thông báo kết luận ký hôm nay",
        "issued_on": today.isoformat(), "meeting_name": "Phiên họp hôm nay", "meeting_date": today.isoformat(),
        "issuer": "Văn phòng Chính phủ"}).json()
    task = make_task(deadline="trong 10 ngày làm việc", directive_id=issued["id"])
    assert task["deadline_on"] == WorkCalendar({}).add_working_days(today, 10).isoformat()
    assert task["deadline_text"] == "trong 10 ngày làm việc"

    days = clients.observer.get("/calendar/days", params={"year": 2026})
    assert days.status_code == 200
    listed = {d["day"]: d for d in days.json()}
    assert listed["2026-02-17"]["kind"] == "holiday" and listed["2026-02-17"]["source"] == "statutory"
    assert listed["2026-08-22"]["kind"] == "working_day"

    day_off = friday_ahead(at_least=4 * 365)  # years ahead, an ordinary weekend after it
    entry = {"day": iso(day_off), "kind": "holiday", "reason": "Nghỉ bù theo thông báo của Bộ Nội vụ"}
    assert clients.observer.post("/calendar/days", json=entry).status_code == 403
    assert clients.lead.post("/calendar/days", json=entry).status_code == 403
    added = clients.secretariat.post("/calendar/days", json=entry)
    assert added.status_code == 201, added.text
    try:
        assert added.json()["source"] == "secretariat"
        duplicate = clients.secretariat.post("/calendar/days", json=entry)
        assert duplicate.status_code == 422 and duplicate.json()["detail"][0]["field"] == "day"
        listed = {d["day"]: d for d in clients.secretariat.get("/calendar/days",
                                                                 params={"year": day_off.year}).json()}
        assert listed[iso(day_off)]["reason"] == entry["reason"]
        friday = make_task(deadline=dmy(day_off))
        assert friday["effective_deadline_on"] == iso(day_off + timedelta(days=3))
        bad = clients.secretariat.post("/calendar/days", json={"day": f"{day_off.year}-13-01", "kind": "holiday",
                                                                "reason": "sai"})
        assert bad.status_code == 422 and all(d["msg_vi"] for d in bad.json()["detail"])
    finally:
        assert clients.secretariat.delete(f"/calendar/days/{iso(day_off)}").status_code == 204
    assert clients.secretariat.delete(f"/calendar/days/{iso(day_off)}").status_code == 404
    assert clients.observer.get(f"/tasks/{friday['id']}").json()["effective_deadline_on"] == iso(day_off)


def _scan_for_a_minute(url: str, start: datetime) -> int:
    """One of three processes running the scan every second of a minute of injected time."""
    settings = Settings(database_url=url)
    engine = make_engine(settings.sqlalchemy_url)
    raised = 0
    for second in range(60):
        with Session(engine) as session:
            raised += alert_service.scan(session=session, now=start + timedelta(seconds=second),
                                         settings=settings).raised
            session.commit()
    engine.dispose()
    return raised


@pytest.mark.postgresql_only
def test_three_processes_raise_each_window_once(clients, receiver, directive, make_task, write_engine):
    hook = subscribe(clients, receiver, directive, event_types=ALERTS)
    digest = subscribe(clients, receiver, directive, event_types=ALERTS, digest=True)
    tasks = [make_task(deadline=dmy(DEADLINE))["id"] for _ in range(5)]
    start = noon(DEADLINE + timedelta(days=7))
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        pool.starmap(_scan_for_a_minute, [(clients.database.url, start)] * 3)
    with Session(write_engine) as session:
        keys = session.execute(select(WebhookMessage.task_id, WebhookMessage.dedupe_key).where(
            WebhookMessage.endpoint_id == hook["id"])).all()
        digests = session.execute(select(WebhookMessage.event_type, func.count()).where(
            WebhookMessage.endpoint_id == digest["id"]).group_by(WebhookMessage.event_type)).all()
    assert sorted(keys) == sorted((t, f"{kind}:{t}:{iso(DEADLINE)}{window}") for t in tasks
                                  for kind, window in (("overdue", ":7"), ("escalated", "")))
    assert dict(digests) == {"task.overdue": 1, "task.escalated": 1}


def test_bad_alert_policy_is_refused(clients, receiver, directive):
    for policy in ({"due_soon_days": [0]}, {"overdue_repeat_days": 0}, {"escalate_after_days": "soon"},
                   {"due_soon_days": [1] * 11}, {"bogus": 1}):
        response = clients.secretariat.post("/webhooks", json={"url": receiver.base_url + "/p", "alert_policy": policy})
        assert response.status_code == 422, policy
        assert response.json()["detail"][0]["field"].startswith("alert_policy")
    hook = subscribe(clients, receiver, directive, alert_policy={"due_soon_days": [2, 10], "overdue_repeat_days": 1})
    assert hook["alert_policy"] == {"due_soon_days": [10, 2], "overdue_repeat_days": 1}


def test_a_subscription_policy_changes_its_windows(clients, receiver, directive, make_task, scan, deliver, clock):
    hook = subscribe(clients, receiver, directive, event_types=ALERTS,
                     alert_policy={"due_soon_days": [10], "overdue_repeat_days": 1, "escalate_after_days": 2})
    make_task(deadline=dmy(DEADLINE))
    seen = []
    for offset in (-10, -7, 1, 2):
        clock.now = noon(DEADLINE + timedelta(days=offset))
        scan()
        deliver()
        seen.append(sorted(b["type"] for b in received(receiver, hook)[len(sum(seen, [])):]))
    # What each message became (delivered, dead and why) says where a missing alert went.
    assert seen == [["task.due_soon"], [], ["task.overdue"], ["task.escalated", "task.overdue"]], [
        (m["event_type"], m["status"], m["attempt_count"], m.get("last_error")) for m in messages(clients, hook)]


def test_later_scans_of_the_day_see_new_tasks_and_subscriptions(clients, receiver, directive, make_task, scan,
                                                               deliver, clock):
    """After the first scan of a day only what changed is read: a task or subscription added later that day is
    still alerted on the next tick."""
    soon = (clock.now.astimezone(HCM) + timedelta(days=3)).date()
    first = subscribe(clients, receiver, directive, event_types=["task.due_soon"])
    make_task(deadline=soon.isoformat())
    scan()
    clock.catch_up()
    clock.advance(seconds=1)
    late_task = make_task(deadline=soon.isoformat())
    late_hook = subscribe(clients, receiver, directive, event_types=["task.due_soon"])
    clock.catch_up()
    scan()
    deliver()
    assert sorted(b["data"]["task_id"] for b in received(receiver, first))[-1] == late_task["id"]
    assert len(received(receiver, first)) == 2 and len(received(receiver, late_hook)) == 2


def test_switching_to_digest_does_not_repeat_a_window(clients, receiver, directive, make_task, scan, deliver,
                                                      clock):
    hook = subscribe(clients, receiver, directive, event_types=["task.overdue"])
    make_task(deadline=dmy(DEADLINE))
    clock.now = noon(DEADLINE + timedelta(days=1))
    scan()
    deliver()
    assert clients.secretariat.patch(f"/webhooks/{hook['id']}", json={"digest": True}).status_code == 200
    clock.advance(days=1)  # still overdue window 0
    scan()
    deliver()
    assert [b["type"] for b in received(receiver, hook)] == ["task.overdue"]
    clock.advance(days=2)  # window 1 opens: now as a digest
    scan()
    deliver()
    assert received(receiver, hook)[-1]["data"]["digest"] is True


def test_an_alert_overtaken_by_events_is_not_sent(clients, receiver, directive, make_task, scan, deliver, clock):
    hook = subscribe(clients, receiver, directive, event_types=["task.overdue"])
    task = make_task(deadline=dmy(DEADLINE))
    clock.now = noon(DEADLINE + timedelta(days=1))
    scan()
    assert clients.lead.post(f"/tasks/{task['id']}/progress", json=DONE_REPORT).status_code == 200
    deliver()  # the task was reported done before the alert went out
    assert received(receiver, hook) == []
    [message] = clients.secretariat.get(f"/webhooks/{hook['id']}/messages").json()["items"]
    assert message["status"] == "dead" and "no longer due" in message["last_error"]


def test_preview_out_of_range_is_a_422(clients):
    response = clients.secretariat.get("/alerts/preview", params={"as_of": "9999-12-31T23:00:00-05:00"})
    assert response.status_code == 422


def test_a_broken_subscription_does_not_stop_the_scan(clients, receiver, directive, make_task, scan, deliver, clock,
                                                       write_engine):
    broken = subscribe(clients, receiver, directive, event_types=["task.overdue"])
    healthy = subscribe(clients, receiver, directive, event_types=["task.overdue"])
    with Session(write_engine) as session:  # a policy the API refuses, as a faulty manual edit would leave it
        session.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == broken["id"])
                        .values(alert_policy={"due_soon_days": 5}))
        session.commit()
    make_task(deadline=dmy(DEADLINE))
    clock.now = noon(DEADLINE + timedelta(days=1))
    result = scan()
    deliver()
    assert result.failed_endpoints == (broken["id"],)
    assert [b["type"] for b in received(receiver, healthy)] == ["task.overdue"]
    assert received(receiver, broken) == []
    assert clients.secretariat.delete(f"/webhooks/{broken['id']}").status_code == 204


def test_changing_the_overdue_repeat_neither_repeats_nor_silences(clients, receiver, directive, make_task, scan,
                                                                   deliver, clock):
    """Overdue windows are named by the day they open (1, 4, 7 ... days overdue), so a new repeat goes on from the
    window the task is in."""
    hook = subscribe(clients, receiver, directive, event_types=["task.overdue"],
                     alert_policy={"overdue_repeat_days": 1})
    make_task(deadline=dmy(DEADLINE))
    alerted = []
    for offset in range(1, 16):
        if offset == 6:
            assert clients.secretariat.patch(f"/webhooks/{hook['id']}", json={
                "alert_policy": {"overdue_repeat_days": 3}}).status_code == 200
        clock.now = noon(DEADLINE + timedelta(days=offset))
        scan(full=True) if offset == 6 else scan()  # the test clock runs ahead of the PATCH's own time
        deliver()
        alerted = [b["data"]["alert"]["days"] for b in received(receiver, hook)]
    assert alerted == [1, 2, 3, 4, 5, 7, 10, 13]


def test_a_shorter_repeat_does_not_repeat_the_window_of_the_day(clients, receiver, directive, make_task, scan,
                                                                 deliver, clock):
    hook = subscribe(clients, receiver, directive, event_types=["task.overdue"])  # every 3 days
    make_task(deadline=dmy(DEADLINE))
    clock.now = noon(DEADLINE + timedelta(days=4))
    scan()
    assert clients.secretariat.patch(f"/webhooks/{hook['id']}", json={
        "alert_policy": {"overdue_repeat_days": 1}}).status_code == 200
    clock.advance(minutes=5)
    scan(full=True)
    deliver()
    assert [b["data"]["alert"]["days"] for b in received(receiver, hook)] == [4]


def test_a_replayed_alert_whose_window_has_passed_is_not_sent(clients, receiver, directive, make_task, scan, deliver,
                                                              clock):
    hook = subscribe(clients, receiver, directive, event_types=["task.due_soon", "task.due_today"])
    make_task(deadline=dmy(DEADLINE))
    clock.now = noon(DEADLINE - timedelta(days=1))
    scan()  # due_soon:1, queued
    assert clients.secretariat.patch(f"/webhooks/{hook['id']}", json={"active": False}).status_code == 200
    deliver()  # dead: the subscription is off
    assert clients.secretariat.patch(f"/webhooks/{hook['id']}", json={"active": True}).status_code == 200
    replayed = clients.secretariat.post(f"/webhooks/{hook['id']}/replay",
                                        params={"since": noon(DEADLINE - timedelta(days=2)).isoformat()})
    assert replayed.json()["requeued"] == 1
    clock.catch_up()
    clock.now = max(clock.now, noon(DEADLINE + timedelta(days=2)))
    deliver()
    assert received(receiver, hook) == []  # "còn -2 ngày" is never said
    [message] = messages(clients, hook)
    assert message["status"] == "dead" and "no longer due" in message["last_error"]


def test_alerts_overtaken_while_queued_do_not_hold_back_the_ones_behind_them(clients, receiver, directive, make_task,
                                                                             scan, deliver, clock):
    """The worker takes due messages a batch at a time; a batch found stale (set aside, not sent) is not the end of
    the queue. With one send at a time, the first batch is the one stale alert."""
    hook = subscribe(clients, receiver, directive, event_types=["task.due_soon"])
    make_task(deadline=dmy(DEADLINE))
    clock.now = noon(DEADLINE - timedelta(days=7))
    scan()  # due_soon:7, queued and not sent (the worker was down)
    clock.now = noon(DEADLINE - timedelta(days=3))
    scan()  # due_soon:3
    deliver(webhook_concurrency=1)
    [sent] = received(receiver, hook)
    assert "còn 3 ngày đến hạn" in sent["data"]["text"]
    assert sorted(m["status"] for m in messages(clients, hook)) == ["dead", "delivered"]


def test_a_retried_overdue_alert_is_not_sent_after_its_resolution(clients, receiver, directive, make_task, scan,
                                                                  deliver, clock):
    hook = subscribe(clients, receiver, directive, Reply(500), Reply(500), Reply(500), Reply(500),
                     event_types=["task.overdue", "task.overdue_resolved"])
    task = make_task(deadline=dmy(DEADLINE))
    clock.now = noon(DEADLINE + timedelta(days=1))
    scan()
    for wait in (0, 6, 6 * 60, 36 * 60):  # four failed attempts; the fifth is hours away
        clock.advance(seconds=wait)
        deliver()
    assert clients.lead.post(f"/tasks/{task['id']}/progress", json=DONE_REPORT).status_code == 200
    assert clients.secretariat.post(f"/tasks/{task['id']}/accept").status_code == 200
    deliver()
    clock.advance(hours=3)
    deliver()
    answered = [verified(hook, r)["type"] for r in receiver.at(hook["path"])]
    assert answered == ["task.overdue"] * 4 + ["task.overdue_resolved"]


def test_an_escalation_subscriber_hears_of_the_resolution(clients, receiver, directive, make_task, scan, deliver,
                                                          clock):
    hook = subscribe(clients, receiver, directive, event_types=["task.escalated", "task.overdue_resolved"])
    task = make_task(deadline=dmy(DEADLINE))
    clock.now = noon(DEADLINE + timedelta(days=7))
    scan()
    deliver()
    assert clients.lead.post(f"/tasks/{task['id']}/progress", json=DONE_REPORT).status_code == 200
    assert clients.secretariat.post(f"/tasks/{task['id']}/accept").status_code == 200
    clock.catch_up()
    clock.now = max(clock.now, noon(DEADLINE + timedelta(days=8)))
    deliver()
    assert [b["type"] for b in received(receiver, hook)] == ["task.escalated", "task.overdue_resolved"]


def test_a_calendar_edit_reaches_a_scanning_process_with_the_old_calendar_cached(clients, receiver, directive,
                                                                                  make_task, scan, deliver, clock,
                                                                                  write_engine):
    hook = subscribe(clients, receiver, directive, event_types=["task.due_soon", "task.due_today", "task.overdue"])
    saturday = saturday_ahead(at_least=7)
    make_task(deadline=dmy(saturday))  # due on the Monday after
    calendar_service.forget()
    with Session(write_engine) as session:  # this process (the worker) has the calendar cached
        calendar_service.get_calendar(session=session)
    entry = {"day": iso(saturday), "kind": "working_day", "reason": "Làm bù"}
    assert clients.secretariat.post("/calendar/days", json=entry).status_code == 201  # in the API process
    try:
        clock.now = noon(saturday)
        for _ in range(2):
            with Session(write_engine) as session:  # not through the fixture, which forgets the calendar
                alert_service.scan(session=session, now=clock.now, settings=clients.database.settings())
                session.commit()
            deliver()
            clock.advance(minutes=1)
        assert [b["type"] for b in received(receiver, hook)] == ["task.due_today"]
    finally:
        assert clients.secretariat.delete(f"/calendar/days/{iso(saturday)}").status_code == 204
        calendar_service.forget()
