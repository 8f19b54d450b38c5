"""The deadline watch, then the indicator watch, every ROVIEC_ALERT_SCAN_SECONDS (default one minute) in `roviec
serve` and `roviec worker`, and once as soon as either starts (a restarted worker must not leave a day's alerts a
whole interval late). Several replicas may run them: PostgreSQL lets one scan of each at a time through (advisory
locks), and the unique keys would stop a double alert anyway. Each watch is a transaction of its own: one that fails
does not undo, nor stop, the other."""

import logging
import time

from app import unit_of_work
from app.alerts import indicators, service
from app.clock import utcnow
from app.config import get_settings
from app.observability import metrics
from app.observability.logs import StateChangeLog

log = logging.getLogger("roviec.alerts")
_database = StateChangeLog(log, "database (deadline watch)")
_indicators_database = StateChangeLog(log, "database (indicator watch)")


def scan_alerts() -> None:
    """The job: the deadline watch, then the indicator watch (skipped while the database is away). A deadline scan
    that fails still lets the indicator scan run, then fails the job."""
    failure = None
    try:
        reachable = scan_deadlines()
    except Exception as exc:
        failure, reachable = exc, True
    if reachable:
        scan_indicators()
    if failure is not None:
        raise failure


def scan_deadlines() -> bool:
    """Whether the database answered."""
    started = time.perf_counter()
    result = _database.attempt(lambda: unit_of_work.run_sync(
        lambda session: service.scan(session=session, now=utcnow(), settings=get_settings()), write=True))
    if result is None:
        return False
    seconds = time.perf_counter() - started
    if result.skipped:
        return True
    metrics.SCAN_DURATION.observe(seconds)
    if result.raised:
        metrics.ALERTS_RAISED.labels("deadline").inc(result.raised)
    if result.digests:
        metrics.ALERTS_RAISED.labels("digest").inc(result.digests)
    log.info("deadline scan: %d alerts raised, %d digests, failed webhooks %s", result.raised, result.digests,
             list(result.failed_endpoints), extra={"fields": {
                 "event": "deadline_scan", "raised": result.raised, "digests": result.digests,
                 "failed_endpoints": list(result.failed_endpoints), "duration_ms": round(seconds * 1000, 1)}})
    return True


def scan_indicators() -> None:
    started = time.perf_counter()
    result = _indicators_database.attempt(lambda: unit_of_work.run_sync(
        lambda session: indicators.scan(session=session, now=utcnow()), write=True))
    if result is None or result.skipped or not (result.raised or result.digests):
        return
    metrics.ALERTS_RAISED.labels("indicator").inc(result.raised)
    if result.digests:
        metrics.ALERTS_RAISED.labels("digest").inc(result.digests)
    seconds = time.perf_counter() - started
    log.info("indicator scan: %d alerts raised, %d digests", result.raised, result.digests, extra={"fields": {
        "event": "indicator_scan", "raised": result.raised, "digests": result.digests,
        "duration_ms": round(seconds * 1000, 1)}})


def register(scheduler, **first_run) -> None:
    service.register_with_delivery(get_settings())
    # A plain function: APScheduler runs it on its thread pool, off the event loop.
    scheduler.add_job(scan_alerts, "interval", seconds=get_settings().alert_scan_seconds, id="alerts.scan",
                      coalesce=True, max_instances=1, misfire_grace_time=None, **first_run)
