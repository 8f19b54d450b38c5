"""The deadline watch, every ROVIEC_ALERT_SCAN_SECONDS (default one minute) in `roviec serve` and `roviec worker`.
Several replicas may run it: PostgreSQL lets one scan at a time through (advisory lock), and the unique keys would
stop a double alert anyway."""

import logging

from app import unit_of_work
from app.alerts import service
from app.clock import utcnow
from app.config import get_settings

log = logging.getLogger("roviec.alerts")


def scan_deadlines() -> None:
    result = unit_of_work.run_sync(lambda session: service.scan(session=session, now=utcnow(),
                                                                settings=get_settings()), write=True)
    if result.raised or result.failed_endpoints:
        log.info("deadline scan: %d alerts raised, %d digests, failed webhooks %s", result.raised, result.digests,
                 list(result.failed_endpoints))


def register(scheduler) -> None:
    service.register_with_delivery(get_settings())
    # A plain function: APScheduler runs it on its thread pool, off the event loop.
    scheduler.add_job(scan_deadlines, "interval", seconds=get_settings().alert_scan_seconds, id="alerts.scan",
                      coalesce=True, max_instances=1, misfire_grace_time=None)
