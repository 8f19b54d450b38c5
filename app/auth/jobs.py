"""Sign-in attempts are kept only while a throttle rule looks at them (app/auth/throttle.py), and expired sessions
a while after they ended: purged every hour by `roviec serve` or `roviec worker`. Several processes may run it at
once: a delete of rows already deleted is a no-op."""

import logging
from datetime import timedelta

from sqlalchemy import delete, or_

from app import unit_of_work
from app.auth import throttle
from app.auth.models import WebSession
from app.clock import utcnow

log = logging.getLogger("roviec.auth")
ENDED_SESSIONS_KEPT = timedelta(days=30)  # the secretariat can still see where a person was signed in lately


def purge_expired(now=None) -> tuple[int, int]:
    now = now or utcnow()

    def work(session) -> tuple[int, int]:
        attempts = throttle.purge(session=session, now=now)
        ended = session.execute(delete(WebSession).where(or_(
            WebSession.expires_at < now - ENDED_SESSIONS_KEPT,
            WebSession.revoked_at < now - ENDED_SESSIONS_KEPT))).rowcount or 0
        return attempts, ended

    attempts, ended = unit_of_work.run_sync(work, write=True)
    if attempts or ended:
        log.info("purged %d sign-in attempts and %d ended sessions", attempts, ended)
    return attempts, ended


def register(scheduler) -> None:
    scheduler.add_job(purge_expired, "interval", hours=1, id="auth.purge", coalesce=True, max_instances=1,
                      misfire_grace_time=None, next_run_time=utcnow() + timedelta(minutes=1))
