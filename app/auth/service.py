import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from app.access import policy
from app.access.principal import Principal, Role
from app.agencies import service as agency_service
from app.agencies.models import Agency
from app.auth.models import Account, ApiToken
from app.cache import TtlCache
from app.clock import utcnow
from app.config import get_settings

TOKEN_PREFIX = "rv_"


def hash_token(raw_token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough; a slow KDF would only cost every request.
    return hashlib.sha256(raw_token.encode()).hexdigest()


def create_token(*, session: Session, agency_code: str, role: Role, name: str | None = None,
                 now: datetime | None = None, made_by: int | None = None) -> tuple[ApiToken, str]:
    """`made_by`: the account of the person who asked for it (None: the operator's command line)."""
    agency = agency_service.get_by_code(session=session, code=agency_code)
    if agency is None:
        raise LookupError(f"no agency with code {agency_code}")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(token_hash=hash_token(raw), prefix=raw[:10], name=name or f"{agency.short_name} {role}",
                     agency_id=agency.id, role=role, created_at=now or utcnow(), created_by_account_id=made_by)
    session.add(token)
    session.flush()
    return token, raw


def revoke_token(*, session: Session, token_id: int, now: datetime | None = None) -> ApiToken | None:
    token = session.get(ApiToken, token_id)
    if token is not None and token.revoked_at is None:
        token.revoked_at = now or utcnow()
        session.add(token)
    return token


@dataclass(frozen=True)
class TokenRow:
    token: ApiToken
    agency: Agency
    maker: Account | None  # None: made on the operator's command line


def tokens_listed(*, session: Session, principal: Principal) -> list[TokenRow]:
    """The tokens a person oversees, with who made each: the secretariat (and the operator, `principal` None) every
    agency's, an agency its own; those in use first."""
    statement = (select(ApiToken, Agency, Account).join(Agency, Agency.id == ApiToken.agency_id)
                 .outerjoin(Account, Account.id == ApiToken.created_by_account_id))
    if not policy.allows(principal, policy.Action.manage_accounts):
        policy.require(principal, policy.Action.manage_own_tokens, relation=policy.Relation.own)
        statement = statement.where(ApiToken.agency_id == principal.agency_id)
    return [TokenRow(*row) for row in session.exec(statement.order_by(ApiToken.revoked_at.is_not(None),
                                                                      Agency.name, ApiToken.id.desc()))]


def revoke_tokens_made_by(*, session: Session, account_id: int, now: datetime | None = None) -> int:
    """A person leaving takes the tokens they made with them."""
    result = session.execute(update(ApiToken).where(ApiToken.created_by_account_id == account_id,
                                                    ApiToken.revoked_at.is_(None)).values(revoked_at=now or utcnow()))
    forget_all()
    return result.rowcount or 0


# last_used_at is written at most this often per token: a busy client costs one write every few minutes, not one a
# request.
USE_RECORDED_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class Authenticated:
    principal: Principal
    last_used_at: datetime | None


def authenticate(*, session: Session, raw_token: str) -> Authenticated | None:
    row = session.execute(
        sa_select(ApiToken.id, ApiToken.agency_id, ApiToken.role, ApiToken.last_used_at).where(
            ApiToken.token_hash == hash_token(raw_token), ApiToken.revoked_at.is_(None)
        )
    ).first()
    if row is None:
        return None
    return Authenticated(Principal(token_id=row.id, agency_id=row.agency_id, role=Role(row.role)), row.last_used_at)


def needs_use_recorded(found: Authenticated, now: datetime | None = None) -> bool:
    return found.last_used_at is None or found.last_used_at < (now or utcnow()) - USE_RECORDED_EVERY


def record_use(*, session: Session, token_id: int, now: datetime | None = None) -> None:
    now = now or utcnow()
    session.execute(update(ApiToken).where(ApiToken.id == token_id, or_(
        ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - USE_RECORDED_EVERY)).values(last_used_at=now))


# token hash -> principal. Saves a query per request; a revocation made by another process takes effect within
# ROVIEC_AUTH_CACHE_SECONDS.
_principals: TtlCache[str, Principal] = TtlCache(lambda: get_settings().auth_cache_seconds)


def cached_principal(raw_token: str) -> Principal | None:
    return _principals.get(hash_token(raw_token))


def remember(raw_token: str, principal: Principal | None) -> None:
    if principal is None:
        _principals.forget(hash_token(raw_token))
    else:
        _principals.put(hash_token(raw_token), principal)


def describe(*, session: Session, principal: Principal) -> dict:
    token = session.get(ApiToken, principal.token_id) if principal.token_id else None
    account = session.get(Account, principal.account_id) if principal.account_id else None
    return {"agency": agency_service.refs(session=session, agency_ids={principal.agency_id})[principal.agency_id],
            "role": principal.role, "permissions": policy.permissions(principal),
            "token": {"id": token.id, "name": token.name, "prefix": token.prefix} if token else None,
            "account": {"id": account.id, "username": account.username, "full_name": account.full_name,
                        "job_title": account.job_title} if account else None}


def own_tokens(*, session: Session, principal: Principal) -> list[ApiToken]:
    """The API tokens of the caller's agency (for its own software), newest first."""
    policy.require(principal, policy.Action.manage_own_tokens, relation=policy.Relation.own)
    return list(session.exec(select(ApiToken).where(ApiToken.agency_id == principal.agency_id)
                             .order_by(ApiToken.id.desc())))


def create_own_token(*, session: Session, principal: Principal, name: str) -> tuple[ApiToken, str]:
    """A token for the agency's own software, with the role of the person who makes it; shown once."""
    from app.errors import FieldProblem, InvalidInput

    policy.require(principal, policy.Action.manage_own_tokens, relation=policy.Relation.own)
    if not name.strip():
        raise InvalidInput([FieldProblem.of("name", "token_name_required")])
    agency = agency_service.get(session=session, agency_id=principal.agency_id)
    return create_token(session=session, agency_code=agency.code, role=principal.role, name=name.strip()[:200],
                        made_by=principal.account_id)


def revoke_own_token(*, session: Session, principal: Principal, token_id: int) -> ApiToken:
    from app.errors import not_found

    token = session.get(ApiToken, token_id)
    if token is None:
        raise not_found("token")
    policy.require(principal, policy.Action.manage_own_tokens,
                   relation=policy.relation_to_owner(principal, token.agency_id))
    revoke_token(session=session, token_id=token_id)
    forget_all()
    return token


def forget_all() -> None:
    """A revocation made here takes effect at once in this process."""
    _principals.forget()
