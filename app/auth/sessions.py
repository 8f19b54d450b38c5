"""Web sessions: a server-side row per signed-in browser, an opaque cookie (only its SHA-256 is stored), renewed at
every sign-in (no fixation), with idle and absolute expiry, sign-out everywhere and revocation by the secretariat; a
CSRF token per session. Sign-in is three steps: reserve the attempt (app/auth/throttle.py's rule), check the password
outside any transaction, record the outcome."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, select

from app.access import policy
from app.access.policy import Action
from app.access.principal import Principal
from app.agencies import service as agency_service
from app.auth import accounts, throttle
from app.auth.models import Account, WebSession
from app.cache import TtlCache
from app.clock import utcnow
from app.config import get_settings
from app.observability import metrics

IDLE = timedelta(hours=8)  # a working day without a click ends the session
ABSOLUTE = timedelta(days=7)  # "ghi nhớ đăng nhập" ticked: the cookie outlives the browser for as long
UNREMEMBERED = timedelta(hours=12)  # not ticked: the cookie ends with the browser, and the session within a day
TOUCH_EVERY = timedelta(minutes=5)  # last_seen_at is written at most this often


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
    warning: throttle.OthersFailures | None = None  # others' wrong passwords into the account, told until dismissed
    remembered: bool = False  # "ghi nhớ đăng nhập" was ticked


@dataclass(frozen=True)
class Reservation:
    """A sign-in attempt allowed to check its password (`attempt_id`), or told when to come back (`retry_at`)."""

    attempt_id: int | None
    retry_at: datetime | None
    account_id: int | None = None
    password_hash: str | None = None


def reserve(*, session: Session, username: str, ip: str, device: str, now: datetime | None = None) -> Reservation:
    """The first short write of a sign-in: counts and reserves the attempt (app/auth/throttle.py); hands back what
    the password is checked against, so the check runs outside any transaction."""
    now = now or utcnow()
    username = accounts.normalised(username)[:100]
    attempt_id, retry_at = throttle.reserve(session=session, username=username, ip=ip[:64],
                                            device=throttle.device_hash(device), now=now)
    if attempt_id is None:
        metrics.SIGN_INS.labels("throttled").inc()
        return Reservation(None, retry_at)
    account = accounts.by_username(session=session, username=username)
    if account is None or not account.active:
        return Reservation(attempt_id, None)
    return Reservation(attempt_id, None, account.id, account.password_hash)


def check(reservation: Reservation, password: str) -> tuple[bool, str | None]:
    """Whether the password is right (and its new hash when the parameters changed). Slow by design (Argon2): run it
    off the event loop and outside any transaction. An unknown account costs the same work: the time says nothing."""
    if reservation.password_hash is None:
        accounts.spend_a_check(password)
        return False, None
    return accounts.verify(reservation.password_hash, password)


def finish(*, session: Session, reservation: Reservation, right: bool, rehashed: str | None, ip: str,
           user_agent: str, remember: bool, now: datetime | None = None) -> tuple[Account | None,
                                                                                               str | None]:
    """The second short write: the attempt's outcome and, when the password was right and the account is still as it
    was checked (active, same password), a new session: (account, the cookie's value). A cookie set before sign-in is
    never promoted (no fixation)."""
    now = now or utcnow()
    account = session.get(Account, reservation.account_id) if reservation.account_id else None
    right = right and account is not None and account.active and account.password_hash == reservation.password_hash
    throttle.settle(session=session, attempt_id=reservation.attempt_id, success=right)
    metrics.SIGN_INS.labels("success" if right else "refused").inc()
    if not right:
        return None, None
    if rehashed:
        account.password_hash = rehashed
        session.add(account)
    previous = session.scalar(select(func.max(WebSession.created_at)).where(WebSession.account_id == account.id))
    raw, _ = new_session_for(session=session, account=account, ip=ip, user_agent=user_agent, remember=remember,
                             now=now, warn_since=previous or now - throttle.PAIR_WINDOW)
    return account, raw


def new_session_for(*, session: Session, account: Account, ip: str, user_agent: str, remember: bool,
                    now: datetime | None = None, warn_since: datetime | None = None) -> tuple[str, str]:
    """A new session (at sign-in, or for a browser that just proved itself again by changing its password): the
    cookie's value and the session's CSRF token. Others' wrong passwords after `warn_since` (default: now) are told
    on its pages."""
    now = now or utcnow()
    raw, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    session.add(WebSession(token_hash=_hash(raw), account_id=account.id, csrf_token=csrf,
                           created_at=now, last_seen_at=now, expires_at=now + (ABSOLUTE if remember else UNREMEMBERED),
                           user_agent=user_agent[:300], ip=ip[:64], warn_since=warn_since or now))
    session.flush()
    return raw, csrf


def dismiss_warning(*, session: Session, session_id: int, now: datetime | None = None) -> None:
    """"Đã biết": what was told is not told again; later wrong passwords are."""
    forget(session_id)
    session.execute(update(WebSession).where(WebSession.id == session_id).values(warn_since=now or utcnow()))


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
    # Told while signed in too, not only at the next sign-in: read with the session, at most every few seconds.
    warning = throttle.failures_from_others(session=session, username=account.username, ip=web_session.ip,
                                            since=web_session.warn_since, now=now)
    warning = warning if warning.failures >= throttle.PAIR_FREE else None
    return SignedIn(accounts.principal_of(account), account, agency.name if agency else "", web_session.csrf_token,
                    web_session.id, web_session.last_seen_at, warning,
                    web_session.expires_at - web_session.created_at > UNREMEMBERED)


def needs_touch(signed_in: SignedIn, now: datetime | None = None) -> bool:
    return signed_in.last_seen_at < (now or utcnow()) - TOUCH_EVERY


def touch(*, session: Session, signed_in: SignedIn, now: datetime | None = None) -> None:
    """Keeps an active session alive (the idle expiry counts from the last request), written every few minutes."""
    now = now or utcnow()
    session.execute(update(WebSession).where(WebSession.id == signed_in.session_id,
                                             WebSession.last_seen_at < now - TOUCH_EVERY).values(last_seen_at=now))
    forget(signed_in.session_id)


# cookie hash -> signed-in browser: a page costs no session query for a few seconds. A sign-out or revocation made
# in this process takes effect at once, one made in another within ROVIEC_AUTH_CACHE_SECONDS.
_signed_in: TtlCache[str, SignedIn] = TtlCache(lambda: get_settings().auth_cache_seconds)


def cached(raw: str) -> SignedIn | None:
    return _signed_in.get(_hash(raw))


def remember(raw: str, signed_in: SignedIn) -> None:
    _signed_in.put(_hash(raw), signed_in)


def forget(session_id: int | None = None) -> None:
    if session_id is None:
        _signed_in.forget()
    else:
        _signed_in.forget_where(lambda found: found.session_id == session_id)


def csrf_ok(signed_in: SignedIn | None, sent: str | None) -> bool:
    return signed_in is not None and sent is not None and hmac.compare_digest(signed_in.csrf_token, sent)


def sign_out(*, session: Session, session_id: int, now: datetime | None = None) -> None:
    forget(session_id)
    session.execute(update(WebSession).where(WebSession.id == session_id, WebSession.revoked_at.is_(None))
                    .values(revoked_at=now or utcnow()))


def revoke_all(*, session: Session, account_id: int, now: datetime | None = None, keep: int | None = None) -> int:
    """Ends every session of the account (but `keep`, the one asking, when given)."""
    forget()
    statement = update(WebSession).where(WebSession.account_id == account_id, WebSession.revoked_at.is_(None))
    if keep is not None:
        statement = statement.where(WebSession.id != keep)
    result = session.execute(statement.values(revoked_at=now or utcnow()))
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
