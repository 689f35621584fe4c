"""The PostgreSQL stores on a real server: the table only when asked, one atomic claim under
concurrency, pruning; and the transactional mode, whose claim commits with the handler's own
writes, and whose release or failed commit keeps nothing."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from stores import token_of

from isao_webhooks._claims import First, InFlight
from isao_webhooks.stores import (
    NotKept,
    PostgresStore,
    PostgresTransactionalStore,
    StoreUnavailable,
)


def count(pg_conn: Any, sql: str) -> int:
    cursor = pg_conn.cursor()
    cursor.execute(sql)
    return int(cursor.fetchone()[0])


def test_creates_its_table_only_when_asked(pg_conn: Any, unique: str) -> None:
    store = PostgresStore(pg_conn, table=unique)
    with pytest.raises(StoreUnavailable, match=f'relation "{unique}" does not exist'):
        store.claim("evt", now=0, lease_ms=1000)
    store.create_table()
    assert isinstance(store.claim("evt", now=0, lease_ms=1000), First)


def test_claims_atomically_under_concurrency(pg_pool: Any, unique: str) -> None:
    store = PostgresStore(pg_pool, table=unique)
    store.create_table()
    with ThreadPoolExecutor(8) as threads:
        for round_ in range(3):
            claims = list(
                threads.map(
                    lambda _: store.claim(f"evt-{round_}", now=0, lease_ms=60_000), range(40)
                )
            )
            assert sum(isinstance(claim, First) for claim in claims) == 1
            assert sum(isinstance(claim, InFlight) for claim in claims) == 39


def test_prunes_only_the_rows_past_their_time(pg_conn: Any, unique: str) -> None:
    store = PostgresStore(pg_conn, table=unique)
    store.create_table()
    done = token_of(store.claim("done", now=0, lease_ms=100))
    store.complete("done", done, now=0, keep_ms=500)
    store.claim("held", now=0, lease_ms=1000)
    store.claim("gone", now=0, lease_ms=100)
    assert store.prune(500) == 2
    assert store.prune(500) == 0
    assert count(pg_conn, f"SELECT count(*) FROM {unique} WHERE event_id = 'held'") == 1


@pytest.fixture
def tx(pg_pool: Any, pg_conn: Any, unique: str) -> Any:
    """A transactional store on its own table, and an effects table whose deferred foreign key
    fails at COMMIT when ``checked`` names no row of ``checks``."""
    store = PostgresTransactionalStore(pg_pool, table=unique)
    store.create_table()
    cursor = pg_conn.cursor()
    cursor.execute(f"CREATE TABLE {unique}_checks (id int PRIMARY KEY); INSERT INTO {unique}_checks VALUES (1)")
    cursor.execute(
        f"CREATE TABLE {unique}_effects (event_id text NOT NULL, checked int REFERENCES "
        f"{unique}_checks (id) DEFERRABLE INITIALLY DEFERRED)"
    )
    return store


def write(store: Any, unique: str, event_id: str, checked: Any = None) -> None:
    cursor = store.transaction(event_id).cursor()
    cursor.execute(f"INSERT INTO {unique}_effects VALUES (%s, %s)", (event_id, checked))


def effects(pg_conn: Any, unique: str) -> int:
    return count(pg_conn, f"SELECT count(*) FROM {unique}_effects")


def test_commits_the_writes_with_the_claim(tx: Any, pg_conn: Any, unique: str) -> None:
    token = token_of(tx.claim("evt", now=0, lease_ms=1000))
    write(tx, unique, "evt")
    # open: another claim is in flight at once, and nothing is visible yet
    assert isinstance(tx.claim("evt", now=0, lease_ms=1000), InFlight)
    assert effects(pg_conn, unique) == 0
    assert tx.complete("evt", token, now=0, keep_ms=60_000) is True
    assert effects(pg_conn, unique) == 1
    assert tx.claim("evt", now=1, lease_ms=1000).state == "duplicate"
    assert count(pg_conn, f"SELECT count(*) FROM {unique} WHERE token IS NULL") == 1


def test_a_failed_commit_keeps_nothing(tx: Any, pg_conn: Any, unique: str) -> None:
    token = token_of(tx.claim("evt", now=0, lease_ms=1000))
    write(tx, unique, "evt", checked=2)
    with pytest.raises(NotKept, match="the transaction of event 'evt' could not commit"):
        tx.complete("evt", token, now=0, keep_ms=60_000)
    assert effects(pg_conn, unique) == 0
    assert count(pg_conn, f"SELECT count(*) FROM {unique}") == 0
    again = token_of(tx.claim("evt", now=0, lease_ms=1000))
    write(tx, unique, "evt", checked=1)
    assert tx.complete("evt", again, now=0, keep_ms=60_000) is True
    assert effects(pg_conn, unique) == 1


def test_a_release_rolls_back_a_running_query_included(tx: Any, pg_conn: Any, unique: str) -> None:
    for round_ in range(3):
        event_id = f"evt-{round_}"
        token = token_of(tx.claim(event_id, now=0, lease_ms=1000))
        write(tx, unique, event_id)
        ended: list = []

        def slow(conn: Any = tx.transaction(event_id)) -> None:
            try:
                conn.cursor().execute("SELECT pg_sleep(30)")
                ended.append("finished")
            except Exception as error:
                ended.append(type(error).__name__)

        running = threading.Thread(target=slow)
        running.start()
        assert tx.release(event_id, token) is True
        assert isinstance(tx.claim(event_id, now=0, lease_ms=1000), First)
        running.join(10)
        assert ended and ended[0] != "finished"
    assert effects(pg_conn, unique) == 0


def test_no_transaction_without_a_claim(tx: Any) -> None:
    with pytest.raises(LookupError, match="this event has no eventId, so it is not de-duplicated"):
        tx.transaction(None)
    with pytest.raises(LookupError, match="event 'evt_x' holds no claim of this store now"):
        tx.transaction("evt_x")


def test_gives_every_connection_back(pg_pool: Any, tx: Any) -> None:
    for i in range(10):
        token = token_of(tx.claim(f"evt-{i}", now=0, lease_ms=1000))
        assert isinstance(tx.claim(f"evt-{i}", now=0, lease_ms=1000), InFlight)
        if i % 2:
            tx.complete(f"evt-{i}", token, now=0, keep_ms=1000)
        else:
            tx.release(f"evt-{i}", token)
    assert len(pg_pool._used) == 0
