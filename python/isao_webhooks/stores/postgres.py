"""The PostgreSQL stores, in the table and statements the Node package keeps
(conformance/stores.md), so Python and Node workers share one table. The client is passed in:
a psycopg2 connection or pool (``psycopg2.pool.ThreadedConnectionPool``), or anything with the
same methods, so the package imports no driver. Times are the receiver's (``now``, epoch ms).

- :class:`PostgresStore`: a claim is one atomic statement with a lease, committed at once.
- :class:`PostgresTransactionalStore`: a claim opens a transaction on a connection of the pool;
  the handler writes through it (``store.transaction(event_id)``), and the completion commits in
  that same transaction: the handler's writes and the "done" mark are kept together or not at all.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager, suppress
from typing import Any, Dict, Iterator, Optional, Protocol, Sequence, Tuple

from .._claims import Claim, Duplicate, First, InFlight
from ._base import NotKept, StoreUnavailable, new_token, unavailable, whole
from ._layout import (
    PG_END,
    PG_TABLE,
    PG_TRY_LOCK,
    params,
    pg_claim,
    pg_complete,
    pg_create_table,
    pg_prune,
    pg_release,
    pyformat,
    table_of,
)


class Cursor(Protocol):
    rowcount: int
    description: Any

    def execute(self, query: str, vars: Any = ...) -> Any: ...

    def fetchone(self) -> Optional[Sequence[Any]]: ...

    def close(self) -> Any: ...


class Connection(Protocol):
    """What the stores use of a psycopg2 connection."""

    closed: int

    def cursor(self) -> Cursor: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def close(self) -> None: ...


class Pool(Protocol):
    """What the stores use of a psycopg2 pool: it lends a connection and takes it back."""

    def getconn(self) -> Connection: ...

    def putconn(self, conn: Connection, key: Any = ..., close: bool = ...) -> None: ...


def table_sql(table: str = PG_TABLE) -> str:
    """The SQL that creates the store's table, to run once or put in a migration."""
    return pg_create_table(table_of(table)) + "\n"


def _run(conn: Connection, sql: str, values: Sequence[object]) -> Tuple[Optional[Sequence[Any]], int]:
    """Runs one statement; its first row (if it returns rows) and its row count."""
    cursor = conn.cursor()
    try:
        cursor.execute(pyformat(sql), params(*values))
        row = cursor.fetchone() if cursor.description is not None else None
        return row, cursor.rowcount
    finally:
        cursor.close()


def _claim_of(row: Optional[Sequence[Any]], token: str, now: int) -> Claim:
    """The claim, from the row the claim statement returned for the token it tried."""
    if row is not None and len(row) == 2:
        held, until = row
        if held == token:
            return First(token)
        if held is None:
            return Duplicate()
        if isinstance(held, str) and isinstance(until, int):
            return InFlight(max(until, now))
    raise StoreUnavailable(
        f"isao_webhooks: the PostgreSQL claim returned {row!r}, not the row the store expects."
    )


class _Lender:
    """One connection (used under a lock, committed after each statement) or a pool's."""

    def __init__(self, db: Any) -> None:
        self.pool: Optional[Pool] = db if callable(getattr(db, "getconn", None)) else None
        self.conn: Optional[Connection] = None if self.pool else db
        if self.pool is None and not callable(getattr(db, "cursor", None)):
            raise TypeError(
                "isao_webhooks: PostgresStore needs a psycopg2 connection or pool, "
                f"not {type(db).__name__}."
            )
        self.lock = threading.Lock()

    @contextmanager
    def lend(self) -> Iterator[Connection]:
        """A connection for one unit of work, committed after it, rolled back on an error."""
        if self.pool is None:
            assert self.conn is not None
            with self.lock:
                yield from self._committed(self.conn)
            return
        conn = self.pool.getconn()
        broken = True
        try:
            yield from self._committed(conn)
            broken = False
        finally:
            self.pool.putconn(conn, close=broken or bool(conn.closed))

    @staticmethod
    def _committed(conn: Connection) -> Iterator[Connection]:
        try:
            yield conn
            conn.commit()
        except BaseException:
            if not conn.closed:
                conn.rollback()
            raise


class PostgresStore:
    """Claims with leases in one table: ``PostgresStore(pool, table="isao_webhook_events")``.
    Given one connection, the store uses it alone, committing after each statement: give it a
    connection of its own (or a pool), not one with your open transaction."""

    def __init__(self, db: Any, *, table: str = PG_TABLE) -> None:
        self.table = table_of(table)
        self._db = _Lender(db)

    def _do(self, doing: str, sql: str, values: Sequence[object]) -> Tuple[Optional[Sequence[Any]], int]:
        try:
            with self._db.lend() as conn:
                return _run(conn, sql, values)
        except Exception as error:
            raise unavailable("PostgreSQL", doing, error) from error

    def table_sql(self) -> str:
        """The SQL of :meth:`create_table`, for a migration."""
        return table_sql(self.table)

    def create_table(self) -> None:
        """Creates the table if it is not there (the SQL of :func:`table_sql`)."""
        self._do("create its table", pg_create_table(self.table), ())

    def prune(self, now: int) -> int:
        """Deletes the rows past their time; how many. Run it now and then."""
        return self._do("prune", pg_prune(self.table), (now,))[1]

    def claim(self, event_id: str, *, now: int, lease_ms: int) -> Claim:
        token = new_token()
        row, _ = self._do("claim", pg_claim(self.table), (event_id, token, now, whole(lease_ms)))
        return _claim_of(row, token, now)

    def complete(self, event_id: str, token: str, *, now: int, keep_ms: int) -> bool:
        values = (event_id, token, now, whole(keep_ms))
        return self._do("complete", pg_complete(self.table), values)[1] == 1

    def release(self, event_id: str, token: str) -> bool:
        return self._do("release", pg_release(self.table), (event_id, token))[1] == 1


class PostgresTransactionalStore:
    """Each claim holds a transaction on a connection of ``pool`` until the event completes
    (COMMIT: the handler's writes and the completion together) or is released (its connection
    closed and its server process ended: PostgreSQL rolls everything back). Another claim of the
    event while one is open answers in flight at once (a transaction-scoped advisory lock), so it
    needs no lease: a worker that dies loses its connection, and with it the claim and its
    writes. The pool must be thread-safe when several threads receive (ThreadedConnectionPool)."""

    def __init__(self, pool: Pool, *, table: str = PG_TABLE) -> None:
        if not callable(getattr(pool, "getconn", None)):
            raise TypeError(
                "isao_webhooks: PostgresTransactionalStore needs a psycopg2 pool "
                f"(psycopg2.pool.ThreadedConnectionPool), not {type(pool).__name__}."
            )
        self.table = table_of(table)
        self._pool = pool
        self._plain = PostgresStore(pool, table=table)
        self._open: Dict[str, Tuple[str, Connection, int]] = {}
        self._lock = threading.Lock()

    def transaction(self, event_id: Optional[str]) -> Connection:
        """The connection of the event being handled: write the event's effects through it
        (do not commit or roll back there; a SAVEPOINT is fine)."""
        with self._lock:
            held = None if event_id is None else self._open.get(event_id)
        if held is None:
            why = (
                "this event has no eventId, so it is not de-duplicated and has no transaction"
                if event_id is None
                else f"event {event_id!r} holds no claim of this store now (called outside its "
                "handler, or after its deadline)"
            )
            raise LookupError(f"isao_webhooks: {why}: use the pool for its writes.")
        return held[1]

    def table_sql(self) -> str:
        return table_sql(self.table)

    def create_table(self) -> None:
        self._plain.create_table()

    def prune(self, now: int) -> int:
        return self._plain.prune(now)

    def claim(self, event_id: str, *, now: int, lease_ms: int) -> Claim:
        try:
            conn = self._pool.getconn()
        except Exception as error:
            raise unavailable("PostgreSQL", "lend a connection", error) from error
        try:
            # psycopg2 opens the transaction (BEGIN, READ COMMITTED) with the first statement
            lock, _ = _run(conn, PG_TRY_LOCK, (self.table, event_id))
            token = new_token()
            if lock is not None and lock[0] is True:
                row, _ = _run(conn, pg_claim(self.table), (event_id, token, now, whole(lease_ms)))
                claim = _claim_of(row, token, now)
            else:
                claim = InFlight(now + lease_ms)
            if isinstance(claim, First):
                with self._lock:
                    self._open[event_id] = (token, conn, int(lock[1]) if lock else 0)
                return claim
            conn.rollback()
        except Exception as error:
            self._pool.putconn(conn, close=True)
            if isinstance(error, StoreUnavailable):
                raise
            raise unavailable("PostgreSQL", "claim", error) from error
        self._pool.putconn(conn)
        return claim

    def complete(self, event_id: str, token: str, *, now: int, keep_ms: int) -> bool:
        """Commits the claim's transaction; a failed commit kept nothing (:class:`NotKept`)."""
        held = self._take(event_id, token)
        if held is None:
            return False
        try:
            _, done = _run(held[1], pg_complete(self.table), (event_id, token, now, whole(keep_ms)))
            if done != 1:
                raise LookupError("the claim row was not there to complete")
            held[1].commit()
        except Exception as error:
            with suppress(Exception):  # the server gone: the transaction went with it
                self._end(held)
            raise NotKept(
                f"isao_webhooks: the transaction of event {event_id!r} could not commit, so none "
                f"of its writes were kept ({error})"
            ) from error
        self._pool.putconn(held[1])
        return True

    def release(self, event_id: str, token: str) -> bool:
        """Ends the claim's transaction: PostgreSQL rolls back the claim and its writes."""
        held = self._take(event_id, token)
        if held is None:
            return False
        self._end(held)
        return True

    def _end(self, held: Tuple[str, Connection, int]) -> None:
        """Ends the claim's server process from another connection and waits until it is gone
        (a handler's query still running there included), then closes the claim's connection:
        psycopg2 would wait for that query to close it first. The event's lock is then free."""
        _, conn, pid = held
        try:
            self._plain._do("end a claim's transaction", PG_END, (pid,))
        finally:
            self._pool.putconn(conn, close=True)

    def _take(self, event_id: str, token: str) -> Optional[Tuple[str, Connection, int]]:
        with self._lock:
            held = self._open.get(event_id)
            if held is None or held[0] != token:
                return None
            del self._open[event_id]
            return held
