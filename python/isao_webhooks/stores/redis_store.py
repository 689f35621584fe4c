"""The Redis store: event ids claimed across processes and machines in one Redis, in the layout
the Node package keeps (conformance/stores.md), so Python and Node workers share it. The client is
passed in: a redis-py ``redis.Redis`` (or anything with its ``eval``), with or without
``decode_responses``. Leases and keeps are Redis expiries, counted on the Redis server's clock.
"""

from __future__ import annotations

from typing import Any, Protocol, Sequence

from .._claims import Claim, Duplicate, First, InFlight
from ._base import StoreUnavailable, new_token, unavailable, whole
from ._layout import REDIS_CLAIM, REDIS_CLAIMED, REDIS_COMPLETE, REDIS_PREFIX, REDIS_RELEASE


class RedisClient(Protocol):
    """What the store uses of redis-py's client: ``EVAL <script> <numkeys> <keys…> <args…>``."""

    def eval(self, script: str, numkeys: int, *keys_and_args: Any) -> Any: ...


def _text(value: object) -> object:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _unexpected(script: str, reply: object) -> StoreUnavailable:
    return StoreUnavailable(
        f"isao_webhooks: the Redis {script} script answered {reply!r}, not what the store expects."
    )


class RedisStore:
    """Claims in one Redis: ``RedisStore(redis.Redis.from_url(url), prefix=...)``."""

    def __init__(self, client: RedisClient, *, prefix: str = REDIS_PREFIX) -> None:
        if not callable(getattr(client, "eval", None)):
            raise TypeError(
                "isao_webhooks: RedisStore needs a redis-py client (redis.Redis), "
                f"not {type(client).__name__}."
            )
        if not isinstance(prefix, str):
            raise TypeError(f"isao_webhooks: RedisStore's prefix must be text, not {prefix!r}.")
        self.client = client
        self.prefix = prefix

    def _eval(self, name: str, script: str, event_id: str, *args: str) -> object:
        try:
            return self.client.eval(script, 1, self.prefix + event_id, *args)
        except Exception as error:  # whatever the client raises: the store is not answering
            raise unavailable("Redis", f"run its {name} script", error) from error

    def claim(self, event_id: str, *, now: int, lease_ms: int) -> Claim:
        token = new_token()
        reply = self._eval(
            "claim", REDIS_CLAIM, event_id, REDIS_CLAIMED + token, str(whole(lease_ms))
        )
        if isinstance(reply, (list, tuple)) and reply:
            items: Sequence[object] = reply
            state = _text(items[0])
            if state == "first" and len(items) == 1:
                return First(token)
            if state == "duplicate" and len(items) == 1:
                return Duplicate()
            left = items[1] if len(items) == 2 else None
            if state == "in-flight" and isinstance(left, int) and not isinstance(left, bool):
                return InFlight(now + max(0, left))
        raise _unexpected("claim", reply)

    def complete(self, event_id: str, token: str, *, now: int, keep_ms: int) -> bool:
        reply = self._eval(
            "complete", REDIS_COMPLETE, event_id, REDIS_CLAIMED + token, str(whole(keep_ms))
        )
        return self._answered("complete", reply)

    def release(self, event_id: str, token: str) -> bool:
        reply = self._eval("release", REDIS_RELEASE, event_id, REDIS_CLAIMED + token)
        return self._answered("release", reply)

    @staticmethod
    def _answered(script: str, reply: object) -> bool:
        if reply in (0, 1) and not isinstance(reply, bool):
            return reply == 1
        raise _unexpected(script, reply)
