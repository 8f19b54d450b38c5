"""Checks other domains register with the delivery worker, so that delivery need not import them.

The deadline watch (app/alerts) registers `still_due` for its alert types: at every claim of an alert (first send,
retry, redeliver, replay) the worker asks whether the alert's window still holds, and drops it otherwise. The
registration is part of starting the worker (app/scheduler.py, and the tests' worker), not an import side effect."""

from collections.abc import Callable
from datetime import date

# (event_type, dedupe_key, task, endpoint, today, calendar) -> whether the message is still worth sending
RelevanceCheck = Callable[..., bool]
_checks: dict[str, RelevanceCheck] = {}


def register_relevance(event_types, check: RelevanceCheck) -> None:
    for event_type in event_types:
        _checks[str(event_type)] = check


def still_relevant(*, message, task, endpoint, today: date, calendar) -> bool:
    check = _checks.get(message.event_type)
    return check is None or check(event_type=message.event_type, dedupe_key=message.dedupe_key, task=task,
                                  endpoint=endpoint, today=today, calendar=calendar)


def task_bound_types() -> frozenset[str]:
    """Event types whose messages are judged against their task at each claim."""
    return frozenset(_checks)
