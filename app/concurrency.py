"""Where database work runs.

One uvicorn worker runs Python on one core. Interactive reads (a task, a page of tasks) run on the event loop: on
PostgreSQL through SQLAlchemy's asyncio bridge (the service code stays synchronous, only its network waits are
awaited: no thread hop, no fight for the GIL), on SQLite directly (an in-process read in WAL mode never waits for
the writer). Writes go to the small thread pool (1 thread on SQLite, which has one writer at a time anyway; 2 on
PostgreSQL): a write through the asyncio bridge measured slower than the thread hop as an ORM unit of work, and no
faster as plain statements (bench/api.py).
Long reads (reports over the whole journal) get their own small thread pool so they never
hold up the interactive requests.
"""

from collections.abc import Callable
from functools import partial
from typing import TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from sqlmodel import Session

from app.config import get_settings
from app.db import is_sqlite, open_async_session, open_session

T = TypeVar("T")
_heavy_limiter: CapacityLimiter | None = None


def configure() -> None:
    global _heavy_limiter
    threads = get_settings().threads or (1 if is_sqlite() else 2)
    anyio.to_thread.current_default_thread_limiter().total_tokens = threads
    _heavy_limiter = CapacityLimiter(get_settings().heavy_threads)


def _run_sync(function: Callable[[Session], T], write: bool) -> T:
    with open_session(write=write) as session:
        return function(session)


async def run_in_session(function: Callable[[Session], T], *, write: bool = False) -> T:
    """Runs `function(session)`; a write must commit itself, anything not committed is rolled back."""
    if is_sqlite() and not write:
        return _run_sync(function, False)
    if write:
        return await anyio.to_thread.run_sync(_run_sync, function, True)
    async with open_async_session() as session:
        return await session.run_sync(function)


async def run_heavy_in_session(function: Callable[[Session], T], *, write: bool = False) -> T:
    """Runs `function(session)` on the pool for long reads; a write must commit itself."""
    return await run_heavy(_run_sync, function, write)


async def run_heavy(function: Callable[..., T], /, *args, **kwargs) -> T:
    if _heavy_limiter is None:
        configure()
    return await anyio.to_thread.run_sync(partial(function, *args, **kwargs), limiter=_heavy_limiter)
