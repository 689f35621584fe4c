"""The de-duplication store's contract on the memory store (isao_webhooks/store.py), with the
time passed in, as the Node package's MemoryStore is tested: first, duplicate, in flight; a
lease that runs out; owner tokens; the bound; and claims from many threads at once."""

from __future__ import annotations

import threading
from typing import List

import pytest

from isao_webhooks import Claim, Duplicate, First, InFlight, MemoryStore
from isao_webhooks.store import StoreFull

LEASE = 1000
KEEP = 60_000


def token_of(claim: Claim) -> str:
    assert isinstance(claim, First), claim
    return claim.token


def test_first_then_in_flight_while_the_lease_holds_then_duplicate() -> None:
    store = MemoryStore()
    token = token_of(store.claim("evt_1", now=0, lease_ms=LEASE))
    assert store.claim("evt_1", now=999, lease_ms=LEASE) == InFlight(until=1000)
    assert store.claim("evt_2", now=10, lease_ms=LEASE).state == "first"
    assert store.complete("evt_1", token, now=500, keep_ms=KEEP) is True
    assert store.claim("evt_1", now=501, lease_ms=LEASE) == Duplicate()
    assert store.claim("evt_1", now=60_499, lease_ms=LEASE) == Duplicate()
    assert store.claim("evt_1", now=60_500, lease_ms=LEASE).state == "first"


def test_a_lease_that_ran_out_goes_to_the_next_claim_and_old_tokens_do_nothing() -> None:
    store = MemoryStore()
    crashed = token_of(store.claim("evt_1", now=0, lease_ms=LEASE))
    assert store.claim("evt_1", now=999, lease_ms=LEASE).state == "in-flight"
    retry = token_of(store.claim("evt_1", now=1000, lease_ms=LEASE))
    assert retry != crashed
    assert store.complete("evt_1", crashed, now=1001, keep_ms=KEEP) is False
    assert store.release("evt_1", crashed) is False
    assert store.claim("evt_1", now=1002, lease_ms=LEASE) == InFlight(until=2000)
    assert store.complete("evt_1", retry, now=1003, keep_ms=KEEP) is True
    assert store.claim("evt_1", now=1004, lease_ms=LEASE).state == "duplicate"


def test_release_forgets_and_a_release_or_completion_of_nothing_is_false() -> None:
    store = MemoryStore()
    token = token_of(store.claim("evt_1", now=0, lease_ms=LEASE))
    assert store.release("evt_1", token) is True
    assert store.release("evt_1", token) is False
    assert store.complete("evt_1", token, now=1, keep_ms=KEEP) is False
    assert store.size == 0
    again = token_of(store.claim("evt_1", now=2, lease_ms=LEASE))
    assert store.complete("evt_1", again, now=3, keep_ms=KEEP) is True
    assert store.release("evt_1", again) is False
    assert store.claim("evt_1", now=4, lease_ms=LEASE).state == "duplicate"


def test_bounded_expired_first_then_the_oldest_completed() -> None:
    store = MemoryStore(3)
    a = token_of(store.claim("a", now=0, lease_ms=LEASE))
    b = token_of(store.claim("b", now=0, lease_ms=LEASE))
    store.claim("c", now=0, lease_ms=10)
    store.complete("b", b, now=1, keep_ms=KEEP)
    store.complete("a", a, now=2, keep_ms=KEEP)
    assert store.claim("d", now=20, lease_ms=LEASE).state == "first"
    assert store.size == 3
    assert store.claim("b", now=21, lease_ms=LEASE).state == "duplicate"
    assert store.claim("e", now=22, lease_ms=LEASE).state == "first"
    assert store.claim("a", now=23, lease_ms=LEASE).state == "duplicate"
    assert store.claim("b", now=24, lease_ms=LEASE).state == "first"
    assert store.size == 3


def test_full_of_live_claims_it_refuses_but_answers_an_id_it_holds() -> None:
    store = MemoryStore(2)
    store.claim("a", now=0, lease_ms=LEASE)
    store.claim("b", now=0, lease_ms=LEASE)
    with pytest.raises(StoreFull, match="holds 2 events being handled now and no room for another"):
        store.claim("c", now=1, lease_ms=LEASE)
    assert store.claim("a", now=1, lease_ms=LEASE).state == "in-flight"


def test_every_expired_id_goes_but_no_live_completion() -> None:
    store = MemoryStore(3)
    for name, keep in (("a", 10), ("b", 20), ("c", KEEP)):
        store.complete(name, token_of(store.claim(name, now=0, lease_ms=LEASE)), now=0, keep_ms=keep)
    assert store.claim("d", now=20, lease_ms=LEASE).state == "first"
    assert store.size == 2
    assert store.claim("c", now=21, lease_ms=LEASE).state == "duplicate"


def test_an_id_claimed_again_takes_its_new_place_in_the_order() -> None:
    store = MemoryStore(3)
    store.claim("a", now=0, lease_ms=10)
    store.claim("b", now=5, lease_ms=10)
    assert store.claim("a", now=12, lease_ms=10).state == "first"
    store.claim("c", now=13, lease_ms=10)
    assert store.claim("d", now=16, lease_ms=10).state == "first"
    assert store.claim("a", now=17, lease_ms=10).state == "in-flight"
    one = MemoryStore(2)
    one.complete("x", token_of(one.claim("x", now=0, lease_ms=LEASE)), now=0, keep_ms=10)
    assert one.claim("x", now=10, lease_ms=LEASE).state == "first"
    assert one.size == 1


def test_needs_a_whole_number_of_entries() -> None:
    assert MemoryStore(1).max_entries == 1
    for bad in (0, -1, 1.5, float("nan"), True, "3"):
        with pytest.raises(ValueError, match="MemoryStore needs max_entries, a whole number from 1."):
            MemoryStore(bad)  # type: ignore[arg-type]


def test_one_first_claim_among_many_threads() -> None:
    store = MemoryStore()
    firsts: List[str] = []
    start = threading.Barrier(16)

    def worker() -> None:
        start.wait()
        for i in range(200):
            if isinstance(store.claim(f"evt_{i}", now=0, lease_ms=LEASE), First):
                firsts.append(f"evt_{i}")

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(firsts) == sorted(f"evt_{i}" for i in range(200))
