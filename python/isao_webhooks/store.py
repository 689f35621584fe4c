"""The default de-duplication store: in this process's memory, bounded (the Node package's
MemoryStore, sdk/src/store.ts, with the contract of _claims.py).

Its guarantee: within one process and while the id is held, an event id completed once is never
run again, and one being run is run by no other request. Not shared between processes, and lost
on a restart (a retry then runs again: a duplicate is better than a lost event). When it holds
``max_entries`` ids, a new claim first drops the expired ones, then the oldest completed one; when
every id held is a live claim, the claim fails (the receiver answers 503). Safe across threads.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Callable, Tuple, TypeVar

from . import _core_generated as core
from ._claims import Claim, DedupStore, Duplicate, First, InFlight

__all__ = ["MEMORY_STORE_ENTRIES", "Claim", "DedupStore", "Duplicate", "First", "InFlight", "MemoryStore"]

#: How many event ids the memory store holds by default.
MEMORY_STORE_ENTRIES = core.MEMORY_STORE_ENTRIES


class StoreFull(RuntimeError):
    """Every id the memory store holds is being handled now: answer later."""


_V = TypeVar("_V")


def _drop_expired(entries: "OrderedDict[str, _V]", now: int, until: Callable[[_V], int]) -> None:
    """Drops the oldest entries while they expired by ``now`` (with one lease and one keep, the
    expired ones are the oldest: found at the head, whatever the size)."""
    while entries:
        event_id, entry = next(iter(entries.items()))
        if until(entry) > now:
            return
        del entries[event_id]


class MemoryStore:
    """A DedupStore in this process's memory, holding at most ``max_entries`` event ids."""

    def __init__(self, max_entries: int = MEMORY_STORE_ENTRIES) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ValueError("isao_webhooks: MemoryStore needs max_entries, a whole number from 1.")
        self.max_entries = max_entries
        # live claims (id → (token, until)) and completed ids (id → until), in the order made
        self._claims: "OrderedDict[str, Tuple[str, int]]" = OrderedDict()
        self._done: "OrderedDict[str, int]" = OrderedDict()
        self._tokens = itertools.count(1)
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        """How many event ids are held."""
        return len(self._claims) + len(self._done)

    def claim(self, event_id: str, *, now: int, lease_ms: int) -> Claim:
        with self._lock:
            completed = self._done.get(event_id)
            if completed is not None and completed > now:
                return Duplicate()
            held = self._claims.get(event_id)
            if held is not None and held[1] > now:
                return InFlight(until=held[1])
            # absent, or expired: a lease whose worker is gone, or a completion past its keep
            self._done.pop(event_id, None)
            self._claims.pop(event_id, None)
            self._make_room(now)
            token = f"claim-{next(self._tokens)}"
            self._claims[event_id] = (token, now + lease_ms)
            return First(token=token)

    def complete(self, event_id: str, token: str, *, now: int, keep_ms: int) -> bool:
        with self._lock:
            held = self._claims.get(event_id)
            if held is None or held[0] != token:
                return False
            del self._claims[event_id]
            self._done[event_id] = now + keep_ms
            return True

    def release(self, event_id: str, token: str) -> bool:
        with self._lock:
            held = self._claims.get(event_id)
            if held is None or held[0] != token:
                return False
            del self._claims[event_id]
            return True

    def _make_room(self, now: int) -> None:
        """Room for one more id: the expired ones go, then the oldest completed one."""
        if self.size < self.max_entries:
            return
        _drop_expired(self._done, now, lambda until: until)
        _drop_expired(self._claims, now, lambda held: held[1])
        if self.size < self.max_entries:
            return
        if self._done:
            self._done.popitem(last=False)
            return
        raise StoreFull(
            f"The memory store holds {self.max_entries} events being handled now and no room "
            "for another: answer later."
        )


if TYPE_CHECKING:
    _KEEPS_THE_CONTRACT: DedupStore = MemoryStore()
