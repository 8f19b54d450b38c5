"""Where blocking work runs.

One uvicorn worker runs Python on one core. Interactive requests (a task, a page of tasks, a progress report) are
short and go through FastAPI's thread pool, which is kept small: on SQLite one thread is fastest, because every
extra thread only wakes up to fight for the GIL around each SQLite call (bench/api.py: about 1.5x the requests per
second of four threads). PostgreSQL gets two, so one request can wait on the network or a commit while the other
runs. Long reads (reports over the whole journal) get their own small pool so they never hold up the interactive
requests.
"""

from collections.abc import Callable
from functools import partial
from typing import TypeVar

import anyio.to_thread
from anyio import CapacityLimiter

from app.config import get_settings
from app.db import is_sqlite

T = TypeVar("T")
_heavy_limiter: CapacityLimiter | None = None


def interactive_threads() -> int:
    return get_settings().threads or (1 if is_sqlite() else 2)


def configure() -> None:
    global _heavy_limiter
    anyio.to_thread.current_default_thread_limiter().total_tokens = interactive_threads()
    _heavy_limiter = CapacityLimiter(get_settings().heavy_threads)


async def run_heavy(function: Callable[..., T], /, *args, **kwargs) -> T:
    if _heavy_limiter is None:
        configure()
    return await anyio.to_thread.run_sync(partial(function, *args, **kwargs), limiter=_heavy_limiter)


async def run_read(function: Callable[[], T]) -> T:
    """An interactive read. On SQLite it runs right here on the event loop: such work is already serialised on
    the one interactive thread, WAL readers never wait for the writer, and the hop to a thread and back cost more
    than the read itself (bench/api.py). On PostgreSQL it waits on the network, so it goes to a thread."""
    if is_sqlite():
        return function()
    return await anyio.to_thread.run_sync(function)
