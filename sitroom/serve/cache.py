"""Views computed from the record (briefing, analysis), served from a cache and recomputed
in the background when the record changes, never per request.

A request gets the value for the record's current change id if it is ready; else the last
value computed for the same key (stale by a few posts) while one background thread computes
the new one. Only a key never computed before is computed in the request. Keys are bounded
(least recently used dropped), and the worker computes one view at a time so a burst of
news cannot queue up more than one recomputation per key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")


class RefreshingView(Generic[T]):
    def __init__(
        self,
        compute: Callable[[Hashable], T],
        version: Callable[[], int],
        *,
        max_keys: int = 32,
        worker: ThreadPoolExecutor | None = None,
    ) -> None:
        self.compute = compute
        self.version = version
        self.max_keys = max_keys
        self._values: OrderedDict[Hashable, tuple[int, T]] = OrderedDict()
        self._pending: set[Hashable] = set()
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self._worker = worker or ThreadPoolExecutor(max_workers=1, thread_name_prefix="view")
        self.refreshes = 0  # background recomputations done (for tests and the bench)

    def get(self, key: Hashable = None) -> T:
        change = self.version()
        with self._lock:
            entry = self._values.get(key)
            if entry is not None:
                self._values.move_to_end(key)
                if entry[0] != change and key not in self._pending:
                    self._pending.add(key)
                    self._worker.submit(self._refresh, key)
                return entry[1]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:  # the first request for a key computes it; others wait for it
            with self._lock:
                entry = self._values.get(key)
            if entry is not None:
                return entry[1]
            value = self.compute(key)
            self._store(key, change, value)
            return value

    def warm(self, key: Hashable = None) -> None:
        """Compute `key` now if it is missing or stale (in the calling thread)."""
        change = self.version()
        with self._lock:
            entry = self._values.get(key)
        if entry is None or entry[0] != change:
            self._store(key, change, self.compute(key))

    def _refresh(self, key: Hashable) -> None:
        try:
            change = self.version()
            value = self.compute(key)
            self._store(key, change, value)
            self.refreshes += 1
        finally:
            with self._lock:
                self._pending.discard(key)

    def _store(self, key: Hashable, change: int, value: T) -> None:
        with self._lock:
            old = self._values.get(key)
            if old is not None and old[0] > change:
                return  # a newer value is already there
            self._values[key] = (change, value)
            self._values.move_to_end(key)
            while len(self._values) > self.max_keys:
                dropped, _ = self._values.popitem(last=False)
                self._key_locks.pop(dropped, None)

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)
