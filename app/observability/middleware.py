"""Around every request, outside the request guard: its id (taken from `X-Request-ID` or made, returned in the
answer), the journal rows its writes made (`X-Journal-Id`), one log line, the request metrics, and a database that
went away answered 503 with Retry-After wherever it is met (the guard's token lookup included)."""

import logging
import time

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import errors, http
from app.observability import context, metrics

log = logging.getLogger("roviec.request")
_REFUSALS = {401: "unauthenticated", 403: "forbidden", 429: "rate_limited"}
PROBES = frozenset({"/healthz", "/readyz", "/metrics"})


def _route_of(scope: Scope, api_prefix: str) -> str:
    """The route's template (`/api/v1/tasks/{task_id}`), never the raw path: a label per task would make the metrics
    grow with the data. FastAPI keeps an included router's routes under their own paths, without the prefix."""
    path = getattr(scope.get("route"), "path", None)
    if path is None:
        return "unmatched"
    if scope["path"].startswith(api_prefix) and not path.startswith(api_prefix):
        return api_prefix + path
    return path


def _principal_of(scope: Scope) -> str | None:
    principal = scope.get("state", {}).get("principal")
    if principal is None:
        return None
    if principal.account_id is not None:
        return f"account:{principal.account_id}"
    return f"token:{principal.token_id}" if principal.token_id is not None else "operator"


class RequestContext:
    def __init__(self, app: ASGIApp, api_prefix: str):
        self.app, self.api_prefix = app, api_prefix
        self._children: dict[tuple, tuple] = {}  # metric children by (route, method, status): .labels() once each

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        offered = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), None)
        request_id = context.accept_request_id(offered)
        tokens = context.begin(request_id)
        status = 500
        answered = False

        async def send_with_ids(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                status, answered = message["status"], True
                extra = [(b"x-request-id", request_id.encode())]
                present = {name.lower() for name, _ in message.get("headers", [])}
                if status < 400 and b"x-journal-id" not in present and b"x-journal-count" not in present:
                    extra += [(name.lower().encode(), value.encode())
                              for name, value in context.journal_headers().items()]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            await self.app(scope, receive, send_with_ids)
        except errors.DATABASE_UNAVAILABLE as exc:
            if answered or not errors.is_database_unavailable(exc):
                raise
            # Its log line is the request's own, status 503.
            page = errors.is_page(Request(scope))
            await http.refuse(send_with_ids, errors.database_unavailable_page() if page
                              else errors.database_unavailable(), scope)
        finally:
            self._observe(scope, status, time.perf_counter() - started)
            context.end(tokens)

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        route, method = _route_of(scope, self.api_prefix), scope["method"]
        key = (route, method, status)
        children = self._children.get(key)
        if children is None:
            children = self._children[key] = (metrics.HTTP_REQUESTS.labels(route, method, str(status)),
                                              metrics.HTTP_DURATION.labels(route, method))
        children[0].inc()
        children[1].observe(seconds)
        if (reason := _REFUSALS.get(status)) is not None:
            metrics.REFUSED.labels(reason).inc()
        # The probes (a load balancer every few seconds, Prometheus every 15) only at DEBUG: they would bury the rest.
        level = logging.DEBUG if scope["path"] in PROBES else logging.INFO
        if log.isEnabledFor(level):
            client = scope.get("client")
            log.log(level, "%s %s %d", method, scope["path"], status, extra={"fields": {
                "method": method, "path": scope["path"], "route": route, "status": status,
                "duration_ms": round(seconds * 1000, 2), "principal": _principal_of(scope),
                "client": client[0] if client else None}})
