"""Request limits per API token and per client address, so that one client in a loop cannot starve the others: a
token bucket each, holding a minute's allowance (a burst of that size passes, then requests flow at the rate).
In memory, per serving process: with several replicas or workers each counts its own share (README, Operations)."""

import math
import time
from dataclasses import dataclass


@dataclass
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # whole seconds until one request is allowed again (0 when allowed)


class Buckets:
    """`per_minute` requests a minute for each key; 0 lets everything through."""

    # Buckets untouched for this long are full again and forgotten, so the table stays as small as the clients.
    _FORGET_AFTER = 120.0

    def __init__(self, per_minute: int, clock=time.monotonic):
        self.per_minute, self.clock = per_minute, clock
        self.rate = per_minute / 60.0
        self._buckets: dict[object, tuple[float, float]] = {}  # key -> (tokens, last refill)
        self._swept = clock()

    def take(self, key) -> Verdict:
        if self.per_minute <= 0:
            return Verdict(True, 0, 0, 0)
        now = self.clock()
        if now - self._swept > self._FORGET_AFTER:
            self._sweep(now)
        tokens, last = self._buckets.get(key, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            return Verdict(True, self.per_minute, int(tokens - 1.0), 0)
        self._buckets[key] = (tokens, now)
        return Verdict(False, self.per_minute, 0, max(1, math.ceil((1.0 - tokens) / self.rate)))

    def check(self, key) -> Verdict:
        """Whether `take` would allow a request now, taking nothing."""
        if self.per_minute <= 0:
            return Verdict(True, 0, 0, 0)
        now = self.clock()
        tokens, last = self._buckets.get(key, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            return Verdict(True, self.per_minute, int(tokens), 0)
        return Verdict(False, self.per_minute, 0, max(1, math.ceil((1.0 - tokens) / self.rate)))

    def _sweep(self, now: float) -> None:
        self._swept = now
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < self._FORGET_AFTER}


def headers(verdict: Verdict) -> dict[str, str]:
    """Retry-After (RFC 9110) and the RateLimit fields most clients read (draft-ietf-httpapi-ratelimit-headers)."""
    return {"Retry-After": str(verdict.retry_after), "RateLimit-Limit": str(verdict.limit),
            "RateLimit-Remaining": "0", "RateLimit-Reset": str(verdict.retry_after),
            "RateLimit-Policy": f"{verdict.limit};w=60"}
