"""Enrichment tables: actors, aliases, mentions, quotes, figures, places (owner: enrichment)."""


class EnrichmentStore:
    pass
