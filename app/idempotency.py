"""Idempotency-Key: a client that retries gets the first answer back and nothing is written twice. Used only by
the unit of work (app/unit_of_work.py), which runs the claim, the write and the stored answer in one transaction."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, select

from app.access.principal import Principal
from app.clock import utcnow
from app.errors import FieldProblem, InvalidInput
from app.types import UTCDateTime


class IdempotencyRecord(SQLModel, table=True):
    """The first answer to a request sent with an Idempotency-Key (an API token's), or to a page's form sent again
    (a person's: the form carries its own key), replayed to every retry."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("token_id", "key"), UniqueConstraint("account_id", "key"))

    id: int | None = Field(default=None, primary_key=True)
    token_id: int | None = Field(default=None, foreign_key="api_tokens.id")
    account_id: int | None = Field(default=None, foreign_key="accounts.id")
    key: str = Field(max_length=200)
    request_fingerprint: str = Field(max_length=64)
    status_code: int
    response_body: str = Field(sa_type=Text)
    response_headers: dict[str, str] | None = Field(default=None, sa_column=Column(JSON),
                                                    description="e.g. the ETag, sent again with the body")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


@dataclass(frozen=True)
class Answer:
    """What a write answers over HTTP: status, JSON body (bytes) and headers; a retry gets the same back."""

    status_code: int
    content: bytes
    headers: dict[str, str]


def fingerprint(method: str, path: str, body: BaseModel) -> str:
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


def _owner(principal: Principal) -> dict[str, int | None]:
    """Whose keys: the API token's, or (on the pages, without a token) the person's."""
    if principal.token_id is not None:
        return {"token_id": principal.token_id, "account_id": None}
    return {"token_id": None, "account_id": principal.account_id}


def _stored(session: Session, owner: dict[str, int | None], key: str) -> IdempotencyRecord | None:
    column = IdempotencyRecord.token_id if owner["token_id"] is not None else IdempotencyRecord.account_id
    value = owner["token_id"] if owner["token_id"] is not None else owner["account_id"]
    return session.exec(select(IdempotencyRecord).where(column == value, IdempotencyRecord.key == key)).first()


def _replay(record: IdempotencyRecord, request_fingerprint: str | None) -> Answer:
    if record.request_fingerprint != request_fingerprint:
        raise InvalidInput([FieldProblem.of("Idempotency-Key", "idempotency_key_reused", type="idempotency_key_reused",
                                            location="header")])
    return Answer(record.status_code, record.response_body.encode(),
                  (record.response_headers or {}) | {"Idempotent-Replayed": "true"})


def claim(*, session: Session, principal: Principal, key: str | None,
          fingerprint: str | None) -> IdempotencyRecord | Answer | None:
    """None without a key; the stored answer when the key was used; otherwise the claimed (empty) record. A
    concurrent request with the same key waits on the unique index until the first one commits."""
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 200:
        raise InvalidInput([FieldProblem.of("Idempotency-Key", "idempotency_key_length", location="header")])
    owner = _owner(principal)
    if (stored := _stored(session, owner, key)) is not None:
        return _replay(stored, fingerprint)
    record = IdempotencyRecord(**owner, key=key, request_fingerprint=fingerprint, status_code=0, response_body="")
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError:
        session.rollback()
        if (stored := _stored(session, owner, key)) is None:
            raise
        return _replay(stored, fingerprint)
    return record


def remember(*, session: Session, record: IdempotencyRecord | None, status_code: int, content: bytes,
             headers: dict[str, str]) -> None:
    if record is None:
        return
    record.status_code = status_code
    record.response_body = content.decode()
    record.response_headers = headers or None
    session.add(record)
