"""APScheduler (3.x) on the event loop: inside `roviec serve` unless ROVIEC_SCHEDULER=off, or alone in
`roviec worker`. Every job is safe to run in several processes at once (see each domain's jobs.py)."""

import asyncio
import contextlib
import logging
import signal
from datetime import UTC, datetime

from apscheduler.events import EVENT_JOB_ERROR
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from app.alerts import jobs as alert_jobs
from app.auth import jobs as auth_jobs
from app.notifications import jobs as notification_jobs
from app.observability import metrics
from app.webhooks import jobs as webhook_jobs

# A job still running when its next tick comes is skipped (max_instances=1); that is normal, not worth a warning.
logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
log = logging.getLogger("roviec")

_running: AsyncIOScheduler | None = None


def is_running() -> bool:
    return _running is not None and _running.running


def _count_failure(event) -> None:
    metrics.JOB_FAILURES.labels(event.job_id).inc()


def start() -> AsyncIOScheduler:
    """Delivery and the deadline watch run once at once, then at their intervals."""
    global _running
    scheduler = AsyncIOScheduler(timezone="UTC")
    now = {"next_run_time": datetime.now(UTC)}
    webhook_jobs.register(scheduler, **now)
    alert_jobs.register(scheduler, **now)
    notification_jobs.register(scheduler, **now)
    auth_jobs.register(scheduler)
    scheduler.add_listener(_count_failure, EVENT_JOB_ERROR)
    scheduler.start()
    _running = scheduler
    return scheduler


async def stop(scheduler: AsyncIOScheduler) -> None:
    """No new runs; the delivery in progress finishes or gives back what it holds; then the scheduler ends (its
    shutdown cancels what still runs, which must not be a delivery holding claims)."""
    global _running
    scheduler.pause()
    await webhook_jobs.shutdown()
    # A run still going now (a deadline scan on its thread) is cancelled by the shutdown, which APScheduler logs as
    # a job's error with a traceback: this stop's own doing, not a failure for the operator to read.
    logging.getLogger("apscheduler.executors.default").setLevel(logging.CRITICAL)
    scheduler.shutdown(wait=False)
    _running = None


async def _serve_metrics(port: int):
    """The worker's own /metrics (its delivery and scan counters; the database's figures are on the API's), under
    the same rule as the API's: this machine only, or the metrics token."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from app.config import get_settings
    from app.operations import service

    async def metrics_text(request: Request) -> Response:
        if not service.may_scrape(authorization=request.headers.get("authorization", ""),
                                  client=request.client.host if request.client else ""):
            return Response("forbidden: /metrics needs ROVIEC_METRICS_TOKEN\n", status_code=403)
        body, content_type = await asyncio.to_thread(metrics.exposition, service.read_database_figures)
        return Response(body, media_type=content_type)

    app = Starlette(routes=[Route("/metrics", metrics_text)])
    config = uvicorn.Config(app, host=get_settings().worker_metrics_host,
                            port=port, log_config=None, access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    server.capture_signals = contextlib.nullcontext  # the worker's own SIGTERM handler stops it, not uvicorn's
    _background.add(asyncio.create_task(server.serve()))
    return server


_background: set = set()


async def run_worker(worker_name: str | None, metrics_port: int | None = None) -> None:
    """`roviec worker`: the scheduled jobs and nothing else, until SIGTERM or SIGINT. A named worker claims under its
    name and takes back, at start, what it held when it was last killed; unnamed, it is host:pid."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    if worker_name:
        webhook_jobs.use_worker_name(worker_name)
    worker_name = webhook_jobs.worker_name()
    scheduler = start()
    metrics_server = await _serve_metrics(metrics_port) if metrics_port else None
    log.info("worker %s started", worker_name, extra={"fields": {"event": "worker_started", "worker": worker_name}})
    await stopping.wait()
    log.info("worker %s stopping", worker_name, extra={"fields": {"event": "worker_stopping", "worker": worker_name}})
    await stop(scheduler)
    if metrics_server is not None:
        metrics_server.should_exit = True
        await asyncio.gather(*_background, return_exceptions=True)
