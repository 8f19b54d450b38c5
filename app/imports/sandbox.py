"""Reading a notice (a file's text extracted, then parsed into drafts) in a child process of its own, never on the
server's event loop or its database writers, and never while a database session is open.

Why a process: a hostile file can keep pypdf or python-docx busy for minutes (a 5 kB PDF of a million empty text
operators, a 300-page PDF whose pages share one such stream, a DOCX of a million paragraphs under the zip-bomb
bounds) and make them take gigabytes. A thread cannot be stopped and shares the server's memory and GIL; a child
process can be killed, and what it allocated goes with it. Each child gets:

- a wall-clock limit (`ROVIEC_IMPORT_READ_SECONDS`): past it the child is killed and the answer is a 422 "too
  complex to read";
- an address-space limit (`RLIMIT_AS`, `ROVIEC_IMPORT_READ_MEMORY_MB`): an allocation past it fails inside the child,
  which answers "too complex" (or dies, which is answered the same);
- the work budget of app/imports/extract.py (pages, paragraphs and cells, XML elements, characters), refused as soon
  as it is spent;
- a lower CPU priority, so that on a small machine the server's own requests come first.

At most `ROVIEC_IMPORT_READ_CONCURRENCY` children run at once per server process; a notice that finds them all busy
waits for one, up to `ROVIEC_IMPORT_QUEUE_SECONDS`, then gets a 503 with Retry-After. Waiting rather than refusing
at once: the secretariat's officers upload a notice now and then, and two of them at the same moment should both
be served; the bound on the wait keeps a flood of uploads from piling up in memory. A client that goes away while
its notice waits or is read has its child killed.

Children are forked from multiprocessing's fork server, which has imported the readers once, so a child starts in
milliseconds with nothing of the server's memory, threads or database connections. What comes back is JSON (the
text, the header, the drafts), never a pickle: a child is running on hostile input and is not trusted to send
objects."""

import asyncio
import math
import multiprocessing
import os
import resource
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import anyio
import anyio.to_thread
import orjson

from app.config import Settings
from app.imports.errors import ImportInputError
from app.imports.extract import Budget, extract_text, too_complex
from app.imports.gazetteer import KnownAgency
from app.imports.parser import parse_notice

Disconnected = Callable[[], Awaitable[bool]]
_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Limits:
    seconds: float
    memory_mb: int
    concurrency: int
    queue_seconds: float
    budget: Budget

    @classmethod
    def of(cls, settings: Settings) -> "Limits":
        return cls(seconds=settings.import_read_seconds, memory_mb=settings.import_read_memory_mb,
                   concurrency=max(1, settings.import_read_concurrency), queue_seconds=settings.import_queue_seconds,
                   budget=Budget.of(settings))


@dataclass(frozen=True)
class Job:
    """One notice to read: pasted `text`, or an uploaded file's `content`."""

    agencies: list[KnownAgency]
    text: str | None = None
    filename: str = ""
    content: bytes | None = None
    content_type: str | None = None


@dataclass
class Reading:
    """A notice as read: its text (what the drafts' sources point into), its header, its drafts, the warnings."""

    text: str
    directive: dict
    drafts: list[dict]
    warnings: list[str] = field(default_factory=list)
    segments: list[dict] = field(default_factory=list)


class Busy(Exception):
    """Every reader is busy and stayed so for the whole wait."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"every notice reader is busy; retry after {retry_after} s")
        self.retry_after = retry_after


class ClientGone(Exception):
    """The client went away while its notice waited or was read: nobody is left to answer."""


def read_here(job: Job, budget: Budget) -> Reading:
    """The reading itself, in this process (the child runs this; tests of the parser call it directly)."""
    if job.content is not None:
        text = extract_text(job.filename, job.content, job.content_type, budget)
    else:
        text = job.text or ""
    notice = parse_notice(text, job.agencies)
    return Reading(text=text, directive=notice.directive.to_dict(), drafts=[d.to_dict() for d in notice.drafts],
                   warnings=list(notice.warnings), segments=[g.to_dict() for g in notice.segments])


# ---- the child ----

def _confine(limits: Limits) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C of the server is the parent's to handle: it kills us
    os.nice(10)
    memory = limits.memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    memory = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # The parent kills a child at the wall-clock limit; should the parent itself die first, the CPU limit ends the
    # child (a niced child gets less CPU than wall-clock time, so this never fires before the parent would).
    cpu = math.ceil(limits.seconds) + 5
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or hard > cpu:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _child(sender, job: Job, limits: Limits) -> None:
    _confine(limits)
    try:
        reading = read_here(job, limits.budget)
        answer = {"reading": {"text": reading.text, "directive": reading.directive, "drafts": reading.drafts,
                              "warnings": reading.warnings, "segments": reading.segments}}
    except ImportInputError as error:
        answer = {"refused": error.state()}
    except MemoryError:
        answer = {"refused": too_complex("memory", limits.memory_mb).state()}
    except Exception as exc:  # a bug, not the file: the parent raises it as such
        answer = {"error": f"{type(exc).__name__}: {exc}"}
    sender.send_bytes(orjson.dumps(answer))
    sender.close()


# ---- the parent ----

def _context():
    context = multiprocessing.get_context("forkserver")
    # The fork server imports the readers (and the server's main module, which its children would otherwise each
    # run again) once; each child is a fork of it.
    context.set_forkserver_preload(["__main__", __name__])
    return context


def warm() -> None:
    """Starts the fork server (a second or two of imports), so that the first notice read does not wait for it."""
    from multiprocessing import forkserver

    _context()
    forkserver.ensure_running()


def _start(job: Job, limits: Limits):
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, job, limits), daemon=True, name="roviec-notice-reader")
    try:
        process.start()
    finally:
        sender.close()
    return process, receiver


def _end(process, receiver) -> None:
    if process.is_alive():
        process.kill()
    process.join(timeout=5)
    receiver.close()
    if process.exitcode is not None:
        process.close()


def _receive(receiver, limit: int) -> dict:
    try:
        return orjson.loads(receiver.recv_bytes(limit))
    except (EOFError, OSError):  # the child died mid-answer, or said more than any notice could
        return {"refused": too_complex("stopped").state()}


_slots: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None


def _semaphore(limits: Limits) -> asyncio.Semaphore:
    global _slots
    loop = asyncio.get_running_loop()
    if _slots is None or _slots[0] is not loop:
        _slots = (loop, asyncio.Semaphore(limits.concurrency))
    return _slots[1]


@asynccontextmanager
async def _slot(limits: Limits, disconnected: Disconnected | None) -> AsyncIterator[None]:
    semaphore = _semaphore(limits)
    deadline = time.monotonic() + limits.queue_seconds
    if semaphore.locked():
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Busy(math.ceil(limits.seconds))
            try:
                await asyncio.wait_for(semaphore.acquire(), timeout=min(0.25, left))
                break
            except TimeoutError:
                if disconnected is not None and await disconnected():
                    raise ClientGone from None
    else:
        await semaphore.acquire()
    try:
        yield
    finally:
        semaphore.release()


async def read(job: Job, limits: Limits, disconnected: Disconnected | None = None) -> Reading:
    """Reads the notice in a child process within `limits`. Raises ImportInputError (a bad or too complex file),
    Busy, or ClientGone (`disconnected()` said so while waiting)."""
    async with _slot(limits, disconnected):
        process, receiver = await anyio.to_thread.run_sync(_start, job, limits)
        try:
            answer = await _wait(process, receiver, limits, disconnected)
        finally:
            with anyio.CancelScope(shield=True):  # a cancelled request (the server stopping) still kills its child
                await anyio.to_thread.run_sync(_end, process, receiver)
    if "refused" in answer:
        raise ImportInputError.from_state(answer["refused"])
    if "error" in answer:
        raise RuntimeError(f"reading the notice failed: {answer['error']}")
    return Reading(**answer["reading"])


async def _wait(process, receiver, limits: Limits, disconnected: Disconnected | None) -> dict:
    # The answer holds the text (at most the budget's characters, up to 4 bytes each in JSON) and the drafts, whose
    # sources repeat parts of it.
    limit = 16 * limits.budget.chars + 1_000_000
    deadline = time.monotonic() + limits.seconds
    while True:
        if receiver.poll():
            return await anyio.to_thread.run_sync(_receive, receiver, limit)
        if not process.is_alive():
            if receiver.poll():
                continue
            return {"refused": too_complex("stopped").state()}
        if time.monotonic() >= deadline:
            return {"refused": too_complex("seconds", limits.seconds).state()}
        if disconnected is not None and await disconnected():
            raise ClientGone
        await asyncio.sleep(_POLL_SECONDS)
