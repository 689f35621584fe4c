"""What every adapter answers before the receiver (the Node package's http.ts): 404 for another
path than the webhook's, 405 for another method than POST, 413 for a body larger than
``max_body_bytes``, 400 for a request cut off before its body ended; and the answer as HTTP."""

from __future__ import annotations

from typing import Generic, List, Optional, Tuple, TypeVar

from .receiver import Answer, Receiver

App = TypeVar("App")

#: The largest body read by default: 5 MiB, far above a batch of ISAO events.
DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024
JSON_TYPE = "application/json; charset=utf-8"
STATUS_TEXT = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed", 413: "Payload Too Large", 500: "Internal Server Error", 503: "Service Unavailable"}


def before_body(
    requested: str, method: str, length: Optional[str], path: Optional[str], max_body_bytes: int
) -> Optional[Answer]:
    """The adapter's own answer before the body is read, or None when it is to be read."""
    if path is not None and requested.split("?")[0] != path:
        return Answer(404, {"ok": False, "message": f"ISAO webhooks are received at {path}."})
    if method.upper() != "POST":
        return Answer(405, {"ok": False, "message": "ISAO delivers webhooks with POST."}, {"Allow": "POST"})
    try:
        declared = int(length) if length else 0
    except ValueError:
        declared = 0
    return too_large(max_body_bytes) if declared > max_body_bytes else None


def too_large(max_body_bytes: int) -> Answer:
    message = f"The webhook body is larger than {max_body_bytes} bytes (max_body_bytes)."
    return Answer(413, {"ok": False, "message": message}, {"Connection": "close"})


CUT_OFF = Answer(400, {"ok": False, "message": "The webhook request was cut off before its body ended."})


def unread(message: str) -> Answer:
    """A receiver set up wrong: its body is gone (500, no retry helps until it is fixed)."""
    return Answer(500, {"ok": False, "problem": "unread", "message": message})


def response_headers(answer: Answer, body: bytes) -> List[Tuple[str, str]]:
    """The answer's headers, its JSON type and the length of ``body`` (``answer.json()``) first."""
    return [("Content-Type", JSON_TYPE), ("Content-Length", str(len(body))), *answer.headers.items()]


def status_line(status: int) -> str:
    return f"{status} {STATUS_TEXT.get(status, 'Unknown')}"


class Endpoint(Generic[App]):
    """What the WSGI and ASGI endpoints keep: the receiver, the path whose requests it answers
    (every path when None), the application any other request goes to, and the largest body."""

    def __init__(
        self,
        receiver: Receiver,
        *,
        path: Optional[str] = None,
        app: Optional[App] = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> None:
        self.receiver = receiver
        self.path = path
        self.app = app
        self.max_body_bytes = max_body_bytes
