"""Idempotency-Key: a client that retries gets the first answer back and nothing is written twice."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.auth.schemas import Principal
from app.errors import FieldProblem, InvalidInput
from app.responses import dumps
from app.tasks.models import IdempotencyRecord

Action = Callable[[], tuple[int, Any, dict[str, str]]]


def fingerprint(method: str, path: str, body: BaseModel) -> str:
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


def _stored(session: Session, token_id: int, key: str) -> IdempotencyRecord | None:
    return session.exec(select(IdempotencyRecord).where(IdempotencyRecord.token_id == token_id,
                                                        IdempotencyRecord.key == key)).first()


def _replay(record: IdempotencyRecord, request_fingerprint: str) -> Response:
    if record.request_fingerprint != request_fingerprint:
        raise InvalidInput([FieldProblem(
            "Idempotency-Key", "this key was already used with a different request",
            "khóa Idempotency-Key này đã được dùng cho một yêu cầu khác", type="idempotency_key_reused")])
    return Response(record.response_body, status_code=record.status_code, media_type="application/json",
                    headers=(record.response_headers or {}) | {"Idempotent-Replayed": "true"})


def run(*, session: Session, principal: Principal, key: str | None, request_fingerprint: str | None,
        action: Action) -> Response:
    """Runs `action` (which writes and returns status, body, headers) and commits, at most once per key
    (`request_fingerprint` is given with the key).

    The key is claimed first, in the same transaction: a concurrent request with the same key waits on the unique
    index until the first one commits, then replays its answer (or runs, if the first one failed and rolled back)."""
    record = None
    if key is not None:
        key = key.strip()
        if not key or len(key) > 200:
            raise InvalidInput([FieldProblem("Idempotency-Key", "must be 1 to 200 characters",
                                             "phải dài từ 1 đến 200 ký tự")])
        if (stored := _stored(session, principal.token_id, key)) is not None:
            return _replay(stored, request_fingerprint)
        record = IdempotencyRecord(token_id=principal.token_id, key=key, request_fingerprint=request_fingerprint,
                                   status_code=0, response_body="")
        try:
            with session.begin_nested():
                session.add(record)
                session.flush()
        except IntegrityError:
            session.rollback()
            if (stored := _stored(session, principal.token_id, key)) is None:
                raise
            return _replay(stored, request_fingerprint)
    status_code, body, headers = action()
    content = dumps(body)
    if record is not None:
        record.status_code = status_code
        record.response_body = content.decode()
        record.response_headers = headers or None
        session.add(record)
    session.commit()
    return Response(content, status_code=status_code, headers=headers, media_type="application/json")
