"""What an operator sees and relies on, against real `roviec serve` and `roviec worker` processes: the probes, the
metrics, the request log and its ids, the answers while the database is away and the recovery, the request limits,
and a worker that scans at start and gives back what it holds when it stops or was killed."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from datetime import timedelta

import httpx
import psycopg
import pytest
from sqlalchemy import select
from sqlmodel import Session

from app.clock import utcnow
from app.tasks.models import TaskEvent
from app.tasks.timing import Timing
from app.webhooks.models import MessageStatus, WebhookAttempt, WebhookMessage
from tests.auth.pages import CSRF, LOGIN_TOKEN, signed_in
from tests.conftest import (
    LEAD_AGENCY,
    OTHER_AGENCY,
    PG_ADMIN_URL,
    PROJECT_DIR,
    ROVIEC,
    SECRETARIAT_AGENCY,
    own_server,
    task_payload,
)
from tests.paging import every_item
from tests.receiver import Receiver
from tests.webhooks.helpers import subscribe, verified

pytestmark = pytest.mark.real_server

PROGRESS = {"status": "in_progress", "progress_percent": 40, "note": "Đã lấy ý kiến các bộ, ngành"}


def _api(server, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=server.base_url, headers=headers, timeout=30)


def _new_task(api: httpx.Client) -> int:
    agencies = {a["code"]: a for a in api.get("/api/v1/agencies").json()}
    directive = api.post("/api/v1/directives", json={
        "number": f"{time.time_ns() % 10**9}/TB-VPCP", "title": "Thông báo kết luận cuộc họp vận hành",
        "issued_on": "2024-11-20", "meeting_name": "Cuộc họp vận hành", "meeting_date": "2024-11-18",
        "issuer": "Văn phòng Chính phủ"}).json()
    created = api.post("/api/v1/tasks", json=task_payload(directive, agencies))
    assert created.status_code == 201, created.text
    return created.json()["id"]


def _json_lines(lines: list[str]) -> list[dict]:
    found = []
    for line in lines:
        with suppress(ValueError):
            found.append(json.loads(line))
    return found


# ---------------------------------------------------------------- probes, ids, the log, metrics


def test_probes_request_ids_and_journal_ids(database):
    secretariat, lead = database.token(SECRETARIAT_AGENCY, "secretariat"), database.token(LEAD_AGENCY, "agency")
    with own_server(database) as server, _api(server, secretariat) as api, _api(server, lead) as lead_api:
        alive = httpx.get(server.base_url + "/healthz")
        assert alive.status_code == 200 and alive.json() == {"status": "ok"}
        assert re.fullmatch(r"[0-9a-f]{32}", alive.headers["x-request-id"])
        ready = httpx.get(server.base_url + "/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["status"] == "ready"
        assert {name for name, check in ready.json()["checks"].items() if check["ok"]} == {"database", "migrations"}

        task_id = _new_task(api)
        offered = "ministry-sync-7f3a"
        report = lead_api.post(f"/api/v1/tasks/{task_id}/progress", json=PROGRESS,
                               headers={"X-Request-ID": offered, "Idempotency-Key": "op-progress-1"})
        assert report.status_code == 200, report.text
        assert report.headers["x-request-id"] == offered
        journal_id = int(report.headers["x-journal-id"])
        with Session(database.engine()) as session:
            row = session.get(TaskEvent, journal_id)
            assert (row.task_id, row.kind, row.request_id) == (task_id, "progress_reported", offered)
        # A retry with the same key gets the first answer back, naming the same journal row; nothing is written.
        again = lead_api.post(f"/api/v1/tasks/{task_id}/progress", json=PROGRESS,
                              headers={"X-Request-ID": "ministry-sync-retry", "Idempotency-Key": "op-progress-1"})
        assert again.status_code == 200 and again.headers["x-journal-id"] == str(journal_id)
        assert again.headers["x-request-id"] == "ministry-sync-retry"
        # An id that could forge a log line or grow without bound is replaced, not echoed.
        odd = lead_api.get(f"/api/v1/tasks/{task_id}", headers={"X-Request-ID": "x" * 101})
        assert odd.status_code == 200 and re.fullmatch(r"[0-9a-f]{32}", odd.headers["x-request-id"])
        # A read writes no journal row: no X-Journal-Id.
        assert "x-journal-id" not in odd.headers

        lines = _json_lines(server.log_lines())
        logged = [line for line in lines if line.get("request_id") == offered]
        assert len(logged) == 1, lines[-5:]
        assert logged[0] | {"time": None, "duration_ms": None} == {
            "time": None, "level": "info", "logger": "roviec.request",
            "message": f"POST /api/v1/tasks/{task_id}/progress 200",
            "request_id": offered, "method": "POST", "path": f"/api/v1/tasks/{task_id}/progress",
            "route": "/api/v1/tasks/{task_id}/progress", "status": 200, "duration_ms": None,
            "principal": logged[0]["principal"], "client": "127.0.0.1"}
        assert re.fullmatch(r"token:\d+", logged[0]["principal"]) and logged[0]["duration_ms"] > 0
        # The probes are not in the log at INFO: a load balancer's every few seconds would bury the rest.
        assert not [line for line in lines if line.get("path") in ("/healthz", "/readyz")]


def test_a_request_id_follows_the_change_to_the_subscriber(clients, directive, make_task, receiver, deliver,
                                                          write_engine):
    hook = subscribe(clients, receiver, directive, event_types=["task.progress_reported"])
    task = make_task()
    trace = "ministry-trace-0042"
    report = clients.lead.post(f"/tasks/{task['id']}/progress", json=PROGRESS, headers={"X-Request-ID": trace})
    assert report.status_code == 200
    deliver()
    with Session(write_engine) as session:
        message = session.scalars(select(WebhookMessage).where(WebhookMessage.endpoint_id == hook["id"])).one()
        attempt = session.scalars(select(WebhookAttempt).where(WebhookAttempt.message_id == message.id)).one()
    assert (message.request_id, attempt.request_id, attempt.success) == (trace, trace, True)
    body = verified(hook, receiver.at(hook["path"])[-1])
    assert str(body["data"]["event"]["journal_id"]) == report.headers["x-journal-id"]


def test_metrics_only_for_this_machine_or_with_the_token(database, proxied):
    lead = database.token(LEAD_AGENCY, "agency")
    # From this machine: the service's figures, route templates (never one label per task), the database's own.
    with _api(proxied, lead) as api:
        for _ in range(3):
            assert api.get("/api/v1/tasks", params={"limit": 1}).status_code == 200
        scraped = httpx.get(proxied.base_url + "/metrics")
    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
    figures = _figures(scraped.text)
    assert figures['roviec_http_requests_total{method="GET",route="/api/v1/tasks",status="200"}'] >= 3
    assert figures["roviec_database_up"] == 1
    assert sum(v for k, v in figures.items() if k.startswith("roviec_tasks{")) > 0
    # Every timing, zeros included (a series that vanished at zero would leave a dashboard without data).
    assert {k for k in figures if k.startswith("roviec_tasks{")} == {
        f'roviec_tasks{{timing="{t.value}"}}' for t in Timing}
    assert "roviec_outbox_pending" in figures and 'roviec_db_pool_connections{state="in_use"}' in figures
    assert not [name for name in figures if re.search(r'route="/api/v1/tasks/\d', name)]
    # A client elsewhere (named by the trusted proxy) is refused, in both languages.
    remote = httpx.get(proxied.base_url + "/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert remote.status_code == 403
    assert "ROVIEC_METRICS_TOKEN" in remote.json()["detail"]["message_vi"]

    with own_server(database, metrics_token="scrape-secret-1") as server:
        assert httpx.get(server.base_url + "/metrics").status_code == 403
        assert httpx.get(server.base_url + "/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
        allowed = httpx.get(server.base_url + "/metrics", headers={"Authorization": "Bearer scrape-secret-1"})
        assert allowed.status_code == 200 and "roviec_http_requests_total" in allowed.text


def _figures(exposition: str) -> dict[str, float]:
    return {name: float(value) for name, value in
            (line.rsplit(" ", 1) for line in exposition.splitlines() if line and not line.startswith("#"))}


def test_readiness_names_a_schema_behind_the_code(fresh_database):
    downgrade = ("from alembic import command; from app.db import alembic_config; "
                 "command.downgrade(alembic_config(), '0017')")
    done = subprocess.run([sys.executable, "-c", downgrade], env=fresh_database.env(), cwd=PROJECT_DIR,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with own_server(fresh_database) as server:
        ready = httpx.get(server.base_url + "/readyz")
        assert ready.status_code == 503
        migrations = ready.json()["checks"]["migrations"]
        assert not migrations["ok"] and "roviec migrate" in migrations["detail_vi"]
        assert httpx.get(server.base_url + "/healthz").status_code == 200
    checked = fresh_database.cli("check")
    assert checked.returncode == 1 and "roviec migrate" in checked.stdout
    assert fresh_database.cli("migrate").returncode == 0
    assert fresh_database.cli("check").returncode == 0


# ---------------------------------------------------------------- request limits


def test_request_limits_per_token_and_per_address(database):
    lead, other = database.token(LEAD_AGENCY, "agency"), database.token(OTHER_AGENCY, "agency")
    with own_server(database, rate_limit_per_token="5") as server, _api(server, lead) as api, \
            _api(server, other) as other_api:
        answers = [api.get("/api/v1/agencies") for _ in range(6)]
        assert [a.status_code for a in answers] == [200] * 5 + [429]
        refused = answers[-1]
        assert int(refused.headers["retry-after"]) >= 1
        assert refused.headers["ratelimit-limit"] == "5" and refused.headers["ratelimit-remaining"] == "0"
        assert refused.json()["detail"]["code"] == "rate_limited"
        assert "tối đa 5 yêu cầu mỗi phút" in refused.json()["detail"]["message_vi"]
        assert other_api.get("/api/v1/agencies").status_code == 200  # another token is not held back
        assert httpx.get(server.base_url + "/healthz").status_code == 200
    # A client looping on a wrong token is held back after a few; a valid token from the same address is not.
    with own_server(database, rate_limit_bad_tokens_per_address="4") as server, _api(server, "wrong-token") as bad, \
            _api(server, lead) as api:
        assert api.get("/api/v1/agencies").status_code == 200  # known to this process from now on
        answers = [bad.get("/api/v1/agencies") for _ in range(6)]
        assert [a.status_code for a in answers] == [401] * 4 + [429] * 2
        assert "mã truy cập" in answers[-1].json()["detail"]["message_vi"] and answers[-1].headers["retry-after"]
        assert api.get("/api/v1/agencies").status_code == 200
    with own_server(database, rate_limit_per_address="3") as server, httpx.Client(base_url=server.base_url) as web:
        assert [web.get("/login").status_code for _ in range(3)] == [200] * 3
        page = web.get("/login")
        assert page.status_code == 429 and page.headers["content-type"].startswith("text/html")
        assert "Quá nhiều yêu cầu" in page.text and "Retry-After" in page.headers
        assert httpx.get(server.base_url + "/readyz").status_code == 200  # the probes are never limited


# ---------------------------------------------------------------- the database goes away


@contextmanager
def _database_away(database):
    """The server's database refuses connections and loses those it had, as a stopped server would, without
    touching the PostgreSQL the other tests share."""
    name = database.url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        try:
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


@pytest.mark.postgresql_only  # an outage made without stopping the shared server needs PostgreSQL's ALLOW_CONNECTIONS
def test_database_outage_answers_503_and_recovers_by_itself(fresh_database):
    database = fresh_database
    secretariat, lead = database.token(SECRETARIAT_AGENCY, "secretariat"), database.token(LEAD_AGENCY, "agency")
    password = database.account("vanhanh.bo", LEAD_AGENCY, "agency", "Nguyễn Văn Hành")
    worker = subprocess.Popen([ROVIEC, "worker"], env=database.env() | {
        "ROVIEC_WEBHOOK_POLL_SECONDS": "0.2", "ROVIEC_ALERT_SCAN_SECONDS": "0.5", "ROVIEC_LOG_FORMAT": "json"},
        cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        with own_server(database, db_pool_timeout_seconds="3") as server, _api(server, secretariat) as api, \
                _api(server, lead) as lead_api:
            task_id = _new_task(api)
            person = signed_in(server.base_url, "vanhanh.bo", password)
            csrf = CSRF.search(person.get(f"/tasks/{task_id}").text).group(1)
            newcomer = httpx.Client(base_url=server.base_url, timeout=30)
            login_token = LOGIN_TOKEN.search(newcomer.get("/login").text).group(1)
            time.sleep(1.5)  # the token and the session are no longer cached: each request asks the database
            with _database_away(database):
                started = time.monotonic()
                read = lead_api.get(f"/api/v1/tasks/{task_id}")
                write = lead_api.post(f"/api/v1/tasks/{task_id}/progress", json=PROGRESS,
                                      headers={"Idempotency-Key": "outage-1"})
                page = person.get("/tasks")
                typed = {"csrf_token": csrf, "status": "in_progress", "progress_percent": "55",
                         "note": "Đã trình dự thảo lần 2, chờ ý kiến thẩm định của Bộ Tư pháp (đoạn dài gõ tay)"}
                refused_form = person.post(f"/tasks/{task_id}/progress", data=typed)
                refused_sign_in = newcomer.post("/login", data={"username": "vanhanh.bo", "password": password,
                                                                "login_token": login_token})
                answered_in = time.monotonic() - started
                ready = httpx.get(server.base_url + "/readyz")
                alive = httpx.get(server.base_url + "/healthz")
                time.sleep(2)  # the worker polls meanwhile
            for answer in (read, write):
                assert answer.status_code == 503, answer.text
                assert answer.headers["retry-after"] == "5"
                detail = answer.json()["detail"]
                assert detail["code"] == "database_unavailable" and "thử lại sau 5 giây" in detail["message_vi"]
            assert page.status_code == 503 and "Tạm thời gián đoạn" in page.text and "<html" in page.text
            assert answered_in < 10, f"four requests took {answered_in:.1f} s during the outage"
            # What the person typed is not lost: shown back, and ready to be sent again as it was.
            assert refused_form.status_code == 503 and "chưa được lưu" in refused_form.text
            assert typed["note"] in refused_form.text
            replay = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', refused_form.text))
            assert replay == typed
            # The sign-in page comes back with the name typed, never the password.
            assert refused_sign_in.status_code == 503 and 'value="vanhanh.bo"' in refused_sign_in.text
            assert password not in refused_sign_in.text and "tạm thời" in refused_sign_in.text.lower()
            assert ready.status_code == 503 and not ready.json()["checks"]["database"]["ok"]
            assert alive.status_code == 200

            back, recovered_in = time.monotonic(), None
            while time.monotonic() - back < 15:
                if lead_api.get(f"/api/v1/tasks/{task_id}").status_code == 200:
                    recovered_in = time.monotonic() - back
                    break
                time.sleep(0.05)
            assert recovered_in is not None, "the server did not recover within 15 s"
            print(f"\noutage answered in {answered_in:.2f} s (3 requests), recovered {recovered_in:.2f} s after "
                  "the database came back")
            retried = lead_api.post(f"/api/v1/tasks/{task_id}/progress", json=PROGRESS,
                                    headers={"Idempotency-Key": "outage-1"})
            assert retried.status_code == 200 and "x-journal-id" in retried.headers
            assert person.get("/tasks").status_code == 200
            sent_again = person.post(f"/tasks/{task_id}/progress", data=replay)
            assert sent_again.status_code == 303, sent_again.text[-500:]
            with _api(server, lead) as check:
                history = every_item(check, f"/api/v1/tasks/{task_id}/history")
            assert [e["note"] for e in history if e["note"] == typed["note"]] == [typed["note"]]
            server_log = server.log_lines()
        time.sleep(1)  # the worker's next poll sees the database back
    finally:
        worker.send_signal(signal.SIGTERM)
        worker_log = worker.communicate(timeout=30)[1].splitlines()
    # One line when the database went away and one when it came back, per job: never a traceback per poll.
    assert not [line for line in server_log + worker_log if "Traceback" in line]
    events = [(line.get("event"), line.get("what")) for line in _json_lines(worker_log) if line.get("event")]
    for what in ("database (webhook delivery)", "database (deadline watch)"):
        assert events.count(("unavailable", what)) == 1, events
        assert events.count(("recovered", what)) == 1, events
    assert worker.returncode == 0


# ---------------------------------------------------------------- the worker: scan at start, claims given back


def _subscribe(server, token: str, url: str) -> dict:
    with _api(server, token) as api:
        made = api.post("/api/v1/webhooks", json={"url": url, "event_types": ["task.overdue"]})
        assert made.status_code == 201, made.text
        return made.json()


def _messages(database, endpoint_id: int) -> list[WebhookMessage]:
    with Session(database.engine()) as session:
        return list(session.scalars(select(WebhookMessage).where(WebhookMessage.endpoint_id == endpoint_id)))


def _wait(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _worker(database, **env: str) -> subprocess.Popen:
    return subprocess.Popen([ROVIEC, "worker"], env=database.env() | {
        "ROVIEC_WEBHOOK_POLL_SECONDS": "0.2", "ROVIEC_ALERT_SCAN_SECONDS": "3600",
        "ROVIEC_WEBHOOK_TIMEOUT_SECONDS": "20", **env}, cwd=PROJECT_DIR, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)


def test_worker_scans_at_start_and_gives_back_its_claims_when_stopped(fresh_database):
    """The seed has overdue tasks: a worker whose next scan is an hour away alerts at once (its scan at start); the
    receiver holds every request, so the alerts are in flight when the worker is told to stop, and it gives them
    back at once instead of leaving them to its lease; a named worker killed with SIGKILL takes its own back when it
    starts again."""
    database = fresh_database
    receiver = Receiver(delay_seconds=60).start()
    try:
        with own_server(database) as server:
            hook = _subscribe(server, database.token(SECRETARIAT_AGENCY, "secretariat"), receiver.base_url + "/slow")
        metrics_port = _free_port()
        worker = _worker(database, ROVIEC_WORKER_METRICS_PORT=str(metrics_port))
        _wait(lambda: receiver.at("/slow"), 20, "the scan at start raised and sent an alert")
        # The worker's own /metrics: its scan counted, the database's figures beside.
        scraped = _figures(httpx.get(f"http://127.0.0.1:{metrics_port}/metrics").text)
        assert scraped["roviec_deadline_scan_duration_seconds_count"] >= 1 and scraped["roviec_database_up"] == 1
        assert scraped['roviec_webhook_messages{state="sending"}'] >= 1
        in_flight = [m.id for m in _messages(database, hook["id"]) if m.status == MessageStatus.sending]
        assert in_flight
        asked = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=15)
        stopped_in = time.monotonic() - asked
        now = utcnow()
        given_back = {m.id: m for m in _messages(database, hook["id"])}
        assert not [m for m in given_back.values() if m.status == MessageStatus.sending]
        assert all(given_back[i].status == MessageStatus.pending and given_back[i].next_attempt_at <= now
                   for i in in_flight), "given back due at once, not when the lease ends"
        print(f"\nSIGTERM: {len(in_flight)} messages in flight given back; the worker stopped in {stopped_in:.1f} s")
        assert stopped_in < 10

        named = _worker(database, ROVIEC_WORKER_NAME="ministry-worker-1")
        _wait(lambda: [m for m in _messages(database, hook["id"]) if m.status == MessageStatus.sending
                       and m.claimed_by == "ministry-worker-1"], 20, "the named worker claimed the alerts")
        os.kill(named.pid, signal.SIGKILL)
        named.wait(timeout=10)
        held = [m for m in _messages(database, hook["id"]) if m.status == MessageStatus.sending]
        assert held and all(m.next_attempt_at > utcnow() + timedelta(seconds=20) for m in held)
        receiver.delay_seconds = 0
        restarted = _worker(database, ROVIEC_WORKER_NAME="ministry-worker-1")
        try:
            _wait(lambda: all(m.status == MessageStatus.delivered for m in _messages(database, hook["id"])), 20,
                  "the restarted worker took back and delivered what it held, long before the leases end")
        finally:
            restarted.send_signal(signal.SIGTERM)
            restarted.wait(timeout=15)
    finally:
        receiver.stop()
