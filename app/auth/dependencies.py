import asyncio
from typing import Annotated

from fastapi import Depends, Request

from app import unit_of_work
from app.auth import service
from app.auth.schemas import Principal
from app.errors import ApiError


def _unauthorized(message: str, message_vi: str) -> ApiError:
    return ApiError(401, message, message_vi, code="unauthorized", headers={"WWW-Authenticate": "Bearer"})


# Token checks in flight, by token hash. A client's requests all miss the cache at once when its entry expires;
# they wait for one database lookup instead of each making their own (and each holding a connection).
_lookups: dict[str, asyncio.Future] = {}


async def _authenticate(raw: str) -> Principal | None:
    principal = await unit_of_work.read(lambda session: service.authenticate(session=session, raw_token=raw))
    service.remember(raw, principal)
    return principal


async def current_principal(request: Request) -> Principal:
    scheme, _, raw = request.headers.get("authorization", "").partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw:
        raise _unauthorized("Missing bearer token", "Thiếu mã truy cập (Authorization: Bearer ...)")
    principal = service.cached_principal(raw)
    if principal is None:
        token_hash = service.hash_token(raw)
        lookup = _lookups.get(token_hash)
        if lookup is None:
            lookup = _lookups[token_hash] = asyncio.ensure_future(_authenticate(raw))
            lookup.add_done_callback(lambda _: _lookups.pop(token_hash, None))
        principal = await asyncio.shield(lookup)  # one waiter going away must not cancel the others' lookup
    if principal is None:
        raise _unauthorized("Invalid or revoked token", "Mã truy cập không hợp lệ hoặc đã bị thu hồi")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
