"""The one per-process cache (app/cache.py)."""

import time

from app.cache import TtlCache, forget_everything


def test_a_value_lives_its_time_then_is_asked_for_again():
    cache: TtlCache[str, int] = TtlCache(0.05)
    assert cache.get("a") is None
    assert cache.put("a", 1) == 1
    assert cache.get("a") == 1
    time.sleep(0.08)
    assert cache.get("a") is None


def test_a_value_of_another_generation_is_a_miss():
    cache: TtlCache[str, int] = TtlCache(60)
    cache.put("total", 5, generation=3)
    assert cache.get("total", generation=3) == 5
    assert cache.get("total", generation=4) is None
    assert cache.get("total") is None


def test_a_time_to_live_of_zero_keeps_nothing_and_drops_what_was_kept():
    ttl = [60.0]
    cache: TtlCache[str, int] = TtlCache(lambda: ttl[0])
    cache.put("a", 1)
    ttl[0] = 0
    cache.put("a", 2)
    assert cache.get("a") is None


def test_many_at_once_forgetting_and_a_bound():
    cache: TtlCache[int, str] = TtlCache(60, max_entries=3)
    for key in (1, 2, 3):
        cache.put(key, str(key))
    assert cache.get_many({1, 2, 9}) == ({1: "1", 2: "2"}, {9})
    cache.put(4, "4")  # full: emptied first, never grows past the bound
    assert cache.get_many({1, 2, 3, 4}) == ({4: "4"}, {1, 2, 3})
    cache.put(5, "5")
    cache.forget(4)
    cache.forget_where(lambda value: value == "5")
    assert cache.get_many({4, 5}) == ({}, {4, 5})
    cache.put(6, "6")
    cache.forget()
    assert cache.get(6) is None


def test_every_cache_of_the_process_can_be_emptied_at_once():
    first: TtlCache[str, int] = TtlCache(60)
    second: TtlCache[str, int] = TtlCache(60)
    first.put("a", 1)
    second.put("b", 2)
    forget_everything()
    assert first.get("a") is None and second.get("b") is None
