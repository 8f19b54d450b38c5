"""What an operator asks of a running service: is it ready (database, schema, scheduler), and the figures the
database holds for the metrics. `/readyz` and `roviec check` answer from `readiness` alone."""

import hmac
import time
from functools import lru_cache
from ipaddress import ip_address

from sqlalchemy import text
from sqlmodel import Session

from app import clock, db
from app.config import get_settings
from app.operations.schemas import Check, Readiness
from app.tasks import listing
from app.tasks.timing import Timing
from app.webhooks import service as webhook_service


def migration_scripts():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(db.alembic_config())


@lru_cache
def migrations_head() -> str:
    """The newest migration this code knows (read once: the scripts do not change under a running process)."""
    return migration_scripts().get_current_head()


def may_scrape(*, authorization: str, client: str) -> bool:
    """/metrics: with ROVIEC_METRICS_TOKEN set, whoever sends it as a bearer token; otherwise this machine only."""
    token = get_settings().metrics_token
    if token:
        scheme, _, offered = authorization.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(offered.strip().encode(), token.encode())
    try:
        return ip_address(client).is_loopback
    except ValueError:
        return False


def readiness(*, read, scheduler_running: bool | None) -> Readiness:
    """`read(function)` runs `function(session)` on the database; `scheduler_running` None where this process does
    not run the scheduled jobs (ROVIEC_SCHEDULER=off, or `roviec check` from outside)."""
    checks: dict[str, Check] = {}
    started = time.perf_counter()
    try:
        current = read(_schema_version)
    except Exception as exc:  # noqa: BLE001 - whatever the driver raises, the answer is "not ready" and why
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200] if str(exc).strip() else \
            type(exc).__name__
        checks["database"] = Check(ok=False, detail=f"cannot be used: {reason}",
                                   detail_vi=f"không dùng được cơ sở dữ liệu: {reason}")
        checks["migrations"] = Check(ok=False, detail="unknown: the database did not answer",
                                     detail_vi="chưa biết: cơ sở dữ liệu không trả lời")
    else:
        elapsed = (time.perf_counter() - started) * 1000
        checks["database"] = Check(ok=True, detail=f"answered in {elapsed:.0f} ms",
                                   detail_vi=f"trả lời sau {elapsed:.0f} ms")
        head = migrations_head()
        if current == head:
            checks["migrations"] = Check(ok=True, detail=f"at head {head}", detail_vi=f"đã ở phiên bản mới nhất {head}")
        else:
            found_en = f"at {current}" if current else "no version (never migrated)"
            found_vi = f"đang ở phiên bản {current}" if current else "chưa có phiên bản nào (chưa khởi tạo)"
            checks["migrations"] = Check(ok=False, detail=f"{found_en}, code needs {head}: run `roviec migrate`",
                                         detail_vi=f"{found_vi}, mã cần {head}: chạy `roviec migrate`")
    if scheduler_running is not None:
        checks["scheduler"] = Check(ok=scheduler_running,
                                    detail="running" if scheduler_running else "configured but not running",
                                    detail_vi="đang chạy" if scheduler_running else "được bật nhưng không chạy")
    ready = all(check.ok for check in checks.values())
    return Readiness(status="ready" if ready else "not_ready", checks=checks)


def no_database_file(path: str) -> Readiness:
    """`roviec check` on a SQLite file that is not there (asking must not make an empty one)."""
    return Readiness(status="not_ready", checks={
        "database": Check(ok=False, detail=f"no database file {path} yet: run `roviec migrate`",
                          detail_vi=f"chưa có tệp cơ sở dữ liệu {path}: chạy `roviec migrate`"),
        "migrations": Check(ok=False, detail="unknown: no database", detail_vi="chưa biết: chưa có cơ sở dữ liệu")})


def _schema_version(session: Session) -> str | None:
    connection = session.connection()
    if not connection.dialect.has_table(connection, "alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def read_database_figures() -> dict:
    """database_figures in a read of its own (the API's /metrics and the worker's)."""
    from app import unit_of_work

    return unit_of_work.run_sync(database_figures)


def database_figures(session: Session) -> dict:
    """The figures for DatabaseCollector (app/observability/metrics.py): {name: (help, label, {value: number})}."""
    now = clock.utcnow()
    queue = webhook_service.queue_figures(session=session, now=now)
    # Every timing, 0 included: a series that vanishes at zero leaves a dashboard with "no data" instead of 0.
    timings = dict.fromkeys((t.value for t in Timing), 0) | listing.count_by_timing(session=session,
                                                                                    today=clock.today(now))
    return {
        "roviec_outbox_pending": ("Journal rows not yet turned into webhook messages", None, {"": queue["outbox"]}),
        "roviec_webhook_messages": ("Webhook messages waiting or being sent, by state", "state", queue["messages"]),
        "roviec_webhook_oldest_pending_age_seconds": (
            "How long the oldest due event has waited for delivery", None, {"": queue["oldest_wait_seconds"]}),
        "roviec_tasks": ("Tasks by their timing today", "timing", timings),
    }

