"""The de-duplication store contract, as the Node package keeps it (sdk/src/store.ts).

ISAO retries a delivery it thinks failed (up to 3 times, the same ``metadata.eventId``), so a
receiver claims each event id before running its handlers:

- ``claim(event_id, now=, lease_ms=)`` answers :class:`First` with a new owner token (run it),
  :class:`Duplicate` (it was completed: do not run it again) or :class:`InFlight` (another
  worker holds an unexpired lease on it: answer 503, so ISAO retries later). A lease runs out:
  a claim whose worker died is claimed again by the next retry, so no event is lost to a crash
  between claim and completion.
- ``complete(event_id, token, now=, keep_ms=)`` marks it done, kept for ``keep_ms``;
  ``release(event_id, token)`` forgets the claim, so a retry runs it. Both act only for the
  token of the claim in force (a late worker cannot complete or release a newer claim): they
  answer False otherwise.

Time is passed in (``now``: epoch milliseconds); durations are whole milliseconds. The shared
stores (Redis, PostgreSQL) keep the layout written in ``conformance/stores.md``, so Python and
Node workers can share one store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, Union


@dataclass(frozen=True)
class First:
    """The event is this worker's to run; ``token`` owns the claim."""

    token: str
    state: Literal["first"] = "first"


@dataclass(frozen=True)
class Duplicate:
    """The event was completed already: do not run it again."""

    state: Literal["duplicate"] = "duplicate"


@dataclass(frozen=True)
class InFlight:
    """Another worker holds a lease on it until ``until`` (epoch ms): answer 503."""

    until: int
    state: Literal["in-flight"] = "in-flight"


Claim = Union[First, Duplicate, InFlight]


class DedupStore(Protocol):
    """What every store keeps (memory, SQLite, Redis, PostgreSQL)."""

    def claim(self, event_id: str, *, now: int, lease_ms: int) -> Claim: ...

    def complete(self, event_id: str, token: str, *, now: int, keep_ms: int) -> bool: ...

    def release(self, event_id: str, token: str) -> bool: ...
