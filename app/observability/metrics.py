"""The service's Prometheus metrics (`/metrics`; `roviec worker --metrics-port`). Every name starts with `roviec_`.

Counted where things happen (requests, deliveries, scans, sign-ins), in prometheus-client's multi-process mode when
PROMETHEUS_MULTIPROC_DIR is set (`roviec serve` sets it: every uvicorn worker writes its own file and a scrape adds
them up). What the database holds (the outbox, messages by state, tasks by timing) is read at scrape time by
`DatabaseCollector`, at most every few seconds, so a scrape every 15 s costs the database next to nothing."""

import os
import time
from concurrent.futures import Future, ThreadPoolExecutor

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from app.observability.metrics_folder import MULTIPROC_ENV

_LATENCY_BUCKETS = (0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

HTTP_REQUESTS = Counter("roviec_http_requests", "HTTP requests answered, by route template, method and status",
                        ["route", "method", "status"])
HTTP_DURATION = Histogram("roviec_http_request_duration_seconds", "Time to answer a request, by route template",
                          ["route", "method"], buckets=_LATENCY_BUCKETS)
DB_POOL_CONNECTIONS = Gauge("roviec_db_pool_connections", "Database connections of the pools, by state",
                            ["state"], multiprocess_mode="livesum")
DB_POOL_WAITING = Gauge("roviec_db_pool_waiting", "Requests waiting for a pooled database connection",
                        multiprocess_mode="livesum")
DELIVERY_ATTEMPTS = Counter("roviec_webhook_delivery_attempts", "Webhook delivery attempts, by outcome", ["outcome"])
DELIVERY_DURATION = Histogram("roviec_webhook_delivery_duration_seconds", "Time of one delivery attempt",
                              buckets=_LATENCY_BUCKETS)
SCAN_DURATION = Histogram("roviec_deadline_scan_duration_seconds", "Time of one deadline scan",
                          buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
ALERTS_RAISED = Counter("roviec_alerts_raised", "Deadline alerts raised by the scans, by kind", ["kind"])
JOB_FAILURES = Counter("roviec_job_failures", "Scheduled job runs that failed, by job", ["job"])
SIGN_INS = Counter("roviec_sign_ins", "Sign-ins on the web pages, by outcome", ["outcome"])
REFUSED = Counter("roviec_requests_refused", "Requests refused before any work, by reason", ["reason"])


def forget_process(pid: int) -> None:
    """A serving process that ends: its live gauges (connections in use) stop counting."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(pid)


# ---------------------------------------------------------------- the database's own figures, read at scrape time


class DatabaseCollector:
    """Figures of the database, read in one short read every `ttl` seconds at most, waited for at most `budget`
    seconds. `read()` returns {metric name: (help, label name or None, {label value or "": number})}; a read that
    fails or does not answer in time reports the database down (roviec_database_up 0) and nothing else, rather than
    failing the scrape or making it wait with the database (the read goes on in its own thread; no second one starts
    until it ends)."""

    def __init__(self, read, ttl: float = 5.0, budget: float = 3.0):
        self.read, self.ttl, self.budget = read, ttl, budget
        self._cached: tuple[float, dict] | None = None
        self._pending: Future | None = None
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="metrics-database-read")

    def _fresh(self) -> tuple[dict, int]:
        if self._pending is None or self._pending.done():
            self._pending = self._reader.submit(self.read)
        try:
            return self._pending.result(timeout=self.budget), 1
        except Exception:  # noqa: BLE001 - a scrape during an outage says so instead of failing
            return {}, 0

    def collect(self):
        now = time.monotonic()
        if self._cached is None or now - self._cached[0] > self.ttl:
            figures, up = self._fresh()
            self._cached = (now, {**figures, "roviec_database_up": (
                "1 when the database answered the last scrape's read", None, {"": up})})
        for name, (help_text, label, values) in self._cached[1].items():
            family = GaugeMetricFamily(name, help_text, labels=[label] if label else None)
            for value_label, number in values.items():
                family.add_metric([value_label] if label else [], number)
            yield family


def exposition(database_read=None) -> tuple[bytes, str]:
    """The text a scrape gets: every process's counters (multi-process mode) or this process's, with the database's
    figures when `database_read` is given."""
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.MultiProcessCollector(registry)
        # The standard collectors cannot add processes up: these describe the process that answered the scrape.
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)
    else:
        from prometheus_client import REGISTRY
        registry = REGISTRY
    if database_read is not None:
        collector = _database_collector(database_read)
        registry.register(collector)
        try:
            return generate_latest(registry), CONTENT_TYPE_LATEST
        finally:
            registry.unregister(collector)
    return generate_latest(registry), CONTENT_TYPE_LATEST


_collectors: dict = {}


def _database_collector(read) -> DatabaseCollector:
    # One per reader, so its cache outlives a scrape.
    if read not in _collectors:
        _collectors[read] = DatabaseCollector(read)
    return _collectors[read]


# ---------------------------------------------------------------- the connection pools of this process

_pools: list = []


def _pool_changed(*_args) -> None:
    DB_POOL_CONNECTIONS.labels("in_use").set(sum(pool.checkedout() for pool in _pools))
    DB_POOL_CONNECTIONS.labels("idle").set(sum(pool.checkedin() for pool in _pools))


def instrument_pools(pools: list) -> None:
    """The process's current pools (a renewed pool replaces the one before: app/db.py)."""
    _pools[:] = [pool for pool in _pools if pool in pools]
    for pool in pools:
        _instrument_pool(pool)
    _pool_changed()


def _instrument_pool(pool) -> None:
    """Connections in use and idle, kept at each checkout and return; and the requests waiting for one. SQLAlchemy
    has no event before a checkout, so the wait is counted around the pool's own `_do_get` (instance attribute: this
    pool only)."""
    from sqlalchemy import event

    if pool in _pools or not hasattr(pool, "checkedout"):
        return
    _pools.append(pool)
    for name in ("checkout", "checkin", "close", "invalidate"):
        event.listen(pool, name, _pool_changed)
    get = pool._do_get

    def counted_get():
        DB_POOL_WAITING.inc()
        try:
            return get()
        finally:
            DB_POOL_WAITING.dec()

    pool._do_get = counted_get
