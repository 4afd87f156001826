"""Enrichment of many documents at once, on one core or several.

The texts of a batch of documents are parsed in one spaCy batch, then each document is read
whole (speaker resolution needs the document: see enrich/sync.py). With `processes` > 1 the
batches go to that many worker processes, each with its own spaCy: every step of enrichment
runs in parallel, not just the parse, and the caller writes the results to the store (one
writer)."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from sitroom.enrich.actors import ActorRegistry, DocContext
from sitroom.enrich.nlp import get_nlp, parse_texts
from sitroom.enrich.pipeline import document_texts, enrich_document
from sitroom.records import Actor, Document, PostEnrichment, Role

# Batches waiting or running per worker: enough to keep each busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 2


@dataclass
class EnrichedDocument:
    """What enrichment found in one document, ready for `Store.save_document_enrichment`."""

    document_id: int
    found: dict[str, PostEnrichment]  # post key -> what its latest version says
    actors: list[Actor] = field(default_factory=list)  # every actor it named
    roles: list[Role] = field(default_factory=list)  # roles it taught


def enrich_documents(
    documents: Sequence[tuple[int, Document]],
    registry: ActorRegistry,
    nlp: Language | None = None,
) -> list[EnrichedDocument]:
    """Enrich (document id, document) pairs: all their texts parsed in one batch."""
    texts = [document_texts(doc) for _, doc in documents]
    parsed = parse_texts([t for group in texts for t in group], n_process=1, nlp=nlp or get_nlp())
    out, start = [], 0
    for (document_id, doc), group in zip(documents, texts, strict=True):
        context = DocContext(registry)
        found = enrich_document(
            doc, registry, context=context, parsed=parsed[start : start + len(group)]
        )
        start += len(group)
        out.append(
            EnrichedDocument(
                document_id, found, context.mentioned_actors(), context.learned_role_records()
            )
        )
    return out


# The actor registry of this worker process, by the extra files it was loaded with.
_worker_registries: dict[tuple[Path, ...], ActorRegistry] = {}


def _worker_registry(actors_files: Sequence[Path]) -> ActorRegistry:
    key = tuple(actors_files)
    if key not in _worker_registries:
        _worker_registries[key] = ActorRegistry.load(list(key))
    return _worker_registries[key]


def _start_worker(actors_files: list[Path]) -> None:
    _worker_registry(actors_files)
    get_nlp()  # load spaCy once per worker, before the first batch


def enrich_in_worker(
    batch: list[tuple[int, Document]], actors_files: Sequence[Path] = ()
) -> list[EnrichedDocument]:
    """One batch, in a worker process of any pool (a process pool or a Dask cluster's)."""
    return enrich_documents(batch, _worker_registry(actors_files))


def _ready(seconds: float) -> int:
    time.sleep(seconds)  # hold this worker so the next warm-up task starts another
    return os.getpid()


@contextmanager
def worker_pool(processes: int, actors_files: Sequence[Path] = ()) -> Iterator[Executor]:
    """`processes` enrichment workers, started (spaCy loaded in each) before this yields.

    Spawned, not forked: no store connection, lock or thread of this process is inherited."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        processes, mp_context=context, initializer=_start_worker, initargs=(list(actors_files),)
    ) as pool:
        started = [pool.submit(_ready, 0.2) for _ in range(processes)]
        wait(started)
        yield pool


def enrich_batches(
    batches: Iterable[list[tuple[int, Document]]],
    *,
    processes: int = 1,
    actors_files: Sequence[Path] = (),
    pool: Executor | None = None,
) -> Iterator[EnrichedDocument]:
    """Enrich each batch, yielding its documents in the order given.

    `processes` > 1 spreads the batches over that many worker processes (each loads spaCy,
    which takes seconds, so use it for more than a handful of documents); or pass a started
    `pool` with `processes` workers (`worker_pool`, or a Dask client's executor)."""
    if pool is not None:
        yield from _enrich_on(pool, batches, processes, actors_files)
    elif processes <= 1:
        registry = ActorRegistry.load(list(actors_files))
        for batch in batches:
            yield from enrich_documents(batch, registry)
    else:
        with worker_pool(processes, actors_files) as started:
            yield from _enrich_on(started, batches, processes, actors_files)


def _enrich_on(
    pool: Executor,
    batches: Iterable[list[tuple[int, Document]]],
    processes: int,
    actors_files: Sequence[Path],
) -> Iterator[EnrichedDocument]:
    running: deque[Future[list[EnrichedDocument]]] = deque()
    for batch in batches:
        running.append(pool.submit(enrich_in_worker, batch, list(actors_files)))
        if len(running) >= max(1, processes) * IN_FLIGHT_PER_WORKER:
            yield from running.popleft().result()
    while running:
        yield from running.popleft().result()
