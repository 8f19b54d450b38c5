"""HTTP details shared by the routers and the app: If-Match versions, the request guard (authentication before the
body, body size limits), strict query parameters."""

import re
from urllib.parse import quote

import orjson
from fastapi import Request
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from app import errors, messages
from app.errors import ApiError, FieldProblem, InvalidInput, too_large
from app.observability import limits as request_limits
from app.responses import dumps
from app.types import digits


def if_match_version(resource: str, if_match: str | None) -> int | None:
    """The version an `If-Match` header names for `resource` (its ETag is `"<resource>-<version>"`): None when it
    names none or only `*`, which is no way round the check (the service then answers 428); -1 (never current) when
    it names another resource. Weak ETags never match for a write (RFC 9110, 13.1.1)."""
    if not if_match or if_match.strip() == "*":
        return None
    for tag in if_match.split(","):
        tag = tag.strip()
        if tag.startswith("W/"):
            continue
        name, _, version = tag.strip('"').rpartition("-")
        if name == resource and (number := digits(version, max_digits=18)) is not None:
            return number
    return -1

_WITH_BODY = {"POST", "PUT", "PATCH"}
_PROBES = ("/healthz", "/readyz", "/metrics")


class BodyTooLarge(StarletteHTTPException):
    """Raised while a body streams in past its limit. An HTTPException, because FastAPI turns any other error met
    while reading a body into a 400."""

    def __init__(self, limit: int):
        super().__init__(413)  # answered by app/errors.py with too_large(limit)
        self.limit = limit


async def _nothing_to_read() -> dict:
    """The body of a refused request is never read."""
    return {"type": "http.disconnect"}


async def refuse(send: Send, error: ApiError, scope: Scope | None = None, receive: Receive | None = None) -> None:
    """An answer made before any route (the request guard's refusals, a database away met in a middleware): JSON for
    the API; a person at the pages gets the site's own page (app/errors.py `is_page`)."""
    if scope is not None:
        # The body unread: a page refused for a moment may still give back the form it carried.
        request = Request(scope, receive) if receive is not None else Request(scope)
        if errors.is_page(request):
            response = await errors.page_error_renderer(request, error)
            await response(scope, _nothing_to_read, send)
            return
    body = dumps(error.body())
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in (error.headers or {}).items()]
    await send({"type": "http.response.start", "status": error.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestGuard:
    """Before a route reads anything: the API's bearer token is checked (401 without reading the body), a body over
    its limit is refused (413, from Content-Length or while it streams in). `limits` maps path prefixes (or compiled
    patterns matched from the path's start) to their own limit (uploads of notices, a report's evidence files);
    everything else has `default_limit`."""

    def __init__(self, app: ASGIApp, *, default_limit: int, limits: dict[str | re.Pattern, int], authenticate,
                 api_prefix: str,
                 per_token: int = 0, per_address: int = 0, bad_tokens_per_address: int = 0, known_token=None):
        self.app, self.default_limit, self.limits = app, default_limit, limits
        self.authenticate, self.api_prefix, self.known_token = authenticate, api_prefix, known_token
        self.by_token, self.by_address = request_limits.Buckets(per_token), request_limits.Buckets(per_address)
        # Refused tokens per address: a client looping on a wrong or revoked token costs a lookup each time; past
        # this it is answered 429 at once (a token this process knows to be valid is never held back by it).
        self.bad_tokens = request_limits.Buckets(bad_tokens_per_address)

    def _too_many_bad_tokens(self, scope: Scope, authorization: str | None) -> ApiError | None:
        client = scope.get("client")
        verdict = self.bad_tokens.check(client[0] if client else "")
        if verdict.allowed or (self.known_token is not None and self.known_token(authorization)):
            return None
        return ApiError.of(429, "rate_limited_bad_tokens", code="rate_limited", limit=verdict.limit,
                           seconds=verdict.retry_after, headers=request_limits.headers(verdict))

    def _over_limit(self, scope: Scope) -> ApiError | None:
        """The per-address limit for every request but the operator's probes, then the API token's."""
        if scope["path"].startswith(_PROBES):
            return None
        client = scope.get("client")
        checks = [("address", "địa chỉ", self.by_address, client[0] if client else "")]
        principal = scope.get("state", {}).get("principal")
        if principal is not None and principal.token_id is not None:
            checks.append(("token", "mã truy cập", self.by_token, principal.token_id))
        for who, who_vi, buckets, key in checks:
            verdict = buckets.take(key)
            if not verdict.allowed:
                return ApiError.of(429, "rate_limited", code="rate_limited", headers=request_limits.headers(verdict),
                                   who=who, who_vi=who_vi, limit=verdict.limit, seconds=verdict.retry_after)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        authorization = declared = None
        for name, value in scope["headers"]:  # ASGI header names are lower-case bytes
            if name == b"authorization":
                authorization = value.decode("latin-1")
            elif name == b"content-length":
                declared = value.decode("latin-1")
        path = scope["path"]
        if path.startswith(self.api_prefix):
            if (refusal := self._too_many_bad_tokens(scope, authorization)) is not None:
                await refuse(send, refusal)
                return
            try:
                scope.setdefault("state", {})["principal"] = await self.authenticate(authorization)
            except ApiError as error:
                if error.status_code == 401:
                    client = scope.get("client")
                    self.bad_tokens.take(client[0] if client else "")
                await refuse(send, error)
                return
        if (refusal := self._over_limit(scope)) is not None:
            if errors.is_page(Request(scope)):
                refusal.message_vi = messages.PAGE_HTTP_VI[429]
            await refuse(send, refusal, scope, receive)
            return
        if scope["method"] not in _WITH_BODY:
            await self.app(scope, receive, send)
            return
        limit = next((size for prefix, size in self.limits.items()
                      if (prefix.match(path) if isinstance(prefix, re.Pattern) else path.startswith(prefix))),
                     self.default_limit)
        if declared is not None and (length := digits(declared, max_digits=18)) is not None:
            if length > limit:
                await refuse(send, too_large(limit), scope)
                return
            # The server delivers no more than the declared length: nothing to count.
            await self.app(scope, receive, send)
            return
        received = 0
        started = False

        async def counted_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge:
            if not started:
                await refuse(send, too_large(limit), scope)


async def strict_query(request: Request) -> None:
    """Unknown query parameters, and a parameter given twice that takes one value, are refused (422) rather than
    silently ignored: a misspelt filter would otherwise return everything."""
    if not request.scope.get("query_string"):
        return
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = {param.alias: param for param in route.dependant.query_params}
    for dependant in route.dependant.dependencies:
        known |= {param.alias: param for param in dependant.query_params}
    problems = []
    for name in dict.fromkeys(request.query_params.keys()):
        if name not in known and not known:
            problems.append(FieldProblem.of(name, "unknown_parameter_none", type="unknown_parameter",
                                            location="query"))
        elif name not in known:
            problems.append(FieldProblem.of(name, "unknown_parameter", known=", ".join(known),
                                            type="unknown_parameter", location="query"))
        elif len(request.query_params.getlist(name)) > 1:
            problems.append(FieldProblem.of(name, "repeated_parameter", type="repeated_parameter", location="query"))
    if problems:
        raise InvalidInput(problems)


# ---------------------------------------------------------------- Location on every 201

def created(template: str) -> dict:
    """A route's `openapi_extra` saying where what it creates lives, under the API's prefix: `{name}` is filled from
    the path's parameters, then from the answer's fields (`/tasks/{id}`, `/tasks/{task_id}/files`). `CreatedLocation`
    sends it as `Location`, and the OpenAPI document declares it (app/openapi.py)."""
    return {LOCATION_KEY: template}


LOCATION_KEY = "x-location"


class CreatedLocation:
    """Adds `Location` to every 201 answer of a route declaring `created(...)`: the created resource's address,
    relative to the server (an idempotent replay gets the same one, from the same body)."""

    def __init__(self, app: ASGIApp, *, api_prefix: str):
        self.app, self.api_prefix = app, api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].startswith(self.api_prefix):
            await self.app(scope, receive, send)
            return
        held: dict | None = None
        chunks: list[bytes] = []

        async def located_send(message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                route = scope.get("route")
                template = (getattr(route, "openapi_extra", None) or {}).get(LOCATION_KEY)
                if message["status"] == 201 and template is not None:
                    held = {**message, "template": template}
                    return
            elif message["type"] == "http.response.body" and held is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = b"".join(chunks)
                start = {k: v for k, v in held.items() if k != "template"}
                location = self._location(held["template"], scope.get("path_params") or {}, body)
                start["headers"] = [*start.get("headers", []), (b"location", location.encode())]
                held = None
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, located_send)

    def _location(self, template: str, path_params: dict, body: bytes) -> str:
        try:
            fields = orjson.loads(body) if body else {}
        except orjson.JSONDecodeError:
            fields = {}
        values = {**(fields if isinstance(fields, dict) else {}), **path_params}
        return self.api_prefix + template.format_map({k: quote(str(v), safe="") for k, v in values.items()})


# ---------------------------------------------------------------- a download as application/octet-stream

OCTET_STREAM = b"application/octet-stream"


def _asks_for_octets(scope: Scope) -> bool:
    accept = next((v for k, v in scope["headers"] if k == b"accept"), b"")
    if b"octet-stream" not in accept.lower():  # every API read passes here: most never name it
        return False
    for part in accept.decode("latin-1").split(","):
        media, *params = (item.strip() for item in part.split(";"))
        if media.lower() == OCTET_STREAM.decode():
            return not any(p.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in params)
    return False


class OctetStreamOnRequest:
    """A download (a route whose 200 declares `application/octet-stream`: app/openapi.py `download`) is sent under
    that type when the request's `Accept` names it: the same bytes, for a client that reads every file as bytes."""

    def __init__(self, app: ASGIApp, *, api_prefix: str):
        self.app, self.api_prefix = app, api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(self.api_prefix) \
                or not _asks_for_octets(scope):
            await self.app(scope, receive, send)
            return

        async def retyped_send(message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                route = scope.get("route")
                declared = ((getattr(route, "responses", None) or {}).get(200) or {}).get("content") or {}
                if OCTET_STREAM.decode() in declared:
                    message = {**message, "headers": [(k, OCTET_STREAM if k == b"content-type" else v)
                                                      for k, v in message.get("headers", [])]}
            await send(message)

        await self.app(scope, receive, retyped_send)
