"""The store layer: the only place that speaks SQL.

`Store` (store/api.py) is the interface every caller is typed against; `open_store(target)`
gives the backend for a file path or a database URL:

- `SqliteStore` (store/sqlite.py): the record in one SQLite file (the default).
- `PostgresStore` (store/postgres.py): the record in a PostgreSQL database, for
  `postgresql://user@host:port/dbname` URLs.

Both are one class over shared code, its methods grouped by stage so each stage's tables and
queries live side by side; each backend adds only its dialect (connecting, full-text search,
JSON lists):

- `core.CoreStore`: sources, documents, posts, post_versions, ingests (read stage)
- `enrichment.EnrichmentStore`: actors, aliases, mentions, quotes, figures, places
- `analysis.AnalysisStore`: claims, disputes, events, indicator points, quantity series

":memory:" works for tests.
"""

from __future__ import annotations

from pathlib import Path

from sitroom.store.api import PostQuery, QueryTooSlow, Store
from sitroom.store.core import DEFAULT_DB, default_db_path
from sitroom.store.postgres import PostgresStore, is_database_url
from sitroom.store.sqlite import SqliteStore

_SHARED: dict[str, Store] = {}


def shared_store(url: str) -> Store:
    """The store at `url` (a `Store.shared_url()`), opened once per process: a cluster's
    worker writes through it to the record its client also writes to."""
    store = _SHARED.get(url)
    if store is None:
        store = _SHARED[url] = open_store(url)
    return store


def open_store(target: str | Path | None = None) -> Store:
    """The store at `target`: a `postgresql://` URL, or a SQLite file path (default:
    $SITROOM_DB or ./sitroom.db), created and migrated if needed.

    Raises OSError when it cannot be opened or is not a sitroom database."""
    target = target if target is not None else default_db_path()
    if is_database_url(str(target)):
        return PostgresStore.open(str(target))
    return SqliteStore.open(target)


__all__ = [
    "DEFAULT_DB",
    "PostQuery",
    "PostgresStore",
    "QueryTooSlow",
    "SqliteStore",
    "Store",
    "default_db_path",
    "is_database_url",
    "open_store",
    "shared_store",
]
