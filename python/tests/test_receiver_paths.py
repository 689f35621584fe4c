"""The receiver's two ways in (isao_webhooks/receiver.py): ``receive()`` is synchronous (no event
loop per delivery; a plain handler runs in the receiver's threads, an ``async def`` handler on
one loop the receiver keeps), ``await areceive()`` runs the same delivery off the caller's loop
(its ``async def`` handlers on that loop); both give the same answers with the same deadline."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Dict, List, Optional, Set, Tuple

import pytest

from isao_webhooks import Answer, MemoryStore, Receiver, RetryableError, WebhookError
from isao_webhooks.events_generated import AnyIsaoEvent
from isao_webhooks.testing import SignedDelivery, signed_delivery

SECRET = "whsec_paths"
NOW = 1_731_067_200_000


def delivery(event_id: str = "evt_p1", secret: Optional[str] = SECRET, body: Optional[str] = None) -> SignedDelivery:
    return signed_delivery("deal.won", secret=secret, event_id=event_id, now=NOW - 1000, body=body)


def made(deadline: Optional[float] = None) -> Tuple[Receiver, MemoryStore, List[WebhookError]]:
    store = MemoryStore()
    receiver = Receiver(secrets=SECRET, store=store, now=lambda: NOW, deadline=deadline)
    errors: List[WebhookError] = []
    receiver.on_error(errors.append)
    return receiver, store, errors


@pytest.fixture
def no_loops(monkeypatch: pytest.MonkeyPatch) -> List[str]:
    """Every event loop made or run while the test runs (asyncio.run and new_event_loop)."""
    made_loops: List[str] = []
    real_new_loop = asyncio.new_event_loop

    def run(*args: object, **kwargs: object) -> None:
        made_loops.append("asyncio.run")
        raise AssertionError("asyncio.run() called")

    def new_loop() -> asyncio.AbstractEventLoop:
        made_loops.append("new_event_loop")
        return real_new_loop()

    monkeypatch.setattr(asyncio, "run", run)
    monkeypatch.setattr(asyncio, "new_event_loop", new_loop)
    return made_loops


def test_receive_with_plain_handlers_makes_no_event_loop(no_loops: List[str]) -> None:
    receiver, store, _ = made()
    seen: List[str] = []
    receiver.on_any(lambda event: seen.append(str(event["id"])))
    threads = threading.active_count()
    for i in range(20):
        sent = delivery(f"evt_{i}")
        assert receiver.receive(sent.body, sent.headers).status == 200
    again = delivery("evt_0")
    assert receiver.receive(again.body, again.headers).body["duplicates"] == 1
    assert seen == [f"evt_{i}" for i in range(20)] and store.size == 20
    assert no_loops == []
    assert threading.active_count() <= threads + 2  # the handler threads, not one per delivery


def test_a_plain_handler_past_the_deadline_gives_503_at_the_deadline_and_releases(no_loops: List[str]) -> None:
    receiver, store, errors = made(deadline=0.2)
    gate = threading.Event()
    receiver.on_any(lambda event: gate.wait(5))
    sent = delivery()
    started = time.monotonic()
    answer = receiver.receive(sent.body, sent.headers)
    took = time.monotonic() - started
    gate.set()
    assert (answer.status, answer.body["problem"]) == (503, "deadline")
    assert "within 0.2 s" in str(answer.body["message"]) and errors[0].answer == answer
    assert 0.15 < took < 1.5
    assert store.size == 0  # released: ISAO's retry runs it
    assert no_loops == []


def test_async_handlers_on_receive_share_one_loop_off_the_caller_and_are_cancelled_past_the_deadline() -> None:
    receiver, store, _ = made(deadline=0.3)
    loops: Set[int] = set()
    threads: Set[int] = set()
    cancelled = threading.Event()

    @receiver.on_any
    async def handler(event: AnyIsaoEvent) -> None:
        loops.add(id(asyncio.get_running_loop()))
        threads.add(threading.get_ident())
        if event["id"] == "evt_slow":
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError:
                cancelled.set()
                raise

    for event_id in ("evt_a", "evt_b", "evt_c"):
        sent = delivery(event_id)
        assert receiver.receive(sent.body, sent.headers).status == 200
    assert len(loops) == 1 and threading.get_ident() not in threads
    slow = delivery("evt_slow")
    started = time.monotonic()
    answer = receiver.receive(slow.body, slow.headers)
    assert (answer.status, answer.body["problem"]) == (503, "deadline")
    assert time.monotonic() - started < 1.5
    assert cancelled.wait(1) and store.size == 3  # the slow one released, the others kept


def test_a_handler_raising_timeout_error_is_a_failure_not_the_deadline() -> None:
    for path in ("receive", "areceive"):
        receiver, store, errors = made()

        @receiver.on_any
        def handler(event: AnyIsaoEvent) -> None:
            raise TimeoutError("the CRM's API timed out")

        sent = delivery()
        answer = receiver.receive(sent.body, sent.headers) if path == "receive" else asyncio.run(receiver.areceive(sent.body, sent.headers))
        assert (answer.status, answer.body["problem"]) == (500, "failed"), path
        assert isinstance(errors[0].__cause__, TimeoutError) and store.size == 0


def test_areceive_runs_async_handlers_and_error_handlers_on_the_callers_loop() -> None:
    receiver, _, _ = made()
    where: List[str] = []

    @receiver.on_any
    async def handler(event: AnyIsaoEvent) -> None:
        where.append("caller" if asyncio.get_running_loop() is caller else "other")
        raise RetryableError("later")

    @receiver.on_error
    async def heard(error: WebhookError) -> None:
        await asyncio.sleep(0)
        where.append(f"error {'caller' if asyncio.get_running_loop() is caller else 'other'}")

    sent = delivery()

    async def main() -> Answer:
        return await receiver.areceive(sent.body, sent.headers)

    caller = asyncio.new_event_loop()
    try:
        answer = caller.run_until_complete(main())
    finally:
        caller.close()
    assert (answer.status, where) == (503, ["caller", "error caller"])


def test_receive_refuses_in_a_running_loop_even_inside_an_async_handler() -> None:
    receiver, _, _ = made()
    refused: List[str] = []

    @receiver.on_any
    async def handler(event: AnyIsaoEvent) -> None:
        inner = delivery("evt_inner")
        try:
            receiver.receive(inner.body, inner.headers)
        except RuntimeError as error:
            refused.append(str(error))

    sent = delivery()
    assert receiver.receive(sent.body, sent.headers).status == 200
    assert refused == ["isao_webhooks: receive() blocks; in async code, use `await receiver.areceive(...)`."]


def _deliveries() -> List[Tuple[str, SignedDelivery]]:
    batch = "[" + ",".join(delivery(f"evt_b{i}").text for i in range(3)) + "]"
    return [
        ("handled", delivery("evt_1")),
        ("duplicate", delivery("evt_1")),
        ("retryable", delivery("evt_retry")),
        ("retried", delivery("evt_retry")),
        ("failed", delivery("evt_bug")),
        ("slow", delivery("evt_slow")),
        ("batch", delivery(body=batch)),
        ("tampered", SignedDelivery(delivery("evt_t").body + b" ", "", delivery("evt_t").headers, "evt_t")),
        ("unsigned", delivery("evt_u", secret=None)),
        ("unknown", delivery(body='{"event":"deal.archived","data":{"id":"d"}}')),
    ]


def _answers(path: str) -> List[Tuple[str, int, Dict[str, object], List[str]]]:
    receiver, store, errors = made(deadline=0.2)
    retries = {"evt_retry": 1}

    @receiver.on_any
    def handler(event: AnyIsaoEvent) -> None:
        event_id = str(event["id"])
        if retries.get(event_id, 0) > 0:
            retries[event_id] -= 1
            raise RetryableError("not now")
        if event_id == "evt_bug":
            raise KeyError("bug")
        if event_id == "evt_b1":
            raise RetryableError("the second of a batch")

    @receiver.on("deal.won")
    async def slow(event: AnyIsaoEvent) -> None:
        if event["id"] == "evt_slow":
            await asyncio.sleep(2)

    async def each(sent: SignedDelivery) -> Answer:
        return await receiver.areceive(sent.body, sent.headers)

    seen: List[Tuple[str, int, Dict[str, object], List[str]]] = []
    for name, sent in _deliveries():
        answer = receiver.receive(sent.body, sent.headers) if path == "receive" else asyncio.run(each(sent))
        told = [f"{error.answer.body.get('problem')} {type(error.__cause__).__name__}" for error in errors]
        errors.clear()
        seen.append((name, answer.status, dict(answer.body), told))
    assert store.size == 3  # evt_1, evt_retry and evt_b0 (completed before evt_b1 stopped the batch)
    return seen


def test_receive_and_areceive_answer_the_same() -> None:
    sync = _answers("receive")
    assert [(name, status) for name, status, *_ in sync] == [
        ("handled", 200),
        ("duplicate", 200),
        ("retryable", 503),
        ("retried", 200),
        ("failed", 500),
        ("slow", 503),
        ("batch", 503),
        ("tampered", 401),
        ("unsigned", 401),
        ("unknown", 200),
    ]
    assert sync == _answers("areceive")
