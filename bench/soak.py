"""Fault soak: replicas, workers and the database killed, stopped and restarted under writes; afterwards, by query on
the database and at the webhook receiver, nothing lost, nothing twice, every event delivered.

What it builds, all of its own and gone afterwards:
  - a PostgreSQL cluster (initdb into a temporary directory, on a free port, so stopping it disturbs nothing else;
    as root, initdb and pg_ctl run as the `postgres` user), `roviec migrate` + `roviec seed` into it;
  - N `roviec serve` replicas (ROVIEC_SCHEDULER=off, each on its own port) and M `roviec worker` processes (a short
    deadline scan, the default delivery lease, a stable name each so that a worker restarted after its kill -9 takes
    back at once what it was sending);
  - a Standard Webhooks receiver on 127.0.0.1 in this process (signatures verified; webhook-id, arrival time and the
    body's journal id recorded) and a secretariat subscription to every event pointing at it;
  - tasks created through the API (some due today, in 1, 3 and 7 days, so the deadline watch raises alerts), then
    C client threads spreading writes over the replicas: progress reports, extension requests and completions,
    each with its own `Idempotency-Key` and `X-Request-ID`, retried with the same key (on the next replica) after a
    transport error, a 503 or a 5xx, honouring `Retry-After`, each with a unique marker in its note.

Faults at planned times: kill -9 of a replica, kill -9 of a worker, SIGTERM of a replica, SIGTERM of a worker (each
restarted at once), PostgreSQL stopped (`pg_ctl stop -m fast`) and started again after ~10 s. Time to recover: the
first write acknowledged through the affected replica after the fault, the restarted worker's first delivery, the
first write (and each replica's) after the database is back.

Promises checked afterwards (exit code 1 when one is broken):
  - every acknowledged write has exactly one journal row (task_events, found by its marker); no write, retried or
    abandoned, has two;
  - every journal row written during the run was delivered (webhook_messages `delivered`) and arrived at the
    receiver with a valid signature; duplicates (same webhook-id again) are counted, not a failure (at least once);
  - no deadline alert window raised twice (by dedupe key in the database, by window at the receiver);
  - no 5xx but a 503 `database_unavailable` while the database is down (and a short grace after), none elsewhere;
  - no request hung (client timeout); every write acknowledged in the end.
Also printed: requests, acknowledged, retried, errors by kind and time window, delivery lag p50/p95 (arrival at the
receiver minus the write's acknowledgement), `/metrics` before and after, and which contract features the build
has (X-Journal-Id, X-Request-ID echo, task_events.request_id, /readyz, the 503).

    .venv/bin/python bench/soak.py [--replicas 3] [--workers 2] [--clients 8] [--seconds 120] [--short] [--json]
"""

import argparse
import base64
import contextlib
import hashlib
import hmac
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import psycopg
import uvicorn

PROJECT_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ROVIEC = str(BIN / "roviec")
API = "/api/v1"
SECRETARIAT = "000.00.00.K01"
CLIENT_TIMEOUT = 30.0  # a request without an answer by then is counted as hung
ALERT_TYPES = ("task.due_soon", "task.due_today", "task.overdue", "task.escalated", "task.overdue_resolved")
OUTAGE_GRACE = 10.0  # seconds after the database is back in which pooled connections may still fail once
PIDS_FILE = "pids"  # in the work directory: every process group started, for a caller's last-resort cleanup


def log(message: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


# ---------------------------------------------------------------- PostgreSQL of its own


def pg_bindir() -> Path | None:
    """initdb and pg_ctl: $ROVIEC_SOAK_PG_BIN, Debian's newest /usr/lib/postgresql/N/bin, or the PATH."""
    candidates = [Path(os.environ["ROVIEC_SOAK_PG_BIN"])] if os.environ.get("ROVIEC_SOAK_PG_BIN") else []
    versions = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if p.parent.name.isdigit()]
    candidates += sorted(versions, key=lambda p: int(p.parent.name), reverse=True)
    if shutil.which("pg_ctl"):
        candidates.append(Path(shutil.which("pg_ctl")).parent)
    return next((c for c in candidates if (c / "initdb").exists() and (c / "pg_ctl").exists()), None)


def cluster_problem() -> str | None:
    """Why a cluster cannot be made here (None when it can): what a test skips on, or fails on under CI."""
    if pg_bindir() is None:
        return "PostgreSQL binaries (initdb, pg_ctl) not found: set ROVIEC_SOAK_PG_BIN or install postgresql"
    if os.geteuid() == 0:
        try:
            import pwd
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a `postgres` user to run initdb as"
        if shutil.which("runuser") is None:
            return "running as root without runuser"
    return None


class Cluster:
    """initdb into `workdir/pg` on a free port; stopped and started at will; stopped (immediate) at the end."""

    def __init__(self, workdir: Path):
        self.bindir = pg_bindir()
        if self.bindir is None:
            raise RuntimeError(cluster_problem())
        self.dir = workdir / "pg"
        self.data = self.dir / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/roviec"
        self.admin_url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bindir / tool), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=self.dir)
        if check and result.returncode != 0:
            raise RuntimeError(f"{tool} {' '.join(args)} failed: {result.stdout[-1500:]}{result.stderr[-1500:]}")
        return result

    def init(self) -> None:
        self.dir.mkdir(parents=True)
        if self.as_root:
            import pwd
            user = pwd.getpwnam("postgres")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C",
                  "--no-sync")
        self.start()
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute("CREATE DATABASE roviec")

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir} "
                   "-c max_connections=400")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "postgres.log"), "-o", options, "-w",
                  "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-t", "30", "stop", check=False)


def stop_leftover_cluster(workdir: Path) -> None:
    """For a caller whose soak died without cleaning up (SIGKILL): the cluster under `workdir`, stopped."""
    data = workdir / "pg" / "data"
    bindir = pg_bindir()
    if bindir is None or not (data / "postmaster.pid").exists():
        return
    command = [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "-t", "30", "stop"]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, capture_output=True, timeout=60)


def kill_leftover_processes(workdir: Path) -> None:
    """For a caller whose soak died without cleaning up: every process group it recorded, if still a roviec one."""
    pids = workdir / PIDS_FILE
    if not pids.exists():
        return
    for line in pids.read_text().split():
        pid = int(line)
        try:
            if b"roviec" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            os.killpg(pid, signal.SIGKILL)
        except (OSError, ValueError):
            pass


# ---------------------------------------------------------------- the service's processes


class Proc:
    """One `roviec serve` or `roviec worker`, in a process group of its own (killed whole)."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], workdir: Path, port: int | None = None):
        self.name, self.args, self.env, self.workdir, self.port = name, args, env, workdir, port
        self.popen: subprocess.Popen | None = None
        self.pids: list[int] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.popen.pid

    def start(self) -> None:
        with open(self.workdir / f"{self.name}.log", "ab") as out:
            self.popen = subprocess.Popen(self.args, env=self.env, cwd=PROJECT_DIR, stdout=out,
                                          stderr=subprocess.STDOUT, start_new_session=True)
        self.pids.append(self.popen.pid)
        with open(self.workdir / PIDS_FILE, "a") as pids:
            pids.write(f"{self.popen.pid}\n")

    def send(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signum)

    def stop(self, signum: int = signal.SIGTERM, wait: float = 20) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.send(signum)
        try:
            self.popen.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            self.send(signal.SIGKILL)
            self.popen.wait(timeout=10)

    def tail(self, chars: int = 2000) -> str:
        path = self.workdir / f"{self.name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""


def wait_ready(proc: Proc, timeout: float = 60) -> str:
    """Polls /readyz (200 when ready), or /healthz when the build has no /readyz. Returns the path that answered."""
    deadline = time.monotonic() + timeout
    path = "/readyz"
    while True:
        try:
            response = httpx.get(proc.base + path, timeout=2)
            if response.status_code == 200:
                return path
            if response.status_code == 404 and path == "/readyz":
                path = "/healthz"
                continue
        except httpx.TransportError:
            pass
        if proc.popen.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{proc.name} did not become ready: {proc.tail()}")
        time.sleep(0.1)


def service_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROVIEC_")}
    return env | {"ROVIEC_DATABASE_URL": url, "ROVIEC_SCHEDULER": "off", "ROVIEC_WEBHOOK_ALLOW_HTTP": "true",
                  "ROVIEC_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8", "PYTHONPATH": str(PROJECT_DIR)}


def cli(url: str, *args: str) -> str:
    result = subprocess.run([ROVIEC, *args], env=service_env(url), cwd=PROJECT_DIR, capture_output=True, text=True,
                            timeout=180)
    if result.returncode != 0:
        raise RuntimeError(f"roviec {' '.join(args)} failed: {result.stderr[-2000:]}")
    return result.stdout


# ---------------------------------------------------------------- the webhook receiver


def verify_signature(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Standard Webhooks: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, keyed with the decoded whsec_ secret.
    The `standardwebhooks` package when installed, the same computation otherwise."""
    try:
        from standardwebhooks import Webhook
    except ImportError:
        key = base64.b64decode(secret.removeprefix("whsec_"))
        signed = f"{headers.get('webhook-id')}.{headers.get('webhook-timestamp')}.".encode() + body
        expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        return any(part.split(",", 1) == ["v1", expected] for part in headers.get("webhook-signature", "").split())
    try:
        Webhook(secret).verify(body, headers)
        return True
    except Exception:  # noqa: BLE001 - any refusal of the library is a bad signature here
        return False


@dataclass
class Arrival:
    webhook_id: str
    at: float
    event_type: str
    journal_id: int | None
    alert_window: str | None
    body_hash: str
    signed: bool


class Receiver:
    """uvicorn in a thread on 127.0.0.1; answers 200 to everything and records what came."""

    def __init__(self):
        self.secret: str | None = None
        self.arrivals: list[Arrival] = []
        self._lock = threading.Lock()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/hook"
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False,
                                interface="asgi3", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> "Receiver":
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("receiver did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def snapshot(self) -> list[Arrival]:
        with self._lock:
            return list(self.arrivals)

    async def app(self, scope, receive, send):
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the sender died mid-request: nothing was delivered
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        arrived = time.time()
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        signed = self.secret is not None and verify_signature(self.secret, headers, body)
        event_type, journal_id, window = "?", None, None
        with contextlib.suppress(ValueError, AttributeError, TypeError):
            payload = json.loads(body)
            event_type = payload.get("type", "?")
            data = payload.get("data") or {}
            journal_id = (data.get("event") or {}).get("journal_id")
            window = (data.get("alert") or {}).get("window")
        with self._lock:
            self.arrivals.append(Arrival(headers.get("webhook-id", ""), arrived, event_type, journal_id, window,
                                         hashlib.sha256(body).hexdigest(), signed))
        await send({"type": "http.response.start", "status": 200 if signed else 401, "headers": []})
        await send({"type": "http.response.body", "body": b"ok" if signed else b"bad signature"})


# ---------------------------------------------------------------- writes


@dataclass
class Attempt:
    write_id: int
    replica: int
    started: float
    ended: float
    outcome: str  # "200", "503", "500", "409" ..., "timeout", "transport:ConnectError" ...
    code: str | None = None  # the error body's detail.code, when there is one
    retry_after: bool = False  # the answer carried Retry-After


@dataclass
class Write:
    id: int
    client: int
    kind: str  # create, progress, extension, completion
    marker: str
    key: str
    request_id: str
    path: str
    body: dict
    task_ref: dict | None = None
    attempts: int = 0
    acked: bool = False
    ack_time: float | None = None
    ack_replica: int | None = None
    ack_started: float | None = None  # when the attempt that was acknowledged was sent
    status: int | None = None
    abandoned: str | None = None  # why it was given up: a 4xx, or no success within the write's time
    replayed: bool = False
    journal_header: list[int] | None = None
    request_id_echoed: bool | None = None
    task_id: int | None = None
    resent: bool = False  # sent once more after its acknowledgement, as a client that lost the answer would
    resend_replayed: bool | None = None


class Run:
    """Everything the threads share: replicas, the writes and attempts made, the faults' times."""

    def __init__(self, *, token: str, replicas: list[Proc], run_id: str, think: float, give_up: float,
                 resend: float = 0.0):
        self.token, self.replicas, self.run_id, self.think, self.give_up = token, replicas, run_id, think, give_up
        self.resend = resend
        self.rng = random.Random(run_id)
        self.lock = threading.Lock()
        self.writes: list[Write] = []
        self.attempts: list[Attempt] = []
        self.stop_at = float("inf")
        self.outages: list[tuple[float, float]] = []  # database (stopped, back) in time.time()

    def new_write(self, client: int, kind: str, path: str, body: dict, marker: str, task_ref=None) -> Write:
        with self.lock:
            write = Write(len(self.writes), client, kind, marker, str(uuid.uuid4()), str(uuid.uuid4()), path, body,
                          task_ref)
            self.writes.append(write)
        return write

    def perform(self, http: httpx.Client, write: Write, turn: list[int]) -> Write:
        """Sends `write` until it is acknowledged: the same Idempotency-Key and X-Request-ID on every attempt, the
        next replica after a transport error, a 503 or a 5xx (after Retry-After when given). A 4xx is final."""
        give_up_at = time.monotonic() + self.give_up
        backoff = 0.2
        headers = {"Idempotency-Key": write.key, "X-Request-ID": write.request_id}
        while True:
            index = turn[0] % len(self.replicas)
            turn[0] += 1
            replica = self.replicas[index]
            write.attempts += 1
            started = time.time()
            wait = backoff
            try:
                response = http.post(f"{replica.base}{API}{write.path}", json=write.body, headers=headers)
            except httpx.TimeoutException:
                self._attempt(write, index, started, "timeout")
            except httpx.TransportError as exc:
                self._attempt(write, index, started, f"transport:{type(exc).__name__}")
                wait = min(backoff, 0.2)  # a refused connection: another replica at once
            else:
                code = None
                if response.status_code >= 400:
                    with contextlib.suppress(ValueError, AttributeError, TypeError):
                        detail = response.json().get("detail")
                        code = detail.get("code") if isinstance(detail, dict) else None
                self._attempt(write, index, started, str(response.status_code), code,
                              "Retry-After" in response.headers)
                if response.status_code < 300:
                    self._acknowledge(write, index, response)
                    write.ack_started = started
                    if self.resend and self.rng.random() < self.resend:
                        self._resend(http, write, turn, headers)
                    return write
                if response.status_code < 500:
                    write.status = response.status_code
                    write.abandoned = f"{response.status_code}: {response.text[:300]}"
                    return write
                retry_after = response.headers.get("Retry-After")
                if retry_after:
                    with contextlib.suppress(ValueError):
                        wait = min(max(float(retry_after), 0.0), 10.0)
            if time.monotonic() + wait > give_up_at:
                write.abandoned = f"no success within {self.give_up:.0f} s"
                return write
            time.sleep(wait)
            backoff = min(backoff * 2, 2.0)

    def _resend(self, http: httpx.Client, write: Write, turn: list[int], headers: dict[str, str]) -> None:
        """The acknowledged write once more with its key, through another replica: the answer must be the first
        one replayed (Idempotent-Replayed: true), and the journal must still hold one row."""
        index = turn[0] % len(self.replicas)
        turn[0] += 1
        write.resent, started = True, time.time()
        try:
            response = http.post(f"{self.replicas[index].base}{API}{write.path}", json=write.body, headers=headers)
        except httpx.TransportError as exc:
            self._attempt(write, index, started, f"transport:{type(exc).__name__}")
            return
        self._attempt(write, index, started, str(response.status_code), None, "Retry-After" in response.headers)
        if response.status_code < 500:  # a 5xx (the database down) says nothing either way
            write.resend_replayed = (response.status_code < 300
                                     and response.headers.get("Idempotent-Replayed", "").lower() == "true")

    def _attempt(self, write: Write, replica: int, started: float, outcome: str, code: str | None = None,
                 retry_after: bool = False) -> None:
        with self.lock:
            self.attempts.append(Attempt(write.id, replica, started, time.time(), outcome, code, retry_after))

    def _acknowledge(self, write: Write, replica: int, response: httpx.Response) -> None:
        write.acked, write.ack_time, write.ack_replica = True, time.time(), replica
        write.status = response.status_code
        write.replayed = response.headers.get("Idempotent-Replayed", "").lower() == "true"
        journal = response.headers.get("X-Journal-Id")
        if journal is not None:
            with contextlib.suppress(ValueError):
                write.journal_header = [int(part) for part in journal.split(",") if part.strip()]
        echoed = response.headers.get("X-Request-ID")
        write.request_id_echoed = None if echoed is None else echoed == write.request_id
        if write.kind == "create":
            with contextlib.suppress(ValueError, KeyError, TypeError):
                write.task_id = int(response.json()["id"])


def vn_today():
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def task_body(directive_id: int, lead_agency_id: int, marker: str, deadline) -> dict:
    return {
        "directive_id": directive_id, "clause_ref": "Mục 3",
        "title": f"Vận hành nền tảng điều hành số chịu lỗi, đợt thử {marker}",
        "objective": "Bảo đảm hệ thống theo dõi nhiệm vụ không mất và không lặp dữ liệu khi có sự cố",
        "lead_agency_id": lead_agency_id, "coordinating_agency_ids": [],
        "accountable_official": "Bộ trưởng", "deadline": deadline.isoformat(),
        "deliverable_type": "Báo cáo",
        "deliverable_description": "Báo cáo kết quả vận hành thử hệ thống khi có sự cố được gửi Văn phòng Chính phủ",
        "expected_result": "Không mất dữ liệu nào trong các lần dừng máy chủ và cơ sở dữ liệu", "priority": False,
    }


class Client(threading.Thread):
    """A client thread: its own tasks, written in turn (progress reports, one extension request each, then the
    completion), spread over the replicas. A task whose write was given up is left alone (its state is unknown);
    when a client has no open task left it creates one."""

    def __init__(self, run: Run, index: int, tasks: list[dict], make_task):
        super().__init__(name=f"client-{index}", daemon=True)
        self.run_, self.index, self.tasks, self.make_task = run, index, tasks, make_task
        self.rng = random.Random(index)
        self.turn = [index]
        self.seq = 0

    def marker(self) -> str:
        self.seq += 1
        return f"soak:{self.run_.run_id}:c{self.index}:{self.seq}"

    def run(self) -> None:
        run = self.run_
        today = vn_today()
        with httpx.Client(timeout=CLIENT_TIMEOUT, headers={"Authorization": f"Bearer {run.token}"}) as http:
            while time.time() < run.stop_at:
                open_tasks = [t for t in self.tasks if not t["done"]]
                if not open_tasks:
                    marker = self.marker()
                    body = self.make_task(marker)
                    write = run.perform(http, run.new_write(self.index, "create", "/tasks", body, marker), self.turn)
                    if write.acked and write.task_id:
                        self.tasks.append(new_task_state(write.task_id, body, self.rng))
                    continue
                task = open_tasks[self.seq % len(open_tasks)]
                marker = self.marker()
                task["writes"] += 1
                if task["writes"] >= task["quota"]:
                    kind, path = "completion", f"/tasks/{task['id']}/progress"
                    body = {"status": "reported_done", "progress_percent": 100,
                            "note": f"{marker} Đã hoàn thành, gửi báo cáo kết quả vận hành thử",
                            "evidence": {"document_number": f"{self.seq}/BC-{run.run_id[:4]}",
                                         "document_date": (today - timedelta(days=1)).isoformat()}}
                    task["done"] = True
                elif task["writes"] == 2 and not task["extended"]:
                    kind, path = "extension", f"/tasks/{task['id']}/extension-requests"
                    body = {"kind": "extend", "requested_deadline": (task["deadline"] + timedelta(days=60)).isoformat(),
                            "reason": f"{marker} Cần thêm thời gian để hoàn thiện báo cáo vận hành"}
                    task["extended"] = True
                else:
                    kind, path = "progress", f"/tasks/{task['id']}/progress"
                    task["percent"] = min(95, task["percent"] + self.rng.randint(1, 5))
                    body = {"status": "in_progress", "progress_percent": task["percent"],
                            "note": f"{marker} Đang triển khai, đã hoàn thành {task['percent']}% khối lượng"}
                write = run.perform(http, run.new_write(self.index, kind, path, body, marker, task), self.turn)
                if write.abandoned:
                    task["done"] = True  # its state is unknown now: written or not, it is not touched again
                if run.think:
                    time.sleep(self.rng.uniform(0.5, 1.5) * run.think)


def new_task_state(task_id: int, body: dict, rng: random.Random) -> dict:
    return {"id": task_id, "deadline": datetime.fromisoformat(body["deadline"]).date(), "writes": 0,
            "quota": rng.randint(6, 16), "extended": False, "percent": 5, "done": False}


# ---------------------------------------------------------------- faults


@dataclass
class Fault:
    kind: str  # replica_kill9, worker_kill9, replica_sigterm, worker_sigterm, db_restart
    target: str
    at: float  # time.time() of the fault
    back: float | None = None  # process ready again / database started
    old_pid: int | None = None
    new_pid: int | None = None
    index: int | None = None
    recovery_seconds: float | None = None
    detail: dict = field(default_factory=dict)


def plan_faults(args) -> list[tuple[float, str, int]]:
    """(seconds into the write phase, fault, which replica or worker)."""
    s = args.seconds
    if args.short:
        return [(0.2 * s, "replica_kill9", 0), (0.4 * s, "worker_sigterm", 0), (0.55 * s, "db_restart", 0)]
    return [(0.12 * s, "replica_kill9", 0), (0.25 * s, "worker_kill9", 0),
            (0.38 * s, "replica_sigterm", 1 % args.replicas), (0.5 * s, "worker_sigterm", (1 % args.workers)),
            (0.62 * s, "db_restart", 0)]


def inject(kind: str, index: int, *, replicas: list[Proc], workers: list[Proc], cluster: Cluster, run: Run,
           outage: float) -> Fault:
    if kind == "db_restart":
        fault = Fault(kind, "postgresql", time.time())
        cluster.stop("fast")
        stopped = time.time()
        time.sleep(max(0.0, outage - (stopped - fault.at)))
        cluster.start()
        fault.back = time.time()
        run.outages.append((fault.at, fault.back))
        fault.detail = {"stop_seconds": round(stopped - fault.at, 2), "down_seconds": round(fault.back - fault.at, 2)}
        return fault
    procs = replicas if kind.startswith("replica") else workers
    proc = procs[index]
    fault = Fault(kind, proc.name, time.time(), old_pid=proc.pid, index=index)
    proc.stop(signal.SIGKILL if kind.endswith("kill9") else signal.SIGTERM, wait=30)
    fault.detail["exit_seconds"] = round(time.time() - fault.at, 2)
    proc.start()
    if kind.startswith("replica"):
        wait_ready(proc)
    fault.back, fault.new_pid = time.time(), proc.pid
    return fault


# ---------------------------------------------------------------- the run


def read_metrics(replica: Proc, token: str) -> dict:
    try:
        response = httpx.get(replica.base + "/metrics", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    except httpx.HTTPError as exc:
        return {"available": False, "status": None, "note": f"{type(exc).__name__}"}
    if response.status_code != 200:
        return {"available": False, "status": response.status_code,
                "note": f"/metrics answered {response.status_code}: not in this build"}
    samples = [line for line in response.text.splitlines() if line.startswith("roviec_")]
    wanted = ("request", "journal", "webhook", "idempot", "database", "db_")
    key = [line for line in samples if any(w in line for w in wanted)][:10] or samples[:10]
    return {"available": True, "status": 200, "roviec_lines": len(samples), "key_values": key}


def query(url: str, sql: str, params=None) -> list[tuple]:
    with psycopg.connect(url, connect_timeout=10) as conn:
        return conn.execute(sql, params).fetchall()


def soak(args, workdir: Path) -> dict:
    run_id = uuid.uuid4().hex[:8]
    (workdir / PIDS_FILE).touch()
    cluster = Cluster(workdir)
    replicas: list[Proc] = []
    workers: list[Proc] = []
    receiver = Receiver()
    clients: list[Client] = []
    started_at = time.monotonic()
    try:
        log(f"run {run_id}: cluster in {cluster.dir} on port {cluster.port}")
        cluster.init()
        cli(cluster.url, "migrate")
        cli(cluster.url, "seed")
        token = cli(cluster.url, "token", "create", "--agency", SECRETARIAT, "--role", "secretariat",
                    "--name", "soak").strip().splitlines()[-1]
        receiver.start()

        env = service_env(cluster.url)
        for i in range(args.replicas):
            port = free_port()
            replicas.append(Proc(f"replica{i}", [ROVIEC, "serve", "--port", str(port), "--no-access-log"], env,
                                 workdir, port))
        # The lease is the default (twice the timeout and 10 s); each worker has a stable name, as in production, so
        # that restarted after its kill -9 it takes back at once what it was sending.
        worker_env = env | {"ROVIEC_ALERT_SCAN_SECONDS": "2", "ROVIEC_WEBHOOK_POLL_SECONDS": "0.5",
                            "ROVIEC_WEBHOOK_TIMEOUT_SECONDS": "5"}
        for i in range(args.workers):
            workers.append(Proc(f"worker{i}", [ROVIEC, "worker"], worker_env | {"ROVIEC_WORKER_NAME": f"soak-{i}"},
                                workdir))
        for proc in replicas + workers:
            proc.start()
        ready_paths = {wait_ready(proc) for proc in replicas}
        log(f"{len(replicas)} replicas ready ({', '.join(sorted(ready_paths))}), {len(workers)} workers started")

        # The seed's journal is fanned out to nobody before the subscription exists: only the run's rows count.
        deadline = time.monotonic() + 60
        while query(cluster.url, "SELECT count(*) FROM webhook_outbox")[0][0] and time.monotonic() < deadline:
            time.sleep(0.2)
        auth = {"Authorization": f"Bearer {token}"}
        main = replicas[0].base + API
        hook = httpx.post(main + "/webhooks", headers=auth, timeout=30,
                          json={"url": receiver.url, "description": f"soak {run_id}"})
        hook.raise_for_status()
        receiver.secret = hook.json()["secret"]
        endpoint_id = hook.json()["id"]
        baseline = query(cluster.url, "SELECT coalesce(max(id), 0) FROM task_events")[0][0]
        metrics_before = read_metrics(replicas[0], token)

        agencies = [a for a in httpx.get(main + "/agencies", headers=auth, timeout=30).json()
                    if a.get("kind") != "committee" and not a.get("merged_into")][:20]
        directive = httpx.post(main + "/directives", headers=auth, timeout=30, json={
            "number": f"{run_id}/TB-SOAK", "title": "Thông báo kết luận về vận hành thử hệ thống khi có sự cố",
            "issued_on": "2024-11-20", "meeting_name": "Phiên họp vận hành thử", "meeting_date": "2024-11-18",
            "issuer": "Văn phòng Chính phủ"})
        directive.raise_for_status()
        directive_id = directive.json()["id"]
        today = vn_today()
        counter = iter(range(10**9))

        def make_task(marker: str) -> dict:
            n = next(counter)
            # One task in five due soon (today, in 1, 3 or 7 days): the deadline watch raises its windows.
            days = (0, 1, 3, 7)[n // 5 % 4] if n % 5 == 0 else 200 + n % 100
            return task_body(directive_id, agencies[n % len(agencies)]["id"], marker, today + timedelta(days=days))

        run = Run(token=token, replicas=replicas, run_id=run_id, think=args.think, give_up=args.give_up,
                  resend=args.resend)
        per_client: list[list[dict]] = [[] for _ in range(args.clients)]
        with httpx.Client(timeout=CLIENT_TIMEOUT, headers=auth) as http:
            turn = [0]
            for n in range(args.clients * args.tasks_per_client):
                marker = f"soak:{run_id}:setup:{n}"
                body = make_task(marker)
                write = run.perform(http, run.new_write(-1, "create", "/tasks", body, marker), turn)
                if not write.acked:
                    raise RuntimeError(f"task not created: {write.abandoned}")
                per_client[n % args.clients].append(new_task_state(write.task_id, body, random.Random(n)))
        log(f"{sum(map(len, per_client))} tasks created; {args.clients} clients write for {args.seconds:.0f} s")

        # ------------------------------------------------ the write phase, faults from this (the main) thread
        begin = time.time()
        run.stop_at = begin + args.seconds
        clients = [Client(run, i, per_client[i], make_task) for i in range(args.clients)]
        for client in clients:
            client.start()
        faults: list[Fault] = []
        for offset, kind, index in plan_faults(args):
            time.sleep(max(0.0, begin + offset - time.time()))
            fault = inject(kind, index, replicas=replicas, workers=workers, cluster=cluster, run=run,
                           outage=args.outage)
            log(f"fault {kind} on {fault.target} at +{fault.at - begin:.1f} s, back at +{fault.back - begin:.1f} s")
            faults.append(fault)
        for client in clients:
            client.join(timeout=max(1.0, run.stop_at - time.time()) + args.give_up + CLIENT_TIMEOUT)
        hung_threads = [c.name for c in clients if c.is_alive()]
        write_end = time.time()
        log(f"writes done: {len(run.writes)} writes, {len(run.attempts)} requests; draining deliveries")

        # ------------------------------------------------ drain: every journal row of the run delivered and arrived
        drain_deadline = time.monotonic() + args.drain
        while True:
            pending = query(cluster.url, """
                SELECT count(*) FROM task_events e
                LEFT JOIN webhook_messages m ON m.endpoint_id = %(ep)s AND m.dedupe_key = 'journal:' || e.id
                WHERE e.id > %(base)s AND (m.id IS NULL OR m.status <> 'delivered')""",
                            {"ep": endpoint_id, "base": baseline})[0][0]
            if pending == 0 or time.monotonic() > drain_deadline:
                break
            time.sleep(0.5)
        drain_seconds = time.time() - write_end
        time.sleep(1.0)  # an attempt recorded as delivered has arrived; leave the receiver's last ones a moment
        metrics_after = read_metrics(replicas[0], token)
        figures = judge(cluster=cluster, run=run, receiver=receiver, faults=faults, workers=workers,
                        endpoint_id=endpoint_id, baseline=baseline, begin=begin, write_end=write_end)
        figures["setup"] = {"run_id": run_id, "replicas": args.replicas, "workers": args.workers,
                            "clients": args.clients, "seconds": args.seconds, "short": args.short,
                            "ready_path": sorted(ready_paths), "drain_seconds": round(drain_seconds, 1),
                            "undelivered_at_drain_end": pending, "hung_client_threads": hung_threads,
                            "total_seconds": round(time.monotonic() - started_at, 1)}
        figures["metrics"] = {"before": metrics_before, "after": metrics_after}
        if hung_threads:
            figures["promises"]["no_request_hung"] = False
        return figures
    finally:
        run_stop = time.time()
        for client in clients:
            client.run_.stop_at = min(client.run_.stop_at, run_stop)
        for proc in replicas + workers:
            with contextlib.suppress(Exception):
                proc.stop(signal.SIGTERM, wait=15)
        for proc in replicas + workers:  # anything of their groups still there
            if proc.popen is not None:
                proc.send(signal.SIGKILL)
        with contextlib.suppress(Exception):
            receiver.stop()
        cluster.destroy()


# ---------------------------------------------------------------- the verdict, by query and at the receiver


def judge(*, cluster: Cluster, run: Run, receiver: Receiver, faults: list[Fault], workers: list[Proc],
          endpoint_id: int, baseline: int, begin: float, write_end: float) -> dict:
    url = cluster.url
    columns = {row[0] for row in query(url, "SELECT column_name FROM information_schema.columns "
                                            "WHERE table_name = 'task_events'")}
    has_request_id = "request_id" in columns
    pattern = f"soak:{run.run_id}:%"
    rows = query(url, f"""
        SELECT split_part(note, ' ', 1) AS marker, count(*), min(id), max(id)
               {', array_agg(request_id::text)' if has_request_id else ''}
        FROM task_events WHERE note LIKE %(p)s GROUP BY 1""", {"p": pattern})
    by_marker = {r[0]: r for r in rows}
    # A created task: its title ends with the write's marker; one task, with one `created` row.
    created: dict[str, list[tuple[int, int]]] = defaultdict(list)  # marker -> [(created rows, first row id)]
    for title, rows_of_task, first in query(url, """
            SELECT t.title, count(e.id), min(e.id) FROM tasks t
            JOIN task_events e ON e.task_id = t.id AND e.kind = 'created'
            WHERE t.title LIKE %(p)s GROUP BY t.id, t.title""", {"p": f"%soak:{run.run_id}:%"}):
        created[title.rsplit(" ", 1)[-1]].append((rows_of_task, first))

    lost, twice, header_mismatch, request_id_mismatch = [], [], [], []
    journal_of_write: dict[int, int] = {}
    for w in run.writes:
        if w.kind == "create":
            tasks = created.get(w.marker, [])
            n = max(len(tasks), max((rows_of_task for rows_of_task, _ in tasks), default=0))
            journal = min((first for _, first in tasks), default=None)
        else:
            row = by_marker.get(w.marker)
            n, journal = (row[1], row[2]) if row else (0, None)
            if row and has_request_id and w.acked and row[4] and w.request_id not in row[4]:
                request_id_mismatch.append(w.marker)
        if journal is not None:
            journal_of_write[w.id] = journal
        if w.acked and n == 0:
            lost.append(w.marker)
        if n > 1:
            twice.append(w.marker)
        if w.acked and w.journal_header is not None and journal is not None and journal not in w.journal_header:
            header_mismatch.append(w.marker)

    # ---- deliveries
    arrivals = receiver.snapshot()
    first_arrival: dict[int, float] = {}
    for a in arrivals:
        if a.journal_id is not None and a.signed:
            first_arrival[a.journal_id] = min(first_arrival.get(a.journal_id, a.at), a.at)
    seen_ids = {a.webhook_id for a in arrivals if a.signed}
    delivery = query(url, """
        SELECT e.id, m.public_id, m.status FROM task_events e
        LEFT JOIN webhook_messages m ON m.endpoint_id = %(ep)s AND m.dedupe_key = 'journal:' || e.id
        WHERE e.id > %(base)s ORDER BY e.id""", {"ep": endpoint_id, "base": baseline})
    no_message = [r[0] for r in delivery if r[1] is None]
    not_delivered = [r[0] for r in delivery if r[1] is not None and r[2] != "delivered"]
    not_arrived = [r[0] for r in delivery if r[1] is not None and r[2] == "delivered" and r[1] not in seen_ids]
    ids = Counter(a.webhook_id for a in arrivals)
    duplicates = sum(n - 1 for n in ids.values() if n > 1)
    bodies: dict[str, set] = defaultdict(set)
    for a in arrivals:
        bodies[a.webhook_id].add(a.body_hash)
    changed_bodies = sum(1 for hashes in bodies.values() if len(hashes) > 1)
    bad_signatures = sum(1 for a in arrivals if not a.signed)
    # Each repeat put down to the last fault before it (a repeat is a send whose outcome was not recorded in time).
    repeats_after: Counter = Counter()
    times: dict[str, list[float]] = defaultdict(list)
    for a in arrivals:
        times[a.webhook_id].append(a.at)
    for arrived in times.values():
        for again in sorted(arrived)[1:]:
            before = [f for f in faults if f.at <= again]
            repeats_after[f"{before[-1].kind} {before[-1].target}" if before else "no fault"] += 1

    # ---- alerts: one message per window, in the database and at the receiver
    alert_rows = query(url, """
        SELECT event_type, dedupe_key, count(*), array_agg(status) FROM webhook_messages
        WHERE endpoint_id = %(ep)s AND event_type = ANY(%(types)s) GROUP BY 1, 2""",
                       {"ep": endpoint_id, "types": list(ALERT_TYPES)})
    alerts_twice_db = [r[1] for r in alert_rows if r[2] > 1]
    by_window: dict[str, set] = defaultdict(set)
    for a in arrivals:
        if a.alert_window and a.signed:
            by_window[a.alert_window].add(a.webhook_id)
    alerts_twice_receiver = [window for window, hooks in by_window.items() if len(hooks) > 1]
    alert_status = Counter(status for r in alert_rows for status in r[3])

    # ---- requests by kind and window
    outages = run.outages

    def window_of(t: float) -> str:
        for stopped, back in outages:
            if stopped <= t <= back:
                return "during_outage"
            if back < t <= back + OUTAGE_GRACE:
                return "after_outage_grace"
        return "elsewhere"

    by_kind: dict[str, Counter] = defaultdict(Counter)
    for a in run.attempts:
        by_kind[window_of(a.ended)][a.outcome + (f" ({a.code})" if a.code else "")] += 1
    server_errors = [a for a in run.attempts if a.outcome.isdigit() and int(a.outcome) >= 500]
    documented = [a for a in server_errors if a.outcome == "503" and a.code == "database_unavailable"
                  and a.retry_after and window_of(a.ended) != "elsewhere"]
    undocumented = [a for a in server_errors if not any(a is d for d in documented)]
    five_hundreds_in_outage = sum(1 for a in server_errors if a.outcome == "500"
                                  and window_of(a.ended) != "elsewhere")
    hung = sum(1 for a in run.attempts if a.outcome == "timeout")

    # ---- time to recover
    for fault in faults:
        if fault.kind.startswith("replica"):
            # Sent after the old process was gone: a SIGTERM lets the requests in flight finish, which says
            # nothing of the restart.
            gone = fault.at + fault.detail.get("exit_seconds", 0)
            after = [w.ack_time for w in run.writes if w.acked and w.ack_replica == fault.index
                     and w.ack_started > gone]
            fault.recovery_seconds = round(min(after) - fault.at, 2) if after else None
        elif fault.kind.startswith("worker"):
            first = query(url, """
                SELECT min(attempted_at) FROM webhook_attempts WHERE success AND worker LIKE %(w)s""",
                          {"w": f"%:{fault.new_pid}"})[0][0]
            if first is not None:
                fault.recovery_seconds = round(first.timestamp() - fault.at, 2)
            resumed = [a.at for a in arrivals if a.at > fault.at]
            fault.detail["deliveries_resumed_seconds"] = round(min(resumed) - fault.at, 2) if resumed else None
        else:
            after = [w for w in run.writes if w.acked and w.ack_time > fault.back]
            fault.recovery_seconds = round(min(w.ack_time for w in after) - fault.back, 2) if after else None
            per_replica = {}
            for i in range(len(run.replicas)):
                times = [w.ack_time for w in after if w.ack_replica == i]
                per_replica[f"replica{i}"] = round(min(times) - fault.back, 2) if times else None
            fault.detail["first_write_per_replica_seconds"] = per_replica
            fault.detail["first_write_after_stop_seconds"] = (
                round(min(w.ack_time for w in after) - fault.at, 2) if after else None)

    lags = [first_arrival[journal_of_write[w.id]] - w.ack_time for w in run.writes
            if w.acked and w.id in journal_of_write and journal_of_write[w.id] in first_arrival]
    acked = [w for w in run.writes if w.acked]
    abandoned = [w for w in run.writes if w.abandoned]
    features = {
        "x_journal_id_header": any(w.journal_header is not None for w in acked),
        "x_request_id_echo": any(w.request_id_echoed is not None for w in acked),
        "task_events_request_id": has_request_id,
        "readyz": None,  # filled by the caller
        "db_503": any(a.outcome == "503" and a.code == "database_unavailable" for a in run.attempts),
    }
    promises = {
        "nothing_lost": not lost,
        "nothing_twice": not twice,
        "every_event_delivered": not (no_message or not_delivered or not_arrived or bad_signatures or changed_bodies),
        "no_alert_window_twice": not (alerts_twice_db or alerts_twice_receiver),
        "only_documented_503s": not undocumented,
        "no_request_hung": hung == 0,
        "every_write_acknowledged": not abandoned,
        "resent_writes_replayed": all(w.resend_replayed is not False for w in run.writes),
        "x_journal_id_matches": not header_mismatch,
        "x_request_id_echoed": all(w.request_id_echoed is not False for w in acked),
        "journal_request_id_matches": not request_id_mismatch,
    }
    return {
        "requests": len(run.attempts),
        "writes": len(run.writes),
        "writes_by_kind": dict(Counter(w.kind for w in run.writes)),
        "acknowledged": len(acked),
        "retried": sum(1 for w in run.writes if w.attempts > 1),
        "retried_journaled_once": sum(1 for w in run.writes if w.attempts > 1 and w.acked
                                      and w.marker not in twice and w.marker not in lost),
        "replayed": sum(1 for w in acked if w.replayed),
        "resent_after_ack": sum(1 for w in run.writes if w.resent),
        "resent_replayed": sum(1 for w in run.writes if w.resend_replayed),
        "abandoned": [{"marker": w.marker, "why": w.abandoned} for w in abandoned][:20],
        "abandoned_count": len(abandoned),
        "responses_by_window": {k: dict(v) for k, v in by_kind.items()},
        "server_errors": {"total": len(server_errors), "documented_503": len(documented),
                          "undocumented": len(undocumented), "500_during_outage": five_hundreds_in_outage,
                          "undocumented_elsewhere": sum(1 for a in undocumented
                                                        if window_of(a.ended) == "elsewhere")},
        "hung_requests": hung,
        "journal": {"lost": lost[:20], "lost_count": len(lost), "twice": twice[:20], "twice_count": len(twice),
                    "x_journal_id_mismatch": len(header_mismatch), "request_id_mismatch": len(request_id_mismatch)},
        "deliveries": {"journal_rows": len(delivery), "without_message": len(no_message),
                       "not_delivered": len(not_delivered), "delivered_not_arrived": len(not_arrived),
                       "received": len(arrivals), "distinct_webhook_ids": len(ids), "duplicates": duplicates,
                       "duplicates_after_fault": dict(repeats_after),
                       "duplicates_with_other_body": changed_bodies, "bad_signatures": bad_signatures,
                       "examples_missing": (no_message + not_delivered + not_arrived)[:10]},
        "delivery_lag_seconds": {"n": len(lags), "p50": _round(percentile(lags, 0.5)),
                                 "p95": _round(percentile(lags, 0.95)), "max": _round(max(lags) if lags else None)},
        "alerts": {"messages": sum(r[2] for r in alert_rows), "by_status": dict(alert_status),
                   "windows_twice_db": alerts_twice_db[:10], "windows_twice_receiver": alerts_twice_receiver[:10],
                   "received": sum(1 for a in arrivals if a.alert_window)},
        "faults": [{**asdict(f), "at": round(f.at - begin, 2), "back": _round(f.back - begin if f.back else None)}
                   for f in faults],
        "write_phase_seconds": round(write_end - begin, 1),
        "features": features,
        "promises": promises,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def summary(figures: dict) -> str:
    f = figures
    lines = [f"Soak {f['setup']['run_id']}: {f['setup']['replicas']} replicas, {f['setup']['workers']} workers, "
             f"{f['setup']['clients']} clients, {f['write_phase_seconds']} s of writes "
             f"({f['setup']['total_seconds']} s in all)",
             f"requests {f['requests']}, writes {f['writes']} {f['writes_by_kind']}, acknowledged "
             f"{f['acknowledged']}, retried {f['retried']} (journaled exactly once {f['retried_journaled_once']}, "
             f"replayed {f['replayed']}), resent after the answer {f['resent_after_ack']} (replayed "
             f"{f['resent_replayed']}), abandoned "
             f"{f['abandoned_count']}, hung {f['hung_requests']}"]
    for window, kinds in f["responses_by_window"].items():
        lines.append(f"  responses {window}: " + ", ".join(f"{k} ×{v}" for k, v in sorted(kinds.items())))
    se = f["server_errors"]
    lines.append(f"5xx: {se['total']} ({se['documented_503']} documented 503 database_unavailable, "
                 f"{se['500_during_outage']} plain 500 during the outage or its {OUTAGE_GRACE:.0f} s grace, "
                 f"{se['undocumented_elsewhere']} undocumented outside it)")
    if se["500_during_outage"]:
        lines.append("  -> '500 during outage': the API answered 500, not 503 + Retry-After, while PostgreSQL was "
                     "down (the 503 of the contract is not in this build)")
    j = f["journal"]
    lines.append(f"journal: lost {j['lost_count']}, twice {j['twice_count']}, X-Journal-Id mismatches "
                 f"{j['x_journal_id_mismatch']}, request_id mismatches {j['request_id_mismatch']}")
    d = f["deliveries"]
    lines.append(f"deliveries: {d['journal_rows']} journal rows, without message {d['without_message']}, not "
                 f"delivered {d['not_delivered']}, delivered but not arrived {d['delivered_not_arrived']}; received "
                 f"{d['received']} ({d['distinct_webhook_ids']} distinct), duplicates {d['duplicates']}, "
                 f"bad signatures {d['bad_signatures']}; duplicates after {d['duplicates_after_fault']}")
    lag = f["delivery_lag_seconds"]
    lines.append(f"delivery lag (arrival - acknowledgement): p50 {lag['p50']} s, p95 {lag['p95']} s, "
                 f"max {lag['max']} s over {lag['n']} writes")
    a = f["alerts"]
    lines.append(f"alerts: {a['messages']} messages {a['by_status']}, {a['received']} received, windows twice: "
                 f"db {len(a['windows_twice_db'])}, receiver {len(a['windows_twice_receiver'])}")
    for fault in f["faults"]:
        lines.append(f"fault {fault['kind']:15s} {fault['target']:10s} at +{fault['at']:6.1f} s, "
                     f"back +{fault['back']} s, recovered in {fault['recovery_seconds']} s {fault['detail'] or ''}")
    for when, m in f["metrics"].items():
        if m["available"]:
            lines.append(f"/metrics {when}: {m['roviec_lines']} roviec_* lines; " + "; ".join(m["key_values"][:6]))
        else:
            lines.append(f"/metrics {when}: {m['note']}")
    lines.append("contract features in this build: " + ", ".join(f"{k}={v}" for k, v in f["features"].items()))
    broken = [k for k, ok in f["promises"].items() if not ok]
    lines.append("promises: " + ", ".join(f"{k} {'ok' if ok else 'BROKEN'}" for k, ok in f["promises"].items()))
    lines.append("ALL PROMISES KEPT" if not broken else f"BROKEN: {', '.join(broken)}")
    return "\n".join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--outage", type=float, default=10, help="seconds PostgreSQL is down")
    parser.add_argument("--think", type=float, default=0.1, help="mean pause of a client between writes (s)")
    parser.add_argument("--tasks-per-client", type=int, default=6)
    parser.add_argument("--resend", type=float, default=0.03,
                        help="share of acknowledged writes sent once more with the same key (a lost answer)")
    parser.add_argument("--give-up", type=float, default=90, help="a write not acknowledged by then is abandoned")
    parser.add_argument("--drain", type=float, default=60, help="how long to wait for deliveries after the writes")
    parser.add_argument("--short", action="store_true",
                        help="about 25-35 s: 2 replicas, 1 worker, 4 clients, 20 s of writes, a kill -9 of a replica, "
                             "a SIGTERM of a worker, a 4 s database restart")
    parser.add_argument("--json", action="store_true", help="the figures as JSON on stdout (summary on stderr)")
    parser.add_argument("--workdir", type=Path, help="where the cluster and logs go (default: a temporary "
                                                     "directory, removed afterwards); left in place if given")
    args = parser.parse_args(argv)
    if args.short:
        given = set(argv if argv is not None else sys.argv[1:])
        defaults = {"--replicas": ("replicas", 2), "--workers": ("workers", 1), "--clients": ("clients", 4),
                    "--seconds": ("seconds", 20), "--outage": ("outage", 4), "--tasks-per-client": (
                        "tasks_per_client", 4), "--drain": ("drain", 25), "--give-up": ("give_up", 45)}
        for flag, (name, value) in defaults.items():
            if not any(g == flag or g.startswith(flag + "=") for g in given):
                setattr(args, name, value)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    problem = cluster_problem()
    if problem:
        log(problem)
        return 2
    # SIGTERM (a test's timeout, a CI cancel) unwinds through the finally blocks: everything stopped and removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    own = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="roviec-soak-")) if own else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    os.chmod(workdir, 0o755)  # the postgres user walks into it
    try:
        figures = soak(args, workdir)
    except Exception as exc:
        log(f"soak failed: {type(exc).__name__}: {exc}")
        log(f"logs were in {workdir}")
        raise
    finally:
        kill_leftover_processes(workdir)
        if own:
            shutil.rmtree(workdir, ignore_errors=True)
    figures["features"]["readyz"] = "/readyz" in figures["setup"]["ready_path"]
    text = summary(figures)
    if args.json:
        print(text, file=sys.stderr)
        print(json.dumps(figures, indent=2, ensure_ascii=False, default=str))
    else:
        print(text)
    return 0 if all(figures["promises"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
