"""The stores under test, each on its own key prefix, table or file, and the contract's checks
(the same as test/sdk/stores/fixture.ts runs on the Node stores)."""

from __future__ import annotations

import time
from typing import Callable

from isao_webhooks._claims import Claim, DedupStore, Duplicate, First, InFlight

LEASED = ["sqlite", "redis", "redis-decoded", "postgres-connection", "postgres-pool"]
ALL = [*LEASED, "postgres-tx"]
#: Stores whose leases and keeps run on the caller's ``now`` (Redis counts on its own clock).
CALLER_CLOCK = ["sqlite", "postgres-connection", "postgres-pool"]


def token_of(claim: Claim) -> str:
    assert isinstance(claim, First), f"expected a first claim, got {claim}"
    return claim.token


def eventually(check: Callable[[], bool], what: str) -> None:
    """Polls ``check`` until it holds (every 20 ms, for at most 10 s): no timed assertion."""
    for _ in range(500):
        if check():
            return
        time.sleep(0.02)
    raise AssertionError(f"never happened: {what}")


def check_contract(store: DedupStore, at: int, unique: str) -> None:
    """The contract every store keeps, on ids unique to this call."""

    def id_(name: str) -> str:
        return f"{unique}-{name}"

    lease = {"now": at, "lease_ms": 60_000}
    keep = {"now": at, "keep_ms": 60_000}
    token = token_of(store.claim(id_("a"), **lease))
    second = store.claim(id_("a"), **lease)
    assert isinstance(second, InFlight)
    assert at + 50_000 < second.until <= at + 60_000
    # another id is its own
    other = token_of(store.claim(id_("b"), **lease))
    assert other != token
    # a stranger's token neither completes nor releases it
    assert store.complete(id_("a"), other, **keep) is False
    assert store.release(id_("a"), other) is False
    assert isinstance(store.claim(id_("a"), **lease), InFlight)
    # completed: a duplicate from then on, and no longer releasable
    assert store.complete(id_("a"), token, **keep) is True
    assert store.claim(id_("a"), **lease) == Duplicate()
    assert store.release(id_("a"), token) is False
    assert store.complete(id_("a"), token, **keep) is False
    # released: the next claim is first, with a new token
    assert store.release(id_("b"), other) is True
    assert store.release(id_("b"), other) is False
    again = token_of(store.claim(id_("b"), **lease))
    assert again != other
    assert store.complete(id_("b"), other, **keep) is False
    assert store.complete(id_("b"), again, **keep) is True
    assert store.claim(id_("b"), **lease) == Duplicate()
