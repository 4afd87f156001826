"""Incremental enrichment of the store: only new or changed post versions are processed.

Speaker resolution needs the whole document (an earlier post names "Jens Stoltenberg", a
later one says "Stoltenberg" or "the Nato chief"), so a document with any pending version is
enriched whole, and only the pending versions' rows are written.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from pathlib import Path

from sitroom.enrich.batch import (
    IN_FLIGHT_PER_WORKER,
    EnrichedDocument,
    enrich_batches,
    enrich_in_worker,
)
from sitroom.enrich.pipeline import ENRICHER_VERSION
from sitroom.records import Document, EnrichStats, PostEnrichment
from sitroom.store import Store, shared_store
from sitroom.util.progress import Progress, no_progress

# Posts per batch of documents parsed together: big enough for spaCy's batching and to keep
# a worker busy for a while, small enough that progress moves and memory stays low...
BATCH_POSTS = 200
# ...and with several workers, small enough that each gets this many batches at least, so
# that none is left idle while another finishes a big one.
BATCHES_PER_WORKER = 8
MIN_BATCH_POSTS = 20
# Below this many posts, starting worker processes (each loads spaCy: seconds) costs more
# than a second core saves.
PARALLEL_MIN_POSTS = 1000


def enrich_store(
    store: Store,
    *,
    actors_files: Sequence[Path] = (),
    progress: Progress = no_progress,
    processes: int | None = 1,
    pool: Executor | None = None,
    documents: set[int] | None = None,
) -> EnrichStats:
    """Enrich every post version that the current enricher has not seen yet; `progress` is
    told (versions done, versions in all, document) as each document is saved.

    Documents are enriched in batches (their texts parsed together); `processes` > 1 runs
    the batches in that many worker processes while this one writes the results; None
    picks one per core when there are over PARALLEL_MIN_POSTS versions to enrich. `pool`:
    started workers to use instead (a Dask client's executor), `processes` of them.
    `documents`: only these documents' versions."""
    stats = EnrichStats()
    pending = store.versions_needing_enrichment(ENRICHER_VERSION)
    if documents is not None:
        pending = {d: v for d, v in pending.items() if d in documents}
    if not pending:
        return stats
    total = sum(len(v) for v in pending.values())
    if processes is None:
        processes = (os.cpu_count() or 1) if total > PARALLEL_MIN_POSTS and pool is None else 1
    batches = document_batches(list(pending), store.document_record, batch_posts(total, processes))
    shared = store.shared_url() if pool is not None else None
    if shared:  # PostgreSQL: the workers save what they find themselves
        saved = _saved_on(pool, batches, processes, actors_files, shared, pending)
    else:
        found = enrich_batches(batches, processes=processes, actors_files=actors_files, pool=pool)
        saved = ((d.document_id, _save(store, d, set(pending[d.document_id]))) for d in found)
    for document_id, by_version in saved:
        stats.add(by_version)
        progress(stats.versions, total, f"document {document_id}")
    return stats


def _saved_on(
    pool: Executor,
    batches: Iterator[list[tuple[int, Document]]],
    processes: int,
    actors_files: Sequence[Path],
    db: str,
    pending: dict[int, list[int]],
) -> Iterator[tuple[int, dict[int, PostEnrichment]]]:
    """Each batch enriched and saved by a worker, into the shared record at `db`."""
    running: deque[Future] = deque()
    for batch in batches:
        wanted = {doc_id: set(pending[doc_id]) for doc_id, _ in batch}
        running.append(pool.submit(_enrich_and_save, batch, list(actors_files), db, wanted))
        if len(running) >= max(1, processes) * IN_FLIGHT_PER_WORKER:
            yield from running.popleft().result()
    while running:
        yield from running.popleft().result()


def _enrich_and_save(
    batch: list[tuple[int, Document]],
    actors_files: list[Path],
    db: str,
    wanted: dict[int, set[int]],
) -> list[tuple[int, dict[int, PostEnrichment]]]:
    """On a cluster's worker: enrich a batch and save each document's wanted versions."""
    store = shared_store(db)
    return [
        (done.document_id, _save(store, done, wanted[done.document_id]))
        for done in enrich_in_worker(batch, actors_files)
    ]


def batch_posts(total: int, workers: int) -> int:
    """How many posts to put in a batch when `total` are to be enriched by `workers`."""
    if workers <= 1:
        return BATCH_POSTS
    return max(MIN_BATCH_POSTS, min(BATCH_POSTS, total // (workers * BATCHES_PER_WORKER)))


def document_batches(
    document_ids: list[int], read: Callable[[int], Document], size: int
) -> Iterator[list[tuple[int, Document]]]:
    """The documents, read (`read(id)`) as they are needed, in batches of about `size`
    posts (a document is never split: it is enriched whole)."""
    batch: list[tuple[int, Document]] = []
    posts = 0
    for document_id in document_ids:
        document = read(document_id)
        batch.append((document_id, document))
        posts += len(document.posts)
        if posts >= size:
            yield batch
            batch, posts = [], 0
    if batch:
        yield batch


def _save(store: Store, done: EnrichedDocument, wanted: set[int]) -> dict[int, PostEnrichment]:
    """Save the rows of a document's `wanted` versions."""
    by_key = store.document_version_ids(done.document_id)
    by_version = {
        by_key[key]: result for key, result in done.found.items() if by_key.get(key) in wanted
    }
    # Versions the pipeline returned nothing for are still marked done.
    for vid in wanted - set(by_version):
        by_version[vid] = PostEnrichment(post_key="")
    store.save_document_enrichment(
        done.document_id, by_version, ENRICHER_VERSION, actors=done.actors, roles=done.roles
    )
    return by_version
