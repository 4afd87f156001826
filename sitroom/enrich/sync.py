"""Incremental enrichment of the store: only new or changed post versions are processed.

Speaker resolution needs the whole document (an earlier post names "Jens Stoltenberg", a
later one says "Stoltenberg" or "the Nato chief"), so a document with any pending version is
enriched whole, and only the pending versions' rows are written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sitroom.enrich.actors import ActorRegistry, DocContext
from sitroom.enrich.pipeline import ENRICHER_VERSION, enrich_document
from sitroom.records import PostEnrichment
from sitroom.store import Store
from sitroom.util.progress import Progress, no_progress


@dataclass
class EnrichStats:
    documents: int = 0
    versions: int = 0
    mentions: int = 0
    quotes: int = 0
    figures: int = 0
    places: int = 0

    def add(self, by_version: dict[int, PostEnrichment]) -> None:
        """Count one document's saved versions and what was found in them."""
        self.documents += 1
        self.versions += len(by_version)
        for result in by_version.values():
            self.mentions += len(result.mentions)
            self.quotes += len(result.quotes)
            self.figures += len(result.figures)
            self.places += len(result.places)

    def __str__(self) -> str:
        return (
            f"{self.versions} post versions in {self.documents} documents: {self.quotes} quotes, "
            f"{self.mentions} mentions, {self.figures} figures, {self.places} places"
        )


def enrich_store(
    store: Store, *, actors_files: Sequence[Path] = (), progress: Progress = no_progress
) -> EnrichStats:
    """Enrich every post version that the current enricher has not seen yet; `progress` is
    told (versions done, versions in all, document) as each document is finished."""
    stats = EnrichStats()
    pending = store.versions_needing_enrichment(ENRICHER_VERSION)
    if not pending:
        return stats
    registry = ActorRegistry.load(list(actors_files))
    total = sum(len(v) for v in pending.values())
    for document_id, version_ids in pending.items():
        by_version = _enrich_one(store, registry, document_id, set(version_ids))
        stats.add(by_version)
        progress(stats.versions, total, f"document {document_id}")
    return stats


def _enrich_one(
    store: Store, registry: ActorRegistry, document_id: int, wanted: set[int]
) -> dict[int, PostEnrichment]:
    """Enrich one whole document and save the rows of its `wanted` versions."""
    document = store.document_record(document_id)
    context = DocContext(registry)
    found = enrich_document(document, registry, context=context)
    by_key = store.document_version_ids(document_id)
    by_version = {by_key[key]: result for key, result in found.items() if by_key.get(key) in wanted}
    # Versions the pipeline returned nothing for are still marked done.
    for vid in wanted - set(by_version):
        by_version[vid] = PostEnrichment(post_key="")
    store.save_document_enrichment(
        document_id,
        by_version,
        ENRICHER_VERSION,
        actors=context.mentioned_actors(),
        roles=context.learned_role_records(),
    )
    return by_version
