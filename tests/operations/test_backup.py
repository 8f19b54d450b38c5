"""`roviec backup` and `roviec restore` on each backend, run as an operator runs them, beside real `roviec serve`
processes spoken to over HTTP."""

import re
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from app.config import Settings
from app.db import alembic_config, make_engine
from tests import openapi_check
from tests.conftest import (
    DONE_REPORT,
    LEAD_AGENCY,
    SECRETARIAT_AGENCY,
    TASK_DEADLINE,
    Database,
    empty_postgres_database,
    serving,
    task_payload,
)
from tests.dates import iso, month_wording, today
from tests.paging import every_item

pytestmark = pytest.mark.real_server

Y = TASK_DEADLINE.year


def _client(server, token: str) -> httpx.Client:
    return httpx.Client(base_url=f"{server.base_url}/api/v1", headers={"Authorization": f"Bearer {token}"},
                        timeout=30, event_hooks={"response": [openapi_check.read_and_see]})


@contextmanager
def _empty_target(backend: str, tmp_path: Path) -> Iterator[Database]:
    """A database nobody has made anything in: a SQLite path with no file yet, a PostgreSQL database just created."""
    if backend == "sqlite":
        yield Database("sqlite", f"sqlite:///{tmp_path / 'restored.db'}")
        return
    with empty_postgres_database() as url:
        made = Database("postgresql", url)
        try:
            yield made
        finally:
            made.dispose()


def _fingerprint(database: Database) -> dict:
    """Every table's row count and the tokens' names: enough to see a restore that changed anything."""
    engine = make_engine(Settings(database_url=database.url).sqlalchemy_url)
    try:
        with engine.connect() as connection:
            tables = sorted(inspect(connection).get_table_names())
            counts = {t: connection.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}
            names = sorted(n for (n,) in connection.execute(text("SELECT name FROM api_tokens")) if n)
            return {"counts": counts, "tokens": names}
    finally:
        engine.dispose()


def _directive(client: httpx.Client) -> dict:
    response = client.post("/directives", json={
        "number": f"{uuid.uuid4().hex[:6]}/TB-VPCP", "title": "Thông báo kết luận phiên họp về sao lưu",
        "issued_on": "2024-11-20", "meeting_name": "Phiên họp thử nghiệm", "meeting_date": "2024-11-18",
        "issuer": "Văn phòng Chính phủ"})
    assert response.status_code == 201, response.text
    return response.json()


def _ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def test_round_trip_while_the_server_writes(fresh_database: Database, tmp_path: Path):
    db = fresh_database
    secretariat_token, lead_token = db.token(SECRETARIAT_AGENCY, "secretariat"), db.token(LEAD_AGENCY, "agency")
    as_of = iso(today())
    backup = tmp_path / "roviec.backup"
    with serving(db) as server, _client(server, secretariat_token) as secretariat, \
            _client(server, lead_token) as lead:
        agencies = {a["code"]: a for a in _ok(secretariat.get("/agencies"))}
        compared, churned = _directive(secretariat), _directive(secretariat)

        def task(directive, **overrides) -> int:
            return _ok(secretariat.post("/tasks", json=task_payload(directive, agencies, **overrides)), 201)["id"]

        in_progress, completed, extended, untouched = (task(compared), task(compared),
                                                       task(compared, deadline=month_wording(date(Y, 6, 1))),
                                                       task(compared))
        _ok(lead.post(f"/tasks/{in_progress}/progress", json={"status": "in_progress", "progress_percent": 40,
                                                              "note": "Đã lấy ý kiến các bộ, ngành"}))
        _ok(lead.post(f"/tasks/{completed}/progress", json=DONE_REPORT))
        _ok(secretariat.post(f"/tasks/{completed}/accept", json={"note": "Đạt yêu cầu"}))
        request = _ok(lead.post(f"/tasks/{extended}/extension-requests",
                                json={"requested_deadline": f"quý IV/{Y}", "reason": "Chờ ý kiến thẩm định"}), 201)
        _ok(secretariat.post(f"/extension-requests/{request['id']}/decision",
                             json={"decision": "approved", "note": "Đồng ý"}))
        writer_tasks = [task(churned) for _ in range(3)]
        for task_id in writer_tasks:
            _ok(lead.post(f"/tasks/{task_id}/progress", json={"status": "in_progress", "progress_percent": 1,
                                                              "note": "Bắt đầu"}))

        # What is compared is captured now, before the writer starts, and the writer only reports progress on the
        # tasks of another directive (already in progress, so no figure of the grid moves): whatever instant the
        # backup's snapshot falls on, these answers are those of the state it captured. The writer's own tasks are
        # checked apart, for consistency, below.
        def answers(client: httpx.Client) -> dict[str, bytes]:
            got = {"summary": client.get("/reports/summary", params={"as_of": as_of}),
                   "directive summary": client.get("/reports/summary",
                                                   params={"directive_id": compared["id"], "as_of": as_of}),
                   "list": client.get("/tasks", params={"directive_id": compared["id"], "limit": 200}),
                   **{f"history {n}": client.get(f"/tasks/{task_id}/history")
                      for n, task_id in enumerate((in_progress, completed, extended, untouched))},
                   **{f"completion {f}": client.get("/reports/completion", params={
                       "directive_id": compared["id"], "as_of": as_of, "format": f}) for f in ("csv", "xlsx")}}
            assert all(r.status_code == 200 for r in got.values()), {k: r.status_code for k, r in got.items()}
            return {name: response.content for name, response in got.items()}

        original = answers(secretariat)
        assert len(original["list"]) > 100 and original["completion xlsx"].startswith(b"PK")

        sent: dict[int, list[str]] = {task_id: [] for task_id in writer_tasks}
        acked = [0]
        stop = threading.Event()

        def write() -> None:
            deadline = time.monotonic() + 120
            for n in range(100_000):
                if stop.is_set() or time.monotonic() > deadline:
                    return
                task_id = writer_tasks[n % len(writer_tasks)]
                note = f"Báo cáo lần {n}"
                sent[task_id].append(note)
                response = writer_client.post(f"/tasks/{task_id}/progress", json={
                    "status": "in_progress", "progress_percent": 2 + n % 97, "note": note})
                assert response.status_code == 200, response.text
                acked[0] += 1

        with _client(server, lead_token) as writer_client:  # its own: the thread shares no client
            writer = threading.Thread(target=write)
            writer.start()
            try:
                while acked[0] < 5:
                    assert writer.is_alive(), "the writer stopped"
                    time.sleep(0.05)
                acked_before = acked[0]
                made = db.cli("backup", str(backup))
                acked_after = acked[0]
            finally:
                stop.set()
                writer.join(timeout=60)
        assert made.returncode == 0, made.stderr
        assert acked_after > acked_before, "no write was answered while the backup ran"
    assert backup.stat().st_mode & 0o777 == 0o600
    assert "nhiệm vụ" in made.stdout and "journal rows" in made.stdout and "webhook" in made.stdout
    # No temporary file left beside it; the evidence files beside it (tests/operations/test_backup_files.py).
    assert sorted(p.name for p in tmp_path.iterdir()) == [backup.name, f"{backup.name}.files.tar"]

    with _empty_target(db.backend, tmp_path) as target:
        restored = target.cli("restore", str(backup))
        assert restored.returncode == 0, restored.stderr
        assert "khôi phục" in restored.stdout and "restored" in restored.stdout
        assert "roviec migrate" not in restored.stdout  # the same schema
        with serving(target) as second, _client(second, secretariat_token) as client:
            assert answers(client) == original
            # Consistent: each writer task's journal holds a prefix of what was sent to it, without a gap, and the
            # task row shows the last report of that prefix; together no fewer reports than were answered before
            # the backup began, no more than were sent before it ended (one writer: one in flight at most).
            counted = 0
            for task_id in writer_tasks:
                events = every_item(client, f"/tasks/{task_id}/history")
                notes = [e["note"] for e in events if e["kind"] == "progress_reported"][1:]
                assert notes == sent[task_id][:len(notes)]
                last = [e for e in events if e["kind"] == "progress_reported"][-1]
                assert _ok(client.get(f"/tasks/{task_id}"))["progress_percent"] == last["data"]["progress_percent"]
                counted += len(notes)
            assert acked_before <= counted <= acked_after + 1
        engine = make_engine(Settings(database_url=target.url).sqlalchemy_url)
        try:
            with engine.connect() as connection:
                assert connection.execute(text(
                    "SELECT count(*) FROM tasks t WHERE NOT EXISTS "
                    "(SELECT 1 FROM task_events e WHERE e.task_id = t.id)")).scalar_one() == 0
        finally:
            engine.dispose()


def test_restore_refuses_a_database_in_use_unless_forced(fresh_database: Database, templates, tmp_path: Path):
    source = fresh_database
    source.token(SECRETARIAT_AGENCY, "observer", "chỉ có trong bản sao lưu")
    backup = tmp_path / "roviec.backup"
    assert source.cli("backup", str(backup)).returncode == 0
    target = templates.copy(source.backend)  # migrated and seeded: the seed's directives are someone's data
    target.token(LEAD_AGENCY, "agency", "chỉ có ở đích")
    before = _fingerprint(target)

    refused = target.cli("restore", str(backup))
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "không trống" in refused.stderr and "is not empty" in refused.stderr
    assert "--force" in refused.stderr  # the way out
    assert _fingerprint(target) == before

    forced = target.cli("restore", str(backup), "--force")
    assert forced.returncode == 0, forced.stderr
    assert _fingerprint(target) == _fingerprint(source)
    assert "chỉ có ở đích" not in _fingerprint(target)["tokens"]


def test_damaged_and_foreign_files_are_refused_and_the_target_kept(fresh_database: Database, templates,
                                                                   tmp_path: Path):
    backup = tmp_path / "roviec.backup"
    assert fresh_database.cli("backup", str(backup)).returncode == 0
    target = templates.copy(fresh_database.backend)
    before = _fingerprint(target)

    garbage = tmp_path / "garbage.backup"
    garbage.write_bytes(b"this is not a backup\n" * 200)
    result = target.cli("restore", str(garbage), "--force")
    assert result.returncode == 2 and "không phải bản sao lưu" in result.stderr and "not a Rõ Việc backup" in \
        result.stderr, result.stderr

    # Cut at nine tenths: on PostgreSQL the table of contents and the first tables' data are still there, so the
    # restore starts (dropping everything under --force) and fails on the missing end: the single transaction puts
    # everything back. On SQLite the page check turns the file away before the target is opened.
    truncated = tmp_path / "truncated.backup"
    whole = backup.read_bytes()
    truncated.write_bytes(whole[:len(whole) * 9 // 10])
    result = target.cli("restore", str(truncated), "--force")
    if fresh_database.backend == "postgresql":
        assert result.returncode == 1 and "giữ nguyên" in result.stderr and "as it was" in result.stderr, \
            result.stderr
    else:
        assert result.returncode == 2 and "bị hỏng" in result.stderr and "truncated" in result.stderr, result.stderr

    if fresh_database.backend == "sqlite":
        # An index whose entries no longer match their table, every page sound: PRAGMA quick_check passes it.
        damaged = tmp_path / "damaged-index.backup"
        damaged.write_bytes(_with_a_damaged_index(whole, damaged))
        result = target.cli("restore", str(damaged), "--force")
        assert result.returncode == 2 and "bị hỏng" in result.stderr and "missing from index" in result.stderr, \
            result.stderr

    other = tmp_path / "other-backend.backup"
    if fresh_database.backend == "sqlite":
        other.write_bytes(b"PGDMP" + bytes(200))
    else:
        with sqlite3.connect(other) as made:
            made.execute("CREATE TABLE t (x)")
        made.close()
    result = target.cli("restore", str(other), "--force")
    assert result.returncode == 2 and "không khôi phục được vào" in result.stderr and "cannot be restored into" in \
        result.stderr, result.stderr
    assert _fingerprint(target) == before


def _with_a_damaged_index(whole: bytes, scratch: Path) -> bytes:
    """The SQLite backup with one date inside an index leaf changed (its page's structure untouched)."""
    scratch.write_bytes(whole)
    with sqlite3.connect(scratch) as reading:
        page_size = reading.execute("PRAGMA page_size").fetchone()[0]
        leaves = [row[0] for row in reading.execute(
            "SELECT pageno FROM dbstat WHERE name = 'sqlite_autoindex_calendar_effective_days_1' "
            "AND pagetype = 'leaf'")]
    reading.close()
    data = bytearray(whole)
    page = leaves[len(leaves) // 2]
    start = (page - 1) * page_size
    days = list(re.finditer(rb"\d{4}-\d{2}-\d{2}", data[start:start + page_size]))
    unit = start + days[len(days) // 2].start() + 9  # the last digit of the day
    data[unit] = ord("0") if data[unit] != ord("0") else ord("1")
    return bytes(data)


def test_backup_into_a_missing_folder_fails_clearly(database: Database, tmp_path: Path):
    result = database.cli("backup", str(tmp_path / "không-có" / "roviec.backup"))
    assert result.returncode == 2
    assert "không có thư mục" in result.stderr and "no such folder" in result.stderr
    assert str(tmp_path / "không-có") in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_restoring_an_older_schema_into_a_migrated_database_says_to_migrate(fresh_database: Database,
                                                                             tmp_path: Path):
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    previous = script.get_revision(head).down_revision
    with fresh_database.engine().begin() as connection:  # the backup says it is one release behind
        connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": previous})
    fresh_database.dispose()
    backup = tmp_path / "roviec.backup"
    assert fresh_database.cli("backup", str(backup)).returncode == 0

    with _empty_target(fresh_database.backend, tmp_path) as target:
        # `roviec migrate` alone (the Docker image runs it at every start) leaves a database nobody has used: empty.
        assert target.cli("migrate").returncode == 0
        restored = target.cli("restore", str(backup))
        assert restored.returncode == 0, restored.stderr
        assert "roviec migrate" in restored.stdout and previous in restored.stdout and head in restored.stdout
        assert _fingerprint(target)["counts"] == _fingerprint(fresh_database)["counts"]
