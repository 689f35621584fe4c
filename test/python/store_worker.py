"""One Python worker of test/python/shared-store.test.ts: claims each event id in a store it
shares with Node workers (test/python/store-worker.ts does the same in Node), records the
event's effect where every worker and the test see it, then completes it. An event in flight
is tried again (as ISAO retries a 503) until it is first or a duplicate.

Settings from the environment: STORE (redis | postgres), ISAO_REDIS_URL, ISAO_POSTGRES_URL,
EFFECTS (the Redis list or PostgreSQL table of effects), IDS (the event ids, comma-separated),
LEASE (ms), NAME (this worker's), HANG (an event id: after its claim the worker says
``claimed <id>`` and stops forever, for the test to kill it). Once connected it says ``ready``
and waits for a line on its input, so all workers start together; at the end it prints one line
of JSON: how many claims were first, duplicate and in flight.
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

from isao_webhooks._claims import DedupStore, First, InFlight  # noqa: E402
from isao_webhooks.stores import PostgresStore, RedisStore  # noqa: E402


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
    lease = int(os.environ["LEASE"])
    hang = os.environ.get("HANG")
    counts: Dict[str, int] = {"first": 0, "duplicate": 0, "in-flight": 0}
    print("ready", flush=True)
    sys.stdin.readline()
    for event_id in os.environ["IDS"].split(","):
        while True:
            claim = store.claim(event_id, now=int(time.time() * 1000), lease_ms=lease)
            counts[claim.state] += 1
            if not isinstance(claim, InFlight):
                break
            time.sleep(0.005)
        if isinstance(claim, First):
            if event_id == hang:
                print(f"claimed {event_id}", flush=True)
                threading.Event().wait()
            effect(event_id)
            store.complete(event_id, claim.token, now=int(time.time() * 1000), keep_ms=3_600_000)
    print(json.dumps(counts), flush=True)


if __name__ == "__main__":
    main()
