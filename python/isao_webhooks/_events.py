"""From a verified body's items to its events (the Node package's deliveries.ts over the core's
delivery.ts): each item's envelope, its record (the same record the Zapier and n8n triggers
deliver), and whether it is a replay; an item repeated within one body counts once."""

from __future__ import annotations

import math
from typing import Dict, List, NamedTuple, Optional, Set, Union, cast

from . import _core_generated as core
from ._inputs import quote
from ._js import number_text, stringify
from ._records import Record, bounds_problem, fingerprint, to_event_record
from ._webhook import Items, event_time, iso_string, unwrap_event
from .events_generated import AnyIsaoEvent, UnknownEvent


class Reading(NamedTuple):
    """What a body's items hold; ``replays``: how many of the skipped items are replays."""

    events: List[AnyIsaoEvent]
    unknown: List[UnknownEvent]
    skipped: List[str]
    replays: int


def _which(meta_id: Optional[str]) -> str:
    return f" {quote(meta_id, 60)}" if meta_id else ""


def _replay(meta: Dict[str, str], now: float, tolerance_ms: float) -> Optional[str]:
    occurred_at: Optional[str] = meta.get("occurred_at")
    if not occurred_at:
        return None
    at = event_time(occurred_at)
    if math.isnan(at) or now - at <= tolerance_ms:
        return None
    window = number_text(tolerance_ms / 1000)
    return (
        f"The signed event{_which(meta.get('id'))} is from {quote(occurred_at, 40)} (read as "
        f"{iso_string(at)}), older than the replay window of {window} s: a request captured and "
        "sent again, or a clock far off."
    )


class _Skipped(NamedTuple):
    reason: str
    replay: bool


class _Event(NamedTuple):
    event: AnyIsaoEvent
    key: str


def _record(name: str, item: Record) -> Union[Record, str]:
    """The core's record of an item of a known event, or why it has none (delivery.ts classify)."""
    found = unwrap_event(item)
    which = _which(found.meta.get("id"))
    past = bounds_problem(item)
    if past is not None:
        return f"The ISAO {name} event{which} is {past}"
    if found.entity is None:
        return f"The ISAO {name} event{which} carried no record"
    event_id = found.meta.get("id")
    key = event_id if event_id is not None else fingerprint(item)
    return to_event_record(core.KIND_OF[name], name, found.entity, found.meta, key)


def _read_item(
    item: Record, now: float, tolerance_ms: float
) -> Union[_Skipped, _Event, UnknownEvent]:
    found = unwrap_event(item)
    if found.malformed is not None:
        return _Skipped(f"The webhook item{_which(found.meta.get('id'))} is {found.malformed}.", False)
    record: Optional[Record] = None
    if found.event in core.KIND_OF:
        shaped = _record(str(found.event), item)
        if isinstance(shaped, str):
            return _Skipped(f"{shaped}.", False)
        record = shaped
    replay = _replay(found.meta, now, tolerance_ms)
    if replay is not None:
        return _Skipped(replay, True)
    event_id = found.meta.get("id")
    occurred_at = found.meta.get("occurred_at")
    if record is not None and found.entity is not None:
        event = {
            "name": found.event,
            "id": event_id,
            "occurred_at": occurred_at,
            "data": found.entity,
            "record": record,
        }
        key = stringify([found.event, record["id"], record["isao_event_key"]])
        return _Event(cast(AnyIsaoEvent, event), key)
    return UnknownEvent(name=found.event, id=event_id, occurred_at=occurred_at, data=found.entity)


def events_of(items: Items, now: float, tolerance_ms: float) -> Reading:
    """A body's items read as events at ``now``, replays refused past ``tolerance_ms``."""
    reading = Reading([], [], list(items.unreadable), 0)
    replays = 0
    seen: Set[str] = set()
    for item in items.events:
        read = _read_item(item, now, tolerance_ms)
        if isinstance(read, _Skipped):
            reading.skipped.append(read.reason)
            replays += 1 if read.replay else 0
        elif isinstance(read, _Event):
            if read.key not in seen:
                seen.add(read.key)
                reading.events.append(read.event)
        else:
            reading.unknown.append(read)
    return reading._replace(replays=replays)
