"""Shared pieces of the benchmarks: fresh databases, servers on free ports, bulk task loading."""

import json
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import insert, select

from app.agencies.models import Agency
from app.config import Settings
from app.db import make_engine
from app.directives.models import Directive
from app.tasks.models import Task, TaskEvent
from app.text import fold

PROJECT_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_ADMIN_URL = os.environ.get("ROVIEC_BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def fresh_database(backend: str, workdir: Path):
    """A new database of its own, migrated and seeded; gone afterwards."""
    if backend == "sqlite":
        path = workdir / f"bench-{uuid.uuid4().hex[:8]}.db"
        url = f"sqlite:///{path}"
        roviec(url, "migrate")
        roviec(url, "seed")
        yield url
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = f"roviec_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        roviec(url, "migrate")
        roviec(url, "seed")
        yield url
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def roviec(url: str, *args: str) -> str:
    env = {**os.environ, "ROVIEC_DATABASE_URL": url, "ROVIEC_SCHEDULER": "off"}
    result = subprocess.run([str(BIN / "roviec"), *args], env=env, cwd=PROJECT_DIR, capture_output=True, text=True,
                            check=True)
    return result.stdout


def make_token(url: str, agency: str, role: str) -> str:
    return roviec(url, "token", "create", "--agency", agency, "--role", role).strip().splitlines()[-1]


@contextmanager
def serve(command: list[str], url: str, health_path: str):
    port = free_port()
    # A benchmark's one token makes more requests a minute than the default limit lets through, by design.
    env = {**os.environ, "ROVIEC_DATABASE_URL": url, "ROVIEC_SCHEDULER": "off", "ROVIEC_RATE_LIMIT_PER_TOKEN": "0"}
    process = subprocess.Popen([*command, "--port", str(port)], env=env, cwd=PROJECT_DIR,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + health_path, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"{command} did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


def load_tasks(url: str, count: int, *, overdue_share: float = 0.05, completed_share: float = 0.35,
               seed: int = 7, seed_texts: bool = False) -> list[int]:
    """Bulk-inserts `count` tasks with a consistent journal. Returns the ids of open, in-progress tasks.
    `seed_texts`: titles, deliverables and progress notes as long as the seed's (taken from seed/tasks.json in
    turn), and a completion report with its evidence and link for each completed task, as a real list has."""
    rng = random.Random(seed)
    samples = json.loads((PROJECT_DIR / "seed" / "tasks.json").read_text()) if seed_texts else []
    engine = make_engine(Settings(database_url=url).sqlalchemy_url)
    tz = Settings().tz
    today = datetime.now(UTC).astimezone(tz).date()
    with engine.begin() as conn:
        agencies = conn.execute(select(Agency.id, Agency.name, Agency.code).where(Agency.kind != "committee")).all()
        directive_ids = [row.id for row in conn.execute(select(Directive.id))]
        first_id = (conn.execute(select(Task.id).order_by(Task.id.desc()).limit(1)).scalar() or 0) + 1
    created_at = datetime(2025, 1, 6, 3, tzinfo=UTC)
    tasks, events, open_ids = [], [], []
    for offset in range(count):
        task_id = first_id + offset
        agency = agencies[offset % len(agencies)]
        roll = rng.random()
        if roll < overdue_share:
            status, deadline, completed_on = "in_progress", today - timedelta(days=rng.randint(1, 300)), None
        elif roll < overdue_share + completed_share:
            deadline = today - timedelta(days=rng.randint(-200, 300))
            status, completed_on = "completed", min(deadline + timedelta(days=rng.randint(-30, 20)), today)
        else:
            status, deadline, completed_on = "in_progress", today + timedelta(days=rng.randint(1, 700)), None
        title = f"Triển khai nhiệm vụ chuyển đổi số số {task_id} tại {agency.name}"
        deliverable = ("Kế hoạch", "Kế hoạch triển khai được ban hành")
        note, data = None, None
        if samples:
            sample = samples[offset % len(samples)]
            title = f"{sample['title']} ({task_id})"
            deliverable = (sample["deliverable_type"], sample["deliverable_description"])
            note = next((h["note"] for h in sample["history"] if h.get("note")), "Đang triển khai")
            data = {"progress_percent": 50}
        tasks.append({
            "id": task_id, "directive_id": directive_ids[offset % len(directive_ids)], "clause_ref": f"Mục {offset}",
            "title": title, "objective": "Nâng cao hiệu quả chỉ đạo, điều hành trên môi trường số",
            "lead_agency_id": agency.id, "coordinating_agency_ids": [],
            "accountable_official": f"Thủ trưởng {agency.name}",
            "deliverable_type": deliverable[0], "deliverable_description": deliverable[1],
            "expected_result": "Kế hoạch được ban hành và triển khai đúng tiến độ", "priority": offset % 10 == 0,
            "deadline_text": deadline.isoformat(), "deadline_on": deadline, "original_deadline_on": deadline,
            "status": status, "progress_percent": 100 if status == "completed" else 50,
            "latest_note": "Đang triển khai", "completed_on": completed_on, "evidence": None,
            "search_text": fold(f"{title} {agency.name} {agency.code}"), "version": 2,
            "created_at": created_at, "updated_at": created_at,
        })
        events.append({"task_id": task_id, "occurred_at": created_at, "kind": "created", "from_status": None,
                       "to_status": "new", "deadline_on": deadline, "completed_on": None,
                       "lead_agency_id": agency.id})
        events.append({"task_id": task_id, "occurred_at": created_at + timedelta(days=30),
                       "kind": "progress_reported", "from_status": "new", "to_status": "in_progress",
                       "deadline_on": deadline, "completed_on": None, "lead_agency_id": agency.id,
                       "note": note, "data": data})
        if status == "completed" and samples:
            evidence = {"document_number": f"{task_id}/QĐ-{agency.code[-3:]}", "document_date": str(completed_on),
                        "url": f"https://vanban.example.gov.vn/{task_id}"}
            events.append({"task_id": task_id, "occurred_at": created_at + timedelta(days=50),
                           "kind": "completion_reported", "from_status": "in_progress", "to_status": "reported_done",
                           "deadline_on": deadline, "completed_on": completed_on, "lead_agency_id": agency.id,
                           "note": "Đã ban hành sản phẩm theo yêu cầu", "data": {"progress_percent": 100,
                                                                                  "evidence": evidence}})
        if status == "completed":
            events.append({"task_id": task_id, "occurred_at": created_at + timedelta(days=60),
                           "kind": "completion_accepted", "from_status": "reported_done", "to_status": "completed",
                           "deadline_on": deadline, "completed_on": completed_on, "lead_agency_id": agency.id})
        else:
            open_ids.append(task_id)
    with engine.begin() as conn:
        for start in range(0, len(tasks), 5000):
            conn.execute(insert(Task), tasks[start:start + 5000])
        for event in events:  # one shape for every row of an executemany
            event.setdefault("note", None)
            event.setdefault("data", None)
        for start in range(0, len(events), 10000):
            conn.execute(insert(TaskEvent), events[start:start + 10000])
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('tasks', 'id'), (SELECT max(id) FROM tasks))")
    # What autovacuum / a periodic ANALYZE would have done to a table this size by the time it is queried.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    engine.dispose()
    return open_ids
