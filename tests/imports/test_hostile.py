"""Hostile notice files (app/imports/sandbox.py), against real servers with small limits, over HTTP: each is refused
with a 422 "too complex to read" on `file` within its limit while another agency's writes are answered; the
server's memory stays where it was; a client that goes away has its reading stopped; a notice that finds every
reader busy waits, then gets a 503 with Retry-After. The files are built by bench/import_hostile.py."""

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bench.import_hostile import big_docx, many_pages_pdf, memory_pdf, slow_pdf
from tests import openapi_check
from tests.conftest import Server, own_server
from tests.imports.notices import api_notice

pytestmark = pytest.mark.real_server

SECONDS = 4  # the strict server's wall-clock limit for reading one notice
MARGIN = 6  # generous: the answer comes at the limit, give or take a loaded machine
MEMORY_MB = 250  # the memory server's limit: a reader starts at some 150 MB of address space
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def strict(migrated) -> Server:
    """One reader at a time, waited for at most a second, each stopped after SECONDS."""
    with own_server(migrated, import_read_seconds=str(SECONDS), import_read_concurrency="1",
                    import_queue_seconds="1") as running:
        yield running


@pytest.fixture(scope="module")
def small_memory(migrated) -> Server:
    with own_server(migrated, import_read_memory_mb=str(MEMORY_MB), import_read_seconds="60") as running:
        yield running


def api(server: Server, token: str, timeout: float = 60) -> httpx.Client:
    return httpx.Client(base_url=f"{server.base_url}/api/v1", headers={"Authorization": f"Bearer {token}"},
                        timeout=timeout, event_hooks={"response": [openapi_check.read_and_see]})


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]) / 1024


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def readers(pid: int) -> list[int]:
    """The server's readers: the children of its fork server (its grandchildren)."""
    return [grandchild for child in _children(pid) for grandchild in _children(child)]


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def too_complex(answer: httpx.Response, why_vi: str) -> None:
    assert answer.status_code == 422, answer.text
    (problem,) = answer.json()["detail"]
    assert (problem["field"], problem["type"]) == ("file", "too_complex")
    assert problem["msg_vi"].startswith(f"Tệp quá phức tạp để đọc: {why_vi}."), problem["msg_vi"]
    assert problem["msg"].startswith("The file is too complex to read: "), problem["msg"]


@dataclass
class Write:
    started: float
    seconds: float
    status: int


class AgencyWrites:
    """Another agency reporting progress on its task, one write after another, until stopped."""

    def __init__(self, server: Server, token: str, task_id: int) -> None:
        self.client = api(server, token)
        self.task_id = task_id
        self.done: list[Write] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        n = 0
        while not self._stop.is_set():
            started = time.monotonic()
            answer = self.client.post(f"/tasks/{self.task_id}/progress", json={
                "status": "in_progress", "progress_percent": 10 + n % 80, "note": f"Báo cáo tiến độ lần {n}"})
            self.done.append(Write(started, time.monotonic() - started, answer.status_code))
            n += 1
            time.sleep(0.05)

    def __enter__(self) -> "AgencyWrites":
        self._thread.start()
        time.sleep(0.3)
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(timeout=120)
        self.client.close()


def test_a_slow_pdf_is_refused_at_the_time_limit_while_another_agencys_writes_are_answered(strict, role_tokens,
                                                                                          make_task):
    """A 6 kB PDF that keeps pypdf busy for some 25 s: stopped at the limit; meanwhile Bộ Tài chính's progress
    reports are answered as if nothing were happening (before, each waited for the whole reading)."""
    task = make_task()
    with AgencyWrites(strict, role_tokens["lead"], task["id"]) as writes, \
            api(strict, role_tokens["secretariat"]) as secretariat:
        started = time.monotonic()
        answer = secretariat.post("/imports", files={"file": ("cham.pdf", slow_pdf(), "application/pdf")})
        ended = time.monotonic()
    too_complex(answer, f"đọc tệp cần hơn {SECONDS} giây")
    assert SECONDS - 0.5 <= ended - started <= SECONDS + MARGIN
    during = [w for w in writes.done if w.started >= started and w.started + w.seconds <= ended]
    assert len(during) >= 5, writes.done
    assert {w.status for w in during} == {200}
    assert max(w.seconds for w in during) < SECONDS / 2, [round(w.seconds, 2) for w in during]


@pytest.mark.parametrize(("name", "build", "content_type", "why_vi"), [
    ("300-trang.pdf", many_pages_pdf, "application/pdf", f"đọc tệp cần hơn {SECONDS} giây"),
    # 2 MiB of XML, some 45,000 paragraphs: under the zip-bomb bounds; python-docx alone would take minutes.
    ("lon.docx", lambda: big_docx(2 * 1024 * 1024), DOCX_TYPE, "tệp có hơn 20.000 đoạn văn và ô bảng"),
], ids=["300-page PDF", "big DOCX"])
def test_a_hostile_file_is_refused_within_the_limit_and_the_server_keeps_its_memory(strict, role_tokens, name,
                                                                                    build, content_type, why_vi):
    content = build()
    before = rss_mb(strict.pid)
    with api(strict, role_tokens["secretariat"]) as secretariat:
        started = time.monotonic()
        answer = secretariat.post("/imports", files={"file": (name, content, content_type)})
        elapsed = time.monotonic() - started
    too_complex(answer, why_vi)
    assert elapsed <= SECONDS + MARGIN
    assert wait_until(lambda: not readers(strict.pid), 5), "a reader outlived its answer"
    assert rss_mb(strict.pid) - before < 30, (before, rss_mb(strict.pid))


def test_a_file_that_needs_too_much_memory_is_refused_and_the_memory_was_the_readers(small_memory, role_tokens):
    """70 kB of PDF that would take pypdf hundreds of megabytes: the reader's allocation fails at its limit, and the
    server's own memory does not move."""
    before = rss_mb(small_memory.pid)
    with api(small_memory, role_tokens["secretariat"]) as secretariat:
        answer = secretariat.post("/imports", files={"file": ("bo-nho.pdf", memory_pdf(), "application/pdf")})
    too_complex(answer, f"đọc tệp cần hơn {MEMORY_MB} MB bộ nhớ")
    assert rss_mb(small_memory.pid) - before < 30, (before, rss_mb(small_memory.pid))


def test_a_client_that_goes_away_has_its_reading_stopped(strict, role_tokens):
    """The client gives up after 1.5 s: its reader is killed then, not at the limit, and the one reader there is
    serves the next notice at once."""
    gone: list[BaseException] = []

    def upload() -> None:
        with api(strict, role_tokens["secretariat"], timeout=1.5) as impatient:
            try:
                impatient.post("/imports", files={"file": ("cham.pdf", slow_pdf(), "application/pdf")})
            except httpx.TimeoutException as exc:
                gone.append(exc)

    thread = threading.Thread(target=upload)
    thread.start()
    assert wait_until(lambda: readers(strict.pid), 1.4), "no reader process while the notice is read"
    thread.join()
    assert gone, "the upload was answered before the client gave up"
    assert wait_until(lambda: not readers(strict.pid), 1.5), "the reader went on after its client left"
    with api(strict, role_tokens["secretariat"]) as secretariat:
        started = time.monotonic()
        made = secretariat.post("/imports", json={"text": api_notice(f"{time.time_ns() % 90_000 + 10_000}/TB-VPCP")})
        assert made.status_code == 201, made.text
        assert time.monotonic() - started < SECONDS / 2


def test_a_notice_that_finds_every_reader_busy_waits_then_gets_a_503(strict, role_tokens):
    """One reader on this server: a second notice waits for it (one second here), then is told to come back."""
    slow: list[httpx.Response] = []

    def upload() -> None:
        with api(strict, role_tokens["secretariat"]) as secretariat:
            slow.append(secretariat.post("/imports", files={"file": ("cham.pdf", slow_pdf(), "application/pdf")}))

    thread = threading.Thread(target=upload)
    thread.start()
    assert wait_until(lambda: readers(strict.pid), 2)
    notice = {"text": api_notice(f"{time.time_ns() % 90_000 + 10_000}/TB-VPCP")}
    with api(strict, role_tokens["secretariat"]) as secretariat:
        started = time.monotonic()
        busy = secretariat.post("/imports", json=notice)
        waited = time.monotonic() - started
        assert busy.status_code == 503, busy.text
        assert busy.headers["retry-after"] == str(SECONDS)
        assert busy.json()["detail"]["message_vi"] == (f"Hệ thống đang đọc các thông báo khác: vui lòng thử lại sau "
                                                       f"{SECONDS} giây.")
        assert 0.9 <= waited < SECONDS
        thread.join()
        too_complex(slow[0], f"đọc tệp cần hơn {SECONDS} giây")
        assert secretariat.post("/imports", json=notice).status_code == 201
