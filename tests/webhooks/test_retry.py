"""The retry schedule (pure)."""

import random
from datetime import UTC, datetime, timedelta

from app.webhooks.delivery import JITTER, RETRY_DELAYS, _parse_retry_after, retry_delay


def test_seven_retries_with_jitter_then_dead():
    rng = random.Random(7)
    for failed, base in enumerate(RETRY_DELAYS, 1):
        delay = retry_delay(failed, None, rng)
        assert base * (1 - JITTER) <= delay <= base * (1 + JITTER)
    assert retry_delay(len(RETRY_DELAYS) + 1, None, rng) is None
    assert [d.total_seconds() for d in RETRY_DELAYS] == [5, 300, 1800, 7200, 18000, 36000, 36000]


def test_retry_after_is_honoured_when_longer_and_capped_at_a_day():
    rng = random.Random(1)
    assert retry_delay(1, timedelta(minutes=10), rng) == timedelta(minutes=10)
    assert retry_delay(1, timedelta(days=30), rng) == timedelta(days=1)
    now = datetime(2026, 12, 1, 8, tzinfo=UTC)
    assert _parse_retry_after("120", now) == timedelta(seconds=120)
    assert _parse_retry_after("Tue, 01 Dec 2026 08:05:00 GMT", now) == timedelta(minutes=5)
    assert _parse_retry_after("99999999999999999999", now) == timedelta(days=1)
    assert _parse_retry_after("soon", now) is None
