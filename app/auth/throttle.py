"""How sign-in slows guessing, without letting a stranger lock the owner out: the one home of the rule.

Three counts, each over its window, of wrong passwords (and of attempts still being checked, which count as wrong):
- the account from this client (one address, or one browser): the first PAIR_FREE are free, then each further one
  waits twice as long as the one before (2 s, 4 s, 8 s … up to 15 minutes). The owner at their own desk is never held
  up by a stranger elsewhere.
- the account from clients it does not know (no sign-in from that address or that browser in KNOWN_FOR): past
  ACCOUNT_FREE a guesser spread over many addresses waits the same way; a known client is exempt.
- the address across accounts: only when ADDRESS_ACCOUNTS different accounts fail from one address (someone trying
  many accounts, not an office behind one proxy where a few people mistype) does the address wait, in minutes; again
  a client an account knows is exempt for that account.

An attempt is reserved before its password is checked, in one short write that holds a lock on the account's name and
on the address (PostgreSQL: transaction-scoped advisory locks; SQLite: its one writer, BEGIN IMMEDIATE), so concurrent
attempts are counted one after the other and a burst gets no more checks than a sequence. The password is checked
after that write, outside any transaction; a second short write records the outcome.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import distinct, func, or_, select, text, update
from sqlmodel import Session

from app.auth.models import LoginAttempt
from app.config import get_settings
from app.db import is_sqlite

PAIR_FREE = 3
PAIR_WINDOW = timedelta(hours=24)
ACCOUNT_FREE = 10
ACCOUNT_WINDOW = timedelta(hours=1)
ADDRESS_ACCOUNTS = 10
ADDRESS_WINDOW = timedelta(hours=1)
FIRST_WAIT = timedelta(seconds=2)  # ROVIEC_SIGN_IN_FIRST_WAIT_SECONDS
ADDRESS_FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(minutes=15)
KNOWN_FOR = timedelta(days=90)
# Attempts are kept as long as a rule looks at them; successes as long as they make a client known.
KEEP_FAILURES = PAIR_WINDOW
KEEP_SUCCESSES = KNOWN_FOR


def device_hash(raw: str | None) -> str:
    return hashlib.sha256(raw.encode()).hexdigest() if raw else ""


def wait_after(failures: int, free: int, first: timedelta) -> timedelta:
    """How long after the last failure the next attempt waits, with `failures` counted and `free` allowed."""
    if failures < free:
        return timedelta(0)
    return min(LONGEST_WAIT, first * 2 ** min(failures - free, 30))


@dataclass(frozen=True)
class Counts:
    pair: int
    pair_last_at: datetime | None
    account: int
    account_last_at: datetime | None
    address_accounts: int
    address_last_at: datetime | None
    known_client: bool


def next_allowed_at(counts: Counts, first_wait: timedelta = FIRST_WAIT) -> datetime | None:
    """When the next attempt may be checked (None: now). The rule, apart from the queries that count."""
    waits = []
    if counts.pair_last_at is not None:
        waits.append(counts.pair_last_at + wait_after(counts.pair, PAIR_FREE, first_wait))
    if not counts.known_client:
        if counts.account_last_at is not None:
            waits.append(counts.account_last_at + wait_after(counts.account, ACCOUNT_FREE, first_wait))
        if counts.address_last_at is not None:
            waits.append(counts.address_last_at + wait_after(counts.address_accounts, ADDRESS_ACCOUNTS,
                                                             ADDRESS_FIRST_WAIT))
    return max(waits) if waits else None


def _not_right():
    return or_(LoginAttempt.success.is_(None), LoginAttempt.success.is_(False))


def _same_client(ip: str, device: str):
    """Attempts from this client: its address, or its browser when it has a device cookie."""
    return or_(LoginAttempt.ip == ip, LoginAttempt.device_hash == device) if device else LoginAttempt.ip == ip


def _lock(session: Session, *keys: str) -> None:
    """Serialises the attempts on an account and on an address. SQLite's write transaction (BEGIN IMMEDIATE) already
    lets one writer through at a time."""
    if is_sqlite(session.get_bind()):
        return
    for key in keys:  # always the account first, then the address: two attempts never wait for each other in a cycle
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})


def counts(*, session: Session, username: str, ip: str, device: str, now: datetime) -> Counts:
    failed = (LoginAttempt.released.is_(False), _not_right())
    pair, pair_last = session.execute(select(func.count(), func.max(LoginAttempt.attempted_at)).where(
        LoginAttempt.username == username, LoginAttempt.attempted_at >= now - PAIR_WINDOW, _same_client(ip, device),
        *failed)).one()
    account, account_last = session.execute(select(func.count(), func.max(LoginAttempt.attempted_at)).where(
        LoginAttempt.username == username, LoginAttempt.attempted_at >= now - ACCOUNT_WINDOW, *failed)).one()
    address_accounts, address_last = session.execute(
        select(func.count(distinct(LoginAttempt.username)), func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.ip == ip, LoginAttempt.attempted_at >= now - ADDRESS_WINDOW, *failed)).one()
    known = session.execute(select(LoginAttempt.id).where(
        LoginAttempt.username == username, LoginAttempt.success.is_(True),
        LoginAttempt.attempted_at >= now - KNOWN_FOR, _same_client(ip, device)).limit(1)).first() is not None
    return Counts(pair, pair_last, account, account_last, address_accounts, address_last, known)


def reserve(*, session: Session, username: str, ip: str, device: str, now: datetime) -> tuple[int | None,
                                                                                               datetime | None]:
    """(the attempt's id, None) when its password may be checked now; (None, when to come back) otherwise. The
    attempt is recorded as being checked, and counts as a failure until `settle` says otherwise."""
    _lock(session, f"sign-in account {username}", f"sign-in address {ip}")
    first_wait = timedelta(seconds=get_settings().sign_in_first_wait_seconds)
    allowed_at = next_allowed_at(counts(session=session, username=username, ip=ip, device=device, now=now),
                                 first_wait)
    if allowed_at is not None and allowed_at > now:
        return None, allowed_at
    attempt = LoginAttempt(username=username, ip=ip, attempted_at=now, success=None, device_hash=device)
    session.add(attempt)
    session.flush()
    return attempt.id, None


def settle(*, session: Session, attempt_id: int, success: bool) -> None:
    """The outcome of a reserved attempt. A success releases what this client got wrong on the account before."""
    attempt = session.get(LoginAttempt, attempt_id)
    if attempt is None:  # purged meanwhile: nothing left to count
        return
    attempt.success = success
    session.add(attempt)
    if success:
        session.execute(update(LoginAttempt).where(
            LoginAttempt.username == attempt.username, _same_client(attempt.ip, attempt.device_hash),
            LoginAttempt.id != attempt.id,
            LoginAttempt.released.is_(False), _not_right()).values(released=True))
    session.flush()


@dataclass(frozen=True)
class OthersFailures:
    failures: int
    addresses: int
    last_at: datetime | None


def failures_from_others(*, session: Session, username: str, ip: str, since: datetime | None,
                         now: datetime) -> OthersFailures:
    """Wrong passwords typed into the account from addresses other than the session's after `since`, within the
    longest window: what its owner is told on every page."""
    start = max(since, now - PAIR_WINDOW) if since else now - PAIR_WINDOW
    failures, addresses, last_at = session.execute(select(
        func.count(), func.count(distinct(LoginAttempt.ip)), func.max(LoginAttempt.attempted_at)).where(
        LoginAttempt.username == username, LoginAttempt.attempted_at > start, LoginAttempt.success.is_(False),
        LoginAttempt.ip != ip)).one()
    return OthersFailures(failures, addresses, last_at)


def recent_failures(*, session: Session, username: str, now: datetime, limit: int = 20) -> list[LoginAttempt]:
    """The account's wrong passwords within the longest window, newest first: the owner's own account page."""
    return list(session.scalars(select(LoginAttempt).where(
        LoginAttempt.username == username, LoginAttempt.attempted_at >= now - PAIR_WINDOW,
        LoginAttempt.success.is_(False)).order_by(LoginAttempt.attempted_at.desc()).limit(limit)))


def failing_counts(*, session: Session, usernames: list[str], now: datetime) -> dict[str, int]:
    """Each account's wrong passwords still counted against it within the account window (the secretariat's list)."""
    if not usernames:
        return {}
    rows = session.execute(select(LoginAttempt.username, func.count()).where(
        LoginAttempt.username.in_(usernames), LoginAttempt.attempted_at >= now - PAIR_WINDOW,
        LoginAttempt.released.is_(False), LoginAttempt.success.is_(False)).group_by(LoginAttempt.username)).all()
    return dict(rows)


def release(*, session: Session, username: str | None = None, ip: str | None = None) -> int:
    """Unlocks: the account's (or the address's) wrong passwords are no longer counted. They stay in the history."""
    condition = LoginAttempt.username == username if username is not None else LoginAttempt.ip == ip
    result = session.execute(update(LoginAttempt).where(condition, LoginAttempt.released.is_(False), _not_right())
                             .values(released=True))
    return result.rowcount or 0


def purge(*, session: Session, now: datetime) -> int:
    """Attempts past every window that looks at them."""
    result = session.execute(LoginAttempt.__table__.delete().where(or_(
        (LoginAttempt.success.is_(True)) & (LoginAttempt.attempted_at < now - KEEP_SUCCESSES),
        (_not_right()) & (LoginAttempt.attempted_at < now - KEEP_FAILURES))))
    return result.rowcount or 0
