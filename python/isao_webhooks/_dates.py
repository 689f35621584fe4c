"""JavaScript's ``Date.parse`` as Node (V8) reads a text: the ES5 ISO form first (a date alone is
UTC, a date and time without an offset local time), else V8's legacy reading (month names, words
before the first number, comments in parentheses, any separators, two-digit years, AM/PM, UTC, GMT,
Z, the US zone names, signed offsets; local time in the ``TZ`` zone when no zone is given).
Written from V8's date parser (src/date/dateparser*), not copied; tests/test_dates.py compares it
with Node's own ``Date.parse`` on thousands of texts in several time zones."""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from typing import List, NamedTuple, Optional, Tuple


class _Token(NamedTuple):
    """A token: its kind ("end", "number", "symbol", "space", "other" or, for a word, "month",
    "zone", "t", "ampm" or "word"), its value (a number's, a keyword's or a symbol's code) and its
    length (a number's digits, a word's UTF-16 units)."""

    kind: str
    value: int = 0
    length: int = 0

    def number(self, digits: int) -> bool:
        return self.kind == "number" and self.length == digits

    def symbol(self, chars: str) -> bool:
        return self.kind == "symbol" and chr(self.value) in chars

    def z(self) -> bool:
        return self.kind == "zone" and self.length == 1 and self.value == 0


_END = _Token("end")
_WORDS = ("month", "zone", "t", "ampm", "word")
# The words V8 knows by their first three letters (lower case, padded with NULs): month names
# (which may run longer), AM/PM (hours added), the zones (hours from UTC) and the ISO "T".
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_KEYWORDS = {
    **{name: ("month", number) for number, name in enumerate(_MONTHS, 1)},
    **{"am\0": ("ampm", 0), "pm\0": ("ampm", 12), "t\0\0": ("t", 0)},
    **{name: ("zone", 0) for name in ("ut\0", "utc", "z\0\0", "gmt")},
    **{"cdt": ("zone", -5), "cst": ("zone", -6), "edt": ("zone", -4), "est": ("zone", -5)},
    **{"mdt": ("zone", -6), "mst": ("zone", -7), "pdt": ("zone", -7), "pst": ("zone", -8)},
}
# JavaScript's white space (the line terminators \n and \r among it): a space token, and where a
# word ends (\u2028 and \u2029, also line terminators, are word characters to V8)
_BLANKS = "\t\v\f \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_BLANKS += "\u202f\u205f\u3000\ufeff"
_SPACES = _BLANKS + "\n\r"
_SIGNIFICANT = 9  # digits of a number that count; the rest are read and dropped
_TOKEN = re.compile(
    rf"(?P<number>[0-9]+)|(?P<symbol>[-:+.)])|(?P<word>[^\x00-@{_BLANKS}]+)|(?P<space>[{_SPACES}])"
    r"|(?P<note>\()|.",
    re.S,
)


def _word(text: str) -> _Token:
    units = len(text) + sum(1 for char in text if ord(char) > 0xFFFF)
    prefix = "".join(chr(ord(char) | 0x20) for char in text[:3]).ljust(3, "\0")
    kind, value = _KEYWORDS.get(prefix, ("word", 0))
    return _Token(kind, value, units) if units <= 3 or kind == "month" else _Token("word", 0, units)


def _tokens(text: str) -> List[_Token]:
    """The tokens of a text, up to its first NUL (where V8 stops reading); a parenthesised
    comment, nested ones in it, is one token."""
    text = text.split("\0", 1)[0]
    found: List[_Token] = []
    at = 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        assert match is not None  # the last alternative takes any character
        at, kind = match.end(), match.lastgroup
        if kind == "number":
            digits = match.group().lstrip("0")[:_SIGNIFICANT]
            found.append(_Token("number", int(digits or "0"), len(match.group())))
        elif kind == "symbol":
            found.append(_Token("symbol", ord(match.group())))
        elif kind == "word":
            found.append(_word(match.group()))
        else:
            depth = 1
            while kind == "note" and depth > 0 and at < len(text):
                depth += {"(": 1, ")": -1}.get(text[at], 0)
                at += 1
            found.append(_Token("space" if kind == "space" else "other"))
    return found


class _Scanner:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> _Token:
        return self.tokens[self.at] if self.at < len(self.tokens) else _END

    def next(self) -> _Token:
        self.at += 1
        return self.tokens[self.at - 1] if self.at <= len(self.tokens) else _END

    def skip(self, char: str) -> bool:
        found = self.peek().symbol(char)
        self.at += found
        return found


def _minute(n: int) -> bool:
    return 0 <= n <= 59


def _milliseconds(token: _Token) -> int:
    """The first three digits of a fraction, as milliseconds ("5" is 500, "0456" is 45)."""
    digits = min(token.length, _SIGNIFICANT)
    return token.value * 1000 // int(10**digits)


@dataclass
class _Parts:
    size: int
    parts: List[int] = field(default_factory=list)

    def add(self, n: int) -> bool:
        if len(self.parts) >= self.size:
            return False
        self.parts.append(n)
        return True


@dataclass
class _Day(_Parts):
    size: int = 3
    named_month: Optional[int] = None
    iso: bool = False

    def result(self) -> Optional[Tuple[int, int, int]]:
        """(year, month, day), or None when not a date; the order as V8 guesses it."""
        if not self.parts:
            return None
        first, second, third = (self.parts + [1, 1])[:3]
        if self.named_month is not None:
            month = self.named_month
            year, day = (second, first) if 1 <= first <= 31 else (first, second)
        elif self.iso or not 1 <= first <= 31:
            year, month, day = first, second, third
        else:
            month, day, year = first, second, third
        if not self.iso and 0 <= year <= 99:
            year += 2000 if year <= 49 else 1900
        return (year, month, day) if 1 <= month <= 12 and 1 <= day <= 31 else None


@dataclass
class _Clock(_Parts):
    size: int = 4
    hour_offset: Optional[int] = None

    def expecting(self, n: int) -> bool:
        index = len(self.parts)
        return (index in (1, 2) and _minute(n)) or (index == 3 and 0 <= n <= 999)

    def add_final(self, n: int) -> None:
        if self.add(n):
            self.parts += [0] * (4 - len(self.parts))

    def result(self) -> Optional[int]:
        """Milliseconds into the day, or None when not a time (24:00 is the day's end)."""
        hour, minute, second, milli = (self.parts + [0, 0, 0, 0])[:4]
        if self.hour_offset is not None:
            if not 0 <= hour <= 12:
                return None
            hour = hour % 12 + self.hour_offset
        if not (0 <= hour <= 23 and _minute(minute) and _minute(second) and milli <= 999):
            if (hour, minute, second, milli) != (24, 0, 0, 0):
                return None
        return ((hour * 60 + minute) * 60 + second) * 1000 + milli


@dataclass
class _Zone:
    sign: Optional[int] = None
    hour: Optional[int] = None
    minute: Optional[int] = None

    def set(self, hours: int) -> None:
        self.sign, self.hour, self.minute = (-1 if hours < 0 else 1), abs(hours), 0

    def expecting(self, n: int) -> bool:
        return self.hour is not None and self.minute is None and _minute(n)

    def utc(self) -> bool:
        return self.hour == 0 and self.minute == 0

    def seconds(self) -> Optional[float]:
        """The offset from UTC in seconds, NaN for local time, None when too large for V8 (which
        adds in 32-bit unsigned arithmetic and refuses what passes a small integer)."""
        if self.sign is None:
            return math.nan
        total = ((self.hour or 0) * 3600 + (self.minute or 0) * 60) % 2**32
        return None if total > 2**31 - 1 else float(self.sign * total)


def _iso(scan: _Scanner, day: _Day, clock: _Clock, zone: _Zone) -> Optional[_Token]:
    """The ES5 form, as far as the text follows it: the token the legacy reading goes on from,
    the end when the whole text was read, or None when the text is not a date."""
    if scan.peek().symbol("+-"):
        sign = scan.next()
        if not scan.peek().number(6):
            return sign
        year = scan.next().value
        if sign.symbol("-") and year == 0:
            return sign
        day.add(-year if sign.symbol("-") else year)
    elif scan.peek().number(4):
        day.add(scan.next().value)
    else:
        return scan.next()
    for low, high in ((1, 12), (1, 31)):
        if not scan.skip("-"):
            break
        if not (scan.peek().number(2) and low <= scan.peek().value <= high):
            return scan.next()
        day.add(scan.next().value)
    if scan.peek().kind not in ("t", "end"):
        return scan.next()
    if scan.peek().kind == "t" and not _iso_time(scan, clock, zone):
        return None
    if zone.hour is None and not clock.parts:
        zone.set(0)
    day.iso = True
    return _END


def _two_digits(scan: _Scanner, hour_24: bool) -> bool:
    """Whether minutes or seconds follow (two digits, 0 to 59; only zeros after hour 24)."""
    token = scan.peek()
    return token.number(2) and _minute(token.value) and not (hour_24 and token.value > 0)


def _iso_time(scan: _Scanner, clock: _Clock, zone: _Zone) -> bool:
    """The ES5 form's time after its "T" (THH:mm[:ss[.sss]][Z|+hh:mm|+hhmm]) up to the end."""
    scan.next()
    if not (scan.peek().number(2) and scan.peek().value <= 24):
        return False
    hour_24 = scan.peek().value == 24
    clock.add(scan.next().value)
    if not (scan.skip(":") and _two_digits(scan, hour_24)):
        return False
    clock.add(scan.next().value)
    if scan.skip(":"):
        if not _two_digits(scan, hour_24):
            return False
        clock.add(scan.next().value)
        if scan.skip("."):
            if scan.peek().kind != "number" or (hour_24 and scan.peek().value > 0):
                return False
            clock.add(_milliseconds(scan.next()))
    if scan.peek().z():
        scan.next()
        zone.set(0)
    elif scan.peek().symbol("+-"):
        zone.sign = -1 if scan.next().symbol("-") else 1
        if scan.peek().number(4):
            zone.hour, zone.minute = divmod(scan.next().value, 100)
        elif scan.peek().number(2):
            zone.hour = scan.next().value
            if not (scan.skip(":") and scan.peek().number(2)):
                return False
            zone.minute = scan.next().value
        if zone.hour is None or zone.hour > 23 or not _minute(zone.minute or 0):
            return False
    return scan.peek().kind == "end"


def _legacy_number(scan: _Scanner, n: int, day: _Day, clock: _Clock, zone: _Zone) -> bool:
    """A number of the legacy reading: a time's part (before ":", or before "." when a second is
    due), the minutes of an offset, the time's next part, else a part of the date."""
    if scan.skip(":"):
        if scan.skip(":"):
            if clock.parts:
                return False
            clock.parts += [n, 0]
        elif not clock.add(n):
            return False
        else:
            scan.skip(".")
    elif scan.skip(".") and clock.expecting(n):
        clock.add(n)
        if scan.peek().kind != "number":
            return False
        clock.add_final(_milliseconds(scan.next()))
    elif zone.expecting(n):
        zone.minute = n
    elif clock.expecting(n):
        clock.add_final(n)
        after = scan.peek()
        return after.kind in ("end", "space") or after.z() or after.symbol("+-")
    elif not day.add(n):
        return False
    else:
        scan.skip("-")
    return True


def _legacy_offset(scan: _Scanner, sign: _Token, zone: _Zone) -> bool:
    """A signed offset after a zone or a time: +h, +hh, +hmm, +hhmm, or +h: (minutes may follow)."""
    zone.sign = -1 if sign.symbol("-") else 1
    digits = scan.next() if scan.peek().kind == "number" else _Token("number")
    if scan.peek().symbol(":"):
        zone.hour, zone.minute = digits.value, None
    elif digits.length in (1, 2):
        zone.hour, zone.minute = digits.value, 0
    elif digits.length in (3, 4):
        zone.hour, zone.minute = divmod(digits.value, 100)
    else:
        return False
    return True


_DAY_MS = 86_400_000
_MAX_MS = 8.64e15  # the largest distance from the epoch a JavaScript date may be
_MAX_LOCAL_MS = _MAX_MS + 30 * _DAY_MS  # the largest local time V8 converts to UTC


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (the day may run past its month)."""
    y = year - (1 if month <= 2 else 0)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468 + day - 1


def _offset_ms(utc_ms: int) -> int:
    """The local zone's offset from UTC at an instant, in ms (0 where ``localtime`` fails)."""
    try:
        return time.localtime(utc_ms // 1000).tm_gmtoff * 1000
    except (OverflowError, OSError, ValueError):
        return 0


def local_to_utc(local_ms: int) -> int:
    """The instant a local wall time names. A time that happens twice (clocks set back) is its
    first; a time skipped (clocks set forward) is read with the offset in force before the
    change, as V8 asks ICU to."""
    before, after = _offset_ms(local_ms - _DAY_MS), _offset_ms(local_ms + _DAY_MS)
    for offset in (before, after):
        if _offset_ms(local_ms - offset) == offset:
            return local_ms - offset
    return local_ms - before


def date_parse(text: str) -> float:
    """``Date.parse(text)`` as Node reads it: epoch milliseconds, NaN when not a date."""
    scan, day, clock, zone = _Scanner(text), _Day(), _Clock(), _Zone()
    token = _iso(scan, day, clock, zone)
    if token is None:
        return math.nan
    has_number = bool(day.parts)
    while token.kind != "end":
        if token.kind == "number":
            has_number = True
            if not _legacy_number(scan, token.value, day, clock, zone):
                return math.nan
        elif token.kind == "ampm" and clock.parts:
            clock.hour_offset = token.value
        elif token.kind == "month":
            day.named_month = token.value
            scan.skip("-")
        elif token.kind == "zone" and has_number:
            zone.set(token.value)
        elif token.kind in _WORDS:
            # words before the first number are skipped, when a separator follows them
            if has_number or scan.peek().kind == "number":
                return math.nan
        elif token.symbol("+-") and (zone.utc() or clock.parts):
            has_number = True
            if not _legacy_offset(scan, token, zone):
                return math.nan
        elif token.symbol("+-)") and has_number:
            return math.nan
        token = scan.next()
    date, milliseconds, offset = day.result(), clock.result(), zone.seconds()
    if date is None or milliseconds is None or offset is None:
        return math.nan
    at = _days_from_civil(*date) * _DAY_MS + milliseconds
    if math.isnan(offset):
        if abs(at) > _MAX_LOCAL_MS:
            return math.nan
        at = local_to_utc(at)
    else:
        at -= int(offset) * 1000
    return float(at) if abs(at) <= _MAX_MS else math.nan
