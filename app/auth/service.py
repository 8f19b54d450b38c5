import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from app.agencies import service as agency_service
from app.agencies.models import Agency
from app.auth.models import ApiToken, Role
from app.auth.schemas import Principal
from app.types import utcnow

TOKEN_PREFIX = "rv_"


def hash_token(raw_token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough; a slow KDF would only cost every request.
    return hashlib.sha256(raw_token.encode()).hexdigest()


def create_token(*, session: Session, agency_code: str, role: Role, name: str | None = None,
                 now: datetime | None = None) -> tuple[ApiToken, str]:
    agency = agency_service.get_by_code(session=session, code=agency_code)
    if agency is None:
        raise LookupError(f"no agency with code {agency_code}")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(token_hash=hash_token(raw), prefix=raw[:10], name=name or f"{agency.short_name} {role}",
                     agency_id=agency.id, role=role, created_at=now or utcnow())
    session.add(token)
    session.flush()
    return token, raw


def revoke_token(*, session: Session, token_id: int, now: datetime | None = None) -> ApiToken | None:
    token = session.get(ApiToken, token_id)
    if token is not None and token.revoked_at is None:
        token.revoked_at = now or utcnow()
        session.add(token)
    return token


def list_tokens(*, session: Session) -> list[tuple[ApiToken, Agency]]:
    statement = select(ApiToken, Agency).join(Agency, Agency.id == ApiToken.agency_id).order_by(ApiToken.id)
    return list(session.exec(statement))


def authenticate(*, session: Session, raw_token: str) -> Principal | None:
    row = session.execute(
        sa_select(ApiToken.id, ApiToken.agency_id, ApiToken.role).where(
            ApiToken.token_hash == hash_token(raw_token), ApiToken.revoked_at.is_(None)
        )
    ).first()
    if row is None:
        return None
    return Principal(token_id=row.id, agency_id=row.agency_id, role=Role(row.role))
