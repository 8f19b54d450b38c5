"""What the deadline watch (app/alerts) tells the delivery worker, so that delivery need not import it. Registered
as part of starting the worker (app/alerts/jobs.py, and the tests' worker), not as an import side effect:

- `still_relevant`: at every claim of an alert (first send, retry, redeliver, replay), whether its window still
  holds; the message is dropped otherwise;
- `render`: the body of an alert raised in SQL without one, at its first claim;
- `follow_ups`: the messages a journal row brings besides its own event (`task.overdue_resolved` to the
  subscriptions told the task was overdue)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class AlertKinds:
    event_types: frozenset[str]
    # (event_type, dedupe_key, task, endpoint, today, calendar) -> whether the message is still worth sending
    still_relevant: Callable[..., bool]
    # (message, task, session, today, calendar) -> the message's body
    render: Callable[..., dict[str, Any]]
    # (session, row, endpoints, now, context) -> rows for the outbox
    follow_ups: Callable[..., list[dict[str, Any]]]


_registered: AlertKinds | None = None


def register(kinds: AlertKinds) -> None:
    """Registering again (a worker restarted in the same process, the tests) replaces the earlier registration."""
    global _registered
    _registered = kinds


def _kinds_of(event_type: str) -> AlertKinds | None:
    return _registered if _registered is not None and event_type in _registered.event_types else None


def still_relevant(*, message, task, endpoint, today: date, calendar) -> bool:
    kinds = _kinds_of(message.event_type)
    return kinds is None or kinds.still_relevant(event_type=message.event_type, dedupe_key=message.dedupe_key,
                                                 task=task, endpoint=endpoint, today=today, calendar=calendar)


def render(*, message, task, session, today: date, calendar) -> dict[str, Any]:
    kinds = _kinds_of(message.event_type)
    if kinds is None:
        raise LookupError(f"no renderer registered for {message.event_type}: start the worker through "
                          "app/alerts/jobs.py, which registers the deadline watch")
    return kinds.render(message=message, task=task, session=session, today=today, calendar=calendar)


def follow_ups(*, session, row, endpoints, now: datetime, context: dict) -> list[dict[str, Any]]:
    if _registered is None:
        return []
    return _registered.follow_ups(session=session, row=row, endpoints=endpoints, now=now, context=context)


def task_bound_types() -> frozenset[str]:
    """Event types whose messages are judged against their task at each claim."""
    return _registered.event_types if _registered is not None else frozenset()


# ---------------------------------------------------------------- the journal's other readers

# name -> (session, event_ids, now) -> None: told of every batch of journal rows the fan-out claims, in its
# transaction, before the rows leave the queue (people's notifications, app/notifications/watch.py). By name, so
# registering again replaces.
_journal_readers: dict[str, Callable[..., None]] = {}


def read_journal_with(name: str, reader: Callable[..., None]) -> None:
    _journal_readers[name] = reader


def journal_read(*, session, event_ids: list[int], now: datetime) -> None:
    for reader in list(_journal_readers.values()):
        reader(session=session, event_ids=event_ids, now=now)
