"""Views computed from the record (briefing, analysis), served from a cache and recomputed
in the background when the record changes, never per request.

A request gets the value for the record's current version if it is ready; else the last
value computed for the same key (stale by a few posts) while the worker computes the new one,
at most once per `min_interval` seconds per key. Only a key never computed before is
computed while the request waits. Keys are bounded (least recently used dropped), and the
worker computes one view at a time, so a burst of news cannot queue up more than one
recomputation per key. The worker may be a process (serve/views.py uses one for a database
file), so recomputation never holds the web server's interpreter lock.

Each value carries a generation, which changes only when a recomputation gives a different
value: responses made from a view are cached under it (serve/responses.py).
"""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Unchanged:
    """What a compute function with `tells_unchanged` returns when the value it would return
    equals the one it returned last time: the caller keeps that one (nothing is sent back
    from the worker process, unpickled or compared in the web server)."""


@dataclass
class _Entry(Generic[T]):
    version: Any  # the record's version the value was computed at (compared for equality)
    value: T
    generation: int  # changes only when the value does
    order: int  # when its computation was asked for: a later one is never replaced by an earlier


class RefreshingView(Generic[T]):
    def __init__(
        self,
        compute: Callable[[Hashable], T],
        version: Callable[[], Any],
        *,
        max_keys: int = 32,
        worker: Executor | None = None,
        min_interval: float = 0.0,
        tells_unchanged: bool = False,
    ) -> None:
        # Called in the worker (picklable when the worker is a process) with the key, and,
        # with `tells_unchanged`, `held=`: whether this view holds the value last computed.
        self.compute = compute
        self.tells_unchanged = tells_unchanged
        self.version = version
        self.max_keys = max_keys
        self.min_interval = min_interval
        self._done_at: dict[Hashable, float] = {}
        self._values: OrderedDict[Hashable, _Entry[T]] = OrderedDict()
        self._pending: set[Hashable] = set()
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self._worker = worker or ThreadPoolExecutor(max_workers=1, thread_name_prefix="view")
        self._order = itertools.count()
        self._generations = itertools.count(1)
        self.refreshes = 0  # background recomputations done (for tests and the bench)

    def get(self, key: Hashable = None) -> T:
        entry = self._current(key)
        if entry is not None:
            return entry.value
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:  # the first request for a key computes it; others wait for it
            with self._lock:
                entry = self._values.get(key)
            if entry is not None:
                return entry.value
            version, order = self.version(), next(self._order)
            value = self._worker.submit(self._call(held=False), key).result()
            return self._store(key, version, order, value).value

    def stamp(self, key: Hashable = None) -> int | None:
        """The generation of the value a `get(key)` returns now (None before the first), for
        keying what is made from it; like `get`, it starts a refresh when the value is stale."""
        entry = self._current(key)
        return entry.generation if entry is not None else None

    def _current(self, key: Hashable) -> _Entry[T] | None:
        """The entry for `key`, with a background refresh started when it is stale."""
        version = self.version()
        with self._lock:
            entry = self._values.get(key)
            if entry is None:
                return None
            self._values.move_to_end(key)
            if entry.version != version and key not in self._pending:
                self._pending.add(key)
                wait = self._done_at.get(key, 0) + self.min_interval - time.monotonic()
                # The version asked for now: read here, not in the timer's own thread
                # (a thread per refresh would open a database connection each).
                timer = threading.Timer(max(0.0, wait), self._refresh, (key, version))
                timer.daemon = True
                timer.start()
            return entry

    def _refresh(self, key: Hashable, version: Any) -> None:
        """Compute `key` again. `version` was read when the refresh was asked for: what is
        computed is at least that new, and a later version makes the next `get` refresh."""
        order = next(self._order)
        try:
            future = self._worker.submit(self._call(held=True), key)
        except RuntimeError:  # the worker was shut down (the server is stopping)
            return
        future.add_done_callback(lambda f: self._refreshed(key, version, order, f))

    def _refreshed(self, key: Hashable, version: Any, order: int, future: Future) -> None:
        try:
            if future.exception() is None:  # a failed refresh keeps the last good value
                with contextlib.suppress(LookupError):
                    self._store(key, version, order, future.result())
                self.refreshes += 1
        finally:
            with self._lock:
                self._pending.discard(key)
                self._done_at[key] = time.monotonic()

    def _call(self, held: bool) -> Callable[[Hashable], T]:
        return partial(self.compute, held=held) if self.tells_unchanged else self.compute

    def _store(self, key: Hashable, version: Any, order: int, value: T) -> _Entry[T]:
        with self._lock:
            old = self._values.get(key)
            if old is not None and old.order > order:
                return old  # a value asked for later is already there
            if isinstance(value, Unchanged):
                if old is None:  # dropped meanwhile: the next `get` computes it afresh
                    raise LookupError(key)
                old.version, old.order = version, order
                return old
            generation = old.generation if old is not None and _same(old.value, value) else None
            entry = _Entry(version, value, generation or next(self._generations), order)
            self._values[key] = entry
            self._values.move_to_end(key)
            while len(self._values) > self.max_keys:
                dropped, _ = self._values.popitem(last=False)
                self._key_locks.pop(dropped, None)
            return entry

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)


def _same(old: Any, new: Any) -> bool:
    """Whether a recomputed value equals the one before (records are dataclasses)."""
    try:
        return bool(old == new)
    except (TypeError, ValueError):  # a value that cannot say (an array inside)
        return False
