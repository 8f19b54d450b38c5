"""People are told: the deadline watch's windows, the journal's events and the indicators off track reach an
account's inbox and, through a real SMTP server on 127.0.0.1, its mailbox — once per (account, kind, task, window),
at once or in a daily digest at its hour, as it chose; a mail server that refuses or is down is retried, then
dead-lettered, and nothing is lost. The people's scan, the fan-out and the e-mail worker run in this process on an
injected clock; the API and the pages are a real `roviec serve`."""

import re
import time as wallclock
from datetime import datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select
from sqlmodel import Session

from app.auth.models import Account
from app.notifications import service
from app.notifications.models import EmailAttempt, EmailMessage, Notification
from app.tasks import comments, journal
from app.tasks.models import CommentKind, Task
from tests.conftest import DONE_REPORT, LEAD_AGENCY, OTHER_AGENCY, SECRETARIAT_AGENCY, TASK_DEADLINE
from tests.dates import dmy, dmy_short, wednesday_ahead
from tests.notifications.conftest import PUBLIC_URL, inbox

pytestmark = pytest.mark.real_server

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DEADLINE = wednesday_ahead(at_least=14)  # a Wednesday, no holiday within 10 days of it


def at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HCM)


def about(items: list[dict], task_id: int) -> list[dict]:
    return [n for n in items if n["task_id"] == task_id]


def mailed_about(smtp, person, task) -> list:
    return [r for r in smtp.to(person.email) if re.search(rf"/tasks/{task['id']}(?!\d)", r.text)]


def emails_of(write_engine, account_id: int, task_id: int) -> list[EmailMessage]:
    with Session(write_engine) as session:
        return list(session.scalars(select(EmailMessage).where(EmailMessage.account_id == account_id,
                                                               EmailMessage.task_id == task_id)
                                    .order_by(EmailMessage.id)))


def test_a_due_soon_alert_reaches_the_inbox_and_the_mailbox_once_per_window(
        clients, make_task, someone, people_scan, mail, smtp, clock, write_engine):
    officer = someone(LEAD_AGENCY)
    task = make_task(deadline=dmy(DEADLINE))

    clock.now = at(DEADLINE - timedelta(days=7), 9)
    people_scan()
    people_scan()  # a second tick, a second replica: nothing more
    mail()
    mail()
    [received] = mailed_about(smtp, officer, task)
    assert received.subject.startswith("[Rõ Việc] Sắp đến hạn: Trình Chính phủ ban hành Nghị định")
    assert f"còn 7 ngày đến hạn (thời hạn {dmy_short(DEADLINE)})" in received.text
    assert received.text.startswith("Kính gửi Trần Minh Quân,")
    # The page, on the public address, never the API; the way to change what one receives.
    assert f"{PUBLIC_URL}/tasks/{task['id']}" in received.text and "/api/" not in received.text
    assert f'href="{PUBLIC_URL}/tasks/{task["id"]}"' in received.html and "còn 7 ngày" in received.html
    assert received.message["List-Unsubscribe"] == f"<{PUBLIC_URL}/account#notifications>"
    assert received.message["Message-ID"].startswith("<em_") and received.message["To"] == officer.email
    assert "Rõ Việc" in str(received.message["From"])

    page = inbox(officer)
    [notification] = about(page["items"], task["id"])
    assert notification["kind"] == "due_soon" and notification["event_type"] == "task.due_soon"
    assert notification["url"].endswith(f"/tasks/{task['id']}") and "/api/" not in notification["url"]
    assert notification["link"] == f"/tasks/{task['id']}" and notification["read_at"] is None
    assert notification["email"]["status"] == "sent" and notification["email"]["attempts"] == 1
    assert "còn 7 ngày" in notification["text"] and page["unread"] >= 1

    # The next window, once; the same minute again, nothing.
    clock.now = at(DEADLINE - timedelta(days=3), 9)
    for _ in range(3):
        people_scan()
    people_scan(full=True)  # every task read again, as on a new day: still nothing twice
    mail()
    assert [r.subject.split(": ")[0] for r in mailed_about(smtp, officer, task)] == ["[Rõ Việc] Sắp đến hạn"] * 2
    assert "còn 3 ngày" in mailed_about(smtp, officer, task)[1].text
    assert len(about(inbox(officer)["items"], task["id"])) == 2
    # Due today, then overdue: each its own window.
    clock.now = at(DEADLINE, 9)
    people_scan()
    mail()
    clock.now = at(DEADLINE + timedelta(days=1), 9)
    people_scan()
    people_scan()
    mail()
    subjects = [r.subject for r in mailed_about(smtp, officer, task)]
    assert subjects[2].startswith("[Rõ Việc] Đến hạn hôm nay:") and subjects[3].startswith("[Rõ Việc] Quá hạn:")
    assert len(subjects) == 4
    with Session(write_engine) as session:
        keys = sorted(session.scalars(select(Notification.dedupe_key).where(
            Notification.account_id == officer.account_id, Notification.task_id == task["id"])))
    deadline = DEADLINE.isoformat()
    assert keys == sorted([f"due_soon:{task['id']}:{deadline}:7", f"due_soon:{task['id']}:{deadline}:3",
                           f"due_today:{task['id']}:{deadline}", f"overdue:{task['id']}:{deadline}:1"])


def test_preferences_are_respected_and_the_role_decides_the_defaults(
        clients, make_task, someone, people_scan, mail, smtp, clock, fan_out):
    silent = someone(LEAD_AGENCY, name="Không Nhận")
    other = someone(OTHER_AGENCY, name="Cơ Quan Khác")  # not its task
    secretariat = someone(SECRETARIAT_AGENCY, "secretariat", "Nguyễn Thu Hà")
    observer = someone(OTHER_AGENCY, "observer", "Phạm Thị Lan")

    defaults = {k["kind"]: k["mode"] for k in silent.api.get("/me/notification-preferences").json()["kinds"]}
    assert defaults == dict.fromkeys(["due_soon", "overdue", "escalated", "decided", "commented", "explanation",
                                      "reminded", "indicator_off_track"], "immediate")
    prefs = secretariat.api.get("/me/notification-preferences").json()
    assert {k["kind"]: k["mode"] for k in prefs["kinds"]} == {
        "due_soon": "none", "overdue": "none", "escalated": "immediate", "completion_reported": "immediate",
        "extension_requested": "immediate", "commented": "digest", "explanation": "immediate",
        "indicator_off_track": "none"}
    assert prefs["email"] == {"enabled": False, "address": secretariat.email, "verified": True,
                              "verification_sent_to": None}  # the server under test has no SMTP server
    assert {k["mode"] for k in observer.api.get("/me/notification-preferences").json()["kinds"]} == {"none"}

    changed = silent.api.put("/me/notification-preferences", json={"kinds": {"due_soon": "none"}, "digest_hour": 17})
    assert changed.status_code == 200, changed.text
    assert changed.json()["digest_hour"] == 17
    assert {k["kind"]: k["mode"] for k in changed.json()["kinds"]}["due_soon"] == "none"
    refused = silent.api.put("/me/notification-preferences", json={
        "kinds": {"completion_reported": "immediate", "overdue": "sometimes"}, "digest_hour": 24})
    assert refused.status_code == 422
    fields = {p["field"]: p["msg_vi"] for p in refused.json()["detail"]}
    assert set(fields) == {"kinds.completion_reported", "kinds.overdue", "digest_hour"}
    assert "ngay khi có, bản tin hằng ngày hoặc không nhận" in fields["kinds.overdue"]
    assert {k["kind"]: k["mode"] for k in silent.api.get("/me/notification-preferences").json()["kinds"]}[
        "overdue"] == "immediate"  # nothing of a refused change is kept
    # A token made on the command line belongs to nobody: it has no inbox.
    nobody = clients.lead.get("/me/notifications")
    assert nobody.status_code == 403 and "không gắn với người nào" in nobody.json()["detail"]["message_vi"]

    task = make_task(deadline=dmy(DEADLINE))
    clock.now = at(DEADLINE - timedelta(days=7), 9)
    people_scan()
    mail()
    for person in (silent, other, secretariat, observer):  # none of them wants, or is concerned by, this window
        assert about(inbox(person)["items"], task["id"]) == [] and mailed_about(smtp, person, task) == []

    # The journal's events, by the side that acts on them: a completion reported waits on the secretariat; its
    # acceptance is the lead agency's news, not that of the secretariat officer who accepted it.
    assert clients.lead.post(f"/tasks/{task['id']}/progress", json=DONE_REPORT).status_code == 200
    fan_out()
    [told] = about(inbox(secretariat)["items"], task["id"])
    assert told["kind"] == "completion_reported" and "chờ" in told["text"] and "báo cáo đã hoàn thành" in told["text"]
    assert about(inbox(silent)["items"], task["id"]) == [] and about(inbox(observer)["items"], task["id"]) == []
    accepted = secretariat.api.post(f"/tasks/{task['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    fan_out()
    [decided] = about(inbox(silent)["items"], task["id"])
    assert decided["kind"] == "decided" and decided["event_type"] == "task.completed"
    assert "đã hoàn thành" in decided["text"]
    assert len(about(inbox(secretariat)["items"], task["id"])) == 1  # who accepted it is not told of it
    assert about(inbox(other)["items"], task["id"]) == []


def test_a_digest_comes_at_its_hour(clients, make_task, someone, people_scan, mail, smtp, clock):
    officer = someone(LEAD_AGENCY, name="Lê Bản Tin")
    chosen = officer.api.put("/me/notification-preferences", json={"kinds": {"due_soon": "digest"}, "digest_hour": 7})
    assert chosen.status_code == 200, chosen.text
    task = make_task(deadline=dmy(DEADLINE))
    day = DEADLINE - timedelta(days=7)

    clock.now = at(day, 5)  # before the hour: held, not in the inbox, not mailed
    people_scan()
    mail()
    assert about(inbox(officer)["items"], task["id"]) == [] and mailed_about(smtp, officer, task) == []
    clock.now = at(day, 6, 59)
    people_scan()
    mail()
    assert mailed_about(smtp, officer, task) == []

    clock.now = at(day, 7, 0) + timedelta(seconds=30)  # the hour: one e-mail with everything held for it
    people_scan()
    people_scan()
    mail()
    [digest] = mailed_about(smtp, officer, task)
    # Every task of Bộ Tài chính due in 4 to 7 days on that day is in it (other tests' too), this one among them.
    count = int(re.fullmatch(rf"\[Rõ Việc\] Bản tin ngày {dmy(day)}: (\d+) thông báo", digest.subject).group(1))
    assert f"Nhiệm vụ sắp đến hạn, đến hạn hôm nay ({count})" in digest.text and "còn 7 ngày" in digest.text
    assert len([n for n in inbox(officer)["items"] if n["kind"] == "due_soon"]) == count
    assert f"{PUBLIC_URL}/tasks/{task['id']}" in digest.text and f"{PUBLIC_URL}/notifications" in digest.text
    assert digest.message["List-Unsubscribe"] == f"<{PUBLIC_URL}/account#notifications>"
    [shown] = about(inbox(officer)["items"], task["id"])
    assert shown["email"] is None and datetime.fromisoformat(shown["shown_at"]) == clock.now

    # The next window is held for the next day's hour; the hour moved to 17:00 moves it too.
    clock.now = at(DEADLINE - timedelta(days=3), 8)
    people_scan()
    assert len(about(inbox(officer)["items"], task["id"])) == 1
    moved_at = clock.now  # the hour moved at 08:00 on the worker's clock (the API's is the real one)
    clients.database.write(lambda session: service.update_preferences(
        session=session, account=session.get(Account, officer.account_id), digest_hour=17, now=moved_at))
    clock.now = at(DEADLINE - timedelta(days=3), 16, 59)
    people_scan()
    mail()
    assert len(mailed_about(smtp, officer, task)) == 1
    clock.now = at(DEADLINE - timedelta(days=3), 17, 1)
    people_scan()
    mail()
    assert len(mailed_about(smtp, officer, task)) == 2 and "còn 3 ngày" in mailed_about(smtp, officer, task)[1].text


def test_a_mail_server_that_refuses_is_retried_then_dead_lettered_and_nothing_is_lost(
        clients, make_task, someone, people_scan, mail, smtp, clock, write_engine):
    officer = someone(LEAD_AGENCY, name="Đỗ Từ Chối")
    smtp.refused.add(officer.email.lower())
    task = make_task(deadline=dmy(DEADLINE))
    clock.now = at(DEADLINE - timedelta(days=7), 9)
    people_scan()
    try:
        for attempt in range(8):
            mail()
            started = wallclock.perf_counter()
            # The API is not held up by the mail server: a read and a write meanwhile.
            assert clients.lead.get(f"/tasks/{task['id']}").status_code == 200
            assert officer.api.get("/me/notifications").status_code == 200
            assert wallclock.perf_counter() - started < 5
            [email] = emails_of(write_engine, officer.account_id, task["id"])
            assert email.attempt_count == attempt + 1
            if email.status == "pending":  # retried about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h later
                clock.now = email.next_attempt_at
        [email] = emails_of(write_engine, officer.account_id, task["id"])
        assert email.status == "dead" and email.attempt_count == 8 and email.last_code == 550
        with Session(write_engine) as session:
            logged = list(session.scalars(select(EmailAttempt).where(EmailAttempt.email_id == email.id)))
        assert len(logged) == 8 and {a.code for a in logged} == {550} and not any(a.success for a in logged)
        assert all("550" in a.error for a in logged)
        [notification] = about(inbox(officer)["items"], task["id"])  # the inbox has it all along
        assert notification["email"]["status"] == "dead" and notification["email"]["attempts"] == 8
        assert mailed_about(smtp, officer, task) == []
    finally:
        smtp.refused.discard(officer.email.lower())

    # The mail server mended: the operator sends again what failed, with the same Message-ID.
    done = clients.database.cli("email", "retry-dead")
    assert done.returncode == 0, done.stderr
    assert re.search(r"^\d+ e-mails queued again$", done.stdout.strip().splitlines()[-1])
    clock.catch_up()
    mail()
    [received] = mailed_about(smtp, officer, task)
    assert received.message["Message-ID"] == f"<{email.public_id}@roviec.tinh.gov.vn>"
    [email] = emails_of(write_engine, officer.account_id, task["id"])
    assert email.status == "sent" and email.attempt_count == 1


def test_a_mail_server_that_is_down_is_retried(clients, make_task, someone, people_scan, mail, smtp, clock,
                                               write_engine):
    officer = someone(LEAD_AGENCY, name="Vũ Máy Chủ")
    task = make_task(deadline=dmy(DEADLINE))
    clock.now = at(DEADLINE - timedelta(days=7), 9)
    people_scan()
    with __import__("socket").socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        down = closed.getsockname()[1]
    assert mail(smtp_port=down) >= 1
    [email] = emails_of(write_engine, officer.account_id, task["id"])
    assert email.status == "pending" and email.attempt_count == 1 and email.last_code is None
    assert "ConnectionRefusedError" in email.last_error
    assert timedelta(seconds=3) <= email.next_attempt_at - clock.now <= timedelta(seconds=7)
    assert about(inbox(officer)["items"], task["id"])[0]["email"]["status"] == "pending"
    mail()  # not due yet
    assert mailed_about(smtp, officer, task) == []
    clock.advance(seconds=10)
    mail()  # the server is back
    assert len(mailed_about(smtp, officer, task)) == 1
    [email] = emails_of(write_engine, officer.account_id, task["id"])
    assert email.status == "sent" and email.attempt_count == 2


def test_comments_reminders_and_explanations_are_told_by_their_event_type(
        clients, make_task, someone, fan_out, agencies, write_engine):
    """Consumed by event type: a journal row of any of these kinds, however it was written, is told to the people
    of the side that acts on it (the actor never)."""
    lead = someone(LEAD_AGENCY, name="Người Chủ Trì")
    coordinating = someone(OTHER_AGENCY, name="Người Phối Hợp")
    secretariat = someone(SECRETARIAT_AGENCY, "secretariat", "Thư Ký")
    task = make_task()  # Bộ Tài chính leads, TP. Hồ Chí Minh coordinates

    comment_kinds = {"commented": CommentKind.comment, "explanation_requested": CommentKind.explanation_request,
                     "explanation_answered": CommentKind.explanation_answer}

    def said(kind: str, note: str, by) -> None:
        # Rows as the services write them (a comment's row names its comment: the webhook body's schema says so).
        def write(session):
            row = session.get(Task, task["id"])
            if kind in comment_kinds:
                comments._write(session, task=row, principal=by, kind=comment_kinds[kind], text=note,
                                now=datetime.now(HCM))
            else:
                journal.record(session=session, task=row, kind=SimpleNamespace(value=kind), now=datetime.now(HCM),
                               principal=by, from_status=row.status, note=note,
                               data={"note": note, "forced": False, "force_reason": None})
        clients.database.write(write)

    from app.access.principal import Principal, Role

    by_secretariat = Principal(token_id=None, agency_id=agencies[SECRETARIAT_AGENCY]["id"], role=Role.secretariat,
                               account_id=secretariat.account_id)
    by_lead = Principal(token_id=None, agency_id=agencies[LEAD_AGENCY]["id"], role=Role.agency,
                        account_id=lead.account_id)
    said("commented", "Đề nghị gửi dự thảo để góp ý trước ngày họp", by_secretariat)
    said("reminded", "Khẩn trương hoàn thành", by_secretariat)
    said("explanation_requested", "Đề nghị giải trình lý do chậm", by_secretariat)
    said("explanation_answered", "Do chờ ý kiến thẩm định của Bộ Tư pháp", by_lead)
    fan_out()
    kinds = lambda person: sorted(n["event_type"] for n in about(inbox(person)["items"], task["id"]))  # noqa: E731
    assert kinds(lead) == ["task.commented", "task.explanation_requested", "task.reminded"]
    assert kinds(coordinating) == ["task.commented", "task.explanation_requested"]
    assert kinds(secretariat) == ["task.explanation_answered"]  # its own comment not; the comments digest later
    [reminder] = [n for n in about(inbox(lead)["items"], task["id"]) if n["event_type"] == "task.reminded"]
    assert "đôn đốc" in reminder["text"] and "Khẩn trương hoàn thành" in reminder["text"]
    assert reminder["subject"].startswith("Đôn đốc: ")
    [answer] = about(inbox(secretariat)["items"], task["id"])
    assert "Do chờ ý kiến thẩm định của Bộ Tư pháp" in answer["text"] and answer["kind"] == "explanation"
    fan_out()  # the fan-out repeated: nothing twice
    assert len(about(inbox(lead)["items"], task["id"])) == 3


def test_the_inbox_is_paged_and_marked_read_one_and_all(clients, make_task, someone, fan_out, server):
    officer = someone(LEAD_AGENCY, name="Hộp Thư")
    task = make_task()
    for _ in range(2):  # two requests, each turned down: two decisions for the lead agency
        request = clients.lead.post(f"/tasks/{task['id']}/extension-requests", json={
            "kind": "extend", "requested_deadline": (TASK_DEADLINE + timedelta(days=40)).isoformat(),
            "reason": "Chờ thẩm định"})
        assert request.status_code == 201, request.text
        assert clients.secretariat.post(f"/extension-requests/{request.json()['id']}/decision",
                                        json={"decision": "rejected", "note": "Chưa đủ căn cứ"}).status_code == 200
    fan_out()
    page = inbox(officer, limit=1)
    assert len(page["items"]) == 1 and page["next_cursor"] and page["unread"] >= 1
    unread = page["unread"]
    first = page["items"][0]
    read = officer.api.post(f"/me/notifications/{first['id']}/read")
    assert read.status_code == 200 and read.json()["read_at"]
    assert inbox(officer)["unread"] == unread - 1
    assert inbox(officer, unread="true")["items"] == [n for n in inbox(officer)["items"] if not n["read_at"]]
    again = officer.api.get("/me/notifications", params={"cursor": "bm90IG91cnM"})
    assert again.status_code == 422
    # Another person's notification is not found for this one.
    stranger = someone(LEAD_AGENCY, name="Người Lạ")
    assert stranger.api.post(f"/me/notifications/{first['id']}/read").status_code == 404
    marked = officer.api.post("/me/notifications/read")
    assert marked.status_code == 200 and marked.json()["marked"] == unread - 1
    assert inbox(officer)["unread"] == 0


def test_the_unread_count_is_in_every_pages_header(clients, make_task, someone, fan_out, server):
    officer = someone(LEAD_AGENCY, name="Đếm Thông Báo")
    task = make_task()
    request = clients.lead.post(f"/tasks/{task['id']}/extension-requests", json={
        "kind": "extend", "requested_deadline": (TASK_DEADLINE + timedelta(days=40)).isoformat(), "reason": "Chờ"})
    assert clients.secretariat.post(f"/extension-requests/{request.json()['id']}/decision",
                                    json={"decision": "rejected", "note": "Chưa đủ căn cứ"}).status_code == 200
    fan_out()
    unread = inbox(officer)["unread"]
    assert unread >= 1
    browser = httpx.Client(base_url=server.base_url, follow_redirects=True, timeout=30)
    login = browser.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', login.text).group(1)
    signed = browser.post("/login", data={"username": officer.username, "password": officer.password,
                                          "login_token": token, "next": "/"})
    assert signed.status_code == 200
    for path in ("/", "/tasks", f"/tasks/{task['id']}", "/account", "/notifications", "/calendar"):
        html = browser.get(path).text
        badge = re.search(r'<a href="/notifications" class="inbox"[^>]*>Thông báo <span class="count">(\d+)</span>',
                          html)
        assert badge and int(badge.group(1)) == unread, path
    browser.close()


def test_an_address_is_used_once_proven_by_its_link(clients, someone, server, smtp, mail, clock, write_engine):
    officer = someone(LEAD_AGENCY, name="Mới Đổi Thư", email=False)
    assert officer.api.get("/me/notification-preferences").json()["email"]["address"] is None
    # Set through the service as the worker's process would (e-mail on there); the server under test has it off.
    from app.notifications import service

    address = f"{officer.username}@hcm.gov.vn"

    def set_it(session):
        from app.auth.models import Account

        account = session.get(Account, officer.account_id)
        service.set_address(session=session, account=account, address=address,
                            settings=clients.database.settings(smtp_host="127.0.0.1", public_url=PUBLIC_URL))

    clients.database.write(set_it)
    state = officer.api.get("/me/notification-preferences").json()["email"]
    assert state["address"] == address and state["verified"] is False and state["verification_sent_to"] == address
    clock.catch_up()
    mail()
    [link_mail] = smtp.to(address)
    assert link_mail.subject == "[Rõ Việc] Xác nhận địa chỉ thư điện tử"
    link = re.search(rf"{re.escape(PUBLIC_URL)}(/account/email/verify\?token=[\w-]+)", link_mail.text).group(1)

    browser = httpx.Client(base_url=server.base_url, follow_redirects=False, timeout=30)
    assert browser.get(link).status_code == 303  # not signed in: the sign-in page, nothing proven
    assert officer.api.get("/me/notification-preferences").json()["email"]["verified"] is False
    login = browser.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', login.text).group(1)
    browser.post("/login", data={"username": officer.username, "password": officer.password, "login_token": token,
                                 "next": "/"})
    wrong = browser.get("/account/email/verify?token=not-the-token")
    assert wrong.status_code == 422 and "không còn hiệu lực" in wrong.text
    proven = browser.get(link)
    assert proven.status_code == 303 and proven.headers["location"] == "/account"
    assert "Đã xác nhận địa chỉ" in browser.get("/account").text
    assert officer.api.get("/me/notification-preferences").json()["email"]["verified"] is True
    assert browser.get(link).status_code == 422  # used once
    # A new address is not used until proven again.
    changed = officer.api.put("/me/notification-preferences", json={"email": f"{officer.username}@other.gov.vn"})
    assert changed.status_code == 200 and changed.json()["email"]["verified"] is False
    bad = officer.api.put("/me/notification-preferences", json={"email": "không phải địa chỉ"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "email"
    browser.close()


def test_an_indicator_off_track_is_told_to_the_agency_reporting_it_once(
        clients, agencies, directive, someone, people_scan, mail, smtp):
    from tests.alerts.test_indicator_alerts import make_indicator, record, set_target
    from tests.dates import today

    officer = someone(LEAD_AGENCY, name="Người Báo Cáo Chỉ Tiêu")
    elsewhere = someone(OTHER_AGENCY, name="Cơ Quan Khác")
    secretariat = someone(SECRETARIAT_AGENCY, "secretariat", "Thư Ký")  # off by default: it has the board
    year = today().year
    indicator = make_indicator(clients.secretariat, agencies, directive)
    set_target(clients.secretariat, indicator, year, 80)
    record(clients.secretariat, indicator, year, 50)
    people_scan()
    people_scan()
    mail()

    def told(person) -> list[dict]:
        return [n for n in inbox(person)["items"] if n["indicator_id"] == indicator["id"]]

    [notification] = told(officer)
    assert notification["kind"] == "indicator_off_track" and notification["link"] == f"/indicators/{indicator['id']}"
    assert notification["text"].startswith(f"Chỉ tiêu 'Tỷ lệ hồ sơ trực tuyến toàn trình' ({indicator['code']}) "
                                           f"chậm tiến độ: năm {year} đạt 50%")
    assert notification["subject"].startswith("Chỉ tiêu chậm tiến độ: Tỷ lệ hồ sơ trực tuyến toàn trình")
    [received] = [r for r in smtp.to(officer.email) if f"/indicators/{indicator['id']}" in r.text]
    assert "Mở chỉ tiêu" in received.text and f"{PUBLIC_URL}/indicators/{indicator['id']}" in received.text
    assert told(elsewhere) == [] and told(secretariat) == []
