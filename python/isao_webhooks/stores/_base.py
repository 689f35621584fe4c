"""What the stores share: their errors, owner tokens and whole-millisecond durations."""

from __future__ import annotations

import math
import uuid

from .._errors import RetryableError


class StoreUnavailable(Exception):
    """The store could not answer (its server is down, a refused connection, a reply it does not
    understand): the receiver answers 503 with problem ``store`` and runs no handler, so ISAO's
    retry runs the event once the store is back. The client's own error is ``__cause__``."""


class NotKept(StoreUnavailable, RetryableError):
    """A transactional completion failed (the complete statement or COMMIT): nothing of the
    event was kept, its writes included. The receiver answers 503 so ISAO retries it."""


def new_token() -> str:
    """A claim's owner token: a random UUID (version 4), unguessable and unique everywhere."""
    return str(uuid.uuid4())


def whole(ms: float) -> int:
    """A duration as whole milliseconds, at least 1 (as the Node stores write it)."""
    return max(1, math.ceil(ms))


def unavailable(store: str, doing: str, error: BaseException) -> StoreUnavailable:
    """The error a store raises when its client failed."""
    return StoreUnavailable(f"isao_webhooks: the {store} store could not {doing}: {error}")
