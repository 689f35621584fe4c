"""What mypy must refuse in code using the package, each line marked ``# E: <error code> <part of
its message>`` (test/python/mypy.test.ts runs mypy over this file under python/pyproject.toml's
settings and expects exactly these errors, at these lines, in mypy's order). Never run."""

from typing import Optional

from isao_webhooks import AnyIsaoEvent, Receiver, verify
from isao_webhooks.client import IsaoClient
from isao_webhooks.events_generated import DealLostEvent, DealWonEvent

webhooks = Receiver(secrets="whsec")


# a handler typed for another event than the one it is registered for
@webhooks.on("deal.won")  # E: arg-type expected "Callable[[DealWonEvent], None]"
def lost(event: DealLostEvent) -> None:
    print(event["record"]["previousStage"])


def won(event: DealWonEvent) -> None:
    print(event["record"]["title"])


def any_event(event: AnyIsaoEvent) -> None:
    print(event["id"])


webhooks.on("deal.lost", won)  # E: call-overload "str", "Callable[[DealWonEvent], None]"


@webhooks.on(["deal.won", "deal.lost"])  # E: arg-type "Callable[[DealWonEvent], None]"
def only_won(event: DealWonEvent) -> None:
    print(event["id"])


@webhooks.on_any  # E: arg-type to "on_any" of "Receiver" has incompatible type
def any_won(event: DealWonEvent) -> None:
    print(event["id"])


# a misspelt event name
@webhooks.on("deal.wonn")  # E: call-overload No overload variant  # E: misc "misspelt" untyped
def misspelt(event: DealWonEvent) -> None:
    print(event["id"])


webhooks.on(("deal.won", "deal.lots"), any_event)  # E: arg-type "Tuple[Literal['deal.won'], Literal['deal.lots']]"
webhooks.on(["deal.won", "deal.lots"], any_event)  # E: list-item "Literal['deal.lots']"


# a field that is not there, or not of this kind; a value that may be None
def fields(event: DealWonEvent) -> None:
    print(event["record"]["titel"])  # E: typeddict-item "DealRecord" has no key "titel"
    print(event["record"]["firstName"])  # E: typeddict-item no key "firstName"
    print(event["data"]["currencyy"])  # E: typeddict-item "DealData" has no key "currencyy"
    title: str = event["record"]["title"]  # E: assignment "Optional[str]"
    print(event["record"]["value"] * 2, title)  # E: operator "None" and "int"


# an event whose name was not checked first
def unchecked(body: bytes) -> Optional[str]:
    [event] = verify(body, {}, secrets="whsec").events
    return event["record"]["title"]  # E: typeddict-item "ContactRecord"  # E: typeddict-item "AppointmentRecord"


# the client's events, verify's and the client's options
def calls(client: IsaoClient) -> None:
    client.sample("deal.wonn")  # E: arg-type "Literal['deal.wonn']"
    client.recent("deal.won", limit="5")  # E: arg-type "limit" to "recent"
    verify(b"", {}, secret="whsec")  # E: call-arg "secret"


# the settings: --strict (a function without types) and Python 3.9 (no X | Y unions)
def untyped(event):  # E: no-untyped-def
    return event


def newer(event: DealWonEvent | None) -> None:  # E: syntax requires Python 3.10
    print(event)
