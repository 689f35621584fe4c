"""The shared de-duplication stores: SQLite (one host), Redis and PostgreSQL (the same keys and
table as the Node package's, so Python and Node workers share one store). Each keeps the
contract of :mod:`isao_webhooks._claims`; a store that cannot answer raises
:class:`StoreUnavailable` (the receiver answers 503, problem ``store``)."""

from ._base import NotKept, StoreUnavailable
from ._layout import PG_TABLE, REDIS_PREFIX
from .postgres import PostgresStore, PostgresTransactionalStore, table_sql
from .redis_store import RedisStore
from .sqlite import SQLiteStore

__all__ = [
    "NotKept",
    "PG_TABLE",
    "PostgresStore",
    "PostgresTransactionalStore",
    "REDIS_PREFIX",
    "RedisStore",
    "SQLiteStore",
    "StoreUnavailable",
    "table_sql",
]
