"""The contract on every store, on the real servers: first, duplicate, in flight, owner tokens,
leases and keeps that run out, and a store that cannot answer raising StoreUnavailable."""

from __future__ import annotations

import re
import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from stores import ALL, CALLER_CLOCK, LEASED, check_contract, eventually, token_of

from isao_webhooks._claims import DedupStore, Duplicate, First, InFlight
from isao_webhooks.stores import (
    PostgresStore,
    PostgresTransactionalStore,
    RedisStore,
    SQLiteStore,
    StoreUnavailable,
)


def make(kind: str, request: pytest.FixtureRequest, unique: str, tmp_path: Path) -> DedupStore:
    """A store of this kind on its own prefix, table or file."""
    if kind == "sqlite":
        return SQLiteStore(tmp_path / "events.db")
    if kind.startswith("redis"):
        import redis

        client = redis.Redis.from_url(
            request.getfixturevalue("redis_url"), decode_responses=kind == "redis-decoded"
        )
        request.addfinalizer(client.close)
        return RedisStore(client, prefix=f"{unique}:")
    db: Any = request.getfixturevalue("pg_conn" if kind == "postgres-connection" else "pg_pool")
    store: Any = (PostgresTransactionalStore if kind == "postgres-tx" else PostgresStore)(
        db, table=unique
    )
    store.create_table()
    return store


@pytest.fixture
def store_of(request: pytest.FixtureRequest, unique: str, tmp_path: Path) -> Any:
    return lambda kind: make(kind, request, unique, tmp_path)


@pytest.mark.parametrize("kind", ALL)
def test_keeps_the_contract(kind: str, store_of: Any) -> None:
    check_contract(store_of(kind), 1_000_000, kind)


@pytest.mark.parametrize("kind", ALL)
def test_every_claim_has_a_new_random_uuid(kind: str, store_of: Any) -> None:
    store = store_of(kind)
    # the transactional store holds a connection of the pool (10) per open claim
    count = 8 if kind == "postgres-tx" else 50
    tokens = [token_of(store.claim(f"evt-{i}", now=0, lease_ms=60_000)) for i in range(count)]
    assert len(set(tokens)) == count
    for token in tokens:
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", token)
    for i, token in enumerate(tokens):
        store.release(f"evt-{i}", token)


@pytest.mark.parametrize("kind", CALLER_CLOCK)
def test_a_lease_runs_out_on_the_caller_clock(kind: str, store_of: Any) -> None:
    store = store_of(kind)
    late = token_of(store.claim("evt", now=0, lease_ms=1000))
    assert store.claim("evt", now=999, lease_ms=1000) == InFlight(1000)
    retry = token_of(store.claim("evt", now=1000, lease_ms=1000))
    assert retry != late
    # the late worker can neither complete nor release the claim now in force
    assert store.complete("evt", late, now=1001, keep_ms=5000) is False
    assert store.release("evt", late) is False
    assert store.claim("evt", now=1002, lease_ms=1000) == InFlight(2000)
    assert store.complete("evt", retry, now=1003, keep_ms=5000) is True
    # kept for keep_ms from the completion, then forgotten
    assert store.claim("evt", now=6002, lease_ms=1000) == Duplicate()
    assert isinstance(store.claim("evt", now=6003, lease_ms=1000), First)


@pytest.mark.parametrize("kind", ["redis", "redis-decoded"])
def test_a_lease_runs_out_on_the_redis_clock(kind: str, store_of: Any) -> None:
    store = store_of(kind)
    late = token_of(store.claim("evt", now=0, lease_ms=100))
    retry: list = []

    def claimed() -> bool:
        claim = store.claim("evt", now=0, lease_ms=60_000)
        retry.extend([claim.token] if isinstance(claim, First) else [])
        return bool(retry)

    eventually(claimed, "the lease ran out")
    assert retry[0] != late
    assert store.complete("evt", late, now=0, keep_ms=60_000) is False
    assert store.release("evt", late) is False
    assert isinstance(store.claim("evt", now=0, lease_ms=1000), InFlight)
    assert store.complete("evt", retry[0], now=0, keep_ms=100) is True
    assert store.claim("evt", now=0, lease_ms=60_000) == Duplicate()
    eventually(
        lambda: isinstance(store.claim("evt", now=0, lease_ms=60_000), First),
        "the keep ran out",
    )


@pytest.mark.parametrize("kind", CALLER_CLOCK)
def test_durations_are_whole_milliseconds_at_least_one(kind: str, store_of: Any) -> None:
    store = store_of(kind)
    token = token_of(store.claim("evt", now=10, lease_ms=0.2))
    assert store.claim("evt", now=10, lease_ms=1000) == InFlight(11)
    assert store.complete("evt", token, now=10, keep_ms=1.5) is True
    assert store.claim("evt", now=11, lease_ms=1000) == Duplicate()
    assert isinstance(store.claim("evt", now=12, lease_ms=1000), First)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_redis_down_raises_store_unavailable() -> None:
    import redis

    store = RedisStore(redis.Redis(port=closed_port(), socket_connect_timeout=2))
    for call in (
        lambda: store.claim("evt", now=0, lease_ms=1000),
        lambda: store.complete("evt", "t", now=0, keep_ms=1000),
        lambda: store.release("evt", "t"),
    ):
        with pytest.raises(StoreUnavailable, match="the Redis store could not run its"):
            call()


def test_postgres_down_raises_store_unavailable(pg_conn: Any) -> None:
    from psycopg2.pool import ThreadedConnectionPool

    pool = ThreadedConnectionPool(0, 2, f"postgresql://postgres@127.0.0.1:{closed_port()}/x")
    for store in (PostgresStore(pool), PostgresTransactionalStore(pool)):
        with pytest.raises(StoreUnavailable, match="the PostgreSQL store could not"):
            store.claim("evt", now=0, lease_ms=1000)
    pg_conn.close()
    with pytest.raises(StoreUnavailable, match="could not claim: connection already closed"):
        PostgresStore(pg_conn).claim("evt", now=0, lease_ms=1000)


def test_sqlite_locked_past_its_busy_time_raises_store_unavailable(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "events.db", busy_ms=100)
    other = sqlite3.connect(tmp_path / "events.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreUnavailable, match="could not claim: database is locked"):
            store.claim("evt", now=0, lease_ms=1000)
    finally:
        other.execute("ROLLBACK")
    assert isinstance(store.claim("evt", now=0, lease_ms=1000), First)


def test_unexpected_replies_raise_store_unavailable() -> None:
    class Weird:
        def __init__(self, reply: object) -> None:
            self.reply = reply

        def eval(self, *args: object) -> object:
            return self.reply

    for reply in (["maybe"], [b"first", 1], [b"in-flight", "5"], None, "OK"):
        with pytest.raises(StoreUnavailable, match="the Redis claim script answered"):
            RedisStore(Weird(reply)).claim("x", now=0, lease_ms=1)
    with pytest.raises(StoreUnavailable, match=r"the Redis release script answered b'OK'"):
        RedisStore(Weird(b"OK")).release("x", "t")
    with pytest.raises(StoreUnavailable, match="the Redis complete script answered True"):
        RedisStore(Weird(True)).complete("x", "t", now=0, keep_ms=1)
