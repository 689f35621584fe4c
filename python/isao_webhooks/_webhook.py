"""Reading a webhook body's items as the core does (core/webhook.ts, core/signatures.ts): the
envelope each item came in (ISAO's, the topic one, a flat one, a bare record), the list of items,
and when an event happened (an epoch number by its magnitude, or a date as JavaScript's
``Date.parse`` reads it, _dates.py)."""

from __future__ import annotations

import math
import re
from typing import Dict, List, NamedTuple, Optional, Union

from . import _core_generated as core
from ._dates import date_parse
from ._inputs import quote, text

Record = Dict[str, object]


class Unwrapped(NamedTuple):
    """What one item is: why it is malformed (if it is), the event it names, its record, its
    metadata (only what is known: id, occurred_at, source, company_id)."""

    malformed: Optional[str]
    event: Optional[str]
    entity: Optional[Record]
    meta: Dict[str, str]


_EVENT_NAME = re.compile(r"[a-z]+(_[a-z]+)*\.[a-z]+(_[a-z]+)*")
_ENVELOPE_KEYS = ("event", "timestamp", "data", "metadata")
_ABSENT = object()


def _defined(**meta: Optional[str]) -> Dict[str, str]:
    return {key: value for key, value in meta.items() if value is not None}


def _first(*values: Optional[str]) -> Optional[str]:
    return next((value for value in values if value is not None), None)


def _is_name(value: object) -> bool:
    return isinstance(value, str) and _EVENT_NAME.fullmatch(value) is not None


def unwrap_event(body: Record) -> Unwrapped:
    """The three shapes ISAO events come in (core/webhook.ts ``unwrapEvent``)."""
    event = body.get("event", _ABSENT)
    enveloped = "data" in body or "metadata" in body
    if event is not _ABSENT and enveloped and not _is_name(event):
        sent = body.get("metadata")
        event_id = text(sent.get("eventId")) if isinstance(sent, dict) else None
        reason = f'an envelope whose "event" is not an event name ({quote(event, 40)})'
        return Unwrapped(reason, None, None, _defined(id=event_id))
    if isinstance(event, str) and _is_name(event):
        found = body.get("metadata")
        metadata: Record = found if isinstance(found, dict) else {}
        data = body.get("data")
        entity: Optional[Record]
        if isinstance(data, dict):
            entity = data
        elif "data" in body:
            entity = None
        else:
            rest = {key: value for key, value in body.items() if key not in _ENVELOPE_KEYS}
            entity = rest or None
        meta = _defined(
            id=text(metadata.get("eventId")),
            occurred_at=text(body.get("timestamp")),
            source=text(metadata.get("source")),
            company_id=text(metadata.get("companyId")),
        )
        return Unwrapped(None, event, entity, meta)
    data = body.get("data")
    topic = data.get("event") if isinstance(data, dict) else None
    if isinstance(topic, dict) and isinstance(topic.get("topic"), str):
        name = str(topic["topic"])
        payload = topic.get("payload")
        inner = payload.get("appointment") if isinstance(payload, dict) else None
        carried = inner if isinstance(inner, dict) else payload
        meta = _defined(
            id=_first(text(topic.get("id")), text(topic.get("eventId"))),
            occurred_at=_first(text(topic.get("occuredAt")), text(topic.get("occurredAt"))),
            source=_first(text(topic.get("source")), text(topic.get("appId"))),
            company_id=text(topic.get("businessId")),
        )
        named = name if name in core.KIND_OF else core.ALIASES.get(name, name)
        return Unwrapped(None, named, carried if isinstance(carried, dict) else None, meta)
    return Unwrapped(None, None, body, {})


class Items(NamedTuple):
    """A body's event objects, and why each other item of a list cannot be one."""

    events: List[Record]
    unreadable: List[str]


NOT_EVENT = (
    "The webhook from ISAO was JSON but not an event object (or a list of them): "
    "nothing to process."
)


def events_in(parsed: object) -> Union[Items, str]:
    """One event or a non-empty list of them; else why the body holds nothing (core's eventsIn)."""
    if not isinstance(parsed, dict) and not (isinstance(parsed, list) and parsed):
        return NOT_EVENT
    items: List[object] = parsed if isinstance(parsed, list) else [parsed]
    events = [item for item in items if isinstance(item, dict)]
    unreadable = [
        f"Item {i + 1} of the ISAO webhook is not an event object ({quote(item, 40)})"
        for i, item in enumerate(items)
        if not isinstance(item, dict)
    ]
    return Items(events, unreadable)


_EPOCH = re.compile(r"[0-9]+(\.[0-9]+)?")
_DAY_MS = 86_400_000


def event_time(occurred_at: str) -> float:
    """When an event happened, in epoch ms: an epoch number in seconds, milliseconds or
    microseconds by its magnitude, else a date; NaN when unreadable (core's ``eventTime``)."""
    if _EPOCH.fullmatch(occurred_at) is None:
        return date_parse(occurred_at)
    epoch = float(occurred_at)
    if epoch >= core.EPOCH_US_FROM:
        return epoch / 1000
    return epoch * 1000 if epoch < core.EPOCH_MS_FROM else epoch


def iso_string(ms: float) -> str:
    """``new Date(ms).toISOString()``."""
    whole = math.floor(ms)
    days, rest = divmod(whole, _DAY_MS)
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (1 if month <= 2 else 0)
    shown = f"{year:04d}" if 0 <= year <= 9999 else f"{'+' if year > 0 else '-'}{abs(year):06d}"
    seconds, milli = divmod(rest, 1000)
    clock = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.{milli:03d}"
    return f"{shown}-{month:02d}-{day:02d}T{clock}Z"

