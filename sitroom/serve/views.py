"""The views of the record the server keeps (briefing, stories, analysis, actors, places,
sources), computed in a background worker (serve/cache.py) and never per request.

The web process only schedules them: what computes them (serve/compute.py, with the
analysis and briefing stack) is imported in the worker alone.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial
from typing import Any

from sitroom.serve.cache import RefreshingView
from sitroom.serve.settings import settings
from sitroom.store import Store

# name -> how many keys are kept (the briefing has one per window, source and story asked)
VIEW_KEYS = {
    "briefing": 32,
    "stories": 1,
    "analysis": 1,
    "actors": 1,
    "places": 1,
    "sources": 1,
    "catalogue": 1,  # the indicator catalogue (it changes only with its data file)
}


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
            _unchanging if name == "catalogue" else store.record_state,
            max_keys=keys,
            worker=worker,
            min_interval=intervals.get(name, 0.0),
            tells_unchanged=True,
        )
        for name, keys in VIEW_KEYS.items()
    }
    return views, worker


def _unchanging() -> int:
    return 0


def stop_worker(worker: Executor) -> None:
    """Stop the views worker now: a process in the middle of an analysis is terminated, not
    left to finish it after the server is gone."""
    processes = list(getattr(worker, "_processes", {}).values())  # ProcessPoolExecutor's own
    worker.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()


def compute_view(
    name: str, key, *, db: str | None = None, store: Store | None = None, held: bool = False
):
    """One view of the record, computed in the views worker (module-level: it is pickled)."""
    # lazy: the analysis and briefing stack (scikit-learn, spaCy, ~90 MB) is only ever
    # needed in the views worker; the web process never imports it
    from sitroom.serve.compute import compute

    return compute(name, key, db=db, store=store, held=held)
