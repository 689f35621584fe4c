"""The layout the Python stores keep is the one conformance/stores.md writes down (and
test/sdk/stores/layout.test.ts holds the Node code to that page): Redis keys, values and
scripts, the PostgreSQL table and statements, byte for byte, so Node and Python share a store."""

from __future__ import annotations

from typing import Any

import pytest
from shared import ROOT
from stores import token_of

from isao_webhooks.stores import PostgresStore, RedisStore, table_sql
from isao_webhooks.stores import _layout as layout

PAGE = (ROOT / "conformance" / "stores.md").read_text(encoding="utf-8")


def fenced(language: str, text: str) -> str:
    return f"```{language}\n{text}\n```"


def test_the_page_shows_each_redis_script_key_and_value() -> None:
    for script in (layout.REDIS_CLAIM, layout.REDIS_COMPLETE, layout.REDIS_RELEASE):
        assert fenced("lua", script) in PAGE
    assert f"`{layout.REDIS_PREFIX}X`" in PAGE
    assert f"`{layout.REDIS_CLAIMED}<token>` while claimed" in PAGE
    assert f"`{layout.REDIS_DONE}` once completed" in PAGE


def test_the_page_shows_the_table_and_each_statement() -> None:
    table = layout.PG_TABLE
    for sql in (
        layout.pg_create_table(table),
        layout.pg_claim(table),
        layout.pg_complete(table),
        layout.pg_release(table),
        layout.pg_prune(table),
        layout.PG_TRY_LOCK,
        layout.PG_END,
    ):
        assert fenced("sql", sql) in PAGE
    assert f"**Table** `{table}` by default" in PAGE


def test_table_sql_is_the_page_s_with_the_table_named() -> None:
    assert table_sql() == layout.pg_create_table("isao_webhook_events") + "\n"
    assert table_sql("app.events") == (
        "CREATE TABLE IF NOT EXISTS app.events (\n  event_id text PRIMARY KEY,\n  token text,\n"
        "  held_until bigint NOT NULL\n);\n"
        "CREATE INDEX IF NOT EXISTS events_held_until ON app.events (held_until);\n"
    )


def test_psycopg2_parameters_are_the_statements_own() -> None:
    assert layout.pyformat(layout.pg_release("t")) == (
        "DELETE FROM t WHERE event_id = %(p1)s AND token = %(p2)s"
    )
    assert layout.params("a", "b") == {"p1": "a", "p2": "b"}


@pytest.mark.parametrize("table", ["Events", "a b", "x;drop table y", "a.b.c", '"q"', "", None])
def test_a_table_name_it_would_have_to_quote_is_refused(table: Any) -> None:
    with pytest.raises(TypeError, match="must be a lower-case name, optionally after its schema"):
        PostgresStore(object(), table=table)
    with pytest.raises(TypeError, match="must be a lower-case name"):
        table_sql(table)


def test_redis_writes_the_shared_layout(redis_client: Any, unique: str) -> None:
    store = RedisStore(redis_client)
    key = f"{layout.REDIS_PREFIX}{unique}"
    token = token_of(store.claim(unique, now=0, lease_ms=30_000))
    assert redis_client.get(key) == f"claim:{token}".encode()
    assert 20_000 < redis_client.pttl(key) <= 30_000
    assert store.complete(unique, token, now=0, keep_ms=90_000) is True
    assert redis_client.get(key) == b"done"
    assert 80_000 < redis_client.pttl(key) <= 90_000
    # a worker of another language, writing the same layout, is understood
    redis_client.set(f"{key}-foreign", "claim:someone-else", px=30_000)
    assert store.claim(f"{unique}-foreign", now=0, lease_ms=1000).state == "in-flight"
    assert store.release(f"{unique}-foreign", "someone-else") is True
    assert redis_client.exists(f"{key}-foreign") == 0


def test_postgres_writes_the_shared_layout(pg_conn: Any, unique: str) -> None:
    store = PostgresStore(pg_conn, table=f"public.{unique}")
    store.create_table()
    store.create_table()
    cursor = pg_conn.cursor()

    def rows() -> list:
        cursor.execute(f"SELECT event_id, token, held_until FROM {unique} ORDER BY event_id")
        return cursor.fetchall()

    token = token_of(store.claim("evt_1", now=1_700_000_000_000, lease_ms=15_000))
    assert rows() == [("evt_1", token, 1_700_000_015_000)]
    store.complete("evt_1", token, now=1_700_000_001_000, keep_ms=7_200_000)
    assert rows() == [("evt_1", None, 1_700_007_201_000)]
