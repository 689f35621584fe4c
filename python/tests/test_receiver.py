"""The receiver (isao_webhooks/receiver.py), as the Node package's receiver is tested: handlers
by event name, de-duplication through the store, the deadline, what each kind of failure
answers, and that no event is lost between a claim and its completion (the lease runs out on
the injected clock); sync and async handlers, receive() and areceive()."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Dict, List, Optional

import pytest

from isao_webhooks import Answer, Claim, First, MemoryStore, Receiver, RetryableError, WebhookError
from isao_webhooks.events_generated import AnyIsaoEvent, DealWonEvent
from isao_webhooks.testing import SignedDelivery, signed_delivery

SECRET = "whsec_receiver"
NOW = 1_731_067_200_000  # 2024-11-08T12:00:00Z


class Clock:
    def __init__(self) -> None:
        self.now = float(NOW)

    def __call__(self) -> float:
        return self.now


def setup(**options: object) -> "tuple[Receiver, MemoryStore, List[WebhookError], Clock]":
    clock = Clock()
    store = MemoryStore()
    receiver = Receiver(secrets=SECRET, store=store, now=clock, **options)  # type: ignore[arg-type]
    errors: List[WebhookError] = []
    receiver.on_error(errors.append)
    return receiver, store, errors, clock


def delivery(event: str = "deal.won", event_id: str = "evt_r1", body: Optional[str] = None) -> SignedDelivery:
    return signed_delivery(event, secret=SECRET, event_id=event_id, now=NOW - 1000, body=body)  # type: ignore[arg-type]


def receive(receiver: Receiver, sent: Optional[SignedDelivery] = None) -> Answer:
    given = sent or delivery()
    return receiver.receive(given.body, given.headers)


def test_runs_the_handlers_of_the_name_then_on_any_and_answers_200() -> None:
    receiver, *_ = setup()
    seen: List[str] = []

    @receiver.on("deal.won")
    def won(event: DealWonEvent) -> None:
        seen.append(f"won {event['data'].get('title')} {event['record']['stage']}")

    receiver.on(["deal.lost", "deal.won"], lambda event: seen.append(f"either {event['name']}"))
    receiver.on_any(lambda event: seen.append(f"any {event['id']}"))
    receiver.on("contact.created", lambda event: seen.append("never"))
    answer = receive(receiver)
    assert (answer.status, answer.body) == (
        200,
        {"ok": True, "message": "Handled 1 event(s).", "handled": 1, "duplicates": 0},
    )
    assert seen == ["won Enterprise plan \u2013 Tech Corp Closed Won", "either deal.won", "any evt_r1"]
    assert json.loads(answer.json()) == answer.body


def test_a_retry_is_answered_200_without_running_again() -> None:
    receiver, *_ = setup()
    runs: List[str] = []
    receiver.on_any(lambda event: runs.append(str(event["id"])))
    assert receive(receiver).status == 200
    again = receive(receiver)
    assert (again.status, again.body["duplicates"], again.body["message"]) == (200, 1, "Handled 0 event(s); 1 already handled.")
    assert runs == ["evt_r1"]


def test_a_retryable_error_answers_503_and_releases_the_claim() -> None:
    receiver, _, errors, _ = setup()
    failing = [1]

    @receiver.on_any
    def flaky(event: AnyIsaoEvent) -> None:
        if failing.pop() if failing else 0:
            raise RetryableError("the database is restarting")

    first = receive(receiver)
    assert (first.status, first.body["problem"]) == (503, "retryable")
    assert "the database is restarting" in str(first.body["message"])
    assert isinstance(errors[0].__cause__, RetryableError) and errors[0].event is not None
    assert receive(receiver).status == 200  # the retry runs it


def test_any_other_error_answers_500_tells_on_error_and_releases() -> None:
    receiver, _, errors, _ = setup()
    calls: List[int] = []

    @receiver.on("deal.won")
    async def broken(event: DealWonEvent) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise KeyError("bug")

    first = receive(receiver)
    assert (first.status, first.body["problem"]) == (500, "failed")
    assert isinstance(errors[0].__cause__, KeyError)
    assert receive(receiver).status == 200 and calls == [1, 1]


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_past_the_deadline_503_and_the_claim_is_released(kind: str) -> None:
    receiver, store, _, _ = setup(deadline=0.2)
    gate = threading.Event()

    if kind == "sync":
        receiver.on_any(lambda event: gate.wait(5))
    else:
        async def slow(event: AnyIsaoEvent) -> None:
            await asyncio.sleep(5)

        receiver.on_any(slow)
    started = time.monotonic()
    answer = receive(receiver)
    assert time.monotonic() - started < 2
    assert (answer.status, answer.body["problem"]) == (503, "deadline")
    assert store.size == 0
    gate.set()


def test_in_flight_then_duplicate() -> None:
    receiver, store, _, _ = setup()
    claim: Claim = store.claim("evt_r1", now=NOW, lease_ms=60_000)
    answer = receive(receiver)
    assert (answer.status, answer.body["problem"]) == (503, "in-flight")
    assert isinstance(claim, First) and store.complete("evt_r1", claim.token, now=NOW, keep_ms=60_000)
    assert receive(receiver).body["duplicates"] == 1


def test_a_worker_that_died_after_its_claim_loses_no_event() -> None:
    receiver, store, _, clock = setup(deadline=1)
    store.claim("evt_r1", now=NOW, lease_ms=6000)  # a worker claimed, then died
    runs: List[str] = []
    receiver.on_any(lambda event: runs.append("ran"))
    assert receive(receiver).status == 503
    clock.now += 6000  # the lease (deadline + 5 s) ran out
    assert receive(receiver).status == 200 and runs == ["ran"]


def test_a_batch_runs_in_order_stops_at_the_first_failure_the_retry_runs_the_rest() -> None:
    receiver, *_ = setup()
    envelopes = [json.loads(delivery(event_id=f"evt_{i}").text) for i in range(3)]
    body = json.dumps(envelopes)
    sent = delivery(body=body)
    runs: List[str] = []
    fail = {"evt_1"}

    @receiver.on_any
    def handler(event: AnyIsaoEvent) -> None:
        if event["id"] in fail:
            fail.clear()
            raise RetryableError("later")
        runs.append(str(event["id"]))

    assert receive(receiver, sent).status == 503
    again = receive(receiver, sent)
    assert (again.status, again.body["handled"], again.body["duplicates"]) == (200, 2, 1)
    assert runs == ["evt_0", "evt_1", "evt_2"]


def test_events_without_an_id_run_every_time_and_unknown_ones_are_policy() -> None:
    receiver, *_ = setup()
    runs: List[str] = []
    receiver.on_any(lambda event: runs.append("ran"))
    bare = delivery(body='{"event":"deal.won","timestamp":"2024-11-08T11:59:00Z","data":{"id":"d"}}')
    assert receive(receiver, bare).status == 200 and receive(receiver, bare).status == 200
    assert runs == ["ran", "ran"]
    unknown = delivery(body='{"event":"deal.archived","data":{"id":"d"}}')
    assert receive(receiver, unknown).body["handled"] == 0
    strict, *_ = setup(unknown_events="refuse")
    refused = receive(strict, unknown)
    assert (refused.status, refused.body["problem"]) == (400, "unknown")
    assert "deal.archived" in str(refused.body["message"])


def test_refusals_answer_their_status_and_tell_on_error_whatever_it_raises() -> None:
    receiver, _, errors, _ = setup()

    @receiver.on_error
    def loud(error: WebhookError) -> None:
        raise RuntimeError("the logger is down")

    tampered = delivery()
    answer = receiver.receive(tampered.body + b" ", tampered.headers)
    assert (answer.status, answer.body["problem"]) == (401, "mismatch")
    assert errors[0].answer == answer and str(errors[0]) == answer.body["message"]
    unsigned = signed_delivery("deal.won", secret=None, now=NOW)
    assert receiver.receive(unsigned.body, unsigned.headers).status == 401


class BrokenStore:
    def __init__(self, where: str) -> None:
        self.where = where
        self.inner = MemoryStore()

    def claim(self, event_id: str, *, now: int, lease_ms: int) -> Claim:
        if self.where == "claim":
            raise ConnectionError("redis is down")
        if self.where == "slow":
            time.sleep(0.5)
        return self.inner.claim(event_id, now=now, lease_ms=lease_ms)

    def complete(self, event_id: str, token: str, *, now: int, keep_ms: int) -> bool:
        if self.where == "complete":
            raise ConnectionError("redis is down")
        if self.where == "rollback":
            raise RetryableError("the transaction could not commit")
        if self.where == "expired":
            return False
        return self.inner.complete(event_id, token, now=now, keep_ms=keep_ms)

    def release(self, event_id: str, token: str) -> bool:
        return self.inner.release(event_id, token)


def test_a_failing_store_fails_closed_or_is_told() -> None:
    cases = (("claim", 503, "store", 0), ("rollback", 503, "store", 0), ("complete", 200, None, 1), ("expired", 200, None, 1))
    for where, status, problem, held in cases:
        store = BrokenStore(where)
        receiver = Receiver(secrets=SECRET, store=store, now=lambda: NOW)
        errors: List[WebhookError] = []
        receiver.on_error(errors.append)
        answer = receive(receiver)
        assert (answer.status, answer.body.get("problem")) == (status, problem)
        assert [error.answer.body["problem"] for error in errors] == ["store"]
        # a claim failed holds nothing, nor a completion that kept nothing (its claim given back,
        # so the retry runs it at once); one failed or expired leaves the claim to its lease
        assert store.inner.size == held
    assert "the `lease` of 15 s ran out" in str(errors[0])


def test_a_store_that_answers_after_the_deadline_gives_its_claim_back() -> None:
    store = BrokenStore("slow")
    receiver = Receiver(secrets=SECRET, store=store, now=lambda: NOW, deadline=0.1)
    answer = receive(receiver)
    assert (answer.status, answer.body["problem"]) == (503, "deadline")
    time.sleep(0.7)
    assert store.inner.size == 0


def test_areceive_in_an_event_loop_and_receive_refuses_to_block_it() -> None:
    receiver, *_ = setup()
    sent = delivery()

    async def main() -> Dict[str, object]:
        with pytest.raises(RuntimeError, match="areceive"):
            receiver.receive(sent.body, sent.headers)
        answer = await receiver.areceive(sent.body, sent.headers)
        return dict(answer.body)

    assert asyncio.run(main())["handled"] == 1


def test_what_cannot_work_is_refused_when_set_up() -> None:
    with pytest.raises(TypeError, match="secrets"):
        Receiver(secrets="  ")
    for options in ({"deadline": -1}, {"lease": float("nan")}, {"tolerance": -5}, {"unknown_events": "drop"}):
        with pytest.raises(ValueError):
            Receiver(secrets=SECRET, **options)  # type: ignore[arg-type]
    receiver = Receiver(secrets=SECRET)
    with pytest.raises(ValueError, match="deal.closed"):
        receiver.on("deal.closed")  # type: ignore[call-overload]
    assert Receiver(secrets=SECRET, deadline=0, lease=0, tolerance=0)._lease_ms == 0
    assert Receiver(secrets=SECRET, deadline=2)._lease_ms == 7000


def test_areceive_never_blocks_the_event_loop_on_a_slow_store_or_handler() -> None:
    store = BrokenStore("slow")  # each claim sleeps 0.5 s in its thread
    receiver = Receiver(secrets=SECRET, store=store, now=lambda: NOW)
    receiver.on_any(lambda event: time.sleep(0.3))  # a plain handler, run in a thread
    sent = delivery()

    async def main() -> "tuple[int, int]":
        ticks = 0
        done = False

        async def ticker() -> None:
            nonlocal ticks
            while not done:
                ticks += 1
                await asyncio.sleep(0.01)

        beat = asyncio.ensure_future(ticker())
        answer = await receiver.areceive(sent.body, sent.headers)
        done = True
        await beat
        return answer.status, ticks

    status, ticks = asyncio.run(main())
    assert status == 200
    assert ticks > 40  # the loop ran all through the 0.8 s of store and handler
