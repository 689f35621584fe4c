"""JSON as JavaScript reads and writes it, where the core's results depend on it.

The core runs on JavaScript: a body is parsed by ``JSON.parse`` (every number a double, an
object's integer-like keys first), a number becomes text by ``String(n)``, a digest is taken of
``JSON.stringify``'s text, and a length counts UTF-16 units. These are the same here, so a
record's ``id``, a fingerprint and a bound are the core's to the byte.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Dict, Iterable, List, Optional, Tuple, Union

JsonValue = Union[None, bool, int, float, str, List["JsonValue"], Dict[str, "JsonValue"]]

_SAFE = 2**53
#: An array index, as JavaScript orders an object's keys: these first, in ascending order.
_INDEX = re.compile(r"0|[1-9][0-9]{0,9}")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_WS = " \t\n\r"


def is_number(value: object) -> bool:
    """A JSON number (bool is an int in Python, never a number in JSON)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_text(value: Union[int, float]) -> str:
    """``String(n)`` in JavaScript: the shortest digits, exponent past 1e21 or below 1e-6."""
    if isinstance(value, int) and abs(value) < _SAFE:
        return str(value)
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    _, digits_tuple, exponent = Decimal(repr(abs(number))).normalize().as_tuple()
    digits = "".join(str(d) for d in digits_tuple)
    k = len(digits)
    n = int(exponent) + k  # the decimal point sits after n digits
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{sign}{mantissa}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"


def utf16_length(text: str) -> int:
    """``text.length`` in JavaScript: UTF-16 units (a character past U+FFFF counts two)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf8(text: str) -> bytes:
    """The UTF-8 bytes JavaScript encodes text as: a lone surrogate becomes U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        whole = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        return whole.encode("utf-8")


def _escape(text: str) -> str:
    out = ['"']
    for char in text:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif code < 0x20:
            short = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
            out.append(short.get(char, f"\\u{code:04x}"))
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def stringify(value: object, max_depth: Optional[int] = None, level: int = 1) -> str:
    """``JSON.stringify(value)``, for JSON values (an infinite number is null, as in JS); with
    ``max_depth``, lists and objects nested deeper are written ``"…"`` (the core's boundedJson)."""
    if isinstance(value, (list, tuple, dict)) and max_depth is not None and level > max_depth:
        return '"\u2026"'
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, (int, float)):
        return "null" if isinstance(value, float) and not math.isfinite(value) else number_text(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(stringify(item, max_depth, level + 1) for item in value) + "]"
    if isinstance(value, dict):
        parts = (
            f"{_escape(str(key))}:{stringify(item, max_depth, level + 1)}"
            for key, item in value.items()
        )
        return "{" + ",".join(parts) + "}"
    return "null"


def _ordered(pairs: Iterable[Tuple[str, JsonValue]]) -> Dict[str, JsonValue]:
    """An object's keys in JavaScript's order: array indices ascending, then the rest as given."""
    merged: Dict[str, JsonValue] = {}
    for key, item in pairs:
        merged[key] = item
    indices = [key for key in merged if _INDEX.fullmatch(key) and int(key) < 2**32 - 1]
    if not indices:
        return merged
    ordered = {key: merged[key] for key in sorted(indices, key=int)}
    ordered.update((key, item) for key, item in merged.items() if key not in ordered)
    return ordered


def _number(literal: str) -> Union[int, float]:
    """A JSON number as JavaScript holds it: a double (an int when it is a safe integer)."""
    if len(literal) <= 15 and "." not in literal and "e" not in literal and "E" not in literal:
        return int(literal)
    number = float(literal)
    return int(number) if number.is_integer() and abs(number) < _SAFE else number


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(
    object_pairs_hook=_ordered,
    parse_float=_number,
    parse_int=_number,
    parse_constant=_refuse_constant,
)


def parse(text: str) -> JsonValue:
    """``JSON.parse(text)``; a ValueError when it is not JSON. Any depth: nesting too deep for
    Python's parser is read without recursion, as JavaScript reads it."""
    try:
        value: JsonValue = _DECODER.decode(text)
        return value
    except RecursionError:
        return _parse_flat(text)


class _Open:
    """An array or object the flat parser is inside: its values so far (an object's with keys)."""

    def __init__(self, is_object: bool) -> None:
        self.is_object = is_object
        self.items: List[JsonValue] = []
        self.pairs: List[Tuple[str, JsonValue]] = []

    def closed(self) -> JsonValue:
        """The array or object, once its closer is read."""
        return _ordered(self.pairs) if self.is_object else self.items


def _parse_flat(text: str) -> JsonValue:
    """The JSON parser of last resort: a loop with its own stack (strings by Python's scanner)."""
    scan_string = json.decoder.scanstring  # type: ignore[attr-defined]
    stack: List[_Open] = []
    keys: List[str] = []
    at = 0
    result: JsonValue = None
    done = False

    def skip(i: int) -> int:
        while i < len(text) and text[i] in _WS:
            i += 1
        return i

    def key(i: int) -> int:
        """Reads an object's key and its colon from ``i``: where its value starts."""
        if i >= len(text) or text[i] != '"':
            raise ValueError("Expecting property name")
        name, i = scan_string(text, i + 1, True)
        i = skip(i)
        if i >= len(text) or text[i] != ":":
            raise ValueError("Expecting ':'")
        keys.append(name)
        return i + 1

    while True:
        at = skip(at)
        if done and not stack:
            if at != len(text):
                raise ValueError("Extra data")
            return result
        char = text[at] if at < len(text) else ""
        value: JsonValue
        if char in ("[", "{"):
            opener = char
            at = skip(at + 1)
            closer = "]" if opener == "[" else "}"
            if at < len(text) and text[at] == closer:
                at += 1
                value = [] if opener == "[" else {}
            else:
                stack.append(_Open(opener == "{"))
                if opener == "{":
                    at = key(at)
                continue
        elif char == '"':
            value, at = scan_string(text, at + 1, True)
        else:
            match = _NUMBER.match(text, at)
            literals = {"true": True, "false": False, "null": None}
            word = next((w for w in literals if text.startswith(w, at)), None)
            if match:
                value, at = _number(match.group()), match.end()
            elif word is not None:
                value, at = literals[word], at + len(word)
            else:
                raise ValueError("Expecting value")
        # a value is complete: it closes containers as far as their closers follow
        while True:
            if not stack:
                result, done = value, True
                break
            inside = stack[-1]
            if inside.is_object:
                inside.pairs.append((keys.pop(), value))
            else:
                inside.items.append(value)
            at = skip(at)
            char = text[at] if at < len(text) else ""
            if char == ",":
                at = skip(at + 1)
                if inside.is_object:
                    at = key(at)
                break
            if char != ("}" if inside.is_object else "]"):
                raise ValueError("Expecting ',' delimiter")
            at += 1
            stack.pop()
            value = inside.closed()
