"""One Python worker of test/python/shared-store.test.ts: an isao_webhooks Receiver on a store it
shares with Node workers (test/python/store-worker.ts is the same in Node) is handed a signed
delivery of each event id, as ISAO delivers it; its handler records the event's effect where
every worker and the test see it. A 503 (the event in flight elsewhere) is sent again, as ISAO
retries it, until the answer is 200: handled here (first) or already handled (duplicate).

Settings from the environment: STORE (redis | postgres), ISAO_REDIS_URL, ISAO_POSTGRES_URL,
EFFECTS (the Redis list or PostgreSQL table of effects), IDS (the event ids, comma-separated),
LEASE (ms), NAME (this worker's), HANG (an event id: its handler says ``claimed <id>`` and
stops forever, for the test to kill it). Once connected it says ``ready``
and waits for a line on its input, so all workers start together; at the end it prints one line
of JSON: how many answers were first (handled), duplicate and in flight (503).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Dict, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python"))

from isao_webhooks import Receiver  # noqa: E402
from isao_webhooks._claims import DedupStore  # noqa: E402
from isao_webhooks.events_generated import AnyIsaoEvent  # noqa: E402
from isao_webhooks.stores import PostgresStore, RedisStore  # noqa: E402
from isao_webhooks.testing import signed_delivery  # noqa: E402

SECRET = "whsec_shared_store"


def setup() -> Tuple[DedupStore, Callable[[str], None]]:
    """The shared store, and how an event's effect is recorded."""
    effects = os.environ["EFFECTS"]
    name = os.environ["NAME"]
    if os.environ["STORE"] == "redis":
        import redis

        client = redis.Redis.from_url(os.environ["ISAO_REDIS_URL"])
        return RedisStore(client), lambda event_id: client.rpush(effects, f"{event_id} {name}")
    import psycopg2

    conn = psycopg2.connect(os.environ["ISAO_POSTGRES_URL"])
    conn.autocommit = True

    def effect(event_id: str) -> None:
        with conn.cursor() as cursor:
            cursor.execute(f"INSERT INTO {effects} VALUES (%s, %s)", (event_id, name))

    return PostgresStore(psycopg2.connect(os.environ["ISAO_POSTGRES_URL"])), effect


def main() -> None:
    store, effect = setup()
    hang = os.environ.get("HANG")
    # the lease as the test sets it; the deadline past any wait here, so only a kill ends a claim
    receiver = Receiver(secrets=SECRET, store=store, lease=int(os.environ["LEASE"]) / 1000, deadline=60)

    @receiver.on_any
    def handle(event: AnyIsaoEvent) -> None:
        event_id = str(event["id"])
        if event_id == hang:
            print(f"claimed {event_id}", flush=True)
            threading.Event().wait()
        effect(event_id)

    counts: Dict[str, int] = {"first": 0, "duplicate": 0, "in-flight": 0}
    print("ready", flush=True)
    sys.stdin.readline()
    for event_id in os.environ["IDS"].split(","):
        sent = signed_delivery("contact.created", secret=SECRET, event_id=event_id)
        while True:
            answer = receiver.receive(sent.body, sent.headers)
            if answer.status == 503:
                counts["in-flight"] += 1
                time.sleep(0.005)
                continue
            if answer.status != 200:
                raise SystemExit(f"store_worker: {event_id} answered {answer.status}: {answer.body}")
            counts["first" if answer.body.get("handled") else "duplicate"] += 1
            break
    print(json.dumps(counts), flush=True)


if __name__ == "__main__":
    main()
