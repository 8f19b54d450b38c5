"""Crash safety on PostgreSQL: three `roviec worker` processes share one queue; one is killed with SIGKILL in the
middle of the run, and still every message reaches the receiver."""

import os
import signal
import subprocess
import time
from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.clock import utcnow
from app.webhooks import outbox
from app.webhooks.models import MessageStatus, WebhookMessage
from tests.conftest import PROJECT_DIR, ROVIEC
from tests.receiver import Receiver

# Integration: a real `roviec serve` process over HTTP.
pytestmark = pytest.mark.real_server

MESSAGES = 2000


@pytest.mark.postgresql_only  # several workers; on SQLite one worker runs
def test_killed_worker_loses_no_message(clients, write_engine):
    receiver = Receiver(delay_seconds=0.01).start()
    try:
        hook = clients.secretariat.post("/webhooks", json={"url": receiver.base_url + "/crash",
                                                           "event_types": ["task.overdue"]}).json()
        now = utcnow()
        with Session(write_engine) as session:
            rows = [outbox.message_row(
                endpoint_id=hook["id"], event_type="task.overdue", dedupe_key=f"crash:{i}", now=now,
                payload={"type": "task.overdue", "timestamp": now.isoformat(), "data": {"n": i}})
                for i in range(MESSAGES)]
            outbox.enqueue(session, rows)
            session.commit()
            # The workers' own deadline scans may add alerts for overdue tasks of other tests on this endpoint:
            # the crash is judged on the messages queued here.
            crash_ids = set(session.scalars(select(WebhookMessage.public_id).where(
                WebhookMessage.endpoint_id == hook["id"], WebhookMessage.dedupe_key.like("crash:%"))))

        env = clients.database.env() | {"ROVIEC_WEBHOOK_LEASE_SECONDS": "5", "ROVIEC_WEBHOOK_POLL_SECONDS": "0.2",
                                         "ROVIEC_WEBHOOK_CONCURRENCY": "16"}
        workers = [subprocess.Popen([ROVIEC, "worker"], env=env, cwd=PROJECT_DIR, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL) for _ in range(3)]
        try:
            deadline = time.monotonic() + 60
            while len(receiver.at("/crash")) < MESSAGES // 4 and time.monotonic() < deadline:
                time.sleep(0.05)
            os.kill(workers[0].pid, signal.SIGKILL)
            killed_at = len(receiver.at("/crash"))
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                ids = Counter(r.headers["webhook-id"] for r in receiver.at("/crash")
                              if r.headers["webhook-id"] in crash_ids)
                # Every message received and recorded (the killed worker's last ones wait for their lease to end).
                if len(ids) == MESSAGES and _open_messages(write_engine, hook["id"]) == 0:
                    break
                time.sleep(0.2)
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=15)

        received = [r for r in receiver.at("/crash") if r.headers["webhook-id"] in crash_ids]
        ids = Counter(r.headers["webhook-id"] for r in received)
        duplicates = sum(count - 1 for count in ids.values())
        print(f"\n{MESSAGES} messages, worker killed after {killed_at} deliveries: {len(ids)} distinct received, "
              f"{duplicates} duplicates (same webhook-id)")
        assert len(ids) == MESSAGES
        with Session(write_engine) as session:
            assert len(crash_ids) == MESSAGES and set(ids) == crash_ids
            # Each duplicate is a repeat of one message (same id and body), never a different message.
            by_id = {}
            for request in received:
                assert by_id.setdefault(request.headers["webhook-id"], request.body) == request.body
            undelivered = session.scalar(select(func.count()).select_from(WebhookMessage).where(
                WebhookMessage.endpoint_id == hook["id"], WebhookMessage.dedupe_key.like("crash:%"),
                WebhookMessage.status != MessageStatus.delivered))
        assert undelivered == 0
    finally:
        receiver.stop()


def _open_messages(engine, endpoint_id: int) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(WebhookMessage).where(
            WebhookMessage.endpoint_id == endpoint_id, WebhookMessage.dedupe_key.like("crash:%"),
            WebhookMessage.status.in_([MessageStatus.pending, MessageStatus.sending])))
