"""The SQLite store, shared by the processes of one host: 8 processes claiming the same 100 ids
at once get exactly one first claim per id; the file is in WAL mode; a claim is one statement."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from shared import PYTHON

from isao_webhooks.stores import SQLiteStore

CLAIMER = """
import sys
from isao_webhooks.stores import SQLiteStore
store = SQLiteStore(sys.argv[1])
sys.stdin.readline()  # all started: claim together
firsts = [i for i in range(100) if store.claim(f"evt-{i}", now=0, lease_ms=60_000).state == "first"]
print(" ".join(map(str, firsts)))
"""


def test_processes_on_one_file_claim_each_id_once(tmp_path: Path) -> None:
    path = str(tmp_path / "events.db")
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIMER, path],
            cwd=PYTHON,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    outputs = [worker.communicate("go\n", timeout=60) for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * 8, [err for _, err in outputs]
    firsts = [int(i) for out, _ in outputs for i in out.split()]
    assert sorted(firsts) == list(range(100))


def test_the_file_is_in_wal_mode_with_the_shared_columns(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "events.db")
    token = store.claim("evt", now=5, lease_ms=10).token  # type: ignore[union-attr]
    other = sqlite3.connect(tmp_path / "events.db")
    assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert other.execute("SELECT * FROM isao_webhook_events").fetchall() == [("evt", token, 15)]
    store.complete("evt", token, now=6, keep_ms=100)
    assert other.execute("SELECT * FROM isao_webhook_events").fetchall() == [("evt", None, 106)]
    assert store.prune(106) == 1
    store.close()


def test_a_claim_holds_no_lock_once_answered(tmp_path: Path) -> None:
    first = SQLiteStore(tmp_path / "events.db")
    second = SQLiteStore(tmp_path / "events.db", busy_ms=50)
    assert first.claim("a", now=0, lease_ms=1000).state == "first"
    # another process writes at once: the first claim's statement is over, its lock released
    assert second.claim("b", now=0, lease_ms=1000).state == "first"
    assert second.claim("a", now=0, lease_ms=1000).state == "in-flight"
