"""Notifications for people: what each account chose to receive and how, its inbox, and the e-mails the worker
sends. Every notification and every e-mail is unique per (account, key) — the key names the kind, the task or
indicator and the window, as the webhook alerts' keys do — so whatever raises one twice (a second scan, a replica,
a fan-out repeated after a crash) adds nothing."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.types import UTCDateTime


class NotificationSettings(SQLModel, table=True):
    """An account's own settings: the hour of its daily digest, and the e-mail address it proved it reads (the
    account's `email` is used only while it is this one), with the link sent to prove a new one."""

    __tablename__ = "notification_settings"

    account_id: int = Field(primary_key=True, foreign_key="accounts.id")
    digest_hour: int = Field(default=7, description="local hour (0-23) of the daily digest")
    verified_email: str | None = Field(default=None, max_length=200)
    verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    verify_token_hash: str | None = Field(default=None, max_length=64, description="SHA-256 of the link's token")
    verify_address: str | None = Field(default=None, max_length=200, description="the address the link proves")
    verify_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class NotificationPreference(SQLModel, table=True):
    """A kind an account chose to receive otherwise than its role's default (app/notifications/kinds.py)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("account_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="accounts.id")
    kind: str = Field(max_length=40)
    mode: str = Field(max_length=20, description="immediate | digest | none")
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Notification(SQLModel, table=True):
    """One entry of an account's inbox. Raised at once (`held` false) or held for the account's daily digest until
    its hour (`digest_due_at`), then shown with the digest (`shown_at`). Its words are written when it is raised and
    kept. No foreign keys on the task and indicator, for the reason given on WebhookMessage."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("account_id", "dedupe_key"),
        # The unread count in every page's header, and the inbox in its order.
        Index("ix_notifications_account_id_read_at", "account_id", "read_at"),
        Index("ix_notifications_account_id_shown_at", "account_id", "shown_at", "id"),
        Index("ix_notifications_held_digest_due_at", "held", "digest_due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="accounts.id")
    kind: str = Field(max_length=40)
    event_type: str = Field(max_length=60, description="the event or alert that raised it, e.g. task.due_soon")
    dedupe_key: str = Field(max_length=200)
    task_id: int | None = None
    indicator_id: int | None = None
    subject: str = Field(max_length=300)
    body: str = Field(sa_type=Text, description="the line a person reads")
    link: str = Field(max_length=300, description="the page it is about, e.g. /tasks/12")
    created_at: datetime = Field(sa_type=UTCDateTime)
    held: bool = Field(default=False, description="waiting for the account's daily digest")
    digest_due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    shown_at: datetime = Field(sa_type=UTCDateTime, description="when it came into the inbox")
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class EmailStatus(StrEnum):
    pending = "pending"  # waiting for its first or next attempt
    sending = "sending"  # claimed by a worker (lease)
    sent = "sent"  # the mail server took it
    dead = "dead"  # every retry failed (or no longer to be sent)


_OPEN = text("status IN ('pending', 'sending')")


class EmailMessage(SQLModel, table=True):
    """One e-mail to one person: a notification sent at once, a daily digest, or the link that proves an address.
    Rendered when queued and kept, so every attempt sends the same message (the same Message-ID); claimed by the
    worker under a lease and retried like a webhook message, then dead."""

    __tablename__ = "notification_emails"
    __table_args__ = (
        UniqueConstraint("account_id", "dedupe_key"),
        Index("ix_notification_emails_due", "next_attempt_at", "id", postgresql_where=_OPEN, sqlite_where=_OPEN),
        Index("ix_notification_emails_notification_id", "notification_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(max_length=40, unique=True, description="the Message-ID's left part")
    account_id: int = Field(foreign_key="accounts.id")
    address: str = Field(max_length=200)
    purpose: str = Field(max_length=20, description="notification | digest | verify")
    kind: str | None = Field(default=None, max_length=40)
    dedupe_key: str = Field(max_length=200)
    notification_id: int | None = None
    task_id: int | None = None
    subject: str = Field(max_length=300)
    text_body: str = Field(sa_type=Text)
    html_body: str = Field(sa_type=Text)
    status: EmailStatus = Field(default=EmailStatus.pending, sa_type=String(20))
    attempt_count: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    lease_token: int = 0
    claimed_by: str | None = Field(default=None, max_length=100)
    last_code: int | None = Field(default=None, description="the mail server's last reply code")
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class EmailAttempt(SQLModel, table=True):
    """Every attempt to hand an e-mail to the mail server, with its answer."""

    __tablename__ = "notification_email_attempts"
    __table_args__ = (Index("ix_notification_email_attempts_email_id_id", "email_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    email_id: int = Field(foreign_key="notification_emails.id")
    attempted_at: datetime = Field(sa_type=UTCDateTime)
    success: bool
    code: int | None = Field(default=None, description="the SMTP reply code, when the server answered")
    error: str | None = Field(default=None, max_length=500)
    latency_ms: int
    worker: str = Field(max_length=100)


class NotificationScanState(SQLModel, table=True):
    """When the people's deadline watch last ran: later scans of the same day, with the same calendar and the same
    people wanting the same kinds, look only at tasks changed since, as the webhooks' watch does
    (app/alerts/models.py: AlertScanState)."""

    __tablename__ = "notification_scan_state"

    id: int = Field(default=1, primary_key=True)
    scanned_day: date
    scanned_at: datetime = Field(sa_type=UTCDateTime)
    calendar_signature: str | None = Field(default=None, max_length=64)
    audience_signature: str | None = Field(default=None, max_length=64,
                                           description="who wants which kinds: another one means a full scan")
