"""Who is calling. The API authenticates in app/http.py's guard, before any body is read; the dependency below hands
the result to the routes (and shows the bearer scheme in the OpenAPI, so /docs's Authorize button works)."""

import asyncio
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPBearer

from app import unit_of_work
from app.access.principal import Principal
from app.auth import service
from app.errors import ApiError

bearer = HTTPBearer(auto_error=False, description="an API token issued per agency and role (`roviec token create`)")


def unauthorized(key: str) -> ApiError:
    return ApiError.of(401, key, code="unauthorized", headers={"WWW-Authenticate": "Bearer"})


# Token checks in flight, by token hash. A client's requests all miss the cache at once when its entry expires;
# they wait for one database lookup instead of each making their own (and each holding a connection).
_lookups: dict[str, asyncio.Future] = {}


async def _authenticate(raw: str) -> Principal | None:
    found = await unit_of_work.read(lambda session: service.authenticate(session=session, raw_token=raw))
    if found is not None and service.needs_use_recorded(found):
        await unit_of_work.write(lambda session: service.record_use(session=session,
                                                                    token_id=found.principal.token_id))
    principal = found.principal if found is not None else None
    service.remember(raw, principal)
    return principal


def known_valid(authorization: str | None) -> bool:
    """Whether this process checked the header's token lately and found it valid (no lookup)."""
    scheme, _, raw = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and bool(raw.strip()) and service.cached_principal(raw.strip()) is not None


async def principal_from_header(authorization: str | None) -> Principal:
    scheme, _, raw = (authorization or "").partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw:
        raise unauthorized("token_missing")
    principal = service.cached_principal(raw)
    if principal is None:
        token_hash = service.hash_token(raw)
        lookup = _lookups.get(token_hash)
        if lookup is None:
            lookup = _lookups[token_hash] = asyncio.ensure_future(_authenticate(raw))
            lookup.add_done_callback(lambda _: _lookups.pop(token_hash, None))
        principal = await asyncio.shield(lookup)  # one waiter going away must not cancel the others' lookup
    if principal is None:
        raise unauthorized("token_invalid")
    return principal


async def current_principal(request: Request, _credentials=Depends(bearer)) -> Principal:
    known = request.scope.get("state", {}).get("principal")
    if known is not None:  # authenticated by the guard before the body was read
        return known
    return await principal_from_header(request.headers.get("authorization"))


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
