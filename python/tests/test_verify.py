"""verify() on what Python servers hand over: headers of every shape (a dict, name and value
pairs, a WSGI environ, ASGI's byte pairs, Flask's, Starlette's and Django's headers,
http.server's message, repeated headers), bodies of every type, and malformed input of any kind:
always a VerificationError with its kind, status and reason, never another exception."""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
from email.message import Message
from typing import List, Tuple

import pytest

from shared import body_of, headers_of, vectors
from isao_webhooks import VerificationError, verify
from isao_webhooks.verify import Headers

SECRET = "whsec_verify"
BODY = b'{"event":"deal.won","timestamp":"2024-11-08T10:30:00.000Z","data":{"id":"deal_1"},"metadata":{"eventId":"evt_1"}}'
NOW = 1_731_061_800_000
SIGNATURE = base64.b64encode(hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest()).decode()


def refused(raw: object, headers: object, **options: object) -> VerificationError:
    with pytest.raises(VerificationError) as caught:
        verify(raw, headers, secrets=SECRET, now=NOW, **options)  # type: ignore[arg-type]
    return caught.value


def test_a_delivery_is_verified_and_typed() -> None:
    result = verify(BODY, {"X-Isao-Hmac-Sha256": SIGNATURE}, secrets=SECRET, now=NOW)
    [event] = result.events
    assert event["name"] == "deal.won" and event["id"] == "evt_1"
    assert event["record"]["isao_event"]["type"] == "deal.won"
    assert event["record"]["title"] is None  # every documented field present
    assert result.signed_with == 0 and result.unknown == [] and result.skipped == []


@pytest.mark.parametrize(
    "headers",
    [
        {"x-isao-hmac-sha256": SIGNATURE},
        {"HTTP_X_ISAO_HMAC_SHA256": SIGNATURE, "CONTENT_TYPE": "application/json"},
        [("X-ISAO-HMAC-SHA256", SIGNATURE)],
        [(b"x-isao-hmac-sha256", SIGNATURE.encode())],
        {"X-Isao-Hmac-Sha256": [SIGNATURE]},
        ((b"content-type", b"application/json"), (b"x-isao-hmac-sha256", SIGNATURE.encode())),
    ],
    ids=["dict", "environ", "pairs", "asgi", "dict of lists", "tuple of byte pairs"],
)
def test_header_shapes(headers: Headers) -> None:
    assert verify(BODY, headers, secrets=SECRET, now=NOW).events[0]["id"] == "evt_1"


def test_http_server_message_and_repeats() -> None:
    message = Message()
    message["X-Isao-Hmac-Sha256"] = SIGNATURE
    assert verify(BODY, message, secrets=SECRET, now=NOW).events  # type: ignore[arg-type]
    message["X-Isao-Hmac-Sha256"] = SIGNATURE
    error = refused(BODY, message)
    assert (error.kind, error.status) == ("malformed", 401)
    assert "sent more than once" in error.reason
    twice = [("X-Isao-Hmac-Sha256", SIGNATURE), ("x-isao-hmac-sha256", SIGNATURE)]
    assert refused(BODY, twice).kind == "malformed"


def test_framework_headers() -> None:
    werkzeug = pytest.importorskip("werkzeug.datastructures")
    assert verify(BODY, werkzeug.Headers([("X-Isao-Hmac-Sha256", SIGNATURE)]), secrets=SECRET, now=NOW).events
    twice = werkzeug.Headers([("X-Isao-Hmac-Sha256", SIGNATURE), ("X-Isao-Hmac-Sha256", SIGNATURE)])
    assert refused(BODY, twice).kind == "malformed"
    starlette = pytest.importorskip("starlette.datastructures")
    raw = [(b"x-isao-hmac-sha256", SIGNATURE.encode())] * 2
    assert refused(BODY, starlette.Headers(raw=raw)).kind == "malformed"
    assert verify(BODY, starlette.Headers(raw=raw[:1]), secrets=SECRET, now=NOW).events


@pytest.mark.parametrize(
    "headers, kind, status, words",
    [
        ({"X-Isao-Hmac-Sha256": 7}, "header", 400, "must be text"),
        ({"X-Isao-Hmac-Sha256": [SIGNATURE, None]}, "header", 400, "must be text"),
        ("X-Isao-Hmac-Sha256: x", "header", 400, "not headers"),
        (42, "header", 400, "not headers"),
        ([("X-Isao-Hmac-Sha256",)], "header", 400, "not a name and a value"),
        ([SIGNATURE], "header", 400, "not a name and a value"),
        (None, "missing", 401, "no X-Isao-Hmac-Sha256 header"),
        ({}, "missing", 401, "no X-Isao-Hmac-Sha256 header"),
        ({"X-Isao-Hmac-Sha256": None}, "missing", 401, "no X-Isao-Hmac-Sha256"),
        ({"X-Isao-Hmac-Sha256": " \u200b "}, "missing", 401, "no X-Isao-Hmac-Sha256"),
        ({"X-Isao-Hmac-Sha256": "sha256="}, "malformed", 401, "not a signature"),
        ({"X-Isao-Hmac-Sha256": "\u00e9" * 44}, "malformed", 401, "not a signature"),
        ({"X-Isao-Hmac-Sha256": "A" * 43}, "mismatch", 401, "does not match"),
    ],
)
def test_malformed_headers(headers: object, kind: str, status: int, words: str) -> None:
    error = refused(BODY, headers)
    assert (error.kind, error.status) == (kind, status)
    assert words in error.reason and str(error) == error.reason


@pytest.mark.parametrize(
    "raw, kind, status",
    [
        (None, "unread", 500),
        ({"event": "deal.won"}, "unread", 500),
        ([BODY], "unread", 500),
        (7, "unread", 500),
    ],
)
def test_what_is_not_a_body(raw: object, kind: str, status: int) -> None:
    error = refused(raw, {"X-Isao-Hmac-Sha256": SIGNATURE})
    assert (error.kind, error.status) == (kind, status)
    assert "raw body" in error.reason


def signed(body: bytes) -> VerificationError:
    signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest())
    return refused(body, [(b"x-isao-hmac-sha256", signature)])


@pytest.mark.parametrize(
    "body, kind, status",
    [
        (b"\xff\xfe{}", "encoding", 400),
        (b'{"event":"deal.won","data":{"name":"\xed\xa0\x80"}}', "encoding", 400),
        (b"\xef\xbb\xbf" + BODY, "bom", 400),
        (b"", "empty", 400),
        (b" \r\n\t", "empty", 400),
        (b"{", "json", 400),
        (b'{"v": NaN}', "json", 400),
        (b"[" * 100_000, "json", 400),
        (b"[]", "not-event", 400),
        (b"42", "not-event", 400),
        (b'{"event":"deal.won","data":null}', "unusable", 400),
    ],
)
def test_malformed_bodies(body: bytes, kind: str, status: int) -> None:
    error = signed(body)
    assert (error.kind, error.status) == (kind, status)
    assert error.reason


def test_options_that_cannot_work_name_themselves() -> None:
    for secrets in ([], [""], [" "], [SECRET, 7], None):
        with pytest.raises(TypeError, match="`secrets`"):
            verify(BODY, {}, secrets=secrets, now=NOW)  # type: ignore[arg-type]
    for name, value in (("now", -1), ("now", float("nan")), ("tolerance", float("inf")), ("tolerance", True)):
        with pytest.raises(ValueError, match=f"`{name}`"):
            verify(BODY, {}, secrets=SECRET, **{name: value})  # type: ignore[arg-type]


def test_rotation_says_which_secret_signed() -> None:
    result = verify(BODY, {"X-Isao-Hmac-Sha256": SIGNATURE}, secrets=["whsec_new", SECRET], now=NOW)
    assert result.signed_with == 1
    with pytest.raises(VerificationError, match="any of the 2 signing secrets"):
        verify(BODY, {"X-Isao-Hmac-Sha256": "A" * 43}, secrets=["a", "b"], now=NOW)


def mutations(seed: int) -> List[Tuple[bytes, object]]:
    """Bytes of the vectors cut, flipped and spliced, under headers of random shapes."""
    rng = random.Random(seed)
    cases = vectors()
    out: List[Tuple[bytes, object]] = []
    shapes = [
        lambda h: h,
        lambda h: dict(h),
        lambda h: [(n.encode(), v.encode()) for n, v in h],
        lambda h: [n for n, _ in h],
        lambda h: {n: rng.choice([7, None, [v, v], b"\xff", v.encode()]) for n, v in h},
    ]
    for _ in range(1500):
        body = bytearray(body_of(rng.choice(cases)))
        for _ in range(rng.randint(0, 4)):
            if body and rng.random() < 0.5:
                body[rng.randrange(len(body))] = rng.randrange(256)
            else:
                at = rng.randrange(len(body) + 1)
                body[at:at] = rng.choice([b"[", b"{", b'"', b"\\u", b"\xc3", b"1e999", b"null", b","])
        given = headers_of(rng.choice(cases))
        if rng.random() < 0.5:  # signed with "x": the body itself is read
            digest = hmac.new(b"x", bytes(body), hashlib.sha256).digest()
            given = [("X-Isao-Hmac-Sha256", base64.b64encode(digest).decode())]
        out.append((bytes(body), rng.choice(shapes)(given)))
    return out


def test_nothing_but_a_verification_error_escapes() -> None:
    kinds = set()
    for body, headers in mutations(30):
        for secrets in (["whsec_conformance_current", "whsec_conformance_previous"], "x"):
            try:
                verify(body, headers, secrets=secrets, now=1_731_061_800_000)  # type: ignore[arg-type]
            except VerificationError as error:
                kinds.add(error.kind)
    assert {"header", "missing", "mismatch", "json", "encoding"} <= kinds
