"""The receiver in Flask: ``add_url_rule`` with ``webhook_view(receiver)``, or ``init_app(app,
receiver, path)``. The view reads the request's exact bytes (``request.get_data()``; Flask keeps
them even after ``request.get_json()``) and answers as the receiver does. Importing this module
imports Flask; importing ``isao_webhooks`` does not."""

from __future__ import annotations

from typing import Callable, Optional

from flask import Flask, Response, request

from ._http import DEFAULT_MAX_BODY_BYTES, JSON_TYPE, before_body, too_large, unread
from .receiver import Answer, Receiver

__all__ = ["init_app", "webhook_view"]

CONSUMED = (
    "The webhook request's body was read by something before this view, which kept no copy of "
    "its bytes (request.stream read directly?). Let the ISAO view read it: request.get_data() "
    "and request.get_json() keep them."
)


def answer_request(receiver: Receiver, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> Answer:
    """The answer to Flask's current request."""
    length = request.content_length
    early = before_body(request.path, request.method, str(length or ""), None, max_body_bytes)
    if early is not None:
        return early
    body = request.get_data(cache=True)
    if len(body) > max_body_bytes:
        return too_large(max_body_bytes)
    if not body and length:
        return unread(CONSUMED)
    return receiver.receive(body, request.headers)


def webhook_view(receiver: Receiver, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> Callable[[], Response]:
    """A Flask view answering ISAO's deliveries."""

    def isao_webhook() -> Response:
        answer = answer_request(receiver, max_body_bytes)
        return Response(answer.json(), status=answer.status, headers=answer.headers, content_type=JSON_TYPE)

    return isao_webhook


def init_app(
    app: Flask,
    receiver: Receiver,
    path: str = "/webhooks/isao",
    *,
    endpoint: Optional[str] = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> None:
    """Serves ISAO's deliveries at ``path`` of ``app`` (POST; another method is answered 405)."""
    view = webhook_view(receiver, max_body_bytes=max_body_bytes)
    app.add_url_rule(path, endpoint or "isao_webhook", view, methods=["POST"])
