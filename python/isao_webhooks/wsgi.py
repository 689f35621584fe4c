"""The receiver as a WSGI application, or as WSGI middleware in front of an application
(Flask's ``app.wsgi_app``, Django's ``get_wsgi_application()``, any other): it reads the body's
exact bytes from ``wsgi.input`` and answers ISAO's deliveries; a request to another path goes to
the wrapped application (or is answered 404 when there is none)."""

from __future__ import annotations

from typing import Callable, Iterable, List, Mapping, Optional, Union

from ._http import CUT_OFF, Endpoint, before_body, response_headers, status_line, too_large
from .receiver import Answer

Environ = Mapping[str, object]
StartResponse = Callable[..., object]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]

__all__ = ["IsaoWsgi", "read_wsgi_body"]

_CHUNK = 64 * 1024


def read_wsgi_body(environ: Environ, max_body_bytes: int) -> Union[bytes, Answer]:
    """The body's bytes: CONTENT_LENGTH of them, or the whole of a terminated chunked input; an
    answer when it is larger than ``max_body_bytes`` or cut off."""
    stream = environ.get("wsgi.input")
    read: Optional[Callable[[int], bytes]] = getattr(stream, "read", None)
    if read is None:
        return b""
    length = str(environ.get("CONTENT_LENGTH") or "")
    wanted = int(length) if length.isdigit() else None
    if wanted is None and not environ.get("wsgi.input_terminated"):
        return b""  # WSGI: without a length there is no body to read
    parts: List[bytes] = []
    size = 0
    while wanted is None or size < wanted:
        try:
            chunk = read(_CHUNK if wanted is None else min(_CHUNK, wanted - size))
        except (OSError, ValueError):
            return CUT_OFF
        if not chunk:
            break
        size += len(chunk)
        if size > max_body_bytes:
            return too_large(max_body_bytes)
        parts.append(chunk)
    if wanted is not None and size < wanted:
        return CUT_OFF
    return b"".join(parts)


class IsaoWsgi(Endpoint[WsgiApp]):
    """``IsaoWsgi(receiver, path="/webhooks/isao", app=your_wsgi_app)``: a WSGI application that
    answers ISAO's deliveries at ``path`` (every path when None) and hands any other request to
    ``app``."""

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        requested = str(environ.get("PATH_INFO") or "/")
        if self.app is not None and self.path is not None and requested != self.path:
            return self.app(environ, start_response)
        answer = self.answer(environ)
        body = answer.json()
        start_response(status_line(answer.status), response_headers(answer, body))
        return [body]

    def answer(self, environ: Environ) -> Answer:
        """What to answer the request."""
        early = before_body(
            str(environ.get("PATH_INFO") or "/"),
            str(environ.get("REQUEST_METHOD") or ""),
            str(environ.get("CONTENT_LENGTH") or ""),
            self.path,
            self.max_body_bytes,
        )
        if early is not None:
            return early
        body = read_wsgi_body(environ, self.max_body_bytes)
        if isinstance(body, Answer):
            return body
        return self.receiver.receive(body, environ)
