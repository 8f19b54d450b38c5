"""The deadline watch, every ROVIEC_ALERT_SCAN_SECONDS (default one minute) in `roviec serve` and `roviec worker`,
and once as soon as either starts (a restarted worker must not leave a day's alerts a whole interval late).
Several replicas may run it: PostgreSQL lets one scan at a time through (advisory lock), and the unique keys would
stop a double alert anyway."""

import logging
import time

from app import errors, unit_of_work
from app.alerts import service
from app.clock import utcnow
from app.config import get_settings
from app.observability import metrics
from app.observability.logs import StateChangeLog

log = logging.getLogger("roviec.alerts")
_database = StateChangeLog(log, "database (deadline watch)")


def scan_deadlines() -> None:
    started = time.perf_counter()
    try:
        result = unit_of_work.run_sync(lambda session: service.scan(session=session, now=utcnow(),
                                                                    settings=get_settings()), write=True)
    except errors.DATABASE_UNAVAILABLE as exc:
        if not errors.is_database_unavailable(exc):
            raise
        _database.failed(exc)
        return
    _database.succeeded()
    seconds = time.perf_counter() - started
    if result.skipped:
        return
    metrics.SCAN_DURATION.observe(seconds)
    if result.raised:
        metrics.ALERTS_RAISED.labels("deadline").inc(result.raised)
    if result.digests:
        metrics.ALERTS_RAISED.labels("digest").inc(result.digests)
    log.info("deadline scan: %d alerts raised, %d digests, failed webhooks %s", result.raised, result.digests,
             list(result.failed_endpoints), extra={"fields": {
                 "event": "deadline_scan", "raised": result.raised, "digests": result.digests,
                 "failed_endpoints": list(result.failed_endpoints), "duration_ms": round(seconds * 1000, 1)}})


def register(scheduler, **first_run) -> None:
    service.register_with_delivery(get_settings())
    # A plain function: APScheduler runs it on its thread pool, off the event loop.
    scheduler.add_job(scan_deadlines, "interval", seconds=get_settings().alert_scan_seconds, id="alerts.scan",
                      coalesce=True, max_instances=1, misfire_grace_time=None, **first_run)
