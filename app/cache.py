"""The one per-process cache of the service: values kept a few seconds so a page or a request does not ask the
database again for what rarely changes (an agency's name, a signed-in browser, the calendar, a list's total, the
dashboard's grid). What this process changes it forgets at once (`forget`); what another replica changes shows
within the time to live. Bounded: when full it is emptied, which costs one query per key, never memory."""

import time
import weakref
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
_every: "weakref.WeakSet[TtlCache]" = weakref.WeakSet()


def forget_everything() -> None:
    """Every cache of this process emptied: another database under the same process (the tests), or a restore."""
    for cache in list(_every):
        cache.forget()


class TtlCache(Generic[K, V]):
    """`ttl`: seconds, or a callable read at each `put` (a setting; 0 or less keeps nothing). `generation`: a
    number that goes up with every write this process commits (app/tasks/listing.py: generation); a value stored
    under another generation than the one asked for is a miss, so a figure computed across a write is never
    served."""

    def __init__(self, ttl: float | Callable[[], float], *, max_entries: int = 10_000):
        self._ttl = ttl if callable(ttl) else (lambda: ttl)
        self._max_entries = max_entries
        self._entries: dict[K, tuple[V, float, int | None]] = {}
        _every.add(self)

    def get(self, key: K, *, generation: int | None = None) -> V | None:
        hit = self._entries.get(key)
        if hit is None or hit[1] < time.monotonic() or hit[2] != generation:
            return None
        return hit[0]

    def get_many(self, keys: Iterable[K]) -> tuple[dict[K, V], set[K]]:
        """(the values found, the keys missing)."""
        found: dict[K, V] = {}
        missing: set[K] = set()
        now = time.monotonic()
        for key in keys:
            hit = self._entries.get(key)
            if hit is None or hit[1] < now:
                missing.add(key)
            else:
                found[key] = hit[0]
        return found, missing

    def put(self, key: K, value: V, *, generation: int | None = None) -> V:
        ttl = self._ttl()
        if ttl > 0:
            if len(self._entries) >= self._max_entries:
                self._entries.clear()
            self._entries[key] = (value, time.monotonic() + ttl, generation)
        else:
            self._entries.pop(key, None)
        return value

    def forget(self, key: K | None = None) -> None:
        """One key, or everything."""
        if key is None:
            self._entries.clear()
        else:
            self._entries.pop(key, None)

    def forget_where(self, matches: Callable[[V], bool]) -> None:
        for key in [key for key, (value, _, _) in self._entries.items() if matches(value)]:
            self._entries.pop(key, None)
