"""Timestamps read as Node reads them: the package's ``Date.parse`` (isao_webhooks/_dates.py) and
``event_time`` (the replay rule's reading, core/signatures.ts ``eventTime``) against Node itself
(tests/date_oracle.js: ``Date.parse`` and the compiled core's ``eventTime``) on one corpus of
texts, the same milliseconds or NaN on both sides, in several time zones (the TZ variable, set
alike for Node and for a Python process): UTC, two with daylight saving time (New York; Lord Howe,
whose clocks move by half an hour) and Kolkata (+05:30, with its war-time changes). The corpus:
the ES5 ISO forms and the legacy ones (month names, weekdays, comments, separators, two-digit
years, AM/PM, zone names and offsets) in every order and with out-of-range values, local times
around each clock change of several years, and random token sequences from a seeded generator."""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple, Union

import pytest

from shared import PYTHON, compiled, node

ZONES = ("UTC", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata")
ORACLE = Path(__file__).with_name("date_oracle.js")

ISO_DATES = [
    "2024", "2024-11", "2024-11-08", "+002024-11-08", "-000001-01-01", "-000000-01-01",
    "+275760-09-13", "+275760-09-14", "-271821-04-20", "-271821-04-19", "0000-01-01",
    "1969-12-31", "1970-01-01", "1901-12-13", "2038-01-19", "9999-12-31", "2024-13-01",
    "2024-00-10", "2024-02-29", "2023-02-29", "2024-02-30", "2024-04-31", "2024-11-32",
    "2024-11-00", "2024-1-8", "24-11-08", "02024-11-08", "+02024-11-08", "2024-11-08x",
    "+999999-12-31", "-999999-01-01", "2024/11/08", "2024-11-08-",
]
ISO_TIMES = [
    "", "T10:00", "T10:00:00", "T10:00:00.5", "T10:00:00.123", "T10:00:00.123456789012",
    "T24:00", "T24:00:00.000", "T24:00:00.001", "T24:01", "T23:59:59.999", "T10:60",
    "T10:00:60", "T1:00", "T10", "t10:00", " 10:00", "T10:00:00.", "T10:00.5", "T25:00",
    "T00:00", "T12:00:00.9999",
]
ISO_ZONES = [
    "", "Z", "z", "+01:00", "-05:30", "+0100", "-1200", "+23:59", "+24:00", "+01", "+01:60",
    "+1:00", " Z", "GMT", " UTC", "+01:00:00", "-00:00", "+0960", "ZZ",
]
DATES = [
    "Nov 8 2024", "8 Nov 2024", "2024 Nov 8", "November 08, 2024", "Nov-8-2024", "8-Nov-2024",
    "2024/11/08", "11/8/2024", "11/8/24", "11-8-2024", "2024-11-8", "11.8.2024",
    "Fri Nov 08 2024", "Friday, 8 November 2024", "Nov 8", "11/8", "8 nov 49", "8 nov 50",
    "nov 8 99", "nov 8 100", "nov 8 0", "nov 8 00", "13/8/2024", "2024/13/08", "Feb 30 2024",
    "2/30/2024", "2/29/2023", "2/29/2024", "Nov 0 2024", "Nov 32 2024", "32 Nov 2024",
    "2024 8 Nov", "Novembre 8 2024", "nOV 8 2024", "Nov8 2024", "(note) Nov 8 2024",
    "Nov 8 2024 (a (nested) note)", "Nov 8 1000000", "Nov 8 275760", "11/8/2024/1", "8/11",
    "Mon, 8 Nov 2024", "Nov, 8, 2024", "8.11.2024", "2024.11.08", "Nov 8 -2024",
]
TIMES = [
    "", "10:00", "10:00:00", "10:00:00.5", "10:00:00.123456", "10:00 AM", "10:00 pm",
    "12:00 am", "12:00 PM", "13:00 PM", "0:00 am", "24:00", "24:00:01", "10::", "10:",
    "10:60", "10:00:60", "10:00:00.1000", "10:00:00:00", "10 PM", "10:00PM", "10.30",
    "T10:00", "10:00:00Z", "10:00-0500", "am 10:00", "10:00:00.", "1:2:3",
]
ZONES_NAMED = [
    "", " GMT", " UTC", " Z", " UT", " GMT+0100", " GMT-05:30", " +0100", " -0500", " +01",
    " +1", " +130", " EST", " EDT", " CST", " CDT", " MST", " MDT", " PST", " PDT",
    " GMT+01:", " GMT+01:30", " (Coordinated Universal Time)",
    " GMT+0000 (Coordinated Universal Time)", " +12345", " XYZ", " GMT+596523:",
    " GMT+596524:", " GMT+1193047:", " EST+0100", " utc-", " GMT+", " PSTX", " z",
]
WORDS = [
    "Nov", "nov", "November", "Novx", "ja", "jan", "Fri", "Friday", "am", "PM", "a.m.", "T",
    "t", "Z", "z", "GMT", "UTC", "UT", "EST", "pdt", "CET", "noon", "xyz", "\u00e9t\u00e9",
    "\U0001f600", "am\U0001f600", "_", "[", "Sept",
]
NUMBERS = [
    "0", "00", "1", "8", "12", "13", "24", "31", "32", "49", "50", "59", "60", "99", "100",
    "999", "1000", "2024", "0100", "12345", "000000", "002024", "123456", "1234567890123",
]
SYMBOLS = [
    ":", "-", "+", ".", ")", "(", "(x)", "(a(b)c)", "/", ",", " ", " ", " ", "\t", "\n",
    "\u00a0", "\u2028", "\x1c", "\x85", "\ufeff", "\0", "@", "'", "\ud800",
]


def _structured() -> List[str]:
    iso = [d + t + z for d, t, z in itertools.product(ISO_DATES, ISO_TIMES, ["", "Z"])]
    iso += [f"2024-11-08{t}{z}" for t, z in itertools.product(ISO_TIMES, ISO_ZONES)]
    iso += [f"{d}T10:00{z}" for d, z in itertools.product(ISO_DATES, ISO_ZONES)]
    legacy = [f"{d} {t}".strip() for d, t in itertools.product(DATES, TIMES)]
    legacy += [f"{d} 10:00{z}" for d, z in itertools.product(DATES, ZONES_NAMED)]
    legacy += [f"Nov 8 2024 {t}{z}" for t, z in itertools.product(TIMES, ZONES_NAMED)]
    legacy += [f"{t} {d}{z}" for t, d, z in itertools.product(["10:00", "10:00 PM"], DATES, ["", " GMT"])]
    return iso + legacy


def _clock_changes() -> List[str]:
    """Local times every 15 minutes around midnight and the early morning of the days clocks
    change: each Sunday of March, April, October and November of several years, and the days
    Kolkata's clocks changed in the war."""
    days = [
        datetime.date(year, month, day)
        for year in (1942, 1970, 1987, 2024, 2037, 2100)
        for month in (3, 4, 10, 11)
        for day in range(1, 32)
        if day <= 28 or month in (3, 10)
        if datetime.date(year, month, day).weekday() == 6
    ]
    days += [datetime.date(1941, 10, 1), datetime.date(1942, 5, 15), datetime.date(1942, 9, 1), datetime.date(1945, 10, 15)]
    found: List[str] = []
    for day in days:
        eve = day - datetime.timedelta(days=1)
        for minutes in range(-120, 240, 15):
            when, hour = (eve, 24 + minutes // 60) if minutes < 0 else (day, minutes // 60)
            clock = f"{hour:02d}:{minutes % 60:02d}"
            found.append(f"{when.isoformat()}T{clock}")
            found.append(f"{when.month}/{when.day}/{when.year} {clock}")
    return found + ["+275760-09-12T23:00", "+275760-09-13T00:00", "+275760-09-13T05:30",
                    "-271821-04-20T00:00", "-271821-04-19T20:00", "-271821-04-20T05:00",
                    "Sep 13 275760", "Sep 12 275760 20:00", "1800-01-01T00:00", "Jan 1 1800"]


def _random(count: int) -> List[str]:
    """Random sequences of the tokens V8 tells apart, from a fixed seed."""
    rng = random.Random(30)
    pool = WORDS + NUMBERS + SYMBOLS + ["10:00", "2024-11-08", "+0100", "GMT+", "Nov 8"]
    return ["".join(rng.choice(pool) for _ in range(rng.randint(1, 9))) for _ in range(count)]


CORPUS = sorted(set(_structured() + _clock_changes() + _random(3000)))

PYTHON_SIDE = """
import json, math, sys
from isao_webhooks._dates import date_parse
from isao_webhooks._webhook import event_time, iso_string
plain = lambda value: None if math.isnan(value) else value
shown = lambda value: None if math.isnan(value) else iso_string(value)
texts = json.loads(sys.stdin.read())
read = [(date_parse(text), event_time(text)) for text in texts]
print(json.dumps([[plain(at), plain(time), shown(at)] for at, time in read]))
"""

Reading = List[List[Union[None, float, str]]]


def _run(command: List[str], zone: str) -> Reading:
    env = {**os.environ, "TZ": zone, "PYTHONPATH": str(PYTHON)}
    given = json.dumps(CORPUS).encode()
    run = subprocess.run(command, input=given, capture_output=True, check=True, env=env)
    read: Reading = json.loads(run.stdout)
    return read


_READINGS: Dict[str, Tuple[Reading, Reading]] = {}


def readings(zone: str) -> Tuple[Reading, Reading]:
    """What Node and the Python package read each text of the corpus as, in a time zone."""
    if zone not in _READINGS:
        if not _READINGS:
            compiled()
        _READINGS[zone] = (_run([node(), str(ORACLE)], zone), _run([sys.executable, "-c", PYTHON_SIDE], zone))
    return _READINGS[zone]


def _differences(zone: str, column: int) -> List[str]:
    theirs, ours = readings(zone)
    return [
        f"{text!r}: Node {a[column]}, Python {b[column]}"
        for text, a, b in zip(CORPUS, theirs, ours)
        if a[column] != b[column]
    ]


@pytest.mark.parametrize("zone", ZONES)
def test_date_parse_as_node(zone: str) -> None:
    differences = _differences(zone, 0)
    assert not differences, f"{len(differences)} of {len(CORPUS)} differ: " + "\n".join(differences[:30])


@pytest.mark.parametrize("zone", ZONES)
def test_event_time_as_the_core(zone: str) -> None:
    differences = _differences(zone, 1)
    assert not differences, f"{len(differences)} of {len(CORPUS)} differ: " + "\n".join(differences[:30])


def test_iso_string_as_node() -> None:
    """Each date read, written as ``toISOString`` writes it (years before 1 and past 9999 too)."""
    differences = _differences("UTC", 2)
    assert not differences, f"{len(differences)} of {len(CORPUS)} differ: " + "\n".join(differences[:30])


def test_the_corpus_proves_something() -> None:
    """Thousands of texts, many read as dates (legacy ones among them) and many refused, and local
    times that each zone reads differently."""
    assert len(CORPUS) > 5000
    node_utc, _ = readings("UTC")
    node_new_york, _ = readings("America/New_York")
    read = [text for text, row in zip(CORPUS, node_utc) if row[0] is not None]
    assert 1500 < len(read) < len(CORPUS) - 1500
    assert sum(1 for text in read if any(c.isalpha() and c not in "TZz" for c in text)) > 500
    moved = [text for text, a, b in zip(CORPUS, node_utc, node_new_york) if a[0] != b[0]]
    assert len(moved) > 1000
