"""``verify()``: a delivery checked over its exact bytes and read as events, as the Node package
reads it (sdk/src/verify.ts, pipeline.ts, request.ts) and conformance/vectors.json expects.

The signature is judged before the body is read (nothing about an unsigned body is told); every
malformed request is a :class:`VerificationError` with its kind, the HTTP status to answer and a
reason a developer can act on, never another exception. Options that cannot work (no secret, a
negative tolerance) are the code's mistake: a TypeError or ValueError naming them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import time
from dataclasses import dataclass
from typing import Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

from . import _core_generated as core
from ._events import events_of
from ._inputs import js_trim, quote, text
from ._js import is_number, parse, utf8
from ._webhook import Items, events_in
from .events_generated import AnyIsaoEvent, UnknownEvent

SIGNATURE_HEADER = core.SIGNATURE_HEADER
#: Each problem kind with the HTTP status a receiver answers (the Node package's PROBLEMS).
PROBLEMS: Mapping[str, int] = core.PROBLEMS

RawBody = Union[bytes, bytearray, memoryview, str]
HeaderValue = Union[str, bytes, Sequence[Union[str, bytes]], None]
#: Request headers as Python servers hand them over: a mapping (a dict, Flask's, Starlette's or
#: Django's headers, a WSGI environ), or name and value pairs (ASGI's ``scope["headers"]``).
Headers = Union[Mapping[str, object], Iterable[Tuple[Union[str, bytes], HeaderValue]], None]


class VerificationError(Exception):
    """A delivery refused: ``kind`` (a key of PROBLEMS), ``status`` to answer and ``reason``."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.status = PROBLEMS[kind]
        self.reason = reason


@dataclass(frozen=True)
class Verified:
    """A delivery whose signature matched one of the secrets, read as events."""

    events: List[AnyIsaoEvent]
    """The ISAO events in the body's order; an item repeated within the body counts once."""
    unknown: List[UnknownEvent]
    """Items naming no event of the table."""
    skipped: List[str]
    """Why each other item was left out (malformed, no record, not an object, a replay)."""
    signed_with: int
    """Which secret matched (its position in ``secrets``): shows an old one still in use."""


PARSED_BODY = (
    f"The webhook body was already parsed (a dict or list), so its exact bytes (which the "
    f"{SIGNATURE_HEADER} signature covers) are gone. Pass the raw body: request.get_data() in "
    "Flask, await request.body() in FastAPI or Starlette, request.body in Django."
)
NO_BODY = (
    "No webhook body was given to verify: pass the request's raw body (bytes, or str) as received."
)
_WANTED = SIGNATURE_HEADER.lower()
_ENVIRON_NAME = "HTTP_" + SIGNATURE_HEADER.upper().replace("-", "_")


class Options(NamedTuple):
    secrets: Tuple[str, ...]
    now: float
    tolerance_ms: float


def read_options(
    secrets: Union[str, Sequence[str]], now: Optional[float], tolerance: Optional[float]
) -> Options:
    """The options read; a TypeError or ValueError names one that cannot work."""
    given: Sequence[object] = (
        [secrets] if isinstance(secrets, str) or not isinstance(secrets, (list, tuple)) else secrets
    )
    read = [text(secret) if isinstance(secret, str) else None for secret in given]
    if not read or any(secret is None for secret in read):
        raise TypeError(
            "isao_webhooks: `secrets` must be the webhook's signing secret, or a list of them "
            "during a rotation, each a non-blank str."
        )
    return Options(
        tuple(secret for secret in read if secret is not None),
        _at_least_zero(time.time() * 1000 if now is None else now, "now"),
        _at_least_zero(core.DEDUP_TTL_SECONDS if tolerance is None else tolerance, "tolerance")
        * 1000,
    )


def _at_least_zero(value: object, name: str) -> float:
    if not isinstance(value, (int, float)) or not is_number(value) or not 0 <= value < float("inf"):
        raise ValueError(f"isao_webhooks: `{name}` must be a finite number of at least 0.")
    return float(value)


def _as_text(value: object) -> Optional[str]:
    if isinstance(value, str):
        return value
    return value.decode("latin-1") if isinstance(value, (bytes, bytearray)) else None


def _pairs(headers: object) -> Iterable[object]:
    items = getattr(headers, "items", None)
    if callable(items):
        found: Iterable[object] = items()
        return found
    if isinstance(headers, (list, tuple)):
        return headers
    raise VerificationError(
        "header",
        f"The headers given are not headers ({quote(type(headers).__name__, 40)}): pass the "
        "request's headers as received (a mapping, or name and value pairs).",
    )


def _signature_header(headers: object) -> Optional[str]:
    """The signature header as one text (repeats joined by ", ", as HTTP joins them)."""
    if headers is None:
        return None
    values: List[str] = []
    for pair in _pairs(headers):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise VerificationError(
                "header",
                f"The headers given hold {quote(str(pair), 40)}, not a name and a value: pass "
                "the request's headers as received.",
            )
        name, value = _as_text(pair[0]), pair[1]
        if name is None or (name.lower() != _WANTED and name != _ENVIRON_NAME) or value is None:
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            one = _as_text(item)
            if one is None:
                raise VerificationError(
                    "header",
                    f"The {SIGNATURE_HEADER} header must be text, but the headers given hold "
                    f"{quote(repr(value), 40)}: pass the request's headers as received.",
                )
            values.append(one)
    return text(", ".join(values))


_SCHEME = re.compile(r"sha256=", re.IGNORECASE)
_HEX = re.compile(r"[0-9a-fA-F]{64}")
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")


def _digest(header: str) -> Optional[bytes]:
    """The 32 bytes a signature header holds (hex, base64 or base64url, after sha256=)."""
    signature = header[7:] if _SCHEME.match(header) else header
    if _HEX.fullmatch(signature):
        return bytes.fromhex(signature)
    if not _BASE64.fullmatch(signature):
        return None
    bare = signature.rstrip("=").replace("-", "+").replace("_", "/")
    bare = bare[: len(bare) - len(bare) % 4] if len(bare) % 4 == 1 else bare
    try:
        decoded = base64.b64decode(bare + "=" * (-len(bare) % 4))
    except (binascii.Error, ValueError):
        return None
    return decoded if len(decoded) == 32 else None


def _body_bytes(raw: object) -> Tuple[bytes, Optional[str]]:
    if isinstance(raw, str):
        return utf8(raw), raw
    if isinstance(raw, (bytes, bytearray, memoryview)):
        return bytes(raw), None
    raise VerificationError("unread", NO_BODY if raw is None else PARSED_BODY)


def _signed_with(secrets: Sequence[str], body: bytes, header: Optional[str]) -> int:
    if not header:
        raise VerificationError("missing", core.MISSING_WORDS)
    provided = _digest(header)
    if provided is None:
        several = " It holds several values: the header was sent more than once." if "," in header else ""
        raise VerificationError("malformed", core.MALFORMED_WORDS + several)
    for i, secret in enumerate(secrets):
        expected = hmac.new(utf8(secret), body, hashlib.sha256).digest()
        if hmac.compare_digest(expected, provided):
            return i
    which = "the signing secret" if len(secrets) == 1 else f"any of the {len(secrets)} signing secrets"
    raise VerificationError(
        "mismatch",
        f"The {SIGNATURE_HEADER} signature does not match the body under {which}. Either the body "
        "changed on the way (a framework or proxy re-serialised it: verify the exact bytes "
        "received), or it was signed with another secret (copy the webhook's secret from ISAO "
        "again).",
    )


def _items(body: bytes, given: Optional[str]) -> Items:
    if body.startswith(b"\xef\xbb\xbf"):
        raise VerificationError(
            "bom",
            "The webhook body starts with a UTF-8 byte order mark (EF BB BF), which JSON does not "
            "allow: ISAO sends none, so something on the way added it.",
        )
    try:
        raw = given if given is not None else body.decode("utf-8")
    except UnicodeDecodeError:
        raise VerificationError(
            "encoding",
            "The webhook body is not valid UTF-8: ISAO sends JSON in UTF-8, so something on the "
            "way re-encoded it (read the body as bytes, not as text in another charset).",
        ) from None
    if not js_trim(raw):
        raise VerificationError("empty", core.EMPTY_BODY)
    try:
        parsed = parse(raw)
    except ValueError:
        raise VerificationError(
            "json", f"The webhook body is not JSON (it starts {quote(js_trim(raw), 40)})."
        ) from None
    read = events_in(parsed)
    if isinstance(read, str):
        raise VerificationError("not-event", read)
    return read


def verify(
    raw: RawBody,
    headers: Headers,
    *,
    secrets: Union[str, Sequence[str]],
    now: Optional[float] = None,
    tolerance: Optional[float] = None,
) -> Verified:
    """Verifies a delivery over its exact bytes and reads its events.

    ``secrets``: the webhook's signing secret, or several during a rotation. ``now``: the time to
    judge replays at, in epoch milliseconds (default: the system clock). ``tolerance``: the replay
    window in seconds (default 7200, ISAO's retry window): a signed event whose ``timestamp`` is
    older is refused; one in the future or unreadable is accepted. Raises VerificationError.
    """
    options = read_options(secrets, now, tolerance)
    body, given = _body_bytes(raw)
    signed_with = _signed_with(options.secrets, body, _signature_header(headers))
    reading = events_of(_items(body, given), options.now, options.tolerance_ms)
    if not reading.events and not reading.unknown and reading.skipped:
        first, count = reading.skipped[0], len(reading.skipped)
        more = f" (and {count - 1} more)" if count > 1 else ""
        kind = "replay" if reading.replays == count else "unusable"
        raise VerificationError(kind, f"Nothing in the webhook can be used. {first}{more}")
    return Verified(reading.events, reading.unknown, reading.skipped, signed_with)
