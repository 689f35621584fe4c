"""The receiver: verify a delivery, claim each event id (store.py), run the handlers registered
for its name within a deadline, and answer as ISAO needs (the Node package's receiver.ts, with
the same statuses and meanings). ISAO waits 30 s and retries a non-2xx answer up to 3 times with
the same event id, so:

- 200: every event was handled (or was a duplicate, not run again).
- 400 / 401: refused (verify.PROBLEMS); retrying the same bytes will not help.
- 503: retry later: a handler raised RetryableError, the deadline passed, another worker is
  handling the event now, or the store failed (fail closed). The claims not completed are
  released first, so ISAO's retry runs those events.
- 500: a handler raised any other exception. Released too, so ISAO's retry runs it again: an
  event is never dropped for a bug. To drop one on purpose, return.

A body's events run in order, one at a time; at the first that cannot complete now, the rest
wait for the retry. One delivery is handled by one piece of synchronous code, in a thread that may
wait: the caller's under ``receive()`` (WSGI, Flask, Django, any synchronous code: no event loop
per delivery), one of the receiver's under ``await areceive()`` (ASGI: the caller's loop is never
blocked). Handlers may be plain functions, run in the receiver's threads so that the deadline
answers even when one never returns, or ``async def``, run on the caller's loop under
``areceive()`` and on one loop the receiver keeps under ``receive()``, and cancelled past the
deadline. The store is called in the receiver's threads too (its claim raced against the
deadline), except the memory store, which answers at once and is called where the delivery runs.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import json
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Dict, List, Optional, Sequence, Set, Tuple, TypeVar, Union

from . import _core_generated as core
from ._claims import Claim, DedupStore, First, InFlight
from ._errors import RetryableError
from ._inputs import quote
from .events_generated import AnyHandler, AnyIsaoEvent, TypedDispatch
from .store import MemoryStore
from .verify import Headers, RawBody, VerificationError, read_options, verify

__all__ = ["Answer", "Receiver", "RetryableError", "WebhookError"]

DEFAULT_DEADLINE = core.DEFAULT_DEADLINE_MS / 1000
LEASE_MARGIN = 5.0
_T = TypeVar("_T")


@dataclass(frozen=True)
class Answer:
    """What to answer ISAO: the status and a JSON body (ok, message, and problem, or handled
    and duplicates)."""

    status: int
    body: Dict[str, Union[bool, str, int]]
    headers: Dict[str, str] = field(default_factory=dict)

    def json(self) -> bytes:
        """The body as sent."""
        return json.dumps(self.body).encode("utf-8")


class WebhookError(Exception):
    """What on_error handlers get: a refusal or failure, the event it happened on (if any), and
    what caused it as ``__cause__``."""

    def __init__(self, answer: Answer, event: Optional[AnyIsaoEvent] = None) -> None:
        super().__init__(str(answer.body.get("message", "")))
        self.answer = answer
        self.event = event


def _failure(kind: str, message: str) -> Answer:
    return Answer(500 if kind == "failed" else 503, {"ok": False, "problem": kind, "message": message})


def _named(event: AnyIsaoEvent) -> str:
    return event["name"] + ("" if event["id"] is None else f" {quote(event['id'], 60)}")


@dataclass
class _Stop:
    """Why a delivery stops before its end: the answer, and what caused it."""

    answer: Answer
    cause: Optional[BaseException] = None


_Loop = Callable[[], asyncio.AbstractEventLoop]


@dataclass(frozen=True)
class _Delivery:
    """What one delivery's steps share: where its ``async def`` handlers run (the caller's loop
    under ``areceive``, the receiver's under ``receive``) and its deadline (monotonic time)."""

    loop: _Loop
    until: float


class Receiver(TypedDispatch):
    """Verifies deliveries and runs their events' handlers once each (see the module's words).

    ``secrets``: the signing secret, or several during a rotation. ``store``: where event ids
    are claimed (default: a MemoryStore). ``deadline``: how long the handlers of one delivery
    may take, in seconds (default 10; ISAO waits 30). ``lease``: how long a claim holds if its
    worker dies, in seconds (default: the deadline plus 5). ``tolerance``: the replay window in
    seconds (default 7200). ``unknown_events``: ``"ignore"`` (acknowledged unhandled, the
    default) or ``"refuse"`` (400). ``now``: the clock, in epoch milliseconds. ``max_threads``:
    how many threads run plain handlers and store calls at once (as many run ``areceive``'s
    deliveries).
    """

    def __init__(
        self,
        *,
        secrets: Union[str, Sequence[str]],
        store: Optional[DedupStore] = None,
        deadline: Optional[float] = None,
        lease: Optional[float] = None,
        tolerance: Optional[float] = None,
        unknown_events: str = "ignore",
        now: Optional[Callable[[], float]] = None,
        max_threads: int = 32,
    ) -> None:
        # a bad secret or tolerance is the code's mistake: said now, not at the first delivery
        read_options(secrets, 0, tolerance)
        for name, value in (("deadline", deadline), ("lease", lease)):
            if value is not None:
                _seconds(name, value)
        if unknown_events not in ("ignore", "refuse"):
            raise ValueError('isao_webhooks: `unknown_events` is "ignore" or "refuse".')
        self._secrets = secrets
        self._tolerance = tolerance
        self._store: DedupStore = store if store is not None else MemoryStore()
        self._deadline = DEFAULT_DEADLINE if deadline is None else float(deadline)
        self._lease_ms = int(((self._deadline + LEASE_MARGIN) if lease is None else lease) * 1000)
        self._keep_ms = int((core.DEDUP_TTL_SECONDS if tolerance is None else tolerance) * 1000)
        self._unknown_events = unknown_events
        self._now: Callable[[], float] = now if now is not None else lambda: time.time() * 1000
        self._handlers: Dict[str, List[AnyHandler]] = {}
        self._any: List[AnyHandler] = []
        self._errors: List[Callable[[WebhookError], object]] = []
        # the memory store answers at once (in memory, under a lock): called, not raced
        self._immediate = type(self._store) is MemoryStore
        # handlers and store calls; and areceive's deliveries, which wait for them (apart, so
        # that deliveries waiting never hold every thread their steps need)
        self._threads = ThreadPoolExecutor(max_threads, thread_name_prefix="isao-webhooks")
        self._deliveries = ThreadPoolExecutor(max_threads, thread_name_prefix="isao-webhooks-delivery")
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._loop_lock = threading.Lock()

    def _checked(self, names: Tuple[str, ...]) -> Tuple[str, ...]:
        for name in names:
            if name not in core.KIND_OF:
                raise ValueError(
                    f"isao_webhooks: {quote(name, 40)} is not an ISAO event; the events are "
                    f"{', '.join(core.EVENT_NAMES)}."
                )
        return names

    def _register(self, names: Tuple[str, ...], handler: AnyHandler) -> None:
        for name in dict.fromkeys(names):
            self._handlers.setdefault(name, []).append(handler)

    def on_any(self, handler: Callable[[AnyIsaoEvent], _T]) -> Callable[[AnyIsaoEvent], _T]:
        """Runs the handler for every ISAO event, after the handlers of its name."""
        self._any.append(handler)
        return handler

    def on_error(self, handler: Callable[[WebhookError], _T]) -> Callable[[WebhookError], _T]:
        """Hears every refusal and failure (what it raises is ignored)."""
        self._errors.append(handler)
        return handler

    def receive(self, raw: RawBody, headers: Headers) -> Answer:
        """Verifies a delivery and handles its events: the answer to give ISAO. Never raises."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self._receive(raw, headers, self._own_loop, time.monotonic())
        raise RuntimeError(
            "isao_webhooks: receive() blocks; in async code, use `await receiver.areceive(...)`."
        )

    async def areceive(self, raw: RawBody, headers: Headers) -> Answer:
        """``receive()`` for async code: run in the receiver's threads, so handlers and store calls
        never block the event loop; ``async def`` handlers run on this loop."""
        loop = asyncio.get_running_loop()
        began = time.monotonic()
        context = contextvars.copy_context()  # what the caller's async handlers would see
        delivery = functools.partial(self._receive, raw, headers, lambda: loop, began)
        return await loop.run_in_executor(self._deliveries, context.run, delivery)

    def _own_loop(self) -> asyncio.AbstractEventLoop:
        """The loop ``async def`` handlers run on under ``receive()``: one, made at first use."""
        with self._loop_lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                runner = threading.Thread(target=self._loop.run_forever, name="isao-webhooks-loop", daemon=True)
                runner.start()
            return self._loop

    def _receive(self, raw: RawBody, headers: Headers, loop: _Loop, began: float) -> Answer:
        """The delivery, in a thread that may block (the caller's, or one of ``areceive``'s)."""
        try:
            result = verify(raw, headers, secrets=self._secrets, now=self._now(), tolerance=self._tolerance)
        except VerificationError as error:
            refusal = Answer(error.status, {"ok": False, "problem": error.kind, "message": error.reason})
            return self._report(loop, refusal)
        if result.unknown and self._unknown_events == "refuse":
            name = result.unknown[0]["name"] or "a record without an event name"
            message = f"This receiver refuses events it does not know: {quote(name, 60)}."
            return self._report(loop, Answer(400, {"ok": False, "problem": "unknown", "message": message}))
        return self._handle(result.events, _Delivery(loop, began + self._deadline))

    def _report(
        self, loop: _Loop, answer: Answer, event: Optional[AnyIsaoEvent] = None, cause: Optional[BaseException] = None
    ) -> Answer:
        error = WebhookError(answer, event)
        error.__cause__ = cause
        for handler in self._errors:
            try:
                heard = handler(error)
                if inspect.isawaitable(heard):
                    _on_loop(loop(), heard).result()
            except Exception:  # noqa: BLE001 - an error handler's failure changes no answer
                pass
        return answer

    def _within(self, step: "Future[_T]", until: float) -> Tuple[bool, Optional[_T]]:
        """The step's result if it ends by ``until`` (monotonic time): (True, result), else
        (False, None), the step cancelled (an async handler is; a thread runs on, its result
        dropped). What the step raised is raised."""
        try:
            return True, step.result(timeout=max(until - time.monotonic(), 0))
        except FutureTimeout:
            if step.done():  # the step's own TimeoutError, or an answer just in time
                return True, step.result()
            step.cancel()
            return False, None

    def _claim(self, event: AnyIsaoEvent, event_id: str, delivery: _Delivery) -> Union[str, _Stop, None]:
        """The event's claim token, None for a duplicate, or why the delivery stops here."""
        claim = functools.partial(self._store.claim, event_id, now=int(self._now()), lease_ms=self._lease_ms)
        made: Optional[Claim] = None
        try:
            if self._immediate:  # the memory store answers at once: not raced (deadline.ts)
                finished = time.monotonic() < delivery.until
                made = claim() if finished else None
            else:
                claiming: "Future[Optional[Claim]]" = self._threads.submit(claim)
                finished, made = self._within(claiming, delivery.until)
                if not finished:
                    # a claim made after the deadline is given back as soon as it is made
                    claiming.add_done_callback(functools.partial(self._give_back, event_id))
        except Exception as cause:  # noqa: BLE001 - any store failure fails closed
            message = f"Could not claim event {_named(event)}: the de-duplication store failed. ISAO will retry it."
            return _Stop(_failure("store", message), cause)
        if not finished:
            message = f"The de-duplication store did not answer for event {_named(event)} within {self._deadline:g} s. ISAO will retry it."
            return _Stop(_failure("deadline", message))
        if isinstance(made, InFlight):
            message = f"Event {_named(event)} is being handled by another request now. ISAO will retry it."
            return _Stop(_failure("in-flight", message))
        return made.token if isinstance(made, First) else None

    def _give_back(self, event_id: str, late: "Future[Optional[Claim]]") -> None:
        made = None if late.cancelled() or late.exception() is not None else late.result()
        if isinstance(made, First):
            self._release(event_id, made.token)

    def _release(self, event_id: str, token: str) -> None:
        try:
            self._store.release(event_id, token)
        except Exception:  # noqa: BLE001 - a claim not released runs out with its lease
            pass

    def _step(self, handler: AnyHandler, event: AnyIsaoEvent, delivery: _Delivery) -> "Future[object]":
        """The handler running: on the loop (``async def``), or in the receiver's threads."""
        if inspect.iscoroutinefunction(handler):
            return _on_loop(delivery.loop(), handler(event))
        return self._threads.submit(handler, event)

    def _run(self, event: AnyIsaoEvent, delivery: _Delivery) -> Optional[_Stop]:
        """Runs the event's handlers, then on_any's, one at a time; why it stopped, if it did."""
        for handler in [*self._handlers.get(event["name"], []), *self._any]:
            try:
                finished, ran = self._within(self._step(handler, event, delivery), delivery.until)
                if finished and inspect.isawaitable(ran):
                    finished, _ = self._within(_on_loop(delivery.loop(), ran), delivery.until)
            except RetryableError as cause:
                message = f"A handler asked to retry event {_named(event)}: {quote(str(cause), 200)}. ISAO will retry it."
                return _Stop(_failure("retryable", message), cause)
            except Exception as cause:  # noqa: BLE001 - any other failure: 500, retried
                return _Stop(_failure("failed", f"A handler failed on event {_named(event)}. ISAO will retry it."), cause)
            if not finished:
                message = f"The handlers of event {_named(event)} did not finish within {self._deadline:g} s. ISAO will retry it."
                return _Stop(_failure("deadline", message))
        return None

    def _complete(self, event: AnyIsaoEvent, event_id: str, token: str, delivery: _Delivery) -> Optional[_Stop]:
        """Marks the event id done; a store that cannot (it fails, or answers False: the claim was
        no longer in force) is said to on_error, the event handled. A store that kept nothing
        (RetryableError) stops with 503, its claim given back so ISAO's retry runs the event."""
        try:
            kept = self._store.complete(event_id, token, now=int(self._now()), keep_ms=self._keep_ms)
        except RetryableError as cause:
            self._release(event_id, token)
            message = f"Event {_named(event)} was not kept: {str(cause)[:200]}. ISAO will retry it."
            return _Stop(_failure("store", message), cause)
        except Exception as cause:  # noqa: BLE001 - handled, but not marked: said to on_error
            message = f"Event {_named(event)} was handled, but the de-duplication store could not mark it done: a retry may run it again."
            self._report(delivery.loop, _failure("store", message), event, cause)
            return None
        if not kept:
            message = f"Event {_named(event)} was handled, but its claim had expired before it could be marked done (the `lease` of {self._lease_ms / 1000:g} s ran out): a retry or another worker may run it again. Set a `lease` longer than its handlers take."
            self._report(delivery.loop, _failure("store", message), event)
        return None

    def _handle(self, events: List[AnyIsaoEvent], delivery: _Delivery) -> Answer:
        """The events in order, each claimed, run and completed; the answer once done or stopped."""
        last_of = {event["id"]: i for i, event in enumerate(events) if event["id"] is not None}
        held: Dict[str, str] = {}
        claimed: Set[str] = set()
        handled = duplicates = 0

        def stop(why: _Stop, event: AnyIsaoEvent) -> Answer:
            for held_id, token in held.items():
                self._release(held_id, token)
            return self._report(delivery.loop, why.answer, event, why.cause)

        for i, event in enumerate(events):
            event_id = event["id"]
            if event_id is not None and event_id not in held:
                # one claim answers for every item carrying the id
                claim = None if event_id in claimed else self._claim(event, event_id, delivery)
                claimed.add(event_id)
                if claim is None:
                    duplicates += 1
                    continue
                if isinstance(claim, _Stop):
                    return stop(claim, event)
                held[event_id] = claim
            failed = self._run(event, delivery)
            if failed is not None:
                return stop(failed, event)
            handled += 1
            if event_id is not None and event_id in held and last_of[event_id] == i:
                token = held.pop(event_id)
                lost = self._complete(event, event_id, token, delivery)
                if lost is not None:
                    return stop(lost, event)
        already = f"; {duplicates} already handled" if duplicates else ""
        message = f"Handled {handled} event(s){already}."
        return Answer(200, {"ok": True, "message": message, "handled": handled, "duplicates": duplicates})


async def _awaited(step: Awaitable[_T]) -> _T:
    return await step


def _on_loop(loop: asyncio.AbstractEventLoop, step: Awaitable[_T]) -> "Future[_T]":
    """The awaitable run on the loop (from another thread): cancelling the future cancels it."""
    return asyncio.run_coroutine_threadsafe(_awaited(step), loop)


def _seconds(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
        raise ValueError(f"isao_webhooks: `{name}` must be a finite number of seconds, at least 0.")
    return float(value)
