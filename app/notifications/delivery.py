"""The e-mail worker: claims due e-mails in short transactions, hands them to the mail server (the standard library's
smtplib: plain, STARTTLS or implicit TLS, with a login when one is set) outside any transaction, and records each
attempt under a fencing check — the webhook delivery's rules (app/webhooks/delivery.py): a lease, the same retry
schedule (about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), then dead; every attempt logged.

At least once: a worker that dies after the server took a message but before recording it lets its lease run out,
and the message goes again with the same Message-ID (mail clients show one). A refusal (4xx or 5xx), a server that
is down or does not answer: the attempt fails and is retried, never lost; the API never waits for any of it."""

import logging
import random
import smtplib
import ssl
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, parseaddr
from types import SimpleNamespace
from urllib.parse import urlsplit

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session

from app import clock, errors, unit_of_work
from app.alerts import service as alert_service
from app.calendar import service as calendar_service
from app.clock import utcnow
from app.config import Settings
from app.notifications.models import EmailAttempt, EmailMessage, EmailStatus
from app.observability.logs import StateChangeLog
from app.tasks.models import Task
from app.webhooks.delivery import WORKER_NAME, retry_delay

log = logging.getLogger("roviec.notifications")

CLAIM_BATCH = 20
CONCURRENCY = 4  # connections to the mail server at once
# Alerts whose window may have passed by the time they are sent (after an outage, a retry, a replay).
_WINDOWED = {"due_soon": "task.due_soon", "due_today": "task.due_today", "overdue": "task.overdue",
             "escalated": "task.escalated"}
_GLOBAL_POLICY = SimpleNamespace(alert_policy=None)


@dataclass(frozen=True)
class Claimed:
    email_id: int
    public_id: str
    lease_token: int
    attempt_count: int
    account_id: int
    address: str
    subject: str
    text_body: str
    html_body: str


@dataclass(frozen=True)
class Outcome:
    claimed: Claimed
    attempted_at: datetime
    latency_ms: int
    success: bool
    code: int | None = None
    error: str | None = None


def sender(settings: Settings) -> str:
    """ROVIEC_SMTP_SENDER, or "Rõ Việc <roviec@host of the public address>"."""
    if settings.smtp_sender.strip():
        return settings.smtp_sender.strip()
    host = urlsplit(settings.base_url).hostname or "localhost"
    return f"Rõ Việc <roviec@{host if '.' in host else host + '.localdomain'}>"


def _address(value: str) -> str:
    """An address header with its display name encoded (RFC 2047), the address itself as it is."""
    name, address = parseaddr(value)
    return formataddr((str(Header(name, "utf-8")) if name and not name.isascii() else name, address))


def message_of(item: Claimed, settings: Settings, at: datetime) -> MIMEMultipart:
    """The message as sent: plain text and HTML (UTF-8), a Message-ID of its own kept across attempts, and
    List-Unsubscribe to the account's choices of what it receives. Built with the classic MIME classes: the
    newer email policy folds a long Vietnamese subject into encoded words that lose the spaces between them."""
    message = MIMEMultipart("alternative")
    from_ = sender(settings)
    domain = parseaddr(from_)[1].rpartition("@")[2] or "localhost"
    message["Subject"] = Header(item.subject, "utf-8")
    message["From"] = _address(from_)
    message["To"] = item.address
    message["Date"] = format_datetime(at)
    message["Message-ID"] = f"<{item.public_id}@{domain}>"
    message["List-Unsubscribe"] = f"<{settings.base_url}/account#notifications>"
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.attach(MIMEText(item.text_body, "plain", "utf-8"))
    message.attach(MIMEText(item.html_body, "html", "utf-8"))
    return message


def _tls(settings: Settings) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(settings.smtp_ca_file) if settings.smtp_ca_file else None)


def send(item: Claimed, settings: Settings, now: Callable[[], datetime] = utcnow) -> Outcome:
    """One attempt: connect, (STARTTLS,) (log in,) send. Never raises: whatever goes wrong is the attempt's outcome,
    its SMTP code kept when the server answered."""
    attempted_at = now()
    started = time.perf_counter()

    def elapsed() -> int:
        return int((time.perf_counter() - started) * 1000)

    host, port, timeout = settings.smtp_host.strip(), settings.smtp_port_in_use, settings.smtp_timeout_seconds
    try:
        if settings.smtp_security == "tls":
            client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=_tls(settings))
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            client.ehlo()
            if settings.smtp_security == "starttls":
                client.starttls(context=_tls(settings))
                client.ehlo()
            if settings.smtp_user:
                client.login(settings.smtp_user, settings.smtp_password)
            client.send_message(message_of(item, settings, attempted_at))
        return Outcome(item, attempted_at, elapsed(), True, code=250)
    except smtplib.SMTPRecipientsRefused as exc:
        code, said = next(iter(exc.recipients.values()), (None, b""))
        return Outcome(item, attempted_at, elapsed(), False, code=code,
                       error=f"recipient refused: {code} {_text(said)}"[:500])
    except smtplib.SMTPResponseException as exc:
        return Outcome(item, attempted_at, elapsed(), False, code=exc.smtp_code,
                       error=f"{type(exc).__name__}: {exc.smtp_code} {_text(exc.smtp_error)}"[:500])
    except Exception as exc:  # noqa: BLE001 - down, no answer, TLS, anything: the attempt's error, and retried
        return Outcome(item, attempted_at, elapsed(), False, error=f"{type(exc).__name__}: {exc}"[:500])


def _text(said) -> str:
    return said.decode(errors="replace") if isinstance(said, bytes) else str(said)


# ---------------------------------------------------------------- claim and record (short transactions)


def _still_due(message: EmailMessage, task: Task | None, today: date, calendar, settings: Settings) -> bool:
    """A deadline alert's e-mail whose window has passed (the task completed, extended, or a later window come) is
    not sent: the inbox still holds it, and a newer one speaks instead."""
    prefix = message.dedupe_key.partition(":")[0]
    if message.purpose != "notification" or prefix not in _WINDOWED or message.task_id is None:
        return True
    if task is None:
        return False
    return alert_service.still_due(event_type=_WINDOWED[prefix], dedupe_key=message.dedupe_key, task=task,
                                   endpoint=_GLOBAL_POLICY, today=today, calendar=calendar, settings=settings)


def claim(*, session: Session, now: datetime, limit: int, settings: Settings,
          worker: str = WORKER_NAME) -> list[Claimed]:
    """Up to `limit` due e-mails, leased to this worker; those no longer worth sending are set aside (dead) and others
    taken in their place, so fewer than `limit` means nothing more is due."""
    statement = (select(EmailMessage).where(EmailMessage.status.in_([EmailStatus.pending, EmailStatus.sending]),
                                            EmailMessage.next_attempt_at <= now)
                 .order_by(EmailMessage.next_attempt_at, EmailMessage.id))
    today, calendar = clock.local_day(now), calendar_service.get_calendar(session=session)
    lease = timedelta(seconds=settings.email_lease_seconds)
    claimed: list[Claimed] = []
    while len(claimed) < limit:
        want = limit - len(claimed)
        # Set aside and claimed ones are no longer due once flushed: the next look finds others.
        messages = list(session.scalars(statement.limit(want).with_for_update(skip_locked=True)))
        tasks = {t.id: t for t in session.scalars(select(Task).where(Task.id.in_(
            {m.task_id for m in messages if m.task_id is not None})))} if messages else {}
        for message in messages:
            if not _still_due(message, tasks.get(message.task_id), today, calendar, settings):
                message.status, message.last_error = EmailStatus.dead, "no longer due: overtaken by events"
                continue
            message.status = EmailStatus.sending
            message.lease_token += 1
            message.next_attempt_at = now + lease
            message.claimed_by = worker
            claimed.append(Claimed(message.id, message.public_id, message.lease_token, message.attempt_count,
                                   message.account_id, message.address, message.subject, message.text_body,
                                   message.html_body))
        session.flush()
        if len(messages) < want:
            break
    return claimed


_FENCED = (
    update(EmailMessage)
    .where(EmailMessage.id == bindparam("m_id"), EmailMessage.lease_token == bindparam("m_token"),
           EmailMessage.status == EmailStatus.sending)
    .values(status=bindparam("m_status"), attempt_count=bindparam("m_attempts"), next_attempt_at=bindparam("m_next"),
            last_code=bindparam("m_code"), last_error=bindparam("m_error"), sent_at=bindparam("m_sent"),
            claimed_by=None)
)


def record(*, session: Session, outcomes: list[Outcome], now: datetime, worker: str = WORKER_NAME,
           rng: random.Random = random) -> None:
    """Logs every attempt and moves each e-mail on — sent, retried later, or dead once every retry is spent —
    unless its lease was taken over meanwhile."""
    if not outcomes:
        return
    session.execute(insert(EmailAttempt), [{
        "email_id": o.claimed.email_id, "attempted_at": o.attempted_at, "success": o.success, "code": o.code,
        "error": o.error, "latency_ms": o.latency_ms, "worker": worker} for o in outcomes])
    updates = []
    for o in outcomes:
        attempts = o.claimed.attempt_count + 1
        row = {"m_id": o.claimed.email_id, "m_token": o.claimed.lease_token, "m_attempts": attempts,
               "m_code": o.code, "m_error": o.error, "m_sent": None, "m_next": now}
        if o.success:
            row |= {"m_status": EmailStatus.sent, "m_sent": o.attempted_at}
        elif (delay := retry_delay(attempts, None, rng)) is None:
            row |= {"m_status": EmailStatus.dead}
        else:
            row |= {"m_status": EmailStatus.pending, "m_next": now + delay}
        updates.append(row)
    session.connection().execute(_FENCED, updates)
    for o in outcomes:
        log.info("e-mail %s attempt %d: %s", o.claimed.public_id, o.claimed.attempt_count + 1,
                 "sent" if o.success else o.error, extra={"fields": {
                     "event": "email_attempt", "email_id": o.claimed.public_id, "account_id": o.claimed.account_id,
                     "attempt": o.claimed.attempt_count + 1, "outcome": "sent" if o.success else "failed",
                     "code": o.code, "duration_ms": o.latency_ms, "error": o.error}})


def release(*, session: Session, claims: list[Claimed], now: datetime) -> None:
    """Gives claims back unsent: due again at once for any worker."""
    for c in claims:
        session.execute(update(EmailMessage).where(
            EmailMessage.id == c.email_id, EmailMessage.lease_token == c.lease_token,
            EmailMessage.status == EmailStatus.sending).values(status=EmailStatus.pending, next_attempt_at=now,
                                                               claimed_by=None))


def take_back(*, session: Session, worker: str, now: datetime) -> int:
    """At a named worker's start: what it held when killed is due again at once."""
    result = session.execute(update(EmailMessage).where(EmailMessage.status == EmailStatus.sending,
                                                        EmailMessage.claimed_by == worker)
                             .values(status=EmailStatus.pending, next_attempt_at=now, claimed_by=None))
    return result.rowcount or 0


def retry_dead(*, session: Session, now: datetime, since: datetime | None = None) -> int:
    """Dead e-mails (every retry failed: the mail server was down or refused) back to the queue for a fresh series
    of attempts, with the same Message-ID: once the mail server is mended, nothing is lost. Not those set aside as no
    longer due."""
    condition = (EmailMessage.status == EmailStatus.dead) & (EmailMessage.attempt_count > 0)
    if since is not None:
        condition = condition & (EmailMessage.created_at >= since)
    result = session.execute(update(EmailMessage).where(condition).values(
        status=EmailStatus.pending, attempt_count=0, next_attempt_at=now, lease_token=EmailMessage.lease_token + 1))
    return result.rowcount or 0


# ---------------------------------------------------------------- the worker


class Mailer:
    """Sends due e-mails until none is due. `session_factory` and `clock` are injectable, so the tests walk through
    retries without waiting."""

    def __init__(self, *, settings: Settings, session_factory: Callable[[], Session] | None = None,
                 clock: Callable[[], datetime] = utcnow, worker: str = WORKER_NAME):
        self.settings, self.session_factory, self.clock, self.worker = settings, session_factory, clock, worker
        self.database = StateChangeLog(log, "database (e-mail)")

    def _db(self, function):
        return unit_of_work.run_sync(function, write=True, factory=self.session_factory)

    def take_back(self) -> int:
        return self._db(lambda s: take_back(session=s, worker=self.worker, now=self.clock()))

    def run_until_idle(self) -> int:
        """The attempts made. Nothing is sent while e-mail is off; a database that goes away stops the round (what
        was sent is recorded when it answers again, or its lease ends: sent twice, never lost)."""
        if not self.settings.email_enabled:
            return 0
        attempts = 0
        try:
            with ThreadPoolExecutor(CONCURRENCY, thread_name_prefix="smtp") as pool:
                while True:
                    batch = self._db(lambda s: claim(session=s, now=self.clock(), limit=CLAIM_BATCH,
                                                     settings=self.settings, worker=self.worker))
                    if not batch:
                        break
                    outcomes = list(pool.map(lambda item: send(item, self.settings, self.clock), batch))
                    self._record(outcomes)
                    attempts += len(outcomes)
                    if len(batch) < CLAIM_BATCH:
                        break
        except errors.DATABASE_UNAVAILABLE as exc:
            if not errors.is_database_unavailable(exc):
                raise
            self.database.failed(exc)
            return attempts
        self.database.succeeded()
        return attempts

    def _record(self, outcomes: list[Outcome]) -> None:
        """Records the outcomes, waiting a few seconds for a database that went away; past that they are given up
        (the e-mails are claimed again when their leases end: sent twice, never lost)."""
        for wait in (0, 1, 2, 4):
            time.sleep(wait)
            try:
                self._db(lambda s: record(session=s, outcomes=outcomes, now=self.clock(), worker=self.worker))
                return
            except errors.DATABASE_UNAVAILABLE as exc:
                if not errors.is_database_unavailable(exc):
                    raise
                self.database.failed(exc)
        log.warning("e-mail: %d outcomes could not be recorded (database away); their leases will run out",
                    len(outcomes))
