"""The one writer of people's notifications and of the e-mails that carry them.

A notification is unique per (account, key) and so is an e-mail: whatever raises one twice — a second scan, a
replica, a fan-out repeated after a crash, a digest bundled by two workers — adds nothing (INSERT ... ON CONFLICT DO
NOTHING against the unique keys). An immediate notification is in the inbox at once and, when e-mail is on and the
account's address is proven, queued as an e-mail in the same transaction; a digest one is held until the account's
hour, then shown and sent in one e-mail with the others held for it."""

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from app import clock
from app.config import Settings
from app.notifications import texts
from app.notifications.kinds import Kind, Mode, Recipient
from app.notifications.models import EmailMessage, EmailStatus, Notification

CHUNK = 500  # rows per INSERT: within SQLite's limit of bound values per statement


@dataclass(frozen=True)
class Pending:
    """A notification to raise for one person, unless it was raised before under its key."""

    recipient: Recipient
    kind: Kind
    event_type: str
    key: str
    subject: str
    body: str
    link: str  # the page, e.g. /tasks/12
    task_id: int | None = None
    indicator_id: int | None = None


def _insert(session: Session):
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def next_digest_at(now: datetime, hour: int, tz) -> datetime:
    """The next time the local clock reads `hour`:00 after `now`."""
    local = now.astimezone(tz)
    at = datetime.combine(local.date(), time(hour), tzinfo=tz)
    if at <= local:
        at = datetime.combine(local.date() + timedelta(days=1), time(hour), tzinfo=tz)
    return at.astimezone(UTC)


def new_public_id() -> str:
    return "em_" + secrets.token_hex(12)


def email_row(*, account_id: int, address: str, purpose: str, dedupe_key: str, subject: str, text_body: str,
              html_body: str, now: datetime, kind: str | None = None, notification_id: int | None = None,
              task_id: int | None = None) -> dict[str, Any]:
    return {"public_id": new_public_id(), "account_id": account_id, "address": address, "purpose": purpose,
            "kind": kind, "dedupe_key": dedupe_key, "notification_id": notification_id, "task_id": task_id,
            "subject": subject[:300], "text_body": text_body, "html_body": html_body,
            "status": EmailStatus.pending.value, "attempt_count": 0, "next_attempt_at": now, "lease_token": 0,
            "created_at": now}


def queue_emails(session: Session, rows: list[dict[str, Any]]) -> int:
    """Queues e-mails (made with `email_row`); one whose (account, key) is there already is skipped."""
    queued = 0
    for start in range(0, len(rows), CHUNK):
        statement = _insert(session)(EmailMessage).values(rows[start:start + CHUNK]).on_conflict_do_nothing(
            index_elements=["account_id", "dedupe_key"]).returning(EmailMessage.id)
        queued += len(session.execute(statement).all())
    return queued


@dataclass
class Raised:
    notifications: int = 0
    emails: int = 0


def raise_all(session: Session, pendings: list[Pending], *, now: datetime, settings: Settings) -> Raised:
    """Raises each pending notification in its recipient's chosen way (none: not at all), once per (account, key),
    and queues the e-mails of those raised for at once."""
    chosen: dict[tuple[int, str], Pending] = {}
    for pending in pendings:
        if pending.recipient.mode(pending.kind) != Mode.none:
            chosen.setdefault((pending.recipient.account_id, pending.key), pending)
    rows = []
    for pending in chosen.values():
        held = pending.recipient.mode(pending.kind) == Mode.digest
        rows.append({"account_id": pending.recipient.account_id, "kind": pending.kind.value,
                     "event_type": pending.event_type, "dedupe_key": pending.key, "task_id": pending.task_id,
                     "indicator_id": pending.indicator_id, "subject": texts.short(pending.subject, 300),
                     "body": pending.body, "link": pending.link[:300], "created_at": now, "held": held,
                     "digest_due_at": next_digest_at(now, pending.recipient.digest_hour, settings.tz) if held else None,
                     "shown_at": now, "read_at": None})
    inserted = []
    for start in range(0, len(rows), CHUNK):
        statement = _insert(session)(Notification).values(rows[start:start + CHUNK]).on_conflict_do_nothing(
            index_elements=["account_id", "dedupe_key"]).returning(Notification.id, Notification.account_id,
                                                                   Notification.dedupe_key)
        inserted += session.execute(statement).all()
    emails = []
    if settings.email_enabled:
        for notification_id, account_id, key in inserted:
            pending = chosen[(account_id, key)]
            recipient = pending.recipient
            if recipient.mode(pending.kind) != Mode.immediate or not recipient.email:
                continue
            subject, text, html = texts.notification_email(
                full_name=recipient.full_name, kind=pending.kind.value, subject_line=pending.subject,
                body=pending.body, url=settings.base_url + pending.link, base_url=settings.base_url)
            emails.append(email_row(account_id=account_id, address=recipient.email, purpose="notification",
                                    kind=pending.kind.value, dedupe_key=key, subject=subject, text_body=text,
                                    html_body=html, now=now, notification_id=notification_id,
                                    task_id=pending.task_id))
    return Raised(len(inserted), queue_emails(session, emails))


def bundle_digests(session: Session, *, now: datetime, settings: Settings,
                   recipients: dict[int, Recipient]) -> int:
    """The digests whose hour has come: their notifications shown in the inbox, and one e-mail per account listing
    them (keyed by its first notification, so a digest bundled twice is sent once). Returns the e-mails queued."""
    held = session.execute(select(Notification.id, Notification.account_id, Notification.kind, Notification.body,
                                  Notification.link)
                           .where(Notification.held.is_(True), Notification.digest_due_at <= now)
                           .order_by(Notification.account_id, Notification.id).with_for_update(skip_locked=True)).all()
    if not held:
        return 0
    by_account: dict[int, list] = defaultdict(list)
    for row in held:
        by_account[row.account_id].append(row)
    emails = []
    for account_id, listed in by_account.items():
        ids = [row.id for row in listed]
        for start in range(0, len(ids), CHUNK):
            session.execute(update(Notification).where(Notification.id.in_(ids[start:start + CHUNK]),
                                                       Notification.held.is_(True))
                            .values(held=False, shown_at=now))
        recipient = recipients.get(account_id)
        if not settings.email_enabled or recipient is None or not recipient.email:
            continue
        items = [{"kind": row.kind, "body": row.body, "url": settings.base_url + row.link} for row in listed]
        subject, text, html = texts.digest_email(full_name=recipient.full_name, day=clock.local_day(now),
                                                 items=items, base_url=settings.base_url)
        emails.append(email_row(account_id=account_id, address=recipient.email, purpose="digest",
                                dedupe_key=f"digest:{ids[0]}", subject=subject, text_body=text, html_body=html,
                                now=now))
    return queue_emails(session, emails)
