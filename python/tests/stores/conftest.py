"""What the store tests share: the package on sys.path, and the throwaway servers' addresses.

The Redis and PostgreSQL tests run on real servers whose addresses come from ISAO_REDIS_URL and
ISAO_POSTGRES_URL, which ``npm test`` sets (test/python/pytest.test.ts starts the servers with
scripts/servers/servers.js, as ``node scripts/servers/servers.js /usr/bin/python3 -m pytest
python/tests`` does by hand). Without them those tests fail, saying so: never a skip.
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path
from typing import Iterator

import pytest

# the package's source and tests/ (tests/shared.py), also when this folder runs alone
for folder in (Path(__file__).resolve().parents[1], Path(__file__).resolve().parents[2]):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


def server(variable: str) -> str:
    """The address in ``variable``, or a failure saying how to run these tests."""
    value = os.environ.get(variable)
    if not value:
        pytest.fail(
            f"{variable} is not set: run the Python tests through `npm test` (or `npx jest "
            "test/python`), which starts throwaway Redis and PostgreSQL servers, or run "
            "`node scripts/servers/servers.js /usr/bin/python3 -m pytest python/tests`, "
            f"or set {variable} to a throwaway server's address.",
            pytrace=False,
        )
    return value


@pytest.fixture
def redis_url() -> str:
    return server("ISAO_REDIS_URL")


@pytest.fixture
def postgres_dsn() -> str:
    return server("ISAO_POSTGRES_URL")


@pytest.fixture
def unique() -> str:
    """A name of this test alone (a key prefix, a table): tests share the servers."""
    return f"t{uuid.uuid4().hex[:12]}"


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[object]:
    import redis

    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def pg_pool(postgres_dsn: str) -> Iterator[object]:
    from psycopg2.pool import ThreadedConnectionPool

    pool = ThreadedConnectionPool(2, 10, postgres_dsn)
    yield pool
    pool.closeall()


@pytest.fixture
def pg_conn(postgres_dsn: str) -> Iterator[object]:
    import psycopg2

    conn = psycopg2.connect(postgres_dsn)
    conn.autocommit = True
    yield conn
    conn.close()
