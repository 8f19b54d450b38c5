"""Personal accounts for the web pages: who they are (name, title, agency, role), their passwords (Argon2 through
pwdlib, rehashed when the parameters change), and who may manage them (the policy table)."""

import re
import secrets
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from pwdlib import PasswordHash
from sqlmodel import Session, select

from app import messages
from app.access import policy
from app.access.policy import Action
from app.access.principal import Principal, Role
from app.agencies import service as agency_service
from app.agencies.models import Agency
from app.auth.models import Account
from app.clock import utcnow
from app.errors import ApiError, FieldProblem, InvalidInput, not_found

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHash.recommended()


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    lines = (Path(__file__).parent / "common_passwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problems(password: str, username: str = "", field: str = "password") -> list[FieldProblem]:
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(FieldProblem.of(field, "password_too_short", minimum=MIN_PASSWORD_LENGTH,
                                        type="password_too_short"))
    lowered = password.lower()
    if lowered in _common_passwords() or (username and username.lower() in lowered) or len(set(password)) < 4:
        problems.append(FieldProblem.of(field, "password_too_common", type="password_too_common"))
    return problems


def generated_password() -> str:
    """A password to hand over once: 16 characters that read well aloud (no 0/O, 1/l)."""
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(account: Account, password: str) -> tuple[bool, str | None]:
    """Whether the password is right, and the new hash to keep when the hashing parameters changed."""
    return verify(account.password_hash, password)


def verify(password_hash: str, password: str) -> tuple[bool, str | None]:
    return _hasher.verify_and_update(password, password_hash)


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def spend_a_check(password: str) -> None:
    """The work of a real check, for a name no account has: the answer's time does not tell which names exist."""
    _hasher.verify(password, _decoy_hash())


def normalised(username: str) -> str:
    return username.strip().lower()


def by_username(*, session: Session, username: str) -> Account | None:
    return session.exec(select(Account).where(Account.username == normalised(username))).first()


def get(*, session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise not_found("account")
    return account


# An address a mail server would take: something, one @, a domain with a dot; no spaces.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def create(*, session: Session, principal: Principal, username: str, full_name: str, agency_code: str,
           role: Role | str, job_title: str = "", email: str | None = None, password: str | None = None,
           now: datetime | None = None) -> tuple[Account, str]:
    """Returns the account and its password (generated when none is given: shown once, never stored in clear)."""
    policy.require(principal, Action.manage_accounts)
    problems: list[FieldProblem] = []
    username = normalised(username)
    if not username:
        problems.append(FieldProblem.of("username", "required", type="missing"))
    elif len(username) > 100 or any(ch.isspace() for ch in username):
        problems.append(FieldProblem.of("username", "username_form"))
    elif by_username(session=session, username=username) is not None:
        problems.append(FieldProblem.of("username", "username_taken", type="duplicate"))
    if not full_name.strip():
        problems.append(FieldProblem.of("full_name", "full_name_required"))
    if role not in Role.__members__:
        problems.append(FieldProblem.of("role", "role_unknown", secretariat=messages.secretariat_name()))
    agency = agency_service.get_by_code(session=session, code=agency_code) if agency_code else None
    if not agency_code:
        problems.append(FieldProblem.of("agency", "agency_required", type="missing"))
    elif agency is None or not agency.active:
        problems.append(FieldProblem.of("agency", "no_active_agency_code", code=agency_code))
    if email and not EMAIL.fullmatch(email.strip()):
        problems.append(FieldProblem.of("email", "email_invalid"))
    password = password or generated_password()
    problems += password_problems(password, username)
    if problems:
        raise InvalidInput(problems)
    now = now or utcnow()
    account = Account(username=username, email=(email or "").strip() or None, full_name=" ".join(full_name.split()),
                      job_title=" ".join(job_title.split()), agency_id=agency.id, role=Role(role), active=True,
                      password_hash=hash_password(password), created_at=now, password_changed_at=now)
    session.add(account)
    session.flush()
    return account, password


def listed(*, session: Session, principal: Principal, agency_id: int | None = None) -> list[tuple[Account,
                                                                                                     Agency]]:
    """Every account (the secretariat, the operator), or one agency's: an agency lists its own."""
    if not policy.allows(principal, Action.manage_accounts):
        policy.require(principal, Action.read_own_accounts,
                       relation=policy.relation_to_owner(principal, agency_id or principal.agency_id))
        agency_id = principal.agency_id
    statement = select(Account, Agency).join(Agency, Agency.id == Account.agency_id)
    if agency_id is not None:
        statement = statement.where(Account.agency_id == agency_id)
    return list(session.exec(statement.order_by(Agency.name, Account.full_name)))


def set_active(*, session: Session, principal: Principal, account_id: int, active: bool) -> Account:
    """Deactivating ends the person's sessions and revokes the API tokens they made (their agency's software keeps
    working only through tokens someone still in post answers for). Reactivating restores neither."""
    policy.require(principal, Action.manage_accounts)
    account = get(session=session, account_id=account_id)
    account.active = active
    session.add(account)
    if not active:
        from app.auth import service, sessions

        sessions.revoke_all(session=session, account_id=account.id)
        service.revoke_tokens_made_by(session=session, account_id=account.id)
    return account


def unlock(*, session: Session, principal: Principal, account_id: int) -> int:
    """The secretariat (or the operator) lets a person sign in again at once: the wrong passwords counted against
    the account stop counting (they stay in its history). Returns how many were released."""
    from app.auth import throttle

    policy.require(principal, Action.manage_accounts)
    account = get(session=session, account_id=account_id)
    return throttle.release(session=session, username=account.username)


def set_password(*, session: Session, principal: Principal, account_id: int, password: str | None = None,
                 now: datetime | None = None, field: str = "password") -> tuple[Account, str]:
    """A new password (generated when none is given); every session of the account ends. A refusal names `field`.
    Not for one's own account: that needs the current password (`change_own_password`)."""
    if principal.account_id == account_id:
        raise ApiError.of(403, "own_password_needs_current", code="forbidden")
    policy.require(principal, Action.manage_accounts)
    account = get(session=session, account_id=account_id)
    password = password or generated_password()
    return _store_password(session, account, password, field=field, now=now), password


def _store_password(session: Session, account: Account, password: str, *, field: str,
                    now: datetime | None) -> Account:
    from app.auth import sessions

    problems = password_problems(password, account.username, field=field)
    if problems:
        raise InvalidInput(problems)
    account.password_hash = hash_password(password)
    account.password_changed_at = now or utcnow()
    session.add(account)
    sessions.revoke_all(session=session, account_id=account.id)
    return account


def change_own_password(*, session: Session, principal: Principal, account_id: int, current_password: str,
                        new_password: str, typed_again: str | None = None, field: str = "password",
                        now: datetime | None = None) -> Account:
    """A person's own new password, refused in this order: a field left empty, the current one wrong
    (`current_password`), the new one typed differently the second time (`typed_again`, when the form asks for it:
    `{field}_again`), the new one too weak (`field`). Every session of the account ends (the browser that asked gets
    a new one: app/auth/sessions.py `new_session_for`)."""
    if principal.account_id != account_id:
        raise not_found("account")
    account = get(session=session, account_id=account_id)
    asked = (("current_password", current_password), (field, new_password))
    if typed_again is not None:
        asked += ((f"{field}_again", typed_again),)
    empty = [FieldProblem.of(name, "required", type="missing") for name, value in asked if not value]
    if empty:
        raise InvalidInput(empty)
    right, _ = check_password(account, current_password)
    if not right:
        raise InvalidInput([FieldProblem.of("current_password", "password_wrong")])
    if typed_again is not None and typed_again != new_password:
        raise InvalidInput([FieldProblem.of(f"{field}_again", "passwords_differ")])
    return _store_password(session, account, new_password, field=field, now=now)


def principal_of(account: Account) -> Principal:
    return Principal(token_id=None, agency_id=account.agency_id, role=Role(account.role), account_id=account.id)


def display_names(*, session: Session, account_ids: set[int]) -> dict[int, str]:
    """"Nguyễn Văn A — Bộ Tài chính", as the journal shows who did something."""
    if not account_ids:
        return {}
    rows = session.exec(select(Account, Agency).join(Agency, Agency.id == Account.agency_id)
                        .where(Account.id.in_(account_ids))).all()
    return {account.id: f"{account.full_name} — {agency.name}" for account, agency in rows}
