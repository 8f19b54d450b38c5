"""A person's notifications: who they are for (an account, through the pages or a token it made), what each account
chose to receive and when its digest comes, its inbox (read, marked read), and its e-mail address, used only once
proven by a link."""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from app import messages, pagination
from app.access.principal import Principal, Role
from app.auth import accounts
from app.auth.models import Account, ApiToken
from app.clock import utcnow
from app.config import Settings, get_settings
from app.errors import ApiError, FieldProblem, InvalidInput, not_found
from app.notifications import kinds, outbox, texts
from app.notifications.kinds import Kind, Mode, Recipient
from app.notifications.models import (
    EmailMessage,
    Notification,
    NotificationPreference,
    NotificationSettings,
)

VERIFY_FOR = timedelta(hours=72)
PAGE = 50


# ---------------------------------------------------------------- who


def account_of(*, session: Session, principal: Principal) -> Account:
    """The person whose notifications these are: the one signed in, or the one who made the API token on their
    account page. A token made on the command line belongs to nobody: 403."""
    account_id = principal.account_id
    if account_id is None and principal.token_id is not None:
        account_id = session.scalar(select(ApiToken.created_by_account_id).where(ApiToken.id == principal.token_id))
    account = session.get(Account, account_id) if account_id is not None else None
    if account is None or not account.active:
        raise ApiError.of(403, "notifications_need_a_person", code="forbidden")
    return account


def _settings_rows(session: Session, account_ids=None) -> dict[int, NotificationSettings]:
    statement = select(NotificationSettings)
    if account_ids is not None:
        statement = statement.where(NotificationSettings.account_id.in_(account_ids))
    return {row.account_id: row for row in session.scalars(statement)}


def _chosen(session: Session, account_ids=None) -> dict[int, dict[str, str]]:
    statement = select(NotificationPreference.account_id, NotificationPreference.kind, NotificationPreference.mode)
    if account_ids is not None:
        statement = statement.where(NotificationPreference.account_id.in_(account_ids))
    chosen: dict[int, dict[str, str]] = {}
    for account_id, kind, mode in session.execute(statement):
        chosen.setdefault(account_id, {})[kind] = mode
    return chosen


def proven_email(account: Account, row: NotificationSettings | None) -> str | None:
    """The account's address once proven: it is the one last verified (a new address is not used until it is)."""
    if not account.email or row is None or not row.verified_email:
        return None
    return account.email if account.email.strip().lower() == row.verified_email.strip().lower() else None


def recipients(*, session: Session, account_ids=None) -> list[Recipient]:
    """Every active account (or those named) with the kinds it receives and how: three queries."""
    statement = select(Account).where(Account.active.is_(True))
    if account_ids is not None:
        statement = statement.where(Account.id.in_(account_ids))
    found = list(session.scalars(statement.order_by(Account.id)))
    ids = [a.id for a in found]
    rows, chosen = _settings_rows(session, ids), _chosen(session, ids)
    made = []
    for account in found:
        role = Role(account.role)
        row = rows.get(account.id)
        made.append(Recipient(
            account_id=account.id, agency_id=account.agency_id, role=role,
            own_tasks_only=kinds.own_tasks_only(accounts.principal_of(account)),
            modes=kinds.modes_for(role, chosen.get(account.id, {})),
            digest_hour=row.digest_hour if row else kinds.DEFAULT_DIGEST_HOUR,
            email=proven_email(account, row), full_name=account.full_name))
    return made


def _settings_row(session: Session, account_id: int, now: datetime) -> NotificationSettings:
    """The account's settings row, made on first use (two requests making it at once make one)."""
    row = session.get(NotificationSettings, account_id)
    if row is None:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(insert(NotificationSettings).values(
            account_id=account_id, digest_hour=kinds.DEFAULT_DIGEST_HOUR, updated_at=now).on_conflict_do_nothing(
            index_elements=["account_id"]))
        row = session.get(NotificationSettings, account_id)
    return row


# ---------------------------------------------------------------- preferences


def preferences(*, session: Session, account: Account, settings: Settings | None = None) -> dict[str, Any]:
    """What the account receives, kind by kind (its choice, or its role's default), its digest hour and its e-mail."""
    settings = settings or get_settings()
    role = Role(account.role)
    row = session.get(NotificationSettings, account.id)
    modes = kinds.modes_for(role, _chosen(session, [account.id]).get(account.id, {}))
    defaults = kinds.DEFAULTS.get(role, {})
    return {
        "digest_hour": row.digest_hour if row else kinds.DEFAULT_DIGEST_HOUR,
        "email": email_state(account=account, row=row, settings=settings),
        "kinds": [{"kind": kind.value, "label_vi": messages.NOTIFICATION_KIND_VI[kind.value], "mode": mode.value,
                   "default_mode": defaults.get(kind, Mode.none).value} for kind, mode in modes.items()],
    }


def email_state(*, account: Account, row: NotificationSettings | None, settings: Settings) -> dict[str, Any]:
    proven = proven_email(account, row)
    return {"enabled": settings.email_enabled, "address": account.email, "verified": proven is not None,
            "verification_sent_to": row.verify_address if row and row.verify_token_hash and not proven else None}


def update_preferences(*, session: Session, account: Account, modes: dict[str, str] | None = None,
                       digest_hour: int | None = None, now: datetime | None = None,
                       field_of=lambda kind: f"kinds.{kind}") -> None:
    """Sets the modes given (a kind left out keeps its mode) and the digest hour. A kind the role is not offered, a
    mode that is not one, an hour out of 0-23: refused, field by field, nothing changed. Notifications held for a
    digest move to the new hour."""
    now = now or utcnow()
    role = Role(account.role)
    offered = {kind.value for kind in kinds.OFFERED.get(role, ())}
    problems = []
    for kind, mode in (modes or {}).items():
        if kind not in offered:
            problems.append(FieldProblem.of(field_of(kind), "notification_kind_not_offered",
                                            known=", ".join(sorted(offered))))
        elif mode not in Mode.__members__:
            problems.append(FieldProblem.of(field_of(kind), "notification_mode_unknown"))
    if digest_hour is not None and not 0 <= digest_hour <= 23:
        problems.append(FieldProblem.of("digest_hour", "digest_hour_range"))
    if problems:
        raise InvalidInput(problems)
    defaults = kinds.DEFAULTS.get(role, {})
    for kind, mode in (modes or {}).items():
        session.execute(delete(NotificationPreference).where(NotificationPreference.account_id == account.id,
                                                             NotificationPreference.kind == kind))
        if Mode(mode) != defaults.get(Kind(kind), Mode.none):  # only what differs from the role's default is kept
            session.add(NotificationPreference(account_id=account.id, kind=kind, mode=mode, updated_at=now))
    row = _settings_row(session, account.id, now)
    if digest_hour is not None and digest_hour != row.digest_hour:
        row.digest_hour = digest_hour
        session.execute(update(Notification).where(Notification.account_id == account.id,
                                                   Notification.held.is_(True))
                        .values(digest_due_at=outbox.next_digest_at(now, digest_hour, get_settings().tz)))
    row.updated_at = now
    session.add(row)
    session.flush()


# ---------------------------------------------------------------- the inbox


def unread_count(*, session: Session, account_id: int) -> int:
    """The header's figure: one count on the account's unread index."""
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.account_id == account_id, Notification.read_at.is_(None), Notification.held.is_(False))) or 0


def inbox(*, session: Session, account: Account, unread_only: bool = False, limit: int = PAGE,
          cursor: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """Newest first (by the time each came into the inbox), a page at a time, each with its e-mail's state."""
    statement = select(Notification).where(Notification.account_id == account.id, Notification.held.is_(False))
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    if cursor:
        moment, last_id = pagination.decode_moment_and_id(cursor)
        statement = statement.where(or_(Notification.shown_at < moment,
                                        (Notification.shown_at == moment) & (Notification.id < last_id)))
    newest_first = statement.order_by(Notification.shown_at.desc(), Notification.id.desc())
    found, next_cursor = pagination.page_of(list(session.scalars(newest_first.limit(limit + 1))), limit,
                                            lambda n: pagination.encode_moment_and_id(n.shown_at, n.id))
    emails = {row.notification_id: row for row in session.scalars(select(EmailMessage).where(
        EmailMessage.notification_id.in_([n.id for n in found])))} if found else {}
    return [view(n, emails.get(n.id)) for n in found], next_cursor


def view(notification: Notification, email: EmailMessage | None = None) -> dict[str, Any]:
    base = get_settings().base_url
    return {"id": notification.id, "kind": notification.kind,
            "kind_vi": messages.NOTIFICATION_KIND_VI.get(notification.kind, notification.kind),
            "event_type": notification.event_type, "subject": notification.subject, "text": notification.body,
            "task_id": notification.task_id, "indicator_id": notification.indicator_id, "link": notification.link,
            "url": base + notification.link, "created_at": notification.created_at,
            "shown_at": notification.shown_at, "read_at": notification.read_at,
            "email": None if email is None else {
                "status": str(email.status), "status_vi": messages.EMAIL_STATUS_VI.get(str(email.status), ""),
                "attempts": email.attempt_count, "last_error": email.last_error, "sent_at": email.sent_at}}


def mark_read(*, session: Session, account: Account, notification_id: int,
              now: datetime | None = None) -> dict[str, Any]:
    """One of one's own notifications read (another's is not found)."""
    notification = session.scalars(select(Notification).where(
        Notification.id == notification_id, Notification.account_id == account.id,
        Notification.held.is_(False))).first()
    if notification is None:
        raise not_found("notification")
    if notification.read_at is None:
        notification.read_at = now or utcnow()
        session.add(notification)
        session.flush()
    email = session.scalars(select(EmailMessage).where(EmailMessage.notification_id == notification.id)).first()
    return view(notification, email)


def mark_all_read(*, session: Session, account: Account, now: datetime | None = None) -> int:
    result = session.execute(update(Notification).where(
        Notification.account_id == account.id, Notification.read_at.is_(None), Notification.held.is_(False))
        .values(read_at=now or utcnow()))
    return result.rowcount or 0


# ---------------------------------------------------------------- the e-mail address


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def set_address(*, session: Session, account: Account, address: str | None, now: datetime | None = None,
                settings: Settings | None = None) -> str:
    """One's own e-mail address. A new one is used once proven: a link is sent to it (when e-mail is on). Returns
    what the page says."""
    now, settings = now or utcnow(), settings or get_settings()
    address = (address or "").strip()
    if not address:
        raise InvalidInput([FieldProblem.of("email", "required", type="missing")])
    if len(address) > 200 or not accounts.EMAIL.fullmatch(address):
        raise InvalidInput([FieldProblem.of("email", "email_invalid")])
    account.email = address
    session.add(account)
    row = _settings_row(session, account.id, now)
    if proven_email(account, row):
        return f"Đã lưu địa chỉ {address} (đã xác nhận trước đây)."
    if not settings.email_enabled:
        return (f"Đã lưu địa chỉ {address}. Hệ thống chưa bật gửi thư điện tử nên chưa gửi được thư xác nhận; địa chỉ "
                "sẽ được dùng sau khi xác nhận.")
    send_verification(session=session, account=account, now=now, settings=settings)
    return f"Đã lưu địa chỉ {address}. Hãy mở thư xác nhận vừa gửi tới địa chỉ này để bắt đầu nhận thư."


def send_verification(*, session: Session, account: Account, now: datetime | None = None,
                      settings: Settings | None = None) -> str:
    """A new link proving the account's address, sent by the worker; an earlier link stops working. Returns the
    token (the tests read it from the message)."""
    now, settings = now or utcnow(), settings or get_settings()
    if not account.email:
        raise InvalidInput([FieldProblem.of("email", "no_email_to_verify")])
    if not settings.email_enabled:
        raise ApiError.of(409, "email_off", code="email_off")
    token = secrets.token_urlsafe(32)
    row = _settings_row(session, account.id, now)
    row.verify_token_hash, row.verify_address = _token_hash(token), account.email
    row.verify_expires_at, row.updated_at = now + VERIFY_FOR, now
    session.add(row)
    link = f"{settings.base_url}/account/email/verify?token={token}"
    subject, text, html = texts.verify_email(full_name=account.full_name, username=account.username, link=link,
                                             hours=int(VERIFY_FOR.total_seconds() // 3600),
                                             base_url=settings.base_url)
    outbox.queue_emails(session, [outbox.email_row(
        account_id=account.id, address=account.email, purpose="verify", dedupe_key=f"verify:{row.verify_token_hash}",
        subject=subject, text_body=text, html_body=html, now=now)])
    session.flush()
    return token


def verify(*, session: Session, account: Account, token: str | None, now: datetime | None = None) -> str:
    """The link opened by the person signed in: the address it was sent to is proven, if it is still the
    account's. Returns the address."""
    now = now or utcnow()
    row = session.get(NotificationSettings, account.id)
    if (not token or row is None or row.verify_token_hash is None or row.verify_expires_at is None
            or row.verify_expires_at <= now or not secrets.compare_digest(row.verify_token_hash, _token_hash(token))
            or (row.verify_address or "").lower() != (account.email or "").lower()):
        raise ApiError.of(422, "email_link_invalid", code="link_invalid")
    mark_verified(session=session, account=account, now=now)
    return account.email


def mark_verified(*, session: Session, account: Account, now: datetime | None = None) -> None:
    """The account's address counts as proven: opened from its link, or given by the operator
    (`roviec user create --email`)."""
    now = now or utcnow()
    row = _settings_row(session, account.id, now)
    row.verified_email, row.verified_at = account.email, now
    row.verify_token_hash = row.verify_address = row.verify_expires_at = None
    row.updated_at = now
    session.add(row)
    session.flush()
