"""The suite runs every test against SQLite and PostgreSQL, each with a database of its own, through a real
`roviec serve` process spoken to over HTTP.

Each backend's schema and seed are made once per run (`roviec migrate` and `roviec seed`) into a template: the
run's database, and any other a test needs of its own, is a copy of it (PostgreSQL `CREATE DATABASE … TEMPLATE`, a
copied SQLite file). Accounts and tokens are made in this process through the service the CLI calls; the tests whose
subject is the CLI still run it."""

import asyncio
import concurrent.futures
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import unit_of_work
from app.access.principal import OPERATOR, Principal, Role
from app.alerts import service as alert_service
from app.auth import accounts
from app.auth import service as auth_service
from app.config import Settings
from app.db import make_engine
from app.tasks import service as task_service
from app.tasks.schemas import TaskCreate
from app.webhooks.delivery import Deliverer
from tests import openapi_check
from tests.dates import year_ahead
from tests.receiver import Receiver

PROJECT_DIR = Path(__file__).resolve().parent.parent
# The webhook receiver of the tests listens on 127.0.0.1 over plain http.
WEBHOOK_ENV = {"ROVIEC_WEBHOOK_ALLOW_HTTP": "true", "ROVIEC_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8"}
ROVIEC = str(Path(sys.executable).with_name("roviec"))
PG_ADMIN_URL = os.environ.get("ROVIEC_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = os.environ.get("ROVIEC_TEST_BACKENDS", "sqlite,postgresql").split(",")
RUN_ID = uuid.uuid4().hex[:8]  # in every database name this process makes


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@dataclass
class Database:
    backend: str
    url: str

    def env(self) -> dict[str, str]:
        # A wrong password's first wait is a minute, not 2 s: on a slow machine the next attempt of a test must not
        # find it over (the doubling itself is tested on the pure rule, tests/auth/test_throttle_rule.py).
        return {**os.environ, "ROVIEC_DATABASE_URL": self.url, "ROVIEC_SCHEDULER": "off",
                "ROVIEC_AUTH_CACHE_SECONDS": "1", "ROVIEC_SIGN_IN_FIRST_WAIT_SECONDS": "60",
                # The suite's few tokens make thousands of requests a minute; the limits have tests of their own.
                "ROVIEC_RATE_LIMIT_PER_TOKEN": "0", "ROVIEC_RATE_LIMIT_PER_ADDRESS": "0",
                "ROVIEC_RATE_LIMIT_BAD_TOKENS_PER_ADDRESS": "0", **WEBHOOK_ENV,
                # Evidence files: a SQLite database's beside its file (the default); a PostgreSQL one's in a folder of
                # its own, not the project's ./roviec-files.
                **({"ROVIEC_FILES_DIR": str(self.files_dir)} if self.backend == "postgresql" else {})}

    @property
    def files_dir(self) -> Path:
        """Where the servers on this database keep evidence files."""
        if self.backend == "postgresql":
            return Path(tempfile.gettempdir()) / f"roviec-files-{_db_name(self.url)}"
        return Settings(database_url=self.url).evidence_dir

    def settings(self, **overrides) -> Settings:
        values = {"database_url": self.url, "webhook_allow_http": True, "webhook_allowed_networks": "127.0.0.0/8"}
        return Settings(**(values | overrides))

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([ROVIEC, *args], env=self.env(), cwd=PROJECT_DIR, capture_output=True, text=True,
                              timeout=120)

    def engine(self) -> Engine:
        """This process's engine on the database (one per URL, disposed when the database goes), a writer on
        SQLite as the server's writers are (BEGIN IMMEDIATE)."""
        if self.url not in _engines:
            _engines[self.url] = make_engine(Settings(database_url=self.url).sqlalchemy_url).execution_options(
                sqlite_begin="IMMEDIATE")
        return _engines[self.url]

    def dispose(self) -> None:
        engine = _engines.pop(self.url, None)
        if engine is not None:
            engine.dispose()

    def write(self, function):
        """`function(session)` in the app's unit of work on this database, committed: what a CLI command does,
        without a Python process of its own."""
        with unit_of_work.transaction(factory=lambda: Session(self.engine(), expire_on_commit=False)) as session:
            return function(session)

    def token(self, agency: str, role: str, name: str | None = None) -> str:
        """A raw API token, as `roviec token create` makes it (the same service call)."""
        return self.write(lambda session: auth_service.create_token(
            session=session, agency_code=agency, role=Role(role), name=name))[1]

    def account(self, username: str, agency: str, role: str, full_name: str, job_title: str = "") -> str:
        """An account and its generated password, as `roviec user create` makes it (the same service call)."""
        return self.write(lambda session: accounts.create(
            session=session, principal=OPERATOR, username=username, full_name=full_name, agency_code=agency,
            role=role, job_title=job_title))[1]


_engines: dict[str, Engine] = {}


def screenshot_folder(config) -> Path:
    return Path(config.getoption("--output", default="test-results")).resolve() / "screenshots"


def pytest_sessionstart(session):
    """The last run's screenshots go, once: in the one process, or in xdist's controller before its workers start."""
    if not hasattr(session.config, "workerinput"):
        shutil.rmtree(screenshot_folder(session.config), ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """A test marked postgresql_only is not collected for SQLite at all (rather than skipped there), nor one marked
    sqlite_only for PostgreSQL. A test marked one_backend runs each of its cases once, on one database, the cases of
    each test function dealt in turn to the backends of the run, the first to the first backend (every form of every
    page refused, each role's crawl of every page and axe over it: the same templates and form models on either
    database), so that each backend's worker carries half of them. The tests that read a role's crawl list their
    roles in the same order, so each role is crawled on one database only. Under xdist
    (`-n 2 --dist loadgroup`) each backend's tests run on one worker, so each worker sets up one database and one
    server, not both."""
    kept, dropped = [], []
    dealt: dict[str, dict[tuple, str]] = {}  # per test function: its cases dealt in turn, the first to BACKENDS[0]
    for item in items:
        params = item.callspec.params if getattr(item, "callspec", None) is not None else {}
        backend = params.get("database")
        if backend is not None:
            item.add_marker(pytest.mark.xdist_group(backend))
        unwanted = (backend == "sqlite" and item.get_closest_marker("postgresql_only")) or (
            backend == "postgresql" and item.get_closest_marker("sqlite_only"))
        if backend is not None and not unwanted and item.get_closest_marker("one_backend"):
            cases = dealt.setdefault(item.originalname, {})
            case = tuple(sorted((k, str(v)) for k, v in params.items() if k != "database"))
            unwanted = cases.setdefault(case, BACKENDS[len(cases) % len(BACKENDS)]) != backend
        (dropped if unwanted else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


class Templates:
    """Each backend's schema and seed, made once per run by the CLI (`roviec migrate`, `roviec seed`) into a
    template, and the copies made of it: the run's database of each backend, and any a test needs of its own. All
    of them are dropped when the run ends (their names carry the run's id)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.made: dict[str, Database] = {}
        self.copies: list[Database] = []

    def of(self, backend: str) -> Database:
        if backend not in self.made:
            if backend == "sqlite":
                template = Database("sqlite", f"sqlite:///{self.folder / 'template.db'}")
            else:
                require_postgres()
                template = Database("postgresql", create_postgres_database(f"roviec_template_{RUN_ID}"))
            self.copies.append(template)  # dropped at the end even if the migrations fail
            for args in (("migrate",), ("seed",)):
                result = template.cli(*args)
                assert result.returncode == 0, result.stderr
            self.made[backend] = template
        return self.made[backend]

    def copy(self, backend: str) -> Database:
        """A database of its own, migrated and seeded: a copy of the backend's template."""
        template = self.of(backend)
        if backend == "sqlite":
            path = self.folder / f"roviec-{uuid.uuid4().hex[:8]}.db"
            source, target = sqlite3.connect(template.url.removeprefix("sqlite:///")), sqlite3.connect(path)
            try:
                source.backup(target)  # what the template's WAL holds included
            finally:
                source.close()
                target.close()
            made = Database("sqlite", f"sqlite:///{path}")
        else:
            name = f"roviec_test_{RUN_ID}_{uuid.uuid4().hex[:8]}"
            made = Database("postgresql", create_postgres_database(name, template=_db_name(template.url)))
        self.copies.append(made)
        return made

    def drop_all(self) -> None:
        for made in reversed(self.copies):  # the copies before their template
            made.dispose()
            if made.backend == "postgresql":
                drop_postgres_database(_db_name(made.url))


def _db_name(url: str) -> str:
    return url.rsplit("/", 1)[1]


def require_postgres() -> None:
    if not _postgres_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI and is not reachable at {PG_ADMIN_URL}")
        pytest.skip("PostgreSQL not reachable")


@pytest.fixture(scope="session")
def templates(tmp_path_factory) -> Iterator[Templates]:
    made = Templates(tmp_path_factory.mktemp("databases"))
    yield made
    made.drop_all()


@pytest.fixture(scope="session", params=BACKENDS)
def database(request, templates: Templates) -> Iterator[Database]:
    """The run's database of the backend, migrated and seeded (a copy of its template)."""
    made = templates.copy(request.param)
    yield made
    made.dispose()


@pytest.fixture
def fresh_database(database: Database, templates: Templates) -> Database:
    """A database of this test's own on the same backend, migrated and seeded, for a test that breaks or empties
    its database: a copy of the template, not another run of the migrations."""
    return templates.copy(database.backend)


def create_postgres_database(name: str, template: str | None = None) -> str:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_postgres_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def empty_postgres_database() -> Iterator[str]:
    name = f"roviec_test_{RUN_ID}_{uuid.uuid4().hex[:8]}"
    url = create_postgres_database(name)
    try:
        yield url
    finally:
        drop_postgres_database(name)


@pytest.fixture(scope="session")
def migrated(database: Database) -> Database:
    """The run's database, migrated and seeded (by the CLI, in its template)."""
    return database


@dataclass
class Server:
    base_url: str
    database: Database
    pid: int = 0  # to read its memory
    log: deque | None = None  # the last lines it wrote to stderr (bytes)

    def log_lines(self) -> list[str]:
        return [line.decode(errors="replace").rstrip("\n") for line in list(self.log or ())]


@contextmanager
def serving(database: Database, **env: str) -> Iterator[Server]:
    """A real `roviec serve` on a free port over `database`, with `env` added to its environment."""
    port = _free_port()
    process = subprocess.Popen([ROVIEC, "serve", "--port", str(port)], env=database.env() | env, cwd=PROJECT_DIR,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # Its log read all along (the last lines kept): a server logging many tracebacks must not fill the pipe and
    # block, mid-request, on its next write.
    log: deque[bytes] = deque(maxlen=400)
    reader = threading.Thread(target=log.extend, args=(process.stderr,), daemon=True)
    reader.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            reader.join(timeout=2)
            pytest.fail(f"server did not start: {b''.join(log).decode(errors='replace')[-2000:]}")
        time.sleep(0.1)
    try:
        yield Server(base, database, process.pid, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # a request stuck in the server (the code before a fix)
            process.kill()
            process.wait(timeout=15)


@contextmanager
def own_server(database: Database, **settings: str) -> Iterator[Server]:
    """`serving` with settings by name (`import_read_seconds="4"` sets ROVIEC_IMPORT_READ_SECONDS)."""
    with serving(database, **{f"ROVIEC_{name.upper()}": value for name, value in settings.items()}) as running:
        yield running


@pytest.fixture(scope="session")
def server(migrated: Database) -> Iterator[Server]:
    with serving(migrated) as running:
        yield running


@pytest.fixture(scope="session")
def proxied(migrated: Database) -> Iterator[Server]:
    """A second server on the run's database behind a proxy it trusts (127.0.0.1): a test names the client's
    address in X-Forwarded-For and the scheme in X-Forwarded-Proto. One per run, for every module that needs it."""
    with serving(migrated, ROVIEC_TRUSTED_PROXIES="127.0.0.1") as running:
        yield running


def _token(database: Database, agency: str, role: str) -> str:
    return database.token(agency, role)


SECRETARIAT_AGENCY = "000.00.00.K01"
LEAD_AGENCY = "000.00.00.G12"  # Bộ Tài chính
OTHER_AGENCY = "000.00.00.H29"  # TP. Hồ Chí Minh


@dataclass
class Clients:
    secretariat: httpx.Client
    lead: httpx.Client
    other_agency: httpx.Client
    observer: httpx.Client
    anonymous: httpx.Client
    database: Database

    def by_role(self, name: str) -> httpx.Client:
        return getattr(self, name)


def _role_tokens(database: Database) -> dict[str, str | None]:
    return {"secretariat": _token(database, SECRETARIAT_AGENCY, "secretariat"),
            "lead": _token(database, LEAD_AGENCY, "agency"),
            "other_agency": _token(database, OTHER_AGENCY, "agency"),
            "observer": _token(database, OTHER_AGENCY, "observer"),
            "anonymous": None}


@pytest.fixture(scope="session")
def role_tokens(migrated: Database) -> dict[str, str | None]:
    return _role_tokens(migrated)


@pytest.fixture(scope="session")
def server_clients(server: Server, role_tokens) -> Iterator[Clients]:
    """Clients of a real `roviec serve` process, over HTTP: the integration tests."""
    def client(token: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=f"{server.base_url}/api/v1", headers=headers, timeout=30,
                            event_hooks={"response": [openapi_check.read_and_see]})

    made = Clients(**{role: client(token) for role, token in role_tokens.items()}, database=server.database)
    yield made
    for c in (made.secretariat, made.lead, made.other_agency, made.observer, made.anonymous):
        c.close()


class InProcessClient:
    """The app in this process (httpx over an ASGI transport, one event loop for the whole run), with a role's
    token: the fast tests of rules and the API."""

    def __init__(self, client: TestClient, token: str | None):
        self._client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.base_url = "http://testserver/api/v1"

    def request(self, method: str, url: str, *, headers: dict | None = None, **kwargs) -> httpx.Response:
        response = self._client.request(method, "/api/v1" + url, headers=self.headers | (headers or {}), **kwargs)
        openapi_check.seen(response)
        return response

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.request("POST", url, **kwargs)

    def patch(self, url, **kwargs):
        return self.request("PATCH", url, **kwargs)

    def put(self, url, **kwargs):
        return self.request("PUT", url, **kwargs)

    def delete(self, url, **kwargs):
        return self.request("DELETE", url, **kwargs)


def forget_process_state() -> None:
    """What a process keeps of its database (engines, reference caches), forgotten when the tests move to another
    database."""
    from app import cache, config, db

    if config.get_settings.cache_info().currsize and db.get_engine.cache_info().currsize:
        db.get_engine().dispose()
    for cached in (config.get_settings, db.get_engine, db.get_async_engine, db._sync_bind, db._snapshot_bind):
        cached.cache_clear()
    cache.forget_everything()


@pytest.fixture(scope="session")
def in_process_clients(migrated: Database, role_tokens) -> Iterator[Clients]:
    from app import config
    from app.main import create_app

    forget_process_state()
    # The app reads its settings once (get_settings is cached): from the test database's environment, which is put
    # back at once so that nothing else in this process sees it.
    saved = dict(os.environ)
    os.environ.update(migrated.env())
    try:
        config.get_settings()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    try:
        with TestClient(create_app(), raise_server_exceptions=False) as client:
            yield Clients(**{role: InProcessClient(client, token) for role, token in role_tokens.items()},
                          database=migrated)
    finally:
        forget_process_state()


@pytest.fixture
def clients(request, migrated: Database) -> Clients:
    """In process by default; a module marked `pytest.mark.real_server` talks to a real `roviec serve` over HTTP."""
    if request.node.get_closest_marker("real_server"):
        return request.getfixturevalue("server_clients")
    return request.getfixturevalue("in_process_clients")


@pytest.fixture
def agencies(clients: Clients) -> dict[str, dict]:
    response = clients.secretariat.get("/agencies")
    assert response.status_code == 200
    return {a["code"]: a for a in response.json()}


_counter = iter(range(1, 10**9))
# task_payload's deadline: 30/06 four years on, so that every later wording a test asks for is ahead too.
TASK_DEADLINE = date(year_ahead(4), 6, 30)


@pytest.fixture
def directive(clients: Clients) -> dict:
    number = f"{next(_counter)}-{uuid.uuid4().hex[:6]}/TB-VPCP"
    response = clients.secretariat.post("/directives", json={
        "number": number, "title": "Thông báo kết luận phiên họp thử nghiệm của Ủy ban",
        # Issued before the tasks the `backdated` fixture records as of 2025.
        "issued_on": "2024-11-20", "meeting_name": "Phiên họp thử nghiệm", "meeting_date": "2024-11-18",
        "issuer": "Văn phòng Chính phủ",
    })
    assert response.status_code == 201, response.text
    return response.json()


def task_payload(directive: dict, agencies: dict[str, dict], **overrides) -> dict:
    payload = {
        "directive_id": directive["id"],
        "clause_ref": "Mục 2.a",
        "title": "Trình Chính phủ ban hành Nghị định sửa đổi Nghị định số 123/2020/NĐ-CP về hóa đơn",
        "objective": "Hoàn thiện khung pháp lý cho hóa đơn điện tử, chống thất thu thuế",
        "lead_agency_id": agencies[LEAD_AGENCY]["id"],
        "coordinating_agency_ids": [agencies[OTHER_AGENCY]["id"]],
        "accountable_official": "Bộ trưởng Bộ Tài chính",
        "deadline": TASK_DEADLINE.isoformat(),
        "deliverable_type": "Nghị định",
        "deliverable_description": "Nghị định sửa đổi, bổ sung Nghị định số 123/2020/NĐ-CP được Chính phủ ban hành",
        "expected_result": "100% doanh nghiệp sử dụng hóa đơn điện tử theo quy định mới",
        "priority": True,
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def make_task(clients: Clients, directive: dict, agencies: dict[str, dict]):
    def make(**overrides) -> dict:
        response = clients.secretariat.post("/tasks", json=task_payload(directive, agencies, **overrides))
        assert response.status_code == 201, response.text
        return response.json()

    return make


DONE_REPORT = {
    "status": "reported_done", "progress_percent": 100, "note": "Chính phủ đã ban hành Nghị định",
    "evidence": {"document_number": "70/2025/NĐ-CP", "document_date": "2026-11-20",
                 "url": "https://vanban.chinhphu.vn/70-2025-nd-cp"},
}


@pytest.fixture
def backdated(clients, directive, agencies):
    """Creates tasks as if recorded in the past, through the same service the API uses, with its clock set back."""
    engine = make_engine(Settings(database_url=clients.database.url).sqlalchemy_url)
    secretariat = Principal(token_id=None, agency_id=agencies["000.00.00.K01"]["id"], role=Role.secretariat)

    def create(recorded_at, **overrides) -> int:
        with Session(engine) as session:
            task = task_service.create_task(
                session=session, principal=secretariat, now=recorded_at,
                task_in=TaskCreate(**task_payload(directive, agencies, **overrides)))
            session.commit()
            return task.id

    yield create
    engine.dispose()




@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    running = Receiver().start()
    yield running
    running.stop()
    # Every body the service sent is checked against its event's schema at the end of the run (tests/openapi_check).
    openapi_check.webhooks_received([r.body for r in running.received])


@pytest.fixture(scope="session")
def write_engine(migrated: Database):
    engine = make_engine(migrated.settings().sqlalchemy_url).execution_options(sqlite_begin="IMMEDIATE")
    yield engine
    engine.dispose()


class Clock:
    """An injected clock for the delivery worker: tests move it instead of sleeping."""

    def __init__(self):
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def catch_up(self) -> datetime:
        """To the real time, where the server (which stamps requeued messages) lives."""
        self.now = max(self.now, datetime.now(UTC))
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def deliver(clients, write_engine, clock):
    """Runs the real delivery worker in this process until nothing is due at `clock`."""
    deliverers = []

    def run(**setting_overrides) -> int:
        settings = clients.database.settings(**setting_overrides)
        alert_service.register_with_delivery(settings)  # as app/scheduler.py does for the real worker
        deliverer = Deliverer(session_factory=lambda: Session(write_engine, expire_on_commit=False),
                              settings=settings, clock=clock)
        deliverers.append(deliverer)
        # In a thread of its own: the browser tests' Playwright keeps an event loop running in this one.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, _run_and_close(deliverer)).result()

    return run


async def _run_and_close(deliverer) -> int:
    try:
        return await deliverer.run_until_idle()
    finally:
        await deliverer.aclose()


@pytest.fixture(scope="session", autouse=True)
def every_response_is_in_the_openapi():
    """After the run: every response the suite saw from the API is described by the OpenAPI document (its status
    for that operation, its JSON body by that status's schema, the headers it declares), and every webhook body the
    receiver got by its event's schema."""
    yield
    problems = openapi_check.problems()
    assert not problems, "responses the OpenAPI does not describe:\n" + "\n".join(problems[:30])
