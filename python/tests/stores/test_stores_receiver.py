"""The shared stores' failures as the receiver answers them: a store that cannot answer a claim
fails closed (503, no handler run), and a transactional completion that kept nothing (NotKept)
is 503 too, so ISAO retries the event instead of taking it as handled (it would be lost)."""

from __future__ import annotations

from typing import List

from isao_webhooks import MemoryStore, Receiver
from isao_webhooks._claims import Claim
from isao_webhooks.stores import NotKept, StoreUnavailable
from isao_webhooks.testing import signed_delivery

SECRET = "whsec_stores_receiver"
NOW = 1_731_067_200_000


class DownOnClaim(MemoryStore):
    def claim(self, event_id: str, *, now: int, lease_ms: int) -> Claim:
        raise StoreUnavailable("the Redis server at 127.0.0.1:1 refused the connection")


class CommitFails(MemoryStore):
    def complete(self, event_id: str, token: str, *, now: int, keep_ms: int) -> bool:
        raise NotKept("the transaction of event 'evt_s1' could not commit")


def answer(store: MemoryStore, ran: List[str]) -> "tuple[int, str]":
    receiver = Receiver(secrets=SECRET, store=store, now=lambda: float(NOW))
    receiver.on_any(lambda event: ran.append(str(event["id"])))
    sent = signed_delivery("deal.won", secret=SECRET, event_id="evt_s1", now=NOW - 1000)
    got = receiver.receive(sent.body, sent.headers)
    return got.status, str(got.body.get("problem"))


def test_a_store_down_on_claim_answers_503_and_runs_nothing() -> None:
    ran: List[str] = []
    assert answer(DownOnClaim(), ran) == (503, "store")
    assert ran == []


def test_a_transaction_not_kept_answers_503_so_isao_retries_it() -> None:
    # the transactional store's rollback took the claim with the writes (its own tests show the
    # retry claims it first); the receiver's part is the 503, as Node's RetryableError
    ran: List[str] = []
    assert answer(CommitFails(), ran) == (503, "store")
    assert ran == ["evt_s1"]
