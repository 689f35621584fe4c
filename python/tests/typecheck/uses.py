"""The package as its users write against it, checked by mypy --strict (python/pyproject.toml's
``files``; test/python/mypy.test.ts): handlers typed by the event's name, ``on_any``, what
``verify()`` and the receiver give, and the client. mistakes.py holds what mypy must refuse."""

import asyncio
from datetime import datetime, timezone
from typing import Callable, Dict, List, Optional

from isao_webhooks import (
    Answer,
    AnyIsaoEvent,
    IsaoEventName,
    Receiver,
    VerificationError,
    Verified,
    WebhookError,
    verify,
)
from isao_webhooks.client import IsaoApiError, IsaoClient
from isao_webhooks.events_generated import (
    AppointmentCreatedEvent,
    ContactCreatedEvent,
    DealLostEvent,
    DealWonEvent,
)
from isao_webhooks.testing import signed_delivery

webhooks = Receiver(secrets=["whsec_new", "whsec_old"])
seen: List[str] = []


@webhooks.on("deal.won")
def deal_won(event: DealWonEvent) -> None:
    value: Optional[float] = event["record"]["value"]
    meta_id: Optional[str] = event["record"]["isao_event"]["id"]
    seen.append(f"{event['name']} {event['data'].get('title')} {value} {meta_id}")


@webhooks.on("contact.created")
async def contact_created(event: ContactCreatedEvent) -> str:
    await asyncio.sleep(0)
    tags: Optional[List[str]] = event["record"]["tags"]
    return f"{event['record']['email']} {tags}"


@webhooks.on("appointment.created")
def appointment_created(event: AppointmentCreatedEvent) -> Optional[str]:
    return event["record"]["client"]["firstName"]


def deal_lost(event: DealLostEvent) -> None:
    seen.append(str(event["record"]["previousStage"]))


webhooks.on("deal.lost", deal_lost)
webhooks.on("deal.stage_changed", lambda event: seen.append(str(event["record"]["stage"])))


@webhooks.on(["deal.won", "deal.lost"])
def deal_closed(event: AnyIsaoEvent) -> None:
    if event["name"] == "deal.won":
        won: DealWonEvent = event
        seen.append(str(won["record"]["status"]))


@webhooks.on_any
def any_event(event: AnyIsaoEvent) -> None:
    if event["name"] == "appointment.deleted":
        seen.append(str(event["record"]["custom_fields"]))
    elif event["name"] in ("contact.created", "contact.updated"):
        seen.append(str(event["id"]))


@webhooks.on_error
def on_error(error: WebhookError) -> None:
    seen.append(str(error))


# the decorators give each handler back with its own type
kept: Callable[[DealWonEvent], None] = deal_won


def verified_value(body: bytes, headers: Dict[str, str]) -> Optional[float]:
    try:
        result: Verified = verify(body, headers, secrets="whsec_old", tolerance=300)
    except VerificationError as error:
        seen.append(f"{error.status} {error.kind} {error.reason}")
        return None
    for event in result.events:
        if event["name"] == "deal.won":
            return event["record"]["value"]
    seen.extend(item["name"] or "" for item in result.unknown)
    seen.extend(result.skipped)
    return float(result.signed_with)


def handled(name: IsaoEventName) -> int:
    sent = signed_delivery(name, secret="whsec_old", data={"value": 18000})
    answer: Answer = webhooks.receive(sent.body, sent.headers)
    return answer.status


def recent_ids(client: IsaoClient) -> List[str]:
    try:
        client.ensure_subscription(["deal.won", "deal.lost"], "https://example.com/webhooks/isao")
        since = datetime(2024, 11, 1, tzinfo=timezone.utc)
        return [str(item["id"]) for item in client.recent("deal.won", limit=5, since=since)]
    except IsaoApiError as error:
        return [f"{error.status} {error.code} {error.field}"]


if __name__ == "__main__":
    print(handled("deal.won"), handled("contact.created"), seen)
