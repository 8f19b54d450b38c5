"""Web sessions: a server-side row per signed-in browser, an opaque cookie (only its SHA-256 is stored), renewed at
every sign-in (no fixation), with idle and absolute expiry, sign-out everywhere and revocation by the secretariat; a
CSRF token per session; and sign-in throttling (slowed, then refused for a while, per account and per address)."""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, select

from app.agencies import service as agency_service
from app.auth import accounts, policy
from app.auth.models import Account, LoginAttempt, WebSession
from app.auth.policy import Action
from app.auth.schemas import Principal
from app.config import get_settings
from app.types import utcnow

IDLE = timedelta(hours=8)  # a working day without a click ends the session
ABSOLUTE = timedelta(days=7)
TOUCH_EVERY = timedelta(minutes=5)  # last_seen_at is written at most this often
# Throttling: failures within WINDOW. From SLOW_AFTER failures each attempt waits longer; at the limits the account
# (or the address) is refused until the window has passed.
WINDOW = timedelta(minutes=15)
SLOW_AFTER = 3
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    """The browser's identity for one request."""

    principal: Principal
    account: Account
    agency_name: str
    csrf_token: str
    session_id: int
    last_seen_at: datetime


@dataclass(frozen=True)
class Throttle:
    refused_for: timedelta | None  # how long before another attempt is taken
    delay_seconds: float  # how long to make this attempt wait


def throttle(*, session: Session, username: str, ip: str, now: datetime | None = None) -> Throttle:
    now = now or utcnow()
    since = now - WINDOW
    username = accounts.normalised(username)

    def failures(condition):
        row = session.exec(select(func.count(), func.min(LoginAttempt.attempted_at)).where(
            condition, LoginAttempt.attempted_at >= since, LoginAttempt.success.is_(False))).one()
        return row[0], row[1]

    by_account, first_account = failures(LoginAttempt.username == username)
    by_address, first_address = failures(LoginAttempt.ip == ip)
    if by_account >= ACCOUNT_LIMIT or by_address >= ADDRESS_LIMIT:
        first = first_account if by_account >= ACCOUNT_LIMIT else first_address
        return Throttle(max(first + WINDOW - now, timedelta(minutes=1)), 0)
    return Throttle(None, min(2.0, 0.5 * max(0, max(by_account, by_address // 4) - SLOW_AFTER + 1)))


def record_attempt(*, session: Session, username: str, ip: str, success: bool, now: datetime | None = None) -> None:
    session.add(LoginAttempt(username=accounts.normalised(username)[:100], ip=ip[:64],
                             attempted_at=now or utcnow(), success=success))
    session.flush()


def sign_in(*, session: Session, username: str, password: str, ip: str, user_agent: str,
            now: datetime | None = None) -> tuple[Account | None, str | None]:
    """(account, the new session's cookie value) when the password is right and the account active; (None, None)
    otherwise. The attempt is recorded either way. A new session every time: a cookie set before sign-in is never
    promoted (no fixation)."""
    now = now or utcnow()
    account = accounts.by_username(session=session, username=username)
    if account is None:
        accounts.hash_password(password)  # the same work as a real check: the answer time says nothing
        record_attempt(session=session, username=username, ip=ip, success=False, now=now)
        return None, None
    right, rehashed = accounts.check_password(account, password)
    if not right or not account.active:
        record_attempt(session=session, username=username, ip=ip, success=False, now=now)
        return None, None
    if rehashed:
        account.password_hash = rehashed
        session.add(account)
    record_attempt(session=session, username=username, ip=ip, success=True, now=now)
    raw = secrets.token_urlsafe(32)
    session.add(WebSession(token_hash=_hash(raw), account_id=account.id, csrf_token=secrets.token_urlsafe(24),
                           created_at=now, last_seen_at=now, expires_at=now + ABSOLUTE,
                           user_agent=user_agent[:300], ip=ip[:64]))
    session.flush()
    return account, raw


def current(*, session: Session, raw: str | None, now: datetime | None = None) -> SignedIn | None:
    """The signed-in browser, or None when the cookie is missing, unknown, revoked or expired (idle or absolute)."""
    if not raw:
        return None
    now = now or utcnow()
    row = session.exec(select(WebSession, Account).join(Account, Account.id == WebSession.account_id)
                       .where(WebSession.token_hash == _hash(raw))).first()
    if row is None:
        return None
    web_session, account = row
    if (web_session.revoked_at is not None or web_session.expires_at <= now or not account.active
            or web_session.last_seen_at + IDLE <= now or web_session.created_at < account.password_changed_at):
        return None
    agency = agency_service.get(session=session, agency_id=account.agency_id)
    return SignedIn(accounts.principal_of(account), account, agency.name if agency else "", web_session.csrf_token,
                    web_session.id, web_session.last_seen_at)


def needs_touch(signed_in: SignedIn, now: datetime | None = None) -> bool:
    return signed_in.last_seen_at < (now or utcnow()) - TOUCH_EVERY


def touch(*, session: Session, signed_in: SignedIn, now: datetime | None = None) -> None:
    """Keeps an active session alive (the idle expiry counts from the last request), written every few minutes."""
    now = now or utcnow()
    session.execute(update(WebSession).where(WebSession.id == signed_in.session_id,
                                             WebSession.last_seen_at < now - TOUCH_EVERY).values(last_seen_at=now))
    forget(signed_in.session_id)


# cookie hash -> (signed-in browser, monotonic expiry): a page costs no session query for a few seconds. A sign-out
# or revocation made in this process takes effect at once, one made in another within ROVIEC_AUTH_CACHE_SECONDS.
_cache: dict[str, tuple[SignedIn, float]] = {}


def cached(raw: str) -> SignedIn | None:
    hit = _cache.get(_hash(raw))
    if hit is None or hit[1] < time.monotonic():
        return None
    return hit[0]


def remember(raw: str, signed_in: SignedIn) -> None:
    ttl = get_settings().auth_cache_seconds
    if ttl > 0:
        if len(_cache) > 10_000:
            _cache.clear()
        _cache[_hash(raw)] = (signed_in, time.monotonic() + ttl)


def forget(session_id: int | None = None) -> None:
    if session_id is None:
        _cache.clear()
        return
    for key in [k for k, (found, _) in _cache.items() if found.session_id == session_id]:
        _cache.pop(key, None)


def csrf_ok(signed_in: SignedIn | None, sent: str | None) -> bool:
    return signed_in is not None and sent is not None and hmac.compare_digest(signed_in.csrf_token, sent)


def sign_out(*, session: Session, session_id: int, now: datetime | None = None) -> None:
    forget(session_id)
    session.execute(update(WebSession).where(WebSession.id == session_id, WebSession.revoked_at.is_(None))
                    .values(revoked_at=now or utcnow()))


def revoke_all(*, session: Session, account_id: int, now: datetime | None = None) -> int:
    forget()
    result = session.execute(update(WebSession).where(
        WebSession.account_id == account_id, WebSession.revoked_at.is_(None)).values(revoked_at=now or utcnow()))
    return result.rowcount or 0


def revoke_for(*, session: Session, principal: Principal, account_id: int) -> int:
    """Sign-out everywhere: a person for themselves; the secretariat for anyone."""
    if principal.account_id != account_id:
        policy.require(principal, Action.manage_sessions)
    return revoke_all(session=session, account_id=account_id)


def active_counts(*, session: Session, account_ids: list[int], now: datetime | None = None) -> dict[int, int]:
    """Each account's sessions still in use, in one query: 0 for an account with none."""
    if not account_ids:
        return {}
    now = now or utcnow()
    rows = session.exec(select(WebSession.account_id, func.count()).where(
        WebSession.account_id.in_(account_ids), WebSession.revoked_at.is_(None), WebSession.expires_at > now,
        WebSession.last_seen_at > now - IDLE).group_by(WebSession.account_id)).all()
    return dict.fromkeys(account_ids, 0) | dict(rows)
