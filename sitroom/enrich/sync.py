"""Incremental enrichment of the store: only new or changed post versions are processed.

Speaker resolution needs the whole document (an earlier post names "Jens Stoltenberg", a
later one says "Stoltenberg" or "the Nato chief"), so a document with any pending version is
enriched whole, and only the pending versions' rows are written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass
class EnrichStats:
    documents: int = 0
    versions: int = 0
    mentions: int = 0
    quotes: int = 0
    figures: int = 0
    places: int = 0

    def __str__(self) -> str:
        return (
            f"{self.versions} post versions in {self.documents} documents: {self.quotes} quotes, "
            f"{self.mentions} mentions, {self.figures} figures, {self.places} places"
        )


def enrich_store(
    store, *, actors_files: Sequence[Path] = (), progress: bool = False
) -> EnrichStats:
    from rich.progress import Progress

    from sitroom.cli.output import err_console
    from sitroom.enrich.actors import ActorRegistry, DocContext
    from sitroom.enrich.pipeline import ENRICHER_VERSION, enrich_document

    stats = EnrichStats()
    pending = store.versions_needing_enrichment(ENRICHER_VERSION)
    if not pending:
        return stats
    registry = ActorRegistry.load(list(actors_files))
    with Progress(console=err_console, transient=True, disable=not progress) as bar:
        task = bar.add_task("enriching", total=sum(len(v) for v in pending.values()))
        for document_id, version_ids in pending.items():
            document = store.document_record(document_id)
            context = DocContext(registry)
            found = enrich_document(document, registry, context=context)
            by_key = store.document_version_ids(document_id)
            wanted = set(version_ids)
            by_version = {
                by_key[key]: result for key, result in found.items() if by_key.get(key) in wanted
            }
            # Versions the pipeline returned nothing for are still marked done.
            for vid in wanted - set(by_version):
                from sitroom.records import PostEnrichment

                by_version[vid] = PostEnrichment(post_key="")
            store.save_document_enrichment(
                document_id,
                by_version,
                ENRICHER_VERSION,
                actors=context.mentioned_actors(),
                roles=context.learned_role_records(),
            )
            stats.documents += 1
            stats.versions += len(by_version)
            for result in by_version.values():
                stats.mentions += len(result.mentions)
                stats.quotes += len(result.quotes)
                stats.figures += len(result.figures)
                stats.places += len(result.places)
            bar.advance(task, len(version_ids))
    return stats
