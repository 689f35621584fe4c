"""ISAO webhooks for Python: verify a delivery over its exact bytes, read its typed events, run
handlers once per event (de-duplicated), and answer ISAO as it needs, on any framework.

Standard library only; the framework adapters (``isao_webhooks.flask``, ``.fastapi``,
``.django``, ``.wsgi``, ``.asgi``) are imported only when used."""

from ._claims import Claim, DedupStore, Duplicate, First, InFlight
from .events_generated import AnyIsaoEvent, IsaoEventName, UnknownEvent
from .receiver import Answer, Receiver, RetryableError, WebhookError
from .store import MEMORY_STORE_ENTRIES, MemoryStore
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
    "MEMORY_STORE_ENTRIES",
    "PROBLEMS",
    "SIGNATURE_HEADER",
    "Answer",
    "AnyIsaoEvent",
    "Claim",
    "DedupStore",
    "Duplicate",
    "First",
    "InFlight",
    "MemoryStore",
    "Receiver",
    "RetryableError",
    "WebhookError",
    "Headers",
    "IsaoEventName",
    "RawBody",
    "UnknownEvent",
    "VerificationError",
    "Verified",
    "verify",
]
