"""Reading values the way the core's inputs do (core/inputs.ts): ``text()`` trims white space
and invisible characters at either end (the characters the core's own ``text()`` trims, written
into _core_generated.py by running it), reads a finite number as JavaScript writes it, and gives
None for blank or absent; ``quote()`` shows a value in a message, on one line, cut short."""

from __future__ import annotations

import math
import re
from typing import Optional, Tuple

from . import _core_generated as core
from ._js import is_number, number_text, stringify, utf16_length


def _char_class(ranges: Tuple[Tuple[int, int], ...]) -> str:
    return "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in ranges)


_INVISIBLE = re.compile(f"[{_char_class(core.INVISIBLE)}]")
_JS_SPACE_CLASS = _char_class(core.JS_SPACE)
_JS_SPACE = re.compile(f"[{_JS_SPACE_CLASS}]")
_JS_SPACE_RUN = re.compile(f"[{_JS_SPACE_CLASS}]+")


def _strip(value: str, pattern: "re.Pattern[str]") -> str:
    start, end = 0, len(value)
    while start < end and pattern.match(value, start):
        start += 1
    while end > start and pattern.match(value, end - 1):
        end -= 1
    return value[start:end]


def _visible_ascii(char: str) -> bool:
    return "\x20" < char < "\x7f"


def text(value: object) -> Optional[str]:
    """The trimmed text of a string (or a finite number), None when blank or absent."""
    if isinstance(value, (int, float)) and is_number(value):
        return number_text(value) if math.isfinite(value) else None
    if not isinstance(value, str) or value == "":
        return None
    if _visible_ascii(value[0]) and _visible_ascii(value[-1]):
        return value
    return _strip(value, _INVISIBLE) or None


def js_trim(value: str) -> str:
    """``String.prototype.trim`` in JavaScript."""
    return _strip(value, _JS_SPACE)


def clip(value: str, limit: int = core.QUOTE_MAX) -> str:
    """Text cut to ``limit`` characters (UTF-16 units, as the core counts), with an ellipsis."""
    if utf16_length(value) <= limit:
        return value
    units = value.encode("utf-16-le", "surrogatepass")[: (limit - 1) * 2]
    return units.decode("utf-16-le", "surrogatepass") + "\u2026"


def quote(value: object, limit: int = core.QUOTE_MAX) -> str:
    """A value as a message quotes it: ``"…"``, on one line, at most ``limit`` characters."""
    shown = value if isinstance(value, str) else stringify(value, core.MAX_DEPTH)
    return f'"{clip(_JS_SPACE_RUN.sub(" ", shown), limit)}"'
