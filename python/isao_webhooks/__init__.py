"""ISAO webhooks for Python: verify a delivery over its exact bytes, read its typed events, run
handlers once per event (de-duplicated), and answer ISAO as it needs, on any framework.

Standard library only; the framework adapters (``isao_webhooks.flask``, ``.fastapi``,
``.django``, ``.wsgi``, ``.asgi``) are imported only when used."""

from .events_generated import AnyIsaoEvent, IsaoEventName, UnknownEvent
from .verify import (
    PROBLEMS,
    SIGNATURE_HEADER,
    Headers,
    RawBody,
    VerificationError,
    Verified,
    verify,
)

__all__ = [
    "PROBLEMS",
    "SIGNATURE_HEADER",
    "AnyIsaoEvent",
    "Headers",
    "IsaoEventName",
    "RawBody",
    "UnknownEvent",
    "VerificationError",
    "Verified",
    "verify",
]
