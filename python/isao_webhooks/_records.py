"""The record the core shapes from an event's data (core/records.ts), and the bounds on any item
(core/bounds.ts): every documented field present (None where ISAO sent none), the record's own
id (else the event id, else a digest of the data), appointments' custom fields keyed from their
labels, and the event's metadata. The same record as the Zapier and n8n triggers deliver."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Dict, List, Optional, Set, Tuple, Union

from . import _core_generated as core
from ._inputs import text
from ._js import is_number, stringify, utf16_length, utf8

Record = Dict[str, object]

_TOO_DEEP = f"nested more than {core.MAX_DEPTH} levels deep"
_TOO_LARGE = f"larger than {core.MAX_SIZE:,} characters"


def bounds_problem(value: object) -> Optional[str]:
    """Why a value is past the bounds (too deep, too large), or None (core/bounds.ts)."""
    pending: List[Tuple[object, int]] = [(value, 1)]
    size = 1
    while pending:
        node, level = pending.pop()
        children: List[object] = []
        if isinstance(node, str):
            size += utf16_length(node)
        elif isinstance(node, (list, dict)):
            if level > core.MAX_DEPTH:
                return _TOO_DEEP
            children = list(node) if isinstance(node, list) else list(node.values())
            size += len(children)
            if isinstance(node, dict):
                size += sum(utf16_length(key) for key in node)
        if size > core.MAX_SIZE:
            return _TOO_LARGE
        pending.extend((child, level + 1) for child in children)
    return None


_COMBINING = re.compile("[\u0300-\u036f]")
_NOT_SLUG = re.compile("[^a-z0-9]+")
_PLAIN_LABEL = re.compile("[a-z0-9]+(?:[ _-][a-z0-9]+)*")


def slug(label: str) -> str:
    """A stable slug for a custom field label: "Preferred Contact Time" → preferred_contact_time."""
    slugged = _NOT_SLUG.sub("_", _COMBINING.sub("", unicodedata.normalize("NFKD", label)).lower())
    if slugged.startswith("_"):
        slugged = slugged[1:]
    return slugged[:-1] if slugged.endswith("_") else slugged


def label_key(label: str) -> str:
    """The key of a custom field's label: its slug when plain, else the slug and a digest."""
    plain = _COMBINING.sub("", unicodedata.normalize("NFD", label)).lower()
    if _PLAIN_LABEL.fullmatch(plain):
        return slug(label)
    digest = hashlib.sha256(utf8(unicodedata.normalize("NFC", label))).hexdigest()[:8]
    return f"{slug(label) or 'field'}_{digest}"


_LABEL_KEYS: Dict[str, Tuple[Optional[str], Optional[str]]] = {}
_DEFINITION_ID_KEYS = ("schedulerPreferenceFieldDefnId", "fieldId", "definitionId", "id")


def _keyed(raw: str) -> Tuple[Optional[str], Optional[str]]:
    known = _LABEL_KEYS.get(raw)
    if known is None:
        label = text(raw)
        known = (label, None if label is None else label_key(label))
        if len(_LABEL_KEYS) < core.LABEL_KEYS_KEPT:
            _LABEL_KEYS[raw] = known
    return known


def custom_fields(fields: object) -> Dict[str, object]:
    """Appointments' ``fields`` ({label, value, …}) as ``{key: value}``, each key from its field."""
    if not isinstance(fields, list):
        return {}
    taken: Set[str] = set()
    out: Dict[str, object] = {}
    for field in fields:
        if not isinstance(field, dict):
            continue
        label = field.get("label")
        key = _keyed(label)[1] if isinstance(label, str) else None
        if key is None:
            ids = (text(field.get(name)) for name in _DEFINITION_ID_KEYS)
            found = next((found for found in ids if found is not None), None)
            key = None if found is None else f"field_{slug(found)}"
        if key is None or key in taken:
            continue
        taken.add(key)
        value = field.get("value")
        if value is None:
            value = field.get("extendedValue")
        out[key] = value
    return out


def fingerprint(value: object) -> str:
    """A short, stable digest of a value (an id for what has none), of its JSON as JS writes it."""
    return hashlib.sha256(utf8(stringify(value))).hexdigest()[:16]


def _as_id(value: object) -> Optional[Union[str, int, float]]:
    if isinstance(value, str) and value != "":
        return value
    if isinstance(value, (int, float)) and is_number(value):
        return value
    return None


def id_of(kind: str, raw: Record) -> Optional[Union[str, int, float]]:
    """The record's own id: the first of its kind's id keys holding one."""
    for key in core.ID_KEYS[kind]:
        found = _as_id(raw.get(key))
        if found is not None:
            return found
    return None


def _with_declared_keys(kind: str, raw: Record) -> Record:
    """The record with every declared output key present (None where absent); never changes raw."""
    record: Record = dict(raw)
    copies = {id(record)}
    for path in (key.split("__") for key in core.OUTPUT_KEYS[kind]):
        node = record
        for i, part in enumerate(path):
            value = node.get(part, _ABSENT)
            if i == len(path) - 1:
                if value is _ABSENT:
                    node[part] = None
            elif value is _ABSENT or value is None or isinstance(value, dict):
                if isinstance(value, dict) and id(value) in copies:
                    child: Record = value
                else:
                    child = dict(value) if isinstance(value, dict) else {}
                    copies.add(id(child))
                node[part] = child
                node = child
            else:
                break
    return record


_ABSENT = object()


def to_event_record(kind: str, event: str, raw: Record, meta: Dict[str, str], key: str) -> Record:
    """The trigger record for one entity and the event that carried it (core's toEventRecord)."""
    own = id_of(kind, raw)
    fallback = meta.get("id")
    record = _with_declared_keys(kind, raw)
    record["id"] = own if own is not None else (fallback if fallback is not None else fingerprint(raw))
    if kind == "appointment":
        record["custom_fields"] = custom_fields(raw.get("fields"))
    record["isao_event"] = {
        "type": event,
        "id": meta.get("id"),
        "occurred_at": meta.get("occurred_at"),
        "source": meta.get("source"),
        "company_id": meta.get("company_id"),
    }
    record["isao_event_key"] = key
    return record
