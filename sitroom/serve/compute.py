"""What the views worker runs (serve/views.py schedules it): each view of the record.

The embedding model the analysis needs for claims it has not seen is loaded in the worker
only then, and let go as soon as the analysis is saved, so the worker holds it for
seconds, not for the life of the server.
"""

from __future__ import annotations

import gc
from typing import Any

from sitroom.analyse import analyse_store, matching
from sitroom.analyse.catalogue import load_catalogue
from sitroom.analyse.stories import refresh_stories
from sitroom.brief import brief_store, brief_story
from sitroom.serve.cache import Unchanged
from sitroom.serve.lookup import find_story
from sitroom.store import Store, open_store

_WORKER_STORE: dict[str, Store] = {}
_LAST: dict[tuple, Any] = {}  # (database, view, key) -> the value computed last


def compute(
    name: str, key, *, db: str | None = None, store: Store | None = None, held: bool = False
):
    """One view of the record: over `store`, or over the database file `db` (opened once).
    With `held` (the server holds the value this returned last), an equal value is not sent
    again: `Unchanged` says so."""
    value = _compute(name, key, db, store)
    last = (db or id(store), name, key)
    if held and last in _LAST and _same(_LAST[last], value):
        return Unchanged()
    _LAST[last] = value
    return value


def _same(old: Any, new: Any) -> bool:
    try:
        return bool(old == new)
    except (TypeError, ValueError):  # a value that cannot say (an array inside)
        return False


def _compute(name: str, key, db: str | None, store: Store | None):
    if store is None:
        store = _WORKER_STORE.get(db)
        if store is None:
            store = _WORKER_STORE[db] = open_store(db)
    if name == "briefing":
        return _briefing(store, *key)
    if name == "stories":
        return refresh_stories(store)
    if name == "analysis":
        return _analysis(store)
    if name == "actors":
        return store.actors_summary()
    if name == "places":
        return store.places()
    if name == "catalogue":
        return load_catalogue()
    return store.documents()


def _briefing(store: Store, since, until, source, story: str | None):
    if story is None:
        return brief_store(store, since=since, until=until, source=source)
    found = find_story(refresh_stories(store), story)
    return brief_story(store, found) if found else brief_store(store, since=since, until=until)


def _analysis(store: Store):
    """The analysis (its daily and hourly indicators both); the embedding model, if this
    run had to load it, is let go after."""
    try:
        return analyse_store(store)
    finally:
        if matching._model.cache_info().currsize:
            matching._model.cache_clear()
            gc.collect()
