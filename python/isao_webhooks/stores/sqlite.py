"""The SQLite store: event ids claimed in one database file, shared by the processes of one host
(standard library only). The file is in WAL mode, each connection waits for a lock up to
``busy_ms``, and a claim is one statement (an UPSERT with RETURNING, SQLite 3.35 or later), so
two processes never both get ``First``. Its table has the PostgreSQL store's columns; times are
the receiver's (``now``, epoch ms). Not for a network file system (NFS, SMB): SQLite's locks are
not reliable there.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from typing import Any, Optional, Sequence, Tuple, Union

from .._claims import Claim, Duplicate, First, InFlight
from ._base import StoreUnavailable, new_token, unavailable, whole
from ._layout import PG_TABLE

_TABLE = f"""CREATE TABLE IF NOT EXISTS {PG_TABLE} (
  event_id text PRIMARY KEY,
  token text,
  held_until integer NOT NULL
);
CREATE INDEX IF NOT EXISTS {PG_TABLE}_held_until ON {PG_TABLE} (held_until);"""

_CLAIM = f"""INSERT INTO {PG_TABLE} AS e (event_id, token, held_until) VALUES (?1, ?2, ?3 + ?4)
ON CONFLICT (event_id) DO UPDATE SET
  token = CASE WHEN e.held_until <= ?3 THEN excluded.token ELSE e.token END,
  held_until = CASE WHEN e.held_until <= ?3 THEN excluded.held_until ELSE e.held_until END
RETURNING token, held_until"""

_COMPLETE = (
    f"UPDATE {PG_TABLE} SET token = NULL, held_until = ?3 + ?4 WHERE event_id = ?1 AND token = ?2"
)
_RELEASE = f"DELETE FROM {PG_TABLE} WHERE event_id = ?1 AND token = ?2"
_PRUNE = f"DELETE FROM {PG_TABLE} WHERE held_until <= ?1"


class SQLiteStore:
    """Claims in one SQLite file: ``SQLiteStore("/var/lib/app/isao-events.db")``. Every process
    of the host that opens the same file shares the claims. The table is created on opening."""

    def __init__(self, path: Union[str, "os.PathLike[str]"], *, busy_ms: int = 5000) -> None:
        if sqlite3.sqlite_version_info < (3, 35, 0):
            raise RuntimeError(
                "isao_webhooks: SQLiteStore needs SQLite 3.35 or later (UPSERT with RETURNING); "
                f"this Python has SQLite {sqlite3.sqlite_version}."
            )
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        try:
            # autocommit (isolation_level=None): each statement is its own transaction
            self._db = sqlite3.connect(
                self.path, timeout=busy_ms / 1000, isolation_level=None, check_same_thread=False
            )
            self._db.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.executescript(_TABLE)
        except sqlite3.Error as error:
            raise unavailable("SQLite", f"open {self.path}", error) from error

    def _do(self, doing: str, sql: str, values: Sequence[object]) -> Tuple[Optional[Any], int]:
        try:
            with self._lock:
                cursor = self._db.execute(sql, values)
                # the statement is stepped past its one row here: done, its lock released
                row = cursor.fetchone()
                return row, cursor.rowcount
        except sqlite3.Error as error:
            raise unavailable("SQLite", doing, error) from error

    def claim(self, event_id: str, *, now: int, lease_ms: int) -> Claim:
        token = new_token()
        row, _ = self._do("claim", _CLAIM, (event_id, token, now, whole(lease_ms)))
        if row is not None:
            held, until = row
            if held == token:
                return First(token)
            if held is None:
                return Duplicate()
            return InFlight(max(int(until), now))
        raise StoreUnavailable("isao_webhooks: the SQLite claim returned no row.")

    def complete(self, event_id: str, token: str, *, now: int, keep_ms: int) -> bool:
        return self._do("complete", _COMPLETE, (event_id, token, now, whole(keep_ms)))[1] == 1

    def release(self, event_id: str, token: str) -> bool:
        return self._do("release", _RELEASE, (event_id, token))[1] == 1

    def prune(self, now: int) -> int:
        """Deletes the rows past their time; how many. Run it now and then."""
        return self._do("prune", _PRUNE, (now,))[1]

    def close(self) -> None:
        with self._lock:
            self._db.close()
