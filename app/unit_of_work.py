"""The one unit of work: every piece of work that touches the database runs in a session opened here, and this is
the only place that commits (the API routes, the web pages, the CLI, the scheduled jobs, the seed loader).

    grep -rn "commit()" app/ | grep -v app/unit_of_work.py     # must print nothing

Where the work runs. One uvicorn worker runs Python on one core. Interactive reads (a task, a page of tasks) run on
the event loop: on PostgreSQL through SQLAlchemy's asyncio bridge (the service code stays synchronous, only its
network waits are awaited: no thread hop, no fight for the GIL), on SQLite directly (an in-process read in WAL mode
never waits for the writer). Writes go to a small pool of their own (1 thread on SQLite, which has one writer at a
time anyway; 2 on PostgreSQL): a write through the asyncio bridge measured slower than the thread hop as an ORM unit
of work, and no faster as plain statements (bench/api.py). The pool is not anyio's default limiter, so blocking work
that is not a database write (a plain `def` dependency, a file response) never queues behind writes. Long reads
(reports over the whole journal) get a pool of their own too, so they never hold up interactive requests.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from sqlmodel import Session

from app import idempotency
from app.access.principal import Principal
from app.config import get_settings
from app.db import is_sqlite, open_async_session, open_session, open_snapshot_session
from app.observability import context as request_context
from app.responses import dumps

T = TypeVar("T")
_write_limiter: CapacityLimiter | None = None
_heavy_limiter: CapacityLimiter | None = None


def configure() -> None:
    global _write_limiter, _heavy_limiter
    _write_limiter = CapacityLimiter(get_settings().threads or (1 if is_sqlite() else 2))
    _heavy_limiter = CapacityLimiter(get_settings().heavy_threads)


def _limiters() -> tuple[CapacityLimiter, CapacityLimiter]:
    if _write_limiter is None or _heavy_limiter is None:
        configure()
    return _write_limiter, _heavy_limiter


@contextmanager
def transaction(*, write: bool = True, dry_run: bool = False,
                factory: Callable[[], Session] | None = None) -> Iterator[Session]:
    """A session whose work is committed when the block ends without an exception (write), and rolled back
    otherwise. A read session commits nothing. `dry_run` takes the writer's locks and runs the real statements, then
    rolls everything back (the alert preview). `factory` opens the session (tests inject their engine)."""
    session = factory() if factory is not None else open_session(write=write or dry_run)
    try:
        yield session
        if write and not dry_run:
            session.commit()
    finally:
        session.close()  # rolls back whatever was not committed


@contextmanager
def snapshot() -> Iterator[Session]:
    """A long read in one read-only transaction (exports): every statement sees the same snapshot."""
    with open_snapshot_session() as session:
        yield session


def run_sync(function: Callable[[Session], T], *, write: bool = False, dry_run: bool = False,
             factory: Callable[[], Session] | None = None) -> T:
    with transaction(write=write, dry_run=dry_run, factory=factory) as session:
        return function(session)


async def read(function: Callable[[Session], T]) -> T:
    """An interactive read, on the event loop."""
    if is_sqlite():
        return run_sync(function)
    async with open_async_session() as session:
        return await session.run_sync(function)


async def write(function: Callable[[Session], T]) -> T:
    """An interactive write, committed when `function` returns, on the writers' pool."""
    limiter, _ = _limiters()
    return await anyio.to_thread.run_sync(partial(run_sync, function, write=True), limiter=limiter)


Answer = idempotency.Answer


async def write_once(function: Callable[[Session], tuple[int, object, dict[str, str]]], *, principal: Principal,
                     key: str | None, fingerprint: str | None) -> Answer:
    """A write that honours `Idempotency-Key`: `function(session)` returns (status, body, headers) and runs at most
    once per key; a retry gets the first answer back. The key is claimed first, in the same transaction, so a
    concurrent retry waits for the first one to commit and then replays it."""

    def work(session: Session) -> Answer:
        claim = idempotency.claim(session=session, principal=principal, key=key, fingerprint=fingerprint)
        if isinstance(claim, Answer):
            return claim
        status_code, body, headers = function(session)
        # Kept with the answer, so that a replay names the same rows.
        headers = {**headers, **request_context.journal_headers()}
        content = dumps(body)
        idempotency.remember(session=session, record=claim, status_code=status_code, content=content,
                             headers=headers)
        return Answer(status_code, content, headers)

    return await write(work)


async def heavy(function: Callable[[Session], T], *, write: bool = False, dry_run: bool = False) -> T:
    """A long piece of work (a report over the whole journal) on the pool kept for it."""
    _, limiter = _limiters()
    return await anyio.to_thread.run_sync(partial(run_sync, function, write=write, dry_run=dry_run),
                                          limiter=limiter)


async def heavy_call(function: Callable[..., T], /, *args, **kwargs) -> T:
    """A long call that opens its own snapshot (exports), on the same pool."""
    _, limiter = _limiters()
    return await anyio.to_thread.run_sync(partial(function, *args, **kwargs), limiter=limiter)
