"""The receiver in Django: ``path("webhooks/isao", webhook_view(receiver))`` in your URLconf. The
view is exempt from CSRF (ISAO's signature is the proof), reads the request's exact bytes
(``request.body``) and answers as the receiver does; a body past Django's
DATA_UPLOAD_MAX_MEMORY_SIZE is answered 413. Importing this module imports Django; importing
``isao_webhooks`` does not."""

from __future__ import annotations

from typing import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.views.decorators.csrf import csrf_exempt

from ._http import DEFAULT_MAX_BODY_BYTES, JSON_TYPE, before_body, too_large, unread
from .receiver import Answer, Receiver

__all__ = ["webhook_view"]

CONSUMED = (
    "The webhook request's body was read as a stream before this view (request.read() or "
    "request.POST on a form), so its bytes are gone. Let the ISAO view read request.body."
)


def answer_request(receiver: Receiver, request: HttpRequest, max_body_bytes: int) -> Answer:
    """The answer to a Django request."""
    length = str(request.META.get("CONTENT_LENGTH") or "")
    early = before_body(request.path, request.method or "", length, None, max_body_bytes)
    if early is not None:
        return early
    try:
        body = request.body
    except RequestDataTooBig:
        return too_large(max_body_bytes)
    except RawPostDataException:
        return unread(CONSUMED)
    if len(body) > max_body_bytes:
        return too_large(max_body_bytes)
    return receiver.receive(body, request.headers)


def webhook_view(
    receiver: Receiver, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
) -> Callable[[HttpRequest], HttpResponse]:
    """A Django view answering ISAO's deliveries."""

    def isao_webhook(request: HttpRequest) -> HttpResponse:
        answer = answer_request(receiver, request, max_body_bytes)
        response = HttpResponse(answer.json(), status=answer.status, content_type=JSON_TYPE)
        for name, value in answer.headers.items():
            response[name] = value
        return response

    # called, not a decorator: typed the same with Django's stubs or without them
    view: Callable[[HttpRequest], HttpResponse] = csrf_exempt(isao_webhook)
    return view
