"""The delivery worker: claims due messages in short transactions, sends them outside any transaction, records each
outcome under a fencing check.

At least once: a message is claimed with a lease (its `next_attempt_at` moves to the lease's end and its
`lease_token` goes up); a worker that dies holding it lets the lease run out and another claims it again, with the
same `webhook-id`. A result is recorded only by the holder of the current lease token, so a late worker cannot
overwrite a newer result. Rows are claimed with FOR UPDATE SKIP LOCKED on PostgreSQL, so several workers share the
queue; SQLite, with one writer at a time, needs no more.
"""

import asyncio
import contextlib
import logging
import os
import random
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import anyio.to_thread
import httpcore
import httpx
import orjson
from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session

from app import clock, errors, unit_of_work
from app.calendar import service as calendar_service
from app.clock import utcnow
from app.config import Settings
from app.observability import metrics
from app.observability.logs import StateChangeLog
from app.tasks.models import Task
from app.webhooks import hooks, security
from app.webhooks import service as webhook_service
from app.webhooks.models import MessageStatus, WebhookAttempt, WebhookEndpoint, WebhookMessage

log = logging.getLogger("roviec.webhooks")

# Waits after the 1st, 2nd, ... failed attempt; after the last one the message is dead (8 attempts in all).
RETRY_DELAYS = [timedelta(seconds=s) for s in (5, 300, 1800, 7200, 18000, 36000, 36000)]
JITTER = 0.2
MAX_RETRY_AFTER = timedelta(days=1)
DISABLE_AFTER_FAILING = timedelta(days=5)
RESPONSE_EXCERPT = 2048
CLAIM_BATCH = 100
RECORD_MARGIN_SECONDS = 10.0
WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"[:100]


@dataclass(frozen=True)
class Claimed:
    message_id: int
    public_id: str
    lease_token: int
    attempt_count: int
    endpoint_id: int
    url: str
    secrets: list[str]
    body: bytes
    request_id: str | None = None


@dataclass(frozen=True)
class Outcome:
    claimed: Claimed
    attempted_at: datetime
    latency_ms: int
    status_code: int | None = None
    response_body: str | None = None
    error: str | None = None
    retry_after: timedelta | None = None

    @property
    def success(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def retry_delay(failed_attempts: int, retry_after: timedelta | None, rng: random.Random = random) -> timedelta | None:
    """None once every retry is spent. The receiver's Retry-After is honoured when it asks for longer."""
    if failed_attempts > len(RETRY_DELAYS):
        return None
    delay = RETRY_DELAYS[failed_attempts - 1] * rng.uniform(1 - JITTER, 1 + JITTER)
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay


def _parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    if not value:
        return None
    try:  # a receiver may send anything here: cap it before it becomes a timedelta
        return timedelta(seconds=min(max(0, int(value.strip())), int(MAX_RETRY_AFTER.total_seconds())))
    except ValueError:
        pass
    try:
        return min(max(timedelta(0), parsedate_to_datetime(value) - now), MAX_RETRY_AFTER)
    except (TypeError, ValueError, OverflowError):
        return None


# ---------------------------------------------------------------- claim (one short transaction)


def claim(*, session: Session, now: datetime, limit: int, lease: timedelta, settings: Settings,
          message_id: int | None = None, worker: str = WORKER_NAME) -> list[Claimed]:
    """Claims up to `limit` due messages (or the one `message_id`, due or not); the caller's unit of work commits
    before anything is sent. Bodies not yet rendered (deadline alerts) are rendered now and kept, so every retry
    sends the same bytes. Fewer than `limit` means nothing more is due: messages found no longer worth sending are
    set aside (dead) and others taken in their place."""
    statement = select(WebhookMessage).where(WebhookMessage.status.in_([MessageStatus.pending,
                                                                        MessageStatus.sending]))
    if message_id is None:
        statement = statement.where(WebhookMessage.next_attempt_at <= now)
    else:
        statement = statement.where(WebhookMessage.id == message_id)
    statement = statement.order_by(WebhookMessage.next_attempt_at, WebhookMessage.id)
    claimed: list[Claimed] = []
    while len(claimed) < limit:
        want = limit - len(claimed)
        # Rows set aside are dead and rows claimed are due again only when their lease ends: once flushed, the next
        # look no longer finds them (the claimed ones are named too, for a lease of zero).
        unseen = statement.where(WebhookMessage.id.not_in([c.message_id for c in claimed])) if claimed else statement
        messages = list(session.scalars(unseen.limit(want).with_for_update(skip_locked=True)))
        claimed += _claim_batch(session=session, messages=messages, now=now, lease=lease, settings=settings,
                                worker=worker)
        if len(messages) < want or message_id is not None:
            break
        session.flush()
    return claimed


def _claim_batch(*, session: Session, messages: list[WebhookMessage], now: datetime, lease: timedelta,
                 settings: Settings, worker: str) -> list[Claimed]:
    if not messages:
        return []
    endpoints = {e.id: e for e in session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.id.in_({m.endpoint_id for m in messages})))}
    task_bound = hooks.task_bound_types()
    tasks = {t.id: t for t in session.scalars(select(Task).where(Task.id.in_(
        {m.task_id for m in messages if m.event_type in task_bound and m.task_id is not None})))}
    today, calendar = clock.local_day(now), calendar_service.get_calendar(session=session)
    claimed = []
    for message in messages:
        endpoint = endpoints[message.endpoint_id]
        if not endpoint.active:  # disabled or deleted after the message was queued
            message.status, message.last_error = MessageStatus.dead, "endpoint disabled"
            continue
        if message.event_type in task_bound and message.task_id is not None:  # not a digest
            # Judged at every claim, retries and replays included: an alert overtaken by events is not sent (the
            # task's `overdue_resolved`, or the scan's newer window, tells the subscriber instead).
            task = tasks.get(message.task_id)
            if task is None or not hooks.still_relevant(message=message, task=task, endpoint=endpoint, today=today,
                                                        calendar=calendar):
                message.status, message.last_error = MessageStatus.dead, "no longer due: overtaken by events"
                continue
            if message.payload is None:
                message.payload = orjson.dumps(hooks.render(message=message, task=task, session=session, today=today,
                                                             calendar=calendar)).decode()
        message.status = MessageStatus.sending
        message.lease_token += 1
        message.next_attempt_at = now + lease  # while sending, the lease's end: then any worker may claim it
        message.claimed_by = worker
        claimed.append(Claimed(message.id, message.public_id, message.lease_token, message.attempt_count,
                               endpoint.id, endpoint.url, webhook_service.secrets_in_use(endpoint, now),
                               message.payload.encode(), message.request_id))
    return claimed


# ---------------------------------------------------------------- send (no transaction open)


def attempt_budget(settings: Settings) -> float:
    """The longest one attempt may take (connect, send, read the answer's start): within the lease, with room left to
    record the outcome before the lease ends, so that no message is claimed again while its attempt is running."""
    lease = settings.delivery_lease_seconds
    return min(2 * settings.webhook_timeout_seconds, max(lease / 2, lease - RECORD_MARGIN_SECONDS))


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects to the address the SSRF check approved for a host, not to whatever DNS answers a moment later. The
    URL keeps its host name, so TLS verifies the certificate against it and connections are pooled per host."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()
        self.addresses: dict[tuple[str, int], str] = {}

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        address = self.addresses.get((host, port))
        if address is None:
            raise httpcore.ConnectError(f"{host}:{port} was not checked")
        return await self._inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                             socket_options=socket_options)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def make_client(settings: Settings) -> tuple[httpx.AsyncClient, PinnedBackend]:
    backend = PinnedBackend()
    # At most `webhook_concurrency` sends are in flight (Deliverer), so none waits for a pooled connection.
    limits = httpx.Limits(max_connections=settings.webhook_concurrency,
                          max_keepalive_connections=settings.webhook_concurrency)
    transport = httpx.AsyncHTTPTransport(limits=limits)
    # httpx does not take a network backend; its transport is a thin wrapper around this pool.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=ssl.create_default_context(), max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections, keepalive_expiry=limits.keepalive_expiry,
        network_backend=backend)
    client = httpx.AsyncClient(transport=transport, follow_redirects=False, trust_env=False,
                               timeout=httpx.Timeout(settings.webhook_timeout_seconds, pool=None),
                               headers={"user-agent": "RoViec-Webhooks/1.0"})
    return client, backend


async def send(*, client: httpx.AsyncClient, backend: PinnedBackend, item: Claimed, settings: Settings,
               clock: Callable[[], datetime]) -> Outcome:
    """One attempt. Never raises: whatever goes wrong is the attempt's outcome, so one message cannot stall the
    queue. The whole attempt (connect, send, read the first 2 kB) is bounded, well within the lease."""
    attempted_at = clock()
    started = time.perf_counter()
    budget = attempt_budget(settings)
    try:
        async with asyncio.timeout(budget):
            return await _attempt(client=client, backend=backend, item=item, settings=settings,
                                  attempted_at=attempted_at, started=started)
    except TimeoutError:
        return Outcome(item, attempted_at, int((time.perf_counter() - started) * 1000),
                       error=f"no complete answer within {budget:.0f} s")
    except Exception as exc:  # noqa: BLE001 - recorded as the attempt's error, and retried
        log.warning("webhook attempt for %s failed unexpectedly", item.public_id, exc_info=True)
        return Outcome(item, attempted_at, int((time.perf_counter() - started) * 1000),
                       error=f"{type(exc).__name__}: {exc}"[:500])


async def _attempt(*, client, backend, item: Claimed, settings: Settings, attempted_at: datetime,
                   started: float) -> Outcome:
    def elapsed() -> int:
        return int((time.perf_counter() - started) * 1000)

    try:
        target = await security.resolve_async(item.url, settings)
    except security.UnsafeUrl as exc:
        return Outcome(item, attempted_at, elapsed(), error=f"refused: {exc.message}"[:500])
    backend.addresses[(target.host, target.port)] = target.address
    timestamp = int(time.time())  # the receiver checks it against its own clock
    headers = {"content-type": "application/json", "webhook-id": item.public_id,
               "webhook-timestamp": str(timestamp),
               "webhook-signature": security.signature_header(item.secrets, item.public_id, timestamp, item.body)}
    try:
        async with client.stream("POST", item.url, content=item.body, headers=headers) as response:
            excerpt = b""
            async for chunk in response.aiter_raw():
                excerpt += chunk
                if len(excerpt) >= RESPONSE_EXCERPT:
                    break
            text = excerpt[:RESPONSE_EXCERPT].decode("utf-8", errors="replace")
            return Outcome(item, attempted_at, elapsed(), status_code=response.status_code, response_body=text,
                           retry_after=_parse_retry_after(response.headers.get("retry-after"), attempted_at))
    except httpx.HTTPError as exc:
        return Outcome(item, attempted_at, elapsed(), error=f"{type(exc).__name__}: {exc}"[:500])


# ---------------------------------------------------------------- record (one short transaction)


_FENCED_UPDATE = (
    update(WebhookMessage)
    .where(WebhookMessage.id == bindparam("m_id"), WebhookMessage.lease_token == bindparam("m_token"),
           WebhookMessage.status == MessageStatus.sending)
    .values(status=bindparam("m_status"), attempt_count=bindparam("m_attempts"),
            next_attempt_at=bindparam("m_next"), last_status_code=bindparam("m_code"),
            last_error=bindparam("m_error"), delivered_at=bindparam("m_delivered"))
)


def record(*, session: Session, outcomes: list[Outcome], now: datetime, worker: str = WORKER_NAME,
           rng: random.Random = random) -> None:
    """Logs every attempt, moves each message on (delivered, retry later, dead) unless its lease was taken over,
    and keeps each endpoint's health: 410 disables it at once, five days of failures without a success too."""
    if not outcomes:
        return
    session.execute(insert(WebhookAttempt), [{
        "message_id": o.claimed.message_id, "endpoint_id": o.claimed.endpoint_id, "attempted_at": o.attempted_at,
        "url": o.claimed.url, "status_code": o.status_code, "latency_ms": o.latency_ms, "success": o.success,
        "response_body": o.response_body, "error": o.error, "worker": worker,
        "request_id": o.claimed.request_id} for o in outcomes])
    updates = []
    for o in outcomes:
        attempts = o.claimed.attempt_count + 1
        row = {"m_id": o.claimed.message_id, "m_token": o.claimed.lease_token, "m_attempts": attempts,
               "m_code": o.status_code, "m_error": o.error or (None if o.success else f"HTTP {o.status_code}"),
               "m_delivered": None, "m_next": now}
        if o.success:
            row |= {"m_status": MessageStatus.delivered, "m_delivered": o.attempted_at}
        elif (delay := retry_delay(attempts, o.retry_after, rng)) is None or o.status_code == 410:
            row |= {"m_status": MessageStatus.dead}
        else:
            row |= {"m_status": MessageStatus.pending, "m_next": now + delay}
        updates.append(row)
    session.connection().execute(_FENCED_UPDATE, updates)
    _endpoint_health(session, outcomes, now)
    for o in outcomes:
        outcome = _outcome_label(o)
        metrics.DELIVERY_ATTEMPTS.labels(outcome).inc()
        metrics.DELIVERY_DURATION.observe(o.latency_ms / 1000)
        log.info("webhook %s attempt %d: %s", o.claimed.public_id, o.claimed.attempt_count + 1,
                 o.status_code or o.error, extra={"fields": {
                     "event": "delivery_attempt", "webhook_id": o.claimed.public_id,
                     "endpoint_id": o.claimed.endpoint_id, "attempt": o.claimed.attempt_count + 1,
                     "outcome": outcome, "status": o.status_code, "duration_ms": o.latency_ms,
                     "error": o.error, "request_id": o.claimed.request_id}})


def _outcome_label(outcome: Outcome) -> str:
    if outcome.success:
        return "delivered"
    return "refused" if (outcome.error or "").startswith("refused") else "failed"


_RELEASE = (
    update(WebhookMessage)
    .where(WebhookMessage.id == bindparam("m_id"), WebhookMessage.lease_token == bindparam("m_token"),
           WebhookMessage.status == MessageStatus.sending)
    .values(status=MessageStatus.pending, next_attempt_at=bindparam("m_next"), claimed_by=None)
)


def release(*, session: Session, claims: list[Claimed], now: datetime) -> None:
    """Gives claims back unsent (a worker stopping): due again at once for any worker, not when the lease runs out.
    Fenced like a result: a claim another worker has taken over since is left alone."""
    if claims:
        session.connection().execute(_RELEASE, [{"m_id": c.message_id, "m_token": c.lease_token, "m_next": now}
                                                for c in claims])


def take_back(*, session: Session, worker: str, now: datetime) -> int:
    """At a worker's start: what it held when it last stopped without releasing (killed) is due again at once,
    rather than when the leases run out. Its own claims only (a stable ROVIEC_WORKER_NAME per worker)."""
    result = session.execute(update(WebhookMessage).where(WebhookMessage.status == MessageStatus.sending,
                                                          WebhookMessage.claimed_by == worker)
                             .values(status=MessageStatus.pending, next_attempt_at=now, claimed_by=None))
    return result.rowcount or 0


def _endpoint_health(session: Session, outcomes: list[Outcome], now: datetime) -> None:
    succeeded = {o.claimed.endpoint_id for o in outcomes if o.success}
    failed = {o.claimed.endpoint_id for o in outcomes if not o.success} - succeeded
    gone = {o.claimed.endpoint_id for o in outcomes if o.status_code == 410}
    if succeeded:
        session.execute(update(WebhookEndpoint).where(WebhookEndpoint.id.in_(succeeded),
                                                      WebhookEndpoint.failing_since.is_not(None))
                        .values(failing_since=None))
    if not failed:
        return
    for endpoint in session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.id.in_(failed))
                                    .with_for_update()):
        if not endpoint.active:
            continue
        endpoint.failing_since = endpoint.failing_since or now
        if endpoint.id in gone:
            webhook_service.disable_endpoint(session=session, endpoint=endpoint, now=now,
                                             reason="the receiver answered 410 Gone",
                                             reason_vi="máy nhận trả lời 410 Gone (không còn tồn tại)")
        elif now - endpoint.failing_since >= DISABLE_AFTER_FAILING:
            webhook_service.disable_endpoint(session=session, endpoint=endpoint, now=now,
                                             reason="no successful delivery for 5 days",
                                             reason_vi="không gửi thành công lần nào trong 5 ngày")
        session.add(endpoint)


# ---------------------------------------------------------------- the worker


class Deliverer:
    """Fans out the outbox and delivers due messages until nothing is due. Each step is a unit of work;
    `session_factory` (tests) opens its write session. `clock` is injectable so tests can walk through retries
    without waiting."""

    def __init__(self, *, settings: Settings, session_factory: Callable[[], Session] | None = None,
                 clock: Callable[[], datetime] = utcnow, worker: str = WORKER_NAME):
        self.session_factory, self.settings, self.clock, self.worker = session_factory, settings, clock, worker
        self.client, self.backend = make_client(settings)
        self._stopping = False
        self._running = asyncio.Lock()
        self._in_flight: dict[asyncio.Task, Claimed] = {}
        self.database = StateChangeLog(log, "database (webhook delivery)")

    async def aclose(self, grace_seconds: float = 0) -> None:
        """Stops claiming; the sends in flight get `grace_seconds` to finish and be recorded, and whatever is still
        in flight then is given back (due again at once, for any worker) instead of waiting for its lease to end."""
        self._stopping = True
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(grace_seconds), self._running:
                pass
        # Still in flight: past the grace, or left by a run that was cancelled.
        unsent = [(task, claimed) for task, claimed in self._in_flight.items() if not task.done()]
        if unsent:
            for task, _ in unsent:
                task.cancel()
            try:
                await self._db(lambda s: release(session=s, claims=[c for _, c in unsent], now=self.clock()))
                log.info("webhooks: %d messages in flight given back at shutdown", len(unsent),
                         extra={"fields": {"event": "released", "messages": len(unsent)}})
            except errors.DATABASE_UNAVAILABLE:
                log.warning("webhooks: %d messages in flight at shutdown could not be given back (database away); "
                            "their leases will run out", len(unsent))
        await self.client.aclose()

    def _in_session(self, function):
        return unit_of_work.run_sync(function, write=True, factory=self.session_factory)

    async def _db(self, function):
        return await anyio.to_thread.run_sync(self._in_session, function)

    async def fan_out(self) -> int:
        def step(session: Session) -> int:
            return webhook_service.fan_out(session=session, now=self.clock())

        total = 0
        while count := await self._db(step):
            total += count
        return total

    async def take_back(self) -> int:
        return await self._db(lambda s: take_back(session=s, worker=self.worker, now=self.clock()))

    async def run_until_idle(self) -> int:
        """Returns the number of attempts made. A database that goes away stops the claiming, not the sends in
        flight: their outcomes are kept and recorded when it answers again (a result lost would mean the message
        sent once more when its lease ends)."""
        async with self._running:
            try:
                attempts = await self._run_until_idle()
            except errors.DATABASE_UNAVAILABLE as exc:
                if not errors.is_database_unavailable(exc):
                    raise
                self.database.failed(exc)
                return 0
            self.database.succeeded()
            return attempts

    async def _run_until_idle(self) -> int:
        concurrency = self.settings.webhook_concurrency
        lease = timedelta(seconds=self.settings.delivery_lease_seconds)
        attempts = 0
        exhausted = False
        while True:
            if not exhausted and not self._stopping:
                try:
                    await self.fan_out()
                    if len(self._in_flight) < concurrency:
                        want = min(CLAIM_BATCH, concurrency - len(self._in_flight))
                        batch = await self._db(lambda s, want=want: claim(
                            session=s, now=self.clock(), limit=want, lease=lease, settings=self.settings,
                            worker=self.worker))
                        exhausted = len(batch) < want
                        for item in batch:
                            self._in_flight[asyncio.create_task(send(
                                client=self.client, backend=self.backend, item=item, settings=self.settings,
                                clock=self.clock))] = item
                except errors.DATABASE_UNAVAILABLE:
                    if not self._in_flight:
                        raise
                    exhausted = True  # finish what is in flight; the next run claims again
            if not self._in_flight:
                return attempts
            done, _ = await asyncio.wait(self._in_flight, return_when=asyncio.FIRST_COMPLETED)
            await asyncio.sleep(0.005)  # let neighbours finish too: one record transaction for many results
            done = {t for t in self._in_flight if t.done()}
            for task in done:
                del self._in_flight[task]
            outcomes = [t.result() for t in done if not t.cancelled()]
            await self._record(outcomes)
            attempts += len(outcomes)
            if exhausted and len(self._in_flight) < concurrency // 2:
                exhausted = False  # look again: retries may have come due, or new messages arrived

    async def _record(self, outcomes: list[Outcome]) -> None:
        """Records the outcomes, waiting for the database when it is away; a stopping worker gives up after its
        grace (the messages are then claimed again when their leases end: sent twice, never lost)."""
        while outcomes:
            try:
                await self._db(lambda s: record(session=s, outcomes=outcomes, now=self.clock(), worker=self.worker))
                self.database.succeeded()
                return
            except errors.DATABASE_UNAVAILABLE as exc:
                if not errors.is_database_unavailable(exc):
                    raise
                self.database.failed(exc)
                if self._stopping:
                    return
                await asyncio.sleep(1.0)


async def send_now(*, settings: Settings, message_id: int,
                   session_factory: Callable[[], Session] | None = None) -> Outcome:
    """One attempt right away, outside the queue (POST /webhooks/{id}/test), recorded like any other but never
    retried: the caller sees the outcome."""
    deliverer = Deliverer(session_factory=session_factory, settings=settings)
    lease = timedelta(seconds=settings.delivery_lease_seconds)
    try:
        claimed = await deliverer._db(lambda s: claim(session=s, now=deliverer.clock(), limit=1, lease=lease,
                                                      settings=settings, message_id=message_id))
        if not claimed:
            raise RuntimeError("the test message could not be claimed")
        outcome = await send(client=deliverer.client, backend=deliverer.backend, item=claimed[0], settings=settings,
                             clock=deliverer.clock)

        def finish(session: Session) -> None:
            record(session=session, outcomes=[outcome], now=deliverer.clock())
            if not outcome.success:
                session.execute(update(WebhookMessage).where(WebhookMessage.id == message_id)
                                .values(status=MessageStatus.dead))

        await deliverer._db(finish)
        return outcome
    finally:
        await deliverer.aclose()
