"""The shared stores' layout: Redis keys, values and Lua scripts, the PostgreSQL table and
statements, byte for byte as ``conformance/stores.md`` writes them and the Node package runs them
(``sdk/src/store-layout.ts``), so Python and Node workers share one store. The statements keep
PostgreSQL's ``$n`` parameters as written there; :func:`pyformat` turns them into psycopg2's
``%(pn)s`` form. Times are epoch milliseconds; durations are whole milliseconds.
"""

from __future__ import annotations

import re

#: The default prefix of a Redis key: the key of event id X is ``isao:webhooks:event:X``.
REDIS_PREFIX = "isao:webhooks:event:"
#: A claimed event's value is this followed by the claim's token; a completed one's is REDIS_DONE.
REDIS_CLAIMED = "claim:"
REDIS_DONE = "done"

#: claim: ARGV[1] ``claim:<token>``, ARGV[2] the lease in ms.
REDIS_CLAIM = f"""local claimed = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
if claimed then return {{'first'}} end
if redis.call('GET', KEYS[1]) == '{REDIS_DONE}' then return {{'duplicate'}} end
return {{'in-flight', redis.call('PTTL', KEYS[1])}}"""

#: complete: ARGV[1] ``claim:<token>``, ARGV[2] the keep in ms. 1 when that claim was in force.
REDIS_COMPLETE = f"""if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], '{REDIS_DONE}', 'PX', ARGV[2])
return 1"""

#: release: ARGV[1] ``claim:<token>``. 1 when that claim was in force (now deleted).
REDIS_RELEASE = """if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1"""

#: The default PostgreSQL table (and the SQLite store's).
PG_TABLE = "isao_webhook_events"

_TABLE = re.compile(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?")


def table_of(table: str) -> str:
    """The table's name when it needs no quoting (``name`` or ``schema.name``), else TypeError."""
    if not isinstance(table, str) or _TABLE.fullmatch(table) is None:
        raise TypeError(
            "isao_webhooks: the PostgreSQL store's table must be a lower-case name, optionally "
            f"after its schema (schema.table), not {table!r}."
        )
    return table


def pg_create_table(table: str) -> str:
    """The table and its index, for ``create_table()`` or a migration."""
    index = table.rsplit(".", 1)[-1]
    return f"""CREATE TABLE IF NOT EXISTS {table} (
  event_id text PRIMARY KEY,
  token text,
  held_until bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS {index}_held_until ON {table} (held_until);"""


def pg_claim(table: str) -> str:
    """claim: $1 event id, $2 the new token, $3 now, $4 the lease."""
    return f"""INSERT INTO {table} AS e (event_id, token, held_until) VALUES ($1, $2, $3::bigint + $4::bigint)
ON CONFLICT (event_id) DO UPDATE SET
  token = CASE WHEN e.held_until <= $3::bigint THEN EXCLUDED.token ELSE e.token END,
  held_until = CASE WHEN e.held_until <= $3::bigint THEN EXCLUDED.held_until ELSE e.held_until END
RETURNING token, held_until"""


def pg_complete(table: str) -> str:
    """complete: $1 event id, $2 token, $3 now, $4 keep."""
    return (
        f"UPDATE {table} SET token = NULL, held_until = $3::bigint + $4::bigint "
        "WHERE event_id = $1 AND token = $2"
    )


def pg_release(table: str) -> str:
    """release: $1 event id, $2 token."""
    return f"DELETE FROM {table} WHERE event_id = $1 AND token = $2"


def pg_prune(table: str) -> str:
    """prune: $1 now."""
    return f"DELETE FROM {table} WHERE held_until <= $1"


#: The transactional mode's lock: $1 the table's name, $2 the event id.
PG_TRY_LOCK = (
    "SELECT pg_try_advisory_xact_lock(hashtextextended($1 || ':' || $2, 0)) AS locked, "
    "pg_backend_pid() AS pid"
)

#: A transactional release, from another connection: $1 the claim's server process.
PG_END = "SELECT pg_terminate_backend($1, 5000)"


def pyformat(sql: str) -> str:
    """The statement with ``$n`` written ``%(pn)s``, as psycopg2 takes parameters by name."""
    return re.sub(r"\$(\d+)", r"%(p\1)s", sql.replace("%", "%%"))


def params(*values: object) -> "dict[str, object]":
    """``$1``, ``$2``… of a statement, for :func:`pyformat`'s form."""
    return {f"p{n}": value for n, value in enumerate(values, start=1)}
