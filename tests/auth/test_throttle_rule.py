"""The sign-in throttle's rule alone (app/auth/throttle.py `next_allowed_at`): the waits double from the first, are
capped, and a client the account knows is held up by nothing but its own failures."""

from datetime import timedelta

from app.auth import throttle
from app.auth.throttle import Counts
from app.clock import utcnow

NOW = utcnow()
SECOND = timedelta(seconds=1)


def counts(pair=0, account=0, address_accounts=0, known=False) -> Counts:
    return Counts(pair, NOW if pair else None, account, NOW if account else None, address_accounts,
                  NOW if address_accounts else None, known)


def wait(c: Counts, first=2 * SECOND) -> timedelta:
    allowed = throttle.next_allowed_at(c, first)
    return timedelta(0) if allowed is None else allowed - NOW


def test_a_client_gets_its_free_tries_then_doubling_waits_up_to_the_cap():
    assert [wait(counts(pair=n)) for n in range(throttle.PAIR_FREE)] == [timedelta(0)] * throttle.PAIR_FREE
    waits = [wait(counts(pair=throttle.PAIR_FREE + k)) for k in range(12)]
    assert waits[:4] == [2 * SECOND, 4 * SECOND, 8 * SECOND, 16 * SECOND]
    assert waits[-1] == throttle.LONGEST_WAIT and all(a <= b for a, b in zip(waits, waits[1:], strict=False))
    assert wait(counts(pair=throttle.PAIR_FREE), first=60 * SECOND) == 60 * SECOND


def test_the_accounts_allowance_holds_up_only_clients_it_does_not_know():
    many = counts(account=throttle.ACCOUNT_FREE + 3)
    assert wait(many) == 16 * SECOND
    assert wait(counts(account=throttle.ACCOUNT_FREE + 3, known=True)) == timedelta(0)
    assert wait(counts(account=throttle.ACCOUNT_FREE - 1)) == timedelta(0)


def test_an_address_waits_in_minutes_only_past_many_accounts():
    assert wait(counts(address_accounts=throttle.ADDRESS_ACCOUNTS - 1)) == timedelta(0)
    assert wait(counts(address_accounts=throttle.ADDRESS_ACCOUNTS)) == throttle.ADDRESS_FIRST_WAIT
    assert wait(counts(address_accounts=throttle.ADDRESS_ACCOUNTS + 1)) == 2 * throttle.ADDRESS_FIRST_WAIT
    assert wait(counts(address_accounts=throttle.ADDRESS_ACCOUNTS + 5, known=True)) == timedelta(0)


def test_the_longest_of_the_waits_applies():
    both = Counts(throttle.PAIR_FREE, NOW, throttle.ACCOUNT_FREE + 4, NOW - 5 * SECOND, 0, None, False)
    assert wait(both) == 27 * SECOND  # the account's 32 s from its last failure, 5 s ago, beat the client's 2 s
