"""Scheduled work of people's notifications, in `roviec serve` (unless ROVIEC_SCHEDULER=off) and `roviec worker`:
the people's scan (deadline windows, indicators off track, the digests whose hour has come) every
ROVIEC_ALERT_SCAN_SECONDS, and the e-mails due every ROVIEC_WEBHOOK_POLL_SECONDS; the journal's events reach people
through the webhook fan-out, which this registers with. Safe in several processes at once: the people's scan takes
an advisory lock on PostgreSQL and every notification and e-mail is unique per (account, key); e-mails are claimed
under a lease with SKIP LOCKED."""

import logging
import time

from app import unit_of_work
from app.clock import utcnow
from app.config import get_settings
from app.notifications import watch
from app.notifications.delivery import WORKER_NAME, Mailer
from app.observability.logs import StateChangeLog
from app.webhooks import jobs as webhook_jobs

log = logging.getLogger("roviec.notifications")
_database = StateChangeLog(log, "database (people's notifications)")
_mailer: Mailer | None = None


def scan_people() -> None:
    started = time.perf_counter()
    result = _database.attempt(lambda: unit_of_work.run_sync(
        lambda session: watch.scan(session=session, now=utcnow(), settings=get_settings()), write=True))
    if result is None or result.skipped or not (result.raised or result.digests):
        return
    log.info("people's scan: %d notifications, %d e-mails, %d digests", result.raised, result.emails,
             result.digests, extra={"fields": {
                 "event": "people_scan", "raised": result.raised, "emails": result.emails, "digests": result.digests,
                 "duration_ms": round((time.perf_counter() - started) * 1000, 1)}})


def send_emails() -> None:
    global _mailer
    if _mailer is None:
        _mailer = Mailer(settings=get_settings(), worker=webhook_jobs.worker_name())
        # A named worker takes back, at once, what it held when it was last killed (unnamed, host:pid is new).
        taken = _mailer.take_back() if webhook_jobs.worker_name() != WORKER_NAME else 0
        if taken:
            log.info("e-mail: %d messages claimed before the restart taken back", taken,
                     extra={"fields": {"event": "taken_back", "emails": taken}})
    attempts = _mailer.run_until_idle()
    if attempts:
        log.info("e-mail: %d attempts", attempts, extra={"fields": {"event": "email_round", "attempts": attempts}})


def register(scheduler, **first_run) -> None:
    settings = get_settings()
    watch.register_with_delivery(settings)
    # Plain functions: APScheduler runs them on its thread pool, off the event loop.
    scheduler.add_job(scan_people, "interval", seconds=settings.alert_scan_seconds, id="notifications.scan",
                      coalesce=True, max_instances=1, misfire_grace_time=None, **first_run)
    scheduler.add_job(send_emails, "interval", seconds=max(settings.webhook_poll_seconds, 1.0),
                      id="notifications.send", coalesce=True, max_instances=1, misfire_grace_time=None, **first_run)
