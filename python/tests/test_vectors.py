"""conformance/vectors.json, read at test time (generated from the core, never copied here):
every case through verify() gives the outcome the core expects, the records equal to the
core's, whether the body is given as bytes or as text and the headers in any shape Python
servers hand them over."""

from __future__ import annotations

from typing import Dict, List, Tuple

import pytest

from shared import Vector, body_of, headers_of, vectors
from isao_webhooks import VerificationError, verify
from isao_webhooks.verify import Headers, RawBody

CASES = vectors()


def outcome(raw: RawBody, headers: Headers, vector: Vector) -> Dict[str, object]:
    """A result in the vectors' terms."""
    secrets = vector["secrets"]
    now = vector["now"]
    assert isinstance(secrets, list) and isinstance(now, (int, float))
    try:
        result = verify(raw, headers, secrets=secrets, now=now)
    except VerificationError as error:
        return {"ok": False, "status": error.status, "problem": error.kind}
    events = [
        {
            "name": event["name"],
            "id": event["id"],
            "occurredAt": event["occurred_at"],
            "data": event["data"],
            "record": event["record"],
        }
        for event in result.events
    ]
    unknown = [
        {"name": u["name"], "id": u["id"], "occurredAt": u["occurred_at"], "data": u["data"]}
        for u in result.unknown
    ]
    return {
        "ok": True,
        "signedWith": result.signed_with,
        "events": events,
        "unknown": unknown,
        "skipped": len(result.skipped),
    }


def joined(pairs: List[Tuple[str, str]]) -> Dict[str, str]:
    """Headers as a WSGI server joins a repeated one: lower-case names, values joined by ", "."""
    out: Dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def environ(pairs: List[Tuple[str, str]]) -> Dict[str, str]:
    """Headers as a WSGI environ holds them (HTTP_X_ISAO_HMAC_SHA256)."""
    return {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in joined(pairs).items()}


def asgi(pairs: List[Tuple[str, str]]) -> List[Tuple[bytes, bytes]]:
    """Headers as ASGI's scope holds them: byte pairs, lower-case names, repeats kept."""
    return [(name.lower().encode(), value.encode("latin-1")) for name, value in pairs]


def test_the_file_holds_the_cases_the_core_wrote() -> None:
    assert len(CASES) >= 40
    outcomes = {c["expected"]["ok"] if c["expected"]["ok"] else c["expected"]["problem"] for c in CASES}  # type: ignore[index]
    assert {"missing", "malformed", "mismatch", "replay", "encoding", "bom", "json"} <= outcomes


@pytest.mark.parametrize("vector", CASES, ids=[str(c["name"]) for c in CASES])
def test_vector(vector: Vector) -> None:
    pairs = headers_of(vector)
    expected = vector["expected"]
    body = body_of(vector)
    shapes: List[Headers] = [pairs, joined(pairs), environ(pairs), asgi(pairs)]
    for headers in shapes:
        assert outcome(body, headers, vector) == expected, headers
    # the same bytes as a bytearray and a memoryview, and as text when they are text
    raws: List[RawBody] = [bytearray(body), memoryview(body)]
    text = vector["body"].get("text")  # type: ignore[union-attr]
    if isinstance(text, str):
        raws.append(text)
    for raw in raws:
        assert outcome(raw, pairs, vector) == expected
