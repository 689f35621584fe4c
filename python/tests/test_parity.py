"""Parity beyond the vectors: bodies that reach the port's branches the 72 vectors do not (numbers
as JavaScript writes them, key order, custom field labels, invisible characters, the bounds,
nesting too deep for Python's JSON parser, every envelope's corners, dates), each verified here
and by the Node package itself (tests/node_oracle.js over the compiled core): the oracle is the
real core, never a copy of its answers. Outcomes are compared as JSON text, key order included,
and the skipped items' reasons word for word."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import subprocess
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

import pytest

from shared import compiled, node
from isao_webhooks import VerificationError, verify
from isao_webhooks._js import stringify

SECRET = "whsec_parity"
NOW = 1_731_065_400_000  # 2024-11-08T11:30:00Z
ORACLE = Path(__file__).with_name("node_oracle.js")


Case = Dict[str, object]


def case(
    body: Union[str, bytes],
    *,
    headers: Optional[List[Tuple[str, str]]] = None,
    secrets: Tuple[str, ...] = (SECRET,),
    tolerance: Optional[float] = None,
    now: int = NOW,
) -> Case:
    raw = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    signature = base64.b64encode(hmac.new(SECRET.encode(), raw, hashlib.sha256).digest()).decode()
    given = headers if headers is not None else [("X-Isao-Hmac-Sha256", signature)]
    return {
        "secrets": list(secrets),
        "now": now,
        "tolerance": tolerance,
        "base64": base64.b64encode(raw).decode(),
        "headers": [[name, value.replace("{sig}", signature)] for name, value in given],
    }


def envelope(event: str, data: str, *, timestamp: str = '"2024-11-08T11:00:00Z"', meta: str = '{"eventId":"evt_1"}') -> str:
    return f'{{"event":"{event}","timestamp":{timestamp},"data":{data},"metadata":{meta}}}'


def deal(data: str, **kw: str) -> str:
    return envelope("deal.won", data, **kw)


def appointment(fields: str) -> str:
    return envelope("appointment.created", f'{{"id":"a1","fields":{fields}}}')


LABELS = [
    '"Preferred Contact Time"', '"Phone #"', '"\u96fb\u8a71"', '"Pr\u00e9f\u00e9r\u00e9"',
    '"  spaced  "', '"phone-number"', '"Phone number"', '"PHONE_NUMBER"', '"m\u00b2"',
    '"\u200bhidden"', '"\ufb01ne"', '"\u0130stanbul"', '""', "7", "null", '"_x_"',
    '"\\ud800lone"', '"a\u2028b"',
]

CASES: List[Tuple[str, Case]] = [
    # numbers as JavaScript holds and writes them
    *[(f"deal id {n}", case(deal(f'{{"id":{n},"title":"t"}}'))) for n in
      ["0", "-0", "1.0", "1.5", "1e21", "1e-7", "123456789012345678901", "9007199254740993",
       "1E400", "0.000001", "-12.5e3", "true", '""', "null", '"x"']],
    *[(f"event id {n}", case(deal('{"title":"t"}', meta=f'{{"eventId":{n},"source":7,"companyId":1.5e300}}')))
      for n in ["42", "4.2e1", "1e21", '" evt_1\u00a0"', '"\u200b"', '"\ufeffevt"', '"evt\u200d"', '"evt\ufe0f"',
                "[1]", "true", '"\u3000"']],
    # no id anywhere: a digest of the data, key order as JavaScript orders it
    *[(f"fingerprint {b}", case(deal(b, meta="{}"))) for b in
      ['{"b":1,"2":2,"1":3}', '{"x":"\\u0001\\u001f\\n\\"\\\\"}', '{"4294967295":1,"4294967294":2,"01":3}',
       '{"a":1,"a":2,"b":3}', '{"e":"\u00e9\U0001f600\u2028"}', '{"s":"\\ud83d"}', '{"n":[1.0,2.50,1e21,1e400]}']],
    # appointments' custom fields
    *[(f"label {label}", case(appointment(f'[{{"label":{label},"value":1}}]'))) for label in LABELS],
    ("labels sharing a key", case(appointment('[{"label":"Phone number","value":1},{"label":"phone-number","value":2}]'))),
    ("definition ids", case(appointment('[{"fieldId":12,"value":1},{"definitionId":" D 1 ","value":2},{"id":"x"},{"label":"  ","schedulerPreferenceFieldDefnId":"p"}]'))),
    ("values", case(appointment('[{"label":"a","value":null,"extendedValue":"e"},{"label":"b","value":0},{"label":"c"},{"label":"d","value":false}]'))),
    ("fields not a list", case(appointment('{"label":"a"}'))),
    ("fields not objects", case(appointment('[1,"x",null,[]]'))),
    ("nested declared keys", case(envelope("appointment.created", '{"id":"a","client":"Jon","reason":null,"staff":{"x":1},"location":[]}'))),
    # bounds
    ("33 levels", case(deal('{"id":"d","x":' + "[" * 31 + "]" * 31 + "}"))),
    ("32 levels", case(deal('{"id":"d","x":' + "[" * 30 + "]" * 30 + "}"))),
    ("too large", case(deal('{"id":"d","x":"' + "y" * 1_000_000 + '"}'))),
    ("too large in astral", case(deal('{"id":"d","x":"' + "\U0001f600" * 500_000 + '"}'))),
    ("nested 5000 deep, known event", case(deal('{"id":"d","x":' + "[" * 5000 + "]" * 5000 + "}"))),
    ("nested 5000 deep, beside a good one", case("[" + deal('{"x":' + "{\"a\":" * 5000 + "1" + "}" * 5000 + "}") + "," + deal('{"id":"d2"}', meta='{"eventId":"e2"}') + "]")),
    # envelopes
    ("event null", case('{"event":null,"data":{"id":1}}')),
    ("event a number, metadata only", case('{"event":42,"metadata":{"eventId":" e "}}')),
    ("event a list", case('{"event":[[[1]]],"data":{}}')),
    ("flat, nothing else", case('{"event":"deal.won","timestamp":"2024-11-08T11:00:00Z"}')),
    ("flat, not enveloped, event not a name", case('{"event":"Deal Won","id":"d"}')),
    ("metadata not an object", case('{"event":"deal.won","data":{"id":"d"},"metadata":[1]}')),
    ("data a list", case('{"event":"deal.won","data":[1]}')),
    ("topic with ids", case('{"data":{"event":{"topic":"appointment_update","eventId":"t1","occurredAt":"2024-11-08T11:00:00Z","appId":"app","businessId":20398,"payload":{"appointment":{"calendarid":5}}}}}')),
    ("topic payload not an object", case('{"data":{"event":{"topic":"deal.won","payload":"x"}}}')),
    ("topic not text", case('{"data":{"event":{"topic":7,"payload":{}}}}')),
    ("topic unknown", case('{"data":{"event":{"topic":" other ","id":"z","payload":[1]}}}')),
    ("a batch of one record twice and items", case("[" + deal('{"id":"d"}') + "," + deal('{"id":"d"}') + ',1,"x",null,{}]')),
    # dates: beside a fresh event, a stale one is skipped with the time it was read as
    *[(f"timestamp {t}", case("[" + deal('{"id":"d0"}', meta='{"eventId":"e0"}') + "," + deal('{"id":"d"}', timestamp=t) + "]")) for t in
      ['"2024-11-08T08:00:00.000Z"', '"2024-11-08T08:00Z"', '"2024-11-08"', '"2024-11"', '"2024"',
       '"+002024-11-08T08:00:00Z"', '"-000001-01-01T00:00:00Z"', '"2024-11-08T08:00:00.123456Z"',
       '"2024-11-08T09:00:00+01:00"', '"2024-11-08T09:00:00+0100"', '"2024-11-08t08:00:00z"',
       '"Fri, 08 Nov 2024 08:00:00 GMT"', '"Fri, 08 Nov 2024 09:00:00 +0100"', '"2024-13-01"',
       '"2024-11-08T08:00:60Z"', '"2024-11-08T24:00:00Z"', '"2024-02-30T00:00:00Z"', '"0"',
       '"99999999999999999999"', "1731058200.5", "1.7310582e12", "1e21", '"\u00a0 1731058200 "',
       '"\u0661\u0667\u0663"', '"1731058200\\n"', "true", "[1]", '"2024-11-08T08:00:00.000-00:00"',
       # dates only JavaScript's legacy reading takes, stale and fresh (some local time)
       '"Nov 8 2024"', '"2024/11/08 08:00 UTC"', '"8 Nov 2024 09:00 GMT+0100"', '"11/8/2024 3:00 AM EST"',
       '"Friday, November 8, 2024 12:00:00 AM PST"', '"Fri Nov 08 2024 08:00:00 GMT+0000 (Coordinated Universal Time)"',
       '"2024-11-08 08:00"', '"Nov 8 2024 11:00 GMT"', '"Nov 8 24 11:15 UTC"', '"11/8/2024 11:00:00.5 Z"']],
    ("custom tolerance, stale", case(deal('{"id":"d"}'), tolerance=60)),
    ("custom tolerance 0.5 s", case(deal('{"id":"d"}', timestamp='"2024-11-08T11:29:59Z"'), tolerance=0.5)),
    ("tolerance 0", case(deal('{"id":"d"}', timestamp=str(NOW)), tolerance=0)),
    # headers and signatures
    ("signature with invisible edges", case(deal('{"id":"d"}'), headers=[("x-isao-hmac-sha256", "\u200b {sig}\u00a0")])),
    ("signature 45 base64 chars", case(deal('{"id":"d"}'), headers=[("X-Isao-Hmac-Sha256", "{sig}A")])),
    ("signature too much padding", case(deal('{"id":"d"}'), headers=[("X-Isao-Hmac-Sha256", "sha256=={sig}")])),
    ("signature, two headers", case(deal('{"id":"d"}'), headers=[("X-Isao-Hmac-Sha256", "{sig}"), ("x-isao-hmac-sha256", "")])),
    ("rotation, three secrets", case(deal('{"id":"d"}'), secrets=("a", "b", SECRET))),
    # bodies
    ("white space JS trims, Python keeps", case("\u2028\u00a0")),
    ("a body Python would not trim", case("\x1c")),
    ("NaN is not JSON", case('{"event":"deal.won","data":{"v":NaN}}')),
    ("a control character in a string", case('{"x":"a\x01b"}')),
    ("trailing data", case('{"x":1} {"y":2}')),
    ("lone surrogate escapes", case('{"event":"deal.won","data":{"id":"\\udc00"},"metadata":{"eventId":"\\ud800"}}')),
    ("an empty list item object", case('[{}]')),
    ("unknown event, no data key", case('{"event":"deal.archived","timestamp":"2024-11-08T11:00:00Z","id":"x"}')),
]


def python_side(c: Case) -> Tuple[str, List[str]]:
    headers = [(str(n), str(v)) for n, v in c["headers"]]  # type: ignore[union-attr]
    raw = base64.b64decode(str(c["base64"]))
    try:
        result = verify(raw, headers, secrets=c["secrets"], now=c["now"], tolerance=c["tolerance"])  # type: ignore[arg-type]
    except VerificationError as error:
        return stringify({"ok": False, "status": error.status, "problem": error.kind}), []
    events = [
        {"name": e["name"], "id": e["id"], "occurredAt": e["occurred_at"], "data": e["data"], "record": e["record"]}
        for e in result.events
    ]
    unknown = [{"name": u["name"], "id": u["id"], "occurredAt": u["occurred_at"], "data": u["data"]} for u in result.unknown]
    out = {"ok": True, "signedWith": result.signed_with, "events": events, "unknown": unknown, "skipped": len(result.skipped)}
    return stringify(out), result.skipped


@pytest.fixture(scope="module")
def oracle() -> List[Dict[str, object]]:
    compiled()
    given = json.dumps([c for _, c in CASES]).encode()
    run = subprocess.run([node(), str(ORACLE)], input=given, capture_output=True, check=True, env=dict(os.environ))
    answers: List[Dict[str, object]] = json.loads(run.stdout)
    return answers


@pytest.mark.parametrize("index", range(len(CASES)), ids=[name for name, _ in CASES])
def test_same_as_the_node_package(index: int, oracle: List[Dict[str, object]]) -> None:
    outcome, skipped = python_side(CASES[index][1])
    assert (outcome, skipped) == (oracle[index]["outcome"], oracle[index]["skipped"])
