"""Views computed from the record (briefing, analysis), served from a cache and recomputed
in the background when the record changes, never per request.

A request gets the value for the record's current change id if it is ready; else the last
value computed for the same key (stale by a few posts) while the worker computes the new one,
at most once per `min_interval` seconds per key. Only a key never computed before is
computed while the request waits. Keys are bounded (least recently used dropped), and the
worker computes one view at a time, so a burst of news cannot queue up more than one
recomputation per key. The worker may be a process (serve/app.py uses one for a database
file), so recomputation never holds the web server's interpreter lock.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")


class RefreshingView(Generic[T]):
    def __init__(
        self,
        compute: Callable[[Hashable], T],
        version: Callable[[], int],
        *,
        max_keys: int = 32,
        worker: Executor | None = None,
        min_interval: float = 0.0,
    ) -> None:
        self.compute = compute  # called in the worker: picklable when the worker is a process
        self.version = version
        self.max_keys = max_keys
        self.min_interval = min_interval
        self._done_at: dict[Hashable, float] = {}
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
                    wait = self._done_at.get(key, 0) + self.min_interval - time.monotonic()
                    timer = threading.Timer(max(0.0, wait), self._refresh, (key,))
                    timer.daemon = True
                    timer.start()
                return entry[1]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:  # the first request for a key computes it; others wait for it
            with self._lock:
                entry = self._values.get(key)
            if entry is not None:
                return entry[1]
            value = self._worker.submit(self.compute, key).result()
            self._store(key, change, value)
            return value

    def _refresh(self, key: Hashable) -> None:
        change = self.version()
        try:
            future = self._worker.submit(self.compute, key)
        except RuntimeError:  # the worker was shut down (the server is stopping)
            return
        future.add_done_callback(lambda f: self._refreshed(key, change, f))

    def _refreshed(self, key: Hashable, change: int, future: Future) -> None:
        try:
            if future.exception() is None:  # a failed refresh keeps the last good value
                self._store(key, change, future.result())
                self.refreshes += 1
        finally:
            with self._lock:
                self._pending.discard(key)
                self._done_at[key] = time.monotonic()

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
