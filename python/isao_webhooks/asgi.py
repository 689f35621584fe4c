"""The receiver as an ASGI application, or as ASGI middleware in front of one (Starlette,
FastAPI, Django's ASGI application, any other): it reads the body's exact bytes from the
``http.request`` messages and answers ISAO's deliveries with ``await receiver.areceive()``, so
handlers and store calls never block the event loop; a request to another path (and lifespan)
goes to the wrapped application, or is answered 404 when there is none."""

from __future__ import annotations

from typing import Awaitable, Callable, Dict, List, MutableMapping, Union

from ._http import CUT_OFF, Endpoint, before_body, response_headers, too_large
from .receiver import Answer

Scope = MutableMapping[str, object]
Message = MutableMapping[str, object]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]

__all__ = ["IsaoAsgi", "read_asgi_body", "send_answer"]


async def read_asgi_body(receive: Receive, max_body_bytes: int) -> Union[bytes, Answer]:
    """The body's bytes from the ``http.request`` messages; an answer when it is larger than
    ``max_body_bytes`` or the client went away before it ended."""
    parts: List[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message.get("type") == "http.disconnect":
            return CUT_OFF
        chunk = message.get("body", b"")
        if isinstance(chunk, (bytes, bytearray)):
            size += len(chunk)
            if size > max_body_bytes:
                return too_large(max_body_bytes)
            parts.append(bytes(chunk))
        if not message.get("more_body", False):
            return b"".join(parts)


async def send_answer(send: Send, answer: Answer) -> None:
    """Sends the answer as an ASGI response."""
    body = answer.json()
    headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in response_headers(answer, body)]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class IsaoAsgi(Endpoint[AsgiApp]):
    """``IsaoAsgi(receiver, path="/webhooks/isao", app=your_asgi_app)``: an ASGI application
    that answers ISAO's deliveries at ``path`` (every path when None) and hands any other request
    to ``app``."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope.get("type")
        requested = str(scope.get("path") or "/")
        if self.app is not None and (kind != "http" or (self.path is not None and requested != self.path)):
            await self.app(scope, receive, send)
            return
        if kind == "lifespan":
            await _lifespan(receive, send)
            return
        if kind != "http":
            return
        headers = scope.get("headers") or []
        declared: Dict[bytes, bytes] = dict(headers) if isinstance(headers, list) else {}
        early = before_body(
            requested,
            str(scope.get("method") or ""),
            declared.get(b"content-length", b"").decode("latin-1"),
            self.path,
            self.max_body_bytes,
        )
        answer = early
        if answer is None:
            body = await read_asgi_body(receive, self.max_body_bytes)
            answer = body if isinstance(body, Answer) else await self.receiver.areceive(body, headers)  # type: ignore[arg-type]
        await send_answer(send, answer)


async def _lifespan(receive: Receive, send: Send) -> None:
    """Lifespan for a server running the receiver alone: nothing to start or stop."""
    while True:
        message = await receive()
        if message.get("type") == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message.get("type") == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
