"""Scheduled work of the webhooks domain: fan out the outbox and deliver what is due."""

import logging

from app.config import get_settings
from app.webhooks.delivery import Deliverer

log = logging.getLogger("roviec.webhooks")
_deliverer: Deliverer | None = None


async def deliver_due() -> None:
    global _deliverer
    if _deliverer is None:
        _deliverer = Deliverer(settings=get_settings())
    attempts = await _deliverer.run_until_idle()
    if attempts:
        log.info("webhooks: %d delivery attempts", attempts)


async def shutdown() -> None:
    global _deliverer
    if _deliverer is not None:
        await _deliverer.aclose(grace_seconds=get_settings().webhook_timeout_seconds + 5)
        _deliverer = None


def register(scheduler) -> None:
    scheduler.add_job(deliver_due, "interval", seconds=get_settings().webhook_poll_seconds, id="webhooks.deliver",
                      coalesce=True, max_instances=1, misfire_grace_time=None)
