"""The one ingest path: read inputs, store what each gives, record the run, then enrich.

`sitroom ingest`, `sitroom follow` and `sitroom demo` all come through `ingest_sources`, so
they count, record and enrich the same way. Progress goes to a callback; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Protocol

from sitroom.read import DEFAULT_MAX_BYTES, ReadError, read_bytes
from sitroom.read.inputs import merge_provenance
from sitroom.records import Document, EnrichStats, IngestResult, Provenance
from sitroom.store import Store, shared_store
from sitroom.util.cluster import Cluster
from sitroom.util.progress import Progress, no_progress


class Input(Protocol):
    """Something to read: `read.inputs.InputItem`, or bytes already fetched (`Fetched`)."""

    source: str
    meta: Provenance | None  # what is known of the page besides its text (after `load`)

    def load(self, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, str | None]:
        """The bytes and their content type; ReadError when they cannot be had."""
        ...


@dataclass
class Fetched:
    """An input whose bytes are already in hand (as `follow` has them after its GET)."""

    source: str
    data: bytes
    content_type: str | None = None
    meta: Provenance | None = None

    def load(self, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, str | None]:
        return self.data, self.content_type


@dataclass
class IngestRun:
    """What one run of the pipeline did: one result per input, and the enrichment after."""

    ingest_id: int
    results: list[IngestResult] = field(default_factory=list)
    enrichment: EnrichStats | None = None

    @property
    def errors(self) -> list[str]:
        return [f"{r.source}: {r.error}" for r in self.results if r.error]


def ingest_sources(
    store: Store,
    inputs: Iterable[Input],
    *,
    argv: str,
    format: str | None = None,
    date_hint: date | None = None,
    meta: Provenance | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    enrich: bool = True,
    actors_files: Sequence[Path] = (),
    progress: Progress = no_progress,
    enrich_progress: Progress = no_progress,
    cluster: Cluster | None = None,
) -> IngestRun:
    """Read and store every input, one transaction each, and record the run in `ingests`
    (`argv` says what asked for it); `meta` is provenance given for every input, merged with
    what each input knows of itself (its manifest line, its fetch). An input that cannot be read gives a result with its
    error and the others go on. With `enrich`, post versions not yet enriched are enriched
    after (when at least one input was read).

    With a `cluster` (`sitroom.util.cluster`: a Dask cluster's workers), inputs are read and
    documents enriched on its workers; this process stores what they give (SQLite: one
    writer), or, where the store is shared (PostgreSQL), the workers store it themselves.
    A rerun does only what is missing: unchanged pages store nothing new and only versions
    not yet enriched are enriched."""
    items = list(inputs)
    options = ReadOptions(format=format, date_hint=date_hint, meta=meta, max_bytes=max_bytes)
    run = IngestRun(ingest_id=store.begin_ingest(argv))
    status = "failed"  # unless the loop ends: the row says how the run ended
    try:
        shared = store.shared_url() if cluster is not None else None
        if shared:  # PostgreSQL: each worker stores what it reads
            reader = partial(read_and_store, options=options, db=shared, ingest_id=run.ingest_id)
        else:
            reader = partial(read_one, options=options)
        read = map(reader, items) if cluster is None else cluster.executor.map(reader, items)
        for n, (item, document) in enumerate(zip(items, read, strict=True)):
            progress(n, len(items), item.source)
            run.results.append(_store_one(store, document, ingest_id=run.ingest_id))
        progress(len(items), len(items), "")
        status = "completed"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        errors = run.errors
        store.finish_ingest(
            run.ingest_id, len(run.results) - len(errors), len(errors), errors, status=status
        )
    if enrich and any(r.error is None for r in run.results):
        # lazy: enrichment loads spaCy (seconds); `--no-enrich` and failed reads skip it
        from sitroom.enrich.sync import enrich_store

        run.enrichment = enrich_store(
            store,
            actors_files=actors_files,
            progress=enrich_progress,
            processes=cluster.workers if cluster else 1,
            pool=cluster.executor if cluster else None,
        )
    return run


@dataclass
class ReadOptions:
    """How every input of a run is read."""

    format: str | None = None  # skip detection and read as this format
    date_hint: date | None = None  # supplies a year the pages leave out
    meta: Provenance | None = None  # provenance given for every input
    max_bytes: int = DEFAULT_MAX_BYTES


def ingest_one(
    store: Store, item: Input, options: ReadOptions, *, ingest_id: int | None = None
) -> IngestResult:
    """Read one input and store what it gives; any failure to read it (a ReadError, or
    whatever else loading it raised) becomes the result's error."""
    return _store_one(store, read_one(item, options), ingest_id=ingest_id)


def _store_one(
    store: Store, read: Document | IngestResult, *, ingest_id: int | None
) -> IngestResult:
    if isinstance(read, IngestResult):  # it could not be read
        return read
    return store.ingest_document(read, ingest_id=ingest_id)


def read_and_store(
    item: Input, options: ReadOptions, *, db: str, ingest_id: int | None
) -> IngestResult:
    """Read one input and store it in the shared record at `db` (on a cluster's worker,
    beside the others: PostgreSQL takes many writers)."""
    return _store_one(shared_store(db), read_one(item, options), ingest_id=ingest_id)


def read_one(item: Input, options: ReadOptions) -> Document | IngestResult:
    """The document an input gives, or a result carrying why it could not be read (here or
    on a cluster's worker)."""
    try:
        data, content_type = item.load(options.max_bytes)
        document = read_bytes(
            data,
            source=item.source,
            format=options.format,
            content_type=content_type,
            date_hint=options.date_hint,
            max_bytes=options.max_bytes,
            meta=merge_provenance(options.meta, item.meta),
        )
    except ReadError as exc:
        return IngestResult(source=item.source, document_id=None, error=str(exc))
    except Exception as exc:  # noqa: BLE001 -- one input's failure must not stop the batch
        return IngestResult(
            source=item.source,
            document_id=None,
            error=f"could not be read ({type(exc).__name__}: {str(exc)[:200]})",
        )
    return document
