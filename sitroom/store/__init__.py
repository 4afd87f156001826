"""The store layer: the only place that speaks SQL.

`Store` (store/api.py) is the interface every caller is typed against; `open_store(path)`
gives the backend for a path. `SqliteStore` is the SQLite backend, one object over one
database file, its methods grouped by stage so each stage's tables and queries live side by
side:

- `core.CoreStore`: sources, documents, posts, post_versions, ingests, FTS (read stage)
- `enrichment.EnrichmentStore`: actors, aliases, mentions, quotes, figures, places
- `analysis.AnalysisStore`: claims, disputes, events, indicator points, quantity series

":memory:" works for tests.
"""

from __future__ import annotations

from pathlib import Path

from sitroom.store.analysis import AnalysisStore
from sitroom.store.api import PostQuery, Store
from sitroom.store.core import DEFAULT_DB, CoreStore, default_db_path
from sitroom.store.enrichment import EnrichmentStore


class SqliteStore(CoreStore, EnrichmentStore, AnalysisStore):
    """The record in one SQLite file (WAL mode), created and migrated on open."""


def open_store(path: str | Path | None = None) -> Store:
    """The store at `path` (default: $SITROOM_DB or ./sitroom.db), created if missing.

    Raises OSError when the file cannot be opened or is not a sitroom database."""
    return SqliteStore.open(path)


__all__ = ["DEFAULT_DB", "PostQuery", "SqliteStore", "Store", "default_db_path", "open_store"]
