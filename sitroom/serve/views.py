"""The views of the record the server keeps (briefing, stories, analysis, actors, places,
sources), computed in a background worker (serve/cache.py) and never per request.

This module is what the worker process imports: it stays clear of the web stack. The
embedding model the analysis needs for claims it has not seen is loaded in the worker only
then, and let go as soon as the analysis is saved, so the worker holds it for seconds, not
for the life of the server.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial
from typing import Any

from sitroom.analyse import analyse_store, matching
from sitroom.analyse.stories import refresh_stories
from sitroom.brief import brief_store, brief_story
from sitroom.records import Story
from sitroom.serve.cache import RefreshingView
from sitroom.serve.settings import settings
from sitroom.store import Store, open_store

# name -> how many keys are kept (the briefing has one per window, source and story asked)
VIEW_KEYS = {
    "briefing": 32,
    "stories": 1,
    "analysis": 2,
    "actors": 1,
    "places": 1,
    "sources": 1,
}


def find_story(stories: list[Story], key: str) -> Story | None:
    """A story by id, name or label."""
    key = key.strip().lower()
    for s in stories:
        if key in (str(s.id), (s.name or "").lower(), s.label.lower()):
            return s
    return None


def make_views(store: Store, in_process: bool) -> tuple[dict[str, RefreshingView], Executor]:
    """The views served from cache and recomputed in the background. One worker computes
    them all, one at a time: for a database file a separate process (so that a
    recomputation never holds this server's interpreter lock), for ":memory:" a thread.
    A view is stale when the record's posts or enrichment change (`store.record_state`)."""
    if not in_process or store.path == ":memory:":
        worker: Executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="views")
        where: dict[str, Any] = {"store": store}
    else:
        # The worker runs at a lower priority: requests come first for the CPU.
        worker = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=os.nice,
            initargs=(10,),
        )
        where = {"db": str(store.path)}
    intervals = settings().view_min_interval_s
    views = {
        name: RefreshingView(
            partial(compute_view, name, **where),
            store.record_state,
            max_keys=keys,
            worker=worker,
            min_interval=intervals.get(name, 0.0),
        )
        for name, keys in VIEW_KEYS.items()
    }
    return views, worker


def stop_worker(worker: Executor) -> None:
    """Stop the views worker now: a process in the middle of an analysis is terminated, not
    left to finish it after the server is gone."""
    processes = list(getattr(worker, "_processes", {}).values())  # ProcessPoolExecutor's own
    worker.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()


_WORKER_STORE: dict[str, Store] = {}


def compute_view(name: str, key, *, db: str | None = None, store: Store | None = None):
    """One view of the record (run in the views worker; module-level so it can be pickled)."""
    if store is None:
        store = _WORKER_STORE.get(db)
        if store is None:
            store = _WORKER_STORE[db] = open_store(db)
    if name == "briefing":
        return _briefing(store, *key)
    if name == "stories":
        return refresh_stories(store)
    if name == "analysis":
        return _analysis(store, bool(key))
    if name == "actors":
        return store.actors_summary()
    if name == "places":
        return store.places()
    return store.documents()


def _briefing(store: Store, since, until, source, story: str | None):
    if story is None:
        return brief_store(store, since=since, until=until, source=source)
    found = find_story(refresh_stories(store), story)
    return brief_story(store, found) if found else brief_store(store, since=since, until=until)


def _analysis(store: Store, hourly: bool):
    """The analysis; the embedding model, if this run had to load it, is let go after."""
    try:
        return analyse_store(store, hourly=hourly)
    finally:
        if matching._model.cache_info().currsize:
            matching._model.cache_clear()
            gc.collect()
