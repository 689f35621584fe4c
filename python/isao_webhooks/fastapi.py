"""The receiver in FastAPI or Starlette: ``add_route(app, receiver, path)``, or the endpoint
``webhook_endpoint(receiver)`` wherever a route takes one. It reads the request's exact bytes
(the stream, or the bytes Starlette kept from ``await request.body()``) and answers with
``await receiver.areceive()``: handlers and store calls never block the event loop. Importing
this module imports Starlette; importing ``isao_webhooks`` does not."""

from __future__ import annotations

from typing import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Router

from ._http import DEFAULT_MAX_BODY_BYTES, JSON_TYPE, before_body, too_large, unread
from .receiver import Answer, Receiver

__all__ = ["add_route", "webhook_endpoint"]

CONSUMED = (
    "The webhook request's body was read by something before this route, which kept no copy "
    "of its bytes (request.stream() read directly?). Let the ISAO route read it: await "
    "request.body() keeps them."
)


async def answer_request(receiver: Receiver, request: Request, max_body_bytes: int) -> Answer:
    """The answer to a Starlette request."""
    early = before_body(
        request.url.path, request.method, request.headers.get("content-length"), None, max_body_bytes
    )
    if early is not None:
        return early
    parts = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_body_bytes:
                return too_large(max_body_bytes)
            parts.append(chunk)
    except RuntimeError:
        return unread(CONSUMED)
    return await receiver.areceive(b"".join(parts), request.headers)


def webhook_endpoint(
    receiver: Receiver, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
) -> Callable[[Request], Awaitable[Response]]:
    """A Starlette (and FastAPI) endpoint answering ISAO's deliveries."""

    async def isao_webhook(request: Request) -> Response:
        answer = await answer_request(receiver, request, max_body_bytes)
        return Response(answer.json(), status_code=answer.status, headers=answer.headers, media_type=JSON_TYPE)

    return isao_webhook


def add_route(
    app: Router,
    receiver: Receiver,
    path: str = "/webhooks/isao",
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> None:
    """Serves ISAO's deliveries at ``path`` of a FastAPI or Starlette app (or router); left out
    of FastAPI's OpenAPI schema."""
    app.add_route(path, webhook_endpoint(receiver, max_body_bytes=max_body_bytes), methods=["POST"], include_in_schema=False)
