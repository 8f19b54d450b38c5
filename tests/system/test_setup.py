import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import insert, text

from app.alerts.models import AlertDigestEntry
from app.config import Settings
from app.db import make_engine
from app.webhooks.models import WebhookEndpoint, WebhookMessage
from tests.conftest import PROJECT_DIR, empty_postgres_database
from tests.paging import every_item

# Integration: a real `roviec serve` process over HTTP.
pytestmark = pytest.mark.real_server


def test_healthz_needs_no_token(server):
    response = httpx.get(f"{server.base_url}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_openapi_docs_are_served(server):
    assert httpx.get(f"{server.base_url}/docs").status_code == 200
    paths = httpx.get(f"{server.base_url}/openapi.json").json()["paths"]
    assert "/api/v1/tasks/{task_id}/progress" in paths


def test_missing_and_bad_tokens_get_401_in_both_languages(clients):
    missing = clients.anonymous.get("/tasks")
    assert missing.status_code == 401
    assert missing.json()["detail"]["message_vi"]
    bad = clients.anonymous.get("/tasks", headers={"Authorization": "Bearer rv_not-a-token"})
    assert bad.status_code == 401


def test_revoked_token_stops_working(clients):
    db = clients.database
    created = db.cli("token", "create", "--agency", "000.00.00.G12", "--role", "observer", "--name", "tạm")
    raw = created.stdout.strip().splitlines()[-1]
    assert raw.startswith("rv_")
    headers = {"Authorization": f"Bearer {raw}"}
    assert clients.anonymous.get("/agencies", headers=headers).status_code == 200

    listed = db.cli("token", "list").stdout
    line = next(line for line in listed.splitlines() if line.endswith("\ttạm"))
    assert raw not in listed  # only the prefix is ever shown again
    assert db.cli("token", "revoke", line.split("\t")[0]).returncode == 0
    # The server caches a token for ROVIEC_AUTH_CACHE_SECONDS (1 s in the tests) after its last check.
    deadline = time.monotonic() + 5
    while clients.anonymous.get("/agencies", headers=headers).status_code != 401:
        assert time.monotonic() < deadline, "revoked token still accepted"
        time.sleep(0.2)


def test_token_create_refuses_unknown_agency(clients):
    result = clients.database.cli("token", "create", "--agency", "999.99.99.Z99", "--role", "agency")
    assert result.returncode != 0
    assert "999.99.99.Z99" in result.stderr


def test_agencies_and_directives_are_listed(clients):
    agencies = clients.observer.get("/agencies").json()
    assert {"000.00.00.G12", "000.00.00.H29"} <= {a["code"] for a in agencies}
    directives = every_item(clients.observer, "/directives")
    second_session = next(d for d in directives if d["number"] == "128/TB-VPCP")
    assert second_session["meeting_date"] == "2022-04-27"
    one = clients.observer.get(f"/directives/{second_session['id']}")
    assert one.status_code == 200 and one.json()["number"] == "128/TB-VPCP"
    assert clients.observer.get("/directives/999999").status_code == 404


def test_directive_validation(clients):
    response = clients.secretariat.post("/directives", json={
        "number": "128/TB-VPCP", "title": "Thông báo kết luận trùng số", "issued_on": "2022-04-01",
        "meeting_name": "Phiên họp", "meeting_date": "2022-04-27", "issuer": "VPCP"})
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["detail"]}
    assert fields == {"number", "issued_on"}
    assert all(d["msg_vi"] for d in response.json()["detail"])
    far = clients.secretariat.post("/directives", json={
        "number": "1/TB-XA", "title": "Thông báo kết luận ngày xa", "issued_on": "9999-12-31",
        "meeting_name": "Phiên họp", "meeting_date": "0001-01-01", "issuer": "VPCP", "id": 5})
    assert far.status_code == 422
    assert {d["field"] for d in far.json()["detail"]} == {"issued_on", "meeting_date", "id"}


def test_migrations_make_exactly_the_models_schema_and_go_down_and_up(migrated, tmp_path):
    """Migrations are the only way the schema is made: what they build is what the models say, on each backend,
    and every one of them can be undone."""
    alembic = [str(Path(sys.executable).with_name("alembic"))]
    check = subprocess.run([*alembic, "check"], env=migrated.env(), cwd=PROJECT_DIR, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    with _empty_database(migrated.backend, tmp_path) as url:
        for step in (["upgrade", "head"], ["downgrade", "base"], ["upgrade", "head"], ["check"]):
            result = subprocess.run([*alembic, *step], env={**migrated.env(), "ROVIEC_DATABASE_URL": url},
                                    cwd=PROJECT_DIR, capture_output=True, text=True)
            assert result.returncode == 0, f"{step}: {result.stderr}"


@contextmanager
def _empty_database(backend: str, tmp_path: Path):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'round-trip.db'}"
        return
    with empty_postgres_database() as url:
        yield url


def test_undoing_0006_links_each_digest_entry_to_the_digest_that_carried_it(fresh_database):
    """The release before 0006 takes an entry without its message for one not yet sent."""
    alembic = [str(Path(sys.executable).with_name("alembic"))]
    # A database at head with the seed: a copy of the run's template (`roviec migrate`, `roviec seed`).
    url = fresh_database.url
    env = fresh_database.env()
    engine = make_engine(Settings(database_url=url).sqlalchemy_url)
    at = datetime.now(UTC)
    with engine.begin() as conn:
        agency, task = conn.execute(text("SELECT lead_agency_id, id FROM tasks ORDER BY id LIMIT 1")).one()
        endpoint = conn.execute(insert(WebhookEndpoint).values(
            owner_agency_id=agency, url="https://hooks.example.org/x", event_types=[], lead_agency_ids=[],
            directive_ids=[], digest=True, secret="whsec_x", created_at=at, updated_at=at)
            .returning(WebhookEndpoint.id)).scalar()
        message = conn.execute(insert(WebhookMessage).values(
            public_id="msg_x", endpoint_id=endpoint, event_type="task.overdue", status="delivered",
            dedupe_key=f"digest:task.overdue:{at.isoformat()}", next_attempt_at=at, created_at=at)
            .returning(WebhookMessage.id)).scalar()
        conn.execute(insert(AlertDigestEntry).values(endpoint_id=endpoint, task_id=task, event_type="task.overdue",
                                                     dedupe_key="overdue:x", deadline_on=at.date(), created_at=at))
    engine.dispose()
    down = subprocess.run([*alembic, "downgrade", "0005"], env=env, cwd=PROJECT_DIR, capture_output=True, text=True)
    assert down.returncode == 0, down.stderr
    engine = make_engine(Settings(database_url=url).sqlalchemy_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT message_id FROM alert_digest_entries")).scalars().all() == [message]
    engine.dispose()


def test_0024_gives_each_journal_row_the_progress_the_workflow_had_set(fresh_database):
    """Rows journaled before 0024 get the progress after them, as the workflow set it then: the seed's journal
    (written by the workflow, which records it) is the same after going down to 0023 and up again."""
    alembic = [str(Path(sys.executable).with_name("alembic"))]
    engine = make_engine(Settings(database_url=fresh_database.url).sqlalchemy_url)
    query = text("SELECT id, kind, progress_percent FROM task_events ORDER BY id")
    with engine.connect() as conn:
        recorded = conn.execute(query).all()
    engine.dispose()
    kinds = {kind for _, kind, percent in recorded if 0 < percent < 100}
    assert {"progress_reported", "completion_rejected"} <= kinds  # a sent-back completion: below 100 again
    for step in (["downgrade", "0023"], ["upgrade", "head"]):
        result = subprocess.run([*alembic, *step], env=fresh_database.env(), cwd=PROJECT_DIR, capture_output=True,
                                text=True)
        assert result.returncode == 0, f"{step}: {result.stderr}"
    engine = make_engine(Settings(database_url=fresh_database.url).sqlalchemy_url)
    with engine.connect() as conn:
        assert conn.execute(query).all() == recorded
    engine.dispose()
