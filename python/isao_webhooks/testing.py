"""Deliveries signed as ISAO signs them, for a receiver's own tests (the Node package's
``@isao/webhooks/testing``): an event of the table with its sample record (the core's, as the
Zapier editor shows it), in ISAO's envelope, as exact bytes with the headers ISAO sends.
Overrides change any part; ``body`` replaces the bytes outright (a tampered or malformed one)."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass
from typing import Dict, Mapping, Optional, Union

from . import _core_generated as core
from ._js import utf8
from ._webhook import iso_string
from .events_generated import IsaoEventName

__all__ = ["SignedDelivery", "sample_of", "sign", "signed_delivery"]


def sign(secret: str, body: Union[bytes, str]) -> str:
    """The signature header's value ISAO sends for these bytes: base64 HMAC-SHA256."""
    raw = utf8(body) if isinstance(body, str) else body
    return base64.b64encode(hmac.new(utf8(secret), raw, hashlib.sha256).digest()).decode("ascii")


def sample_of(event: IsaoEventName) -> Dict[str, object]:
    """A raw record of the event as the API's ``/triggers/:event/sample`` gives it (a copy)."""
    if event not in core.SAMPLES:
        raise ValueError(f"isao_webhooks: {event!r} is not an ISAO event.")
    return copy.deepcopy(dict(core.SAMPLES[event]))


@dataclass(frozen=True)
class SignedDelivery:
    """The exact bytes to send, the same as text, the headers, and the event's id."""

    body: bytes
    text: str
    headers: Dict[str, str]
    event_id: str


def signed_delivery(
    event: IsaoEventName,
    *,
    secret: Optional[str],
    data: Optional[Mapping[str, object]] = None,
    event_id: Optional[str] = None,
    timestamp: Union[str, int, float, None] = None,
    now: Optional[float] = None,
    company_id: str = "cmb72clgt0003145mvfrg8iyh",
    source: str = "api",
    body: Union[bytes, str, None] = None,
    headers: Optional[Mapping[str, str]] = None,
) -> SignedDelivery:
    """A delivery of ``event`` as ISAO sends it, signed with ``secret`` (None: unsigned).

    ``data``: fields laid over the sample record. ``timestamp``: as sent (default: ``now``, epoch
    ms, default the system clock, as ISO 8601). ``body``: the exact bytes to send instead of the
    envelope (signed as they are). ``headers``: more headers, or other values for ISAO's."""
    given_id = event_id if event_id is not None else f"evt_test_{uuid.uuid4()}"
    when = iso_string(time.time() * 1000 if now is None else now) if timestamp is None else timestamp
    envelope = {
        "event": event,
        "timestamp": when,
        "data": {**sample_of(event), **(data or {})},
        "metadata": {"companyId": company_id, "eventId": given_id, "source": source},
    }
    chosen = body if body is not None else json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
    raw = utf8(chosen) if isinstance(chosen, str) else chosen
    sent: Dict[str, str] = {
        "Content-Type": "application/json",
        "User-Agent": "ISAO-Webhooks/test",
        "X-Isao-Event": event,
        "X-Isao-Event-Id": given_id,
    }
    if secret is not None:
        sent[core.SIGNATURE_HEADER] = sign(secret, raw)
    sent.update(headers or {})
    return SignedDelivery(raw, raw.decode("utf-8", "replace"), sent, given_id)
