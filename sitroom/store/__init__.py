"""The store layer: the only place that speaks SQL.

`Store` is one object over one database. Its methods come from a mixin per stage so each
stage's tables and queries live beside each other:

- `core.CoreStore`: sources, documents, posts, post_versions, ingests, FTS (read stage)
- `enrichment.EnrichmentStore`: actors, aliases, mentions, quotes, figures, places
- `analysis.AnalysisStore`: claims, claim links, events, indicator points

Open with `Store.open(path)`; ":memory:" works for tests.
"""

from __future__ import annotations

from sitroom.store.analysis import AnalysisStore
from sitroom.store.core import DEFAULT_DB, CoreStore, PostQuery
from sitroom.store.enrichment import EnrichmentStore


class Store(CoreStore, EnrichmentStore, AnalysisStore):
    pass


__all__ = ["Store", "PostQuery", "DEFAULT_DB"]
