"""Analysis: claims, who supports and who rejects them, events and escalation indicators,
quantity series.

`analyse_documents` works on documents and their enrichment (for eval and tests);
`analyse_store` runs it over the record and keeps the result, keyed on everything it
depends on (the record's posts and their enrichment, the indicator catalogue and word lists,
the analyser's version): a change to any of them makes it stale, nothing else does. Each
claim's parse (proposition, stance) and embedding are kept by a key of its words, so a new
post costs only its own claims. Every output item cites the posts it comes from. Long work
reports progress through `progress(done, total, what)` (sitroom.util.progress).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from sitroom.analyse.catalogue import catalogue_hash
from sitroom.analyse.claims import extract_claims, read_claims, reading_key
from sitroom.analyse.disputes import find_disputes
from sitroom.analyse.grouping import group_claims
from sitroom.analyse.incremental import update_analysis
from sitroom.analyse.indicators import find_events, indicator_index
from sitroom.analyse.matching import compare, embed
from sitroom.analyse.quantities import document_figures, quantity_series
from sitroom.records import Analysis, Claim, Document, PostEnrichment
from sitroom.store import Store
from sitroom.util.progress import Progress

__all__ = [
    "ANALYSER_VERSION",
    "Analysis",
    "analyse_documents",
    "analyse_store",
    "embed_claims",
    "quantity_series",
]

# Bump when a change to the analysis code changes its results: saved analyses become stale.
# (The digest of the analysis code below makes any code change do so as well.)
ANALYSER_VERSION = "2"


@functools.cache
def _code_digest() -> str:
    """A digest of this package's code: a saved reading made by other code is stale."""
    digest = hashlib.sha1()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _prefix() -> str:
    return f"{ANALYSER_VERSION}.{_code_digest()}:{catalogue_hash()}:"


def _stage(progress: Progress | None, stage: str) -> Callable[[int, int], None] | None:
    return (lambda done, total: progress(done, total, stage)) if progress else None


# Claims per call of the embedding model: progress is reported, and the thread count chosen,
# per call.
EMBED_BATCH = 64


def _embed_all(texts: list[str], done: list[int], parsing: threading.Event) -> list[np.ndarray]:
    """Embed `texts` (shortest first, so a batch pads little), counting into `done[0]`.
    While spaCy parses in the other thread (`parsing` set) the model runs on one thread, so
    the two do not fight over the cores; then on torch's default."""
    import torch  # lazy: torch is imported with the embedding model, only when it is needed

    threads = torch.get_num_threads()
    order = sorted(range(len(texts)), key=lambda n: len(texts[n]))
    out: list[np.ndarray] = [np.zeros(0, dtype=np.float32)] * len(texts)
    try:
        for start in range(0, len(order), EMBED_BATCH):
            torch.set_num_threads(1 if parsing.is_set() else threads)
            chunk = order[start : start + EMBED_BATCH]
            for n, v in zip(chunk, embed([texts[n] for n in chunk]), strict=True):
                out[n] = np.asarray(v, dtype=np.float32)
            done[0] = start + len(chunk)
    finally:
        torch.set_num_threads(threads)
    return out


def embed_claims(texts: list[str]) -> list[np.ndarray]:
    """Sentence embeddings of claims, as the analysis computes them (batched, shortest
    first, float32)."""
    return _embed_all(texts, [0], threading.Event())


def _wait_for(future: Future, done: list[int], total: int, progress: Progress | None):
    while True:
        try:
            return future.result(timeout=0.25)
        except FutureTimeout:
            if progress:
                progress(done[0], total, "embedding claims")


def _read_and_embed(claims: list[Claim], cache: Any, progress: Progress | None) -> list[np.ndarray]:
    """Read every claim (proposition, stance) and embed those with a speaker (only they can
    take a side): from the cache where kept, else computed in batches and added to it.
    The embedding model loads and runs in a second thread while spaCy parses (both spend
    most of their time outside the interpreter lock). Returns the vectors of the claims with
    a speaker, in order (claims of the same words share one array)."""
    prefix = _prefix()
    keys = {c.id: prefix + reading_key(c) for c in claims}
    kept = cache.claim_readings(sorted(set(keys.values()))) if cache is not None else {}
    readings = {k[len(prefix) :]: r for k, (r, _) in kept.items()}
    vectors: dict[str, np.ndarray] = {k: v for k, (_, v) in kept.items() if v is not None}
    texts = {keys[c.id]: c.text for c in claims if c.actor}
    todo = sorted(k for k in texts if k not in vectors)
    done = [0]
    parsing = threading.Event()
    parsing.set()
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(_embed_all, [texts[k] for k in todo], done, parsing) if todo else None
        try:
            new_readings = read_claims(claims, readings, _stage(progress, "parsing claims"))
        finally:
            parsing.clear()
        if future is not None:
            vectors.update(zip(todo, _wait_for(future, done, len(todo), progress), strict=True))
            if progress:
                progress(len(todo), len(todo), "embedding claims")
    if cache is not None and (new_readings or todo):
        all_readings = {**readings, **new_readings}
        changed = set(todo) | {prefix + n for n in new_readings}
        cache.save_claim_readings(
            {k: (all_readings[k[len(prefix) :]], vectors.get(k)) for k in changed}
        )
    return [vectors[keys[c.id]] for c in claims if c.actor]  # one array per distinct words


def _links(disputes, claims: list[Claim]):
    by_id = {c.id: c for c in claims}
    links = []
    for d in disputes:
        for a_side in d.asserts:
            for d_side in d.denies:
                a, b = by_id[a_side.claims[0]], by_id[d_side.claims[0]]
                links.append(compare(a, b, 1.0 if set(a.signals) & set(b.signals) else 0.0))
    return links


def analyse_documents(
    items: list[tuple[Document, dict[str, PostEnrichment]]],
    post_ids: list[dict[str, str]] | None = None,
    hourly: bool = False,
    *,
    progress: Progress | None = None,
    cache: Any = None,
) -> Analysis:
    """The analysis of these documents. `cache` (a Store) keeps claim readings and vectors;
    with `hourly`, `indicators` holds the hourly points (`hourly` always does)."""
    claims: list[Claim] = []
    places_by_post: dict[str, str] = {}
    figures = []
    undated: dict[str, datetime] = {}
    for n, (doc, enrichment) in enumerate(items):
        ids = post_ids[n] if post_ids else None
        found = extract_claims(doc, enrichment, ids)
        latest = max((p.published for p in doc.posts if p.published), default=None)
        undated.update({c.id: latest for c in found if c.time is None and latest})
        claims += found
        figures += document_figures(doc, enrichment, ids)
        for key, result in enrichment.items():
            if result.places:
                places_by_post[(ids or {}).get(key, key)] = result.places[0].canonical
        if progress:
            progress(n + 1, len(items), "finding claims")
    rows = _read_and_embed(claims, cache, progress)
    vectors = np.vstack(rows) if rows else np.zeros((0, 384), dtype=np.float32)
    spoken = [c for c in claims if c.actor]
    groups = group_claims(spoken, vectors, _stage(progress, "grouping claims"), undated)
    disputes = find_disputes(groups)
    events = find_events(claims, places_by_post)
    daily, by_hour = indicator_index(events), indicator_index(events, hourly=True)
    return Analysis(
        claims=claims,
        links=_links(disputes, claims),
        disputes=disputes,
        events=events,
        indicators=by_hour if hourly else daily,
        quantities=quantity_series(figures),
        hourly=by_hour,
    )


def analysis_key(store: Store) -> str:
    """What the saved analysis depends on: the record (posts, versions, enrichment), the
    catalogue and word lists, and the analyser version."""
    state = store.analysis_state()
    return hashlib.sha1(f"{state}\x00{_prefix()}".encode()).hexdigest()[:20]


def analyse_store(
    store: Store,
    hourly: bool = False,
    since: datetime | None = None,
    progress: Progress | None = None,
) -> Analysis:
    """The analysis of the whole record (or of the posts since `since`), saved in the
    store and reused until anything it depends on changes; after a change only what changed
    is redone (sitroom.analyse.incremental)."""
    key = analysis_key(store) if since is None else None
    saved = store.saved_analysis(key) if key else None
    if saved is None and key is None:
        items, ids = [], []
        for d in store.documents():
            doc = store.document_record(d.id)
            if since is not None:
                doc.posts = [p for p in doc.posts if p.published is None or p.published >= since]
            items.append((doc, store.enrichment_for_document(d.id)))
            ids.append(store.document_post_ids(d.id))
        saved = analyse_documents(items, ids, progress=progress, cache=store)
    elif saved is None:
        saved, run, memo = update_analysis(store, _prefix(), _read_and_embed, _links, progress)
        store.save_analysis_state(saved, key, run)
        memo.keep(store, key)
    if not saved.hourly:
        saved.hourly = indicator_index(saved.events, hourly=True)
    return dataclasses.replace(saved, indicators=saved.hourly) if hourly else saved
