"""What bench/python/run.ts measures, in this one process (run by /usr/bin/python3): microseconds
per 1 KB contact.created delivery for each contender, interleaved in rotated order each round,
printed as one JSON line ({contender: [µs per round, ...]}). Every delivery of a round has its
own event id, so the receivers claim and complete each one in their memory store.

- floor: what a careful hand-written receiver does and no less (``hmac.new(...).digest()``,
  ``hmac.compare_digest``, ``json.loads``);
- verify: the package's ``verify()`` alone (the signature, the body read as strict UTF-8 and
  JSON, the envelope read into typed events and records), which every receiver runs first;
- receive: ``Receiver.receive()`` with the memory store and one plain handler;
- areceive: ``await receiver.areceive()`` in one running event loop (the same receiver's work);
- loop per delivery: ``asyncio.run(receiver.areceive())``, a new event loop per delivery;
- wsgi bare: a WSGI application doing the floor's work on ``wsgi.input``;
- wsgi: ``IsaoWsgi`` as middleware in front of an application, called as a WSGI server calls it.

Usage: /usr/bin/python3 bench/python/measure.py [rounds] [deliveries per round]"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import io
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Mapping, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python"))

from isao_webhooks import MemoryStore, Receiver, verify  # noqa: E402
from isao_webhooks._core_generated import SIGNATURE_HEADER  # noqa: E402
from isao_webhooks.testing import SignedDelivery, signed_delivery  # noqa: E402
from isao_webhooks.wsgi import IsaoWsgi  # noqa: E402

SECRET = "isao-bench-signing-secret"
KEY = SECRET.encode("utf-8")
SIZE = 1024
PATH = "/webhooks/isao"
HEADER_KEY = "HTTP_" + SIGNATURE_HEADER.upper().replace("-", "_")


def delivery() -> SignedDelivery:
    """A contact.created delivery of about SIZE bytes (its ``notes`` padded), a new event id."""
    event_id = f"evt_bench_{uuid.uuid4()}"
    bare = signed_delivery("contact.created", secret=SECRET, event_id=event_id)
    notes = "Met at the fair; wants a demo in spring. " * max(0, -(-(SIZE - len(bare.body)) // 42))
    return signed_delivery("contact.created", secret=SECRET, event_id=event_id, data={"notes": notes})


def floor(body: bytes, signature: str) -> object:
    expected = hmac.new(KEY, body, hashlib.sha256).digest()
    if not hmac.compare_digest(base64.b64decode(signature), expected):
        raise ValueError("floor: the signature does not match")
    return json.loads(body)


def environ(sent: SignedDelivery) -> Dict[str, object]:
    given: Dict[str, object] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": PATH,
        "CONTENT_LENGTH": str(len(sent.body)),
        "CONTENT_TYPE": "application/json",
        "wsgi.input": io.BytesIO(sent.body),
    }
    for name, value in sent.headers.items():
        given["HTTP_" + name.upper().replace("-", "_")] = value
    return given


def bare_wsgi(env: Mapping[str, object], start_response: Callable[..., object]) -> Iterable[bytes]:
    stream = env["wsgi.input"]
    assert isinstance(stream, io.BytesIO)
    floor(stream.read(int(str(env["CONTENT_LENGTH"]))), str(env[HEADER_KEY]))
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"ok":true,"message":"Handled."}']


def not_found(env: Mapping[str, object], start_response: Callable[..., object]) -> Iterable[bytes]:
    start_response("404 Not Found", [])
    return [b""]


def receiver() -> Receiver:
    made = Receiver(secrets=SECRET, store=MemoryStore())
    made.on_any(lambda event: event["id"])
    return made


Pool = List[Tuple[SignedDelivery, Dict[str, object]]]
"""The deliveries of one run, each with its WSGI environ (made before the run is timed)."""


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    ops = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    ours = receiver()
    middleware = IsaoWsgi(ours, path=PATH, app=not_found)
    statuses: List[str] = []

    def start_response(status: str, headers: object) -> None:
        statuses.append(status)

    loop = asyncio.new_event_loop()

    async def each_areceive(pool: Pool) -> None:
        for sent, _ in pool:
            assert (await ours.areceive(sent.body, sent.headers)).status == 200

    def run_verify(pool: Pool) -> None:
        for sent, _ in pool:
            assert verify(sent.body, sent.headers, secrets=SECRET).events

    def run_receive(pool: Pool) -> None:
        for sent, _ in pool:
            assert ours.receive(sent.body, sent.headers).status == 200

    def run_loop_per_delivery(pool: Pool) -> None:
        for sent, _ in pool:
            assert asyncio.run(ours.areceive(sent.body, sent.headers)).status == 200

    def run_floor(pool: Pool) -> None:
        for sent, _ in pool:
            floor(sent.body, sent.headers[SIGNATURE_HEADER])

    def run_wsgi(app: Callable[..., Iterable[bytes]]) -> Callable[[Pool], None]:
        def run(pool: Pool) -> None:
            statuses.clear()
            for _, env in pool:
                b"".join(app(env, start_response))
            assert statuses == ["200 OK"] * len(pool), statuses[:3]

        return run

    contenders: Dict[str, Callable[[Pool], None]] = {
        "floor": run_floor,
        "verify": run_verify,
        "receive": run_receive,
        "areceive": lambda pool: loop.run_until_complete(each_areceive(pool)),
        "loop per delivery": run_loop_per_delivery,
        "wsgi bare": run_wsgi(bare_wsgi),
        "wsgi": run_wsgi(middleware),
    }
    names = list(contenders)
    samples: Dict[str, List[float]] = {name: [] for name in names}
    for round_ in range(-1, rounds):  # round -1 warms up, not counted
        at = max(round_, 0) % len(names)
        for name in names[at:] + names[:at]:
            sent = [delivery() for _ in range(ops if round_ >= 0 else 100)]
            pool = [(each, environ(each)) for each in sent]
            began = time.perf_counter()
            contenders[name](pool)
            took = (time.perf_counter() - began) * 1e6 / len(pool)
            if round_ >= 0:
                samples[name].append(took)
    loop.close()
    print(json.dumps({"python": sys.version.split()[0], "ops": ops, "samples": samples}))


if __name__ == "__main__":
    main()
