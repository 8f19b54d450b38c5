"""Scheduled work of the webhooks domain: fan out the outbox and deliver what is due."""

import asyncio
import logging

from app.config import get_settings
from app.webhooks.delivery import WORKER_NAME, Deliverer

log = logging.getLogger("roviec.webhooks")
_deliverer: Deliverer | None = None
_worker_name = WORKER_NAME
_take_back_pending = False
# Sends in flight when the process is told to stop get this long to finish; the rest are given back at once.
STOP_GRACE_SECONDS = 3.0


def use_worker_name(name: str) -> None:
    """`roviec worker`: claims under a stable name, and what that name still held (a kill) is taken back first."""
    global _worker_name, _take_back_pending
    _worker_name, _take_back_pending = name, True


def worker_name() -> str:
    return _worker_name


async def deliver_due() -> None:
    global _deliverer, _take_back_pending
    if _deliverer is None:
        _deliverer = Deliverer(settings=get_settings(), worker=_worker_name)
    if _take_back_pending:
        taken = await _deliverer.take_back()
        _take_back_pending = False
        if taken:
            log.info("webhooks: %d messages claimed before the restart taken back", taken,
                     extra={"fields": {"event": "taken_back", "messages": taken}})
    try:
        attempts = await _deliverer.run_until_idle()
    except asyncio.CancelledError:
        # The scheduler's shutdown ends a round still running once its claims were given back (app/scheduler.py:
        # stop): an expected end, not an error with a traceback in the log.
        return
    if attempts:
        log.info("webhooks: %d delivery attempts", attempts, extra={"fields": {"attempts": attempts}})


async def shutdown() -> None:
    global _deliverer
    if _deliverer is not None:
        await _deliverer.aclose(grace_seconds=STOP_GRACE_SECONDS)
        _deliverer = None


def register(scheduler, **first_run) -> None:
    scheduler.add_job(deliver_due, "interval", seconds=get_settings().webhook_poll_seconds, id="webhooks.deliver",
                      coalesce=True, max_instances=1, misfire_grace_time=None, **first_run)
