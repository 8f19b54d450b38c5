"""APScheduler (3.x) on the event loop: inside `roviec serve` unless ROVIEC_SCHEDULER=off, or alone in
`roviec worker`. Every job is safe to run in several processes at once (see each domain's jobs.py)."""

import asyncio
import logging
import signal

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from app.alerts import jobs as alert_jobs
from app.auth import jobs as auth_jobs
from app.webhooks import jobs as webhook_jobs

# A job still running when its next tick comes is skipped (max_instances=1); that is normal, not worth a warning.
logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)


def start() -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    webhook_jobs.register(scheduler)
    alert_jobs.register(scheduler)
    auth_jobs.register(scheduler)
    scheduler.start()
    return scheduler


async def stop(scheduler: AsyncIOScheduler) -> None:
    scheduler.shutdown(wait=False)
    await webhook_jobs.shutdown()


async def run_worker() -> None:
    """`roviec worker`: the scheduled jobs and nothing else, until SIGTERM or SIGINT."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    scheduler = start()
    logging.getLogger("roviec").info("worker started")
    await stopping.wait()
    await stop(scheduler)
