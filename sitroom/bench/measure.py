"""What the benchmarks measure with: each step timed alone, its memory taken apart.

Timing and memory are never measured in one pass: tracemalloc slows Python code several
times over, so a rate taken under it is not the rate of the work. A step's memory is the
peak of a fresh process that runs only that step (`in_child`: its own peak resident size
plus its workers' sampled resident sizes summed), or the Python heap of a second, separate
pass under tracemalloc (`heap_peak`)."""

from __future__ import annotations

import multiprocessing
import re
import resource
import threading
import time
import tracemalloc
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil


@dataclass
class Measured:
    """A step's result, how long it took and the most memory it held."""

    result: Any
    seconds: float
    peak_mb: float


class _WorkersMemory(threading.Thread):
    """The most memory this process's live descendants (worker processes) held together:
    their resident sizes summed, sampled (cheap: read from statm, so that sampling does not
    slow the step it measures)."""

    def __init__(self, every: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.every, self.peak, self._stop_event = every, 0, threading.Event()

    def run(self) -> None:
        me = psutil.Process()
        while not self._stop_event.wait(self.every):
            self.peak = max(self.peak, _rss(me.children(recursive=True)))

    def stop(self) -> float:
        """Stop sampling; the peak in MB."""
        self._stop_event.set()
        self.join()
        return self.peak / 2**20


def _rss(processes: list[psutil.Process]) -> int:
    total = 0
    for p in processes:
        try:
            total += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue  # it ended between listing and reading
    return total


def _timed(fn: Callable[..., Any], args: tuple) -> Measured:
    """`fn(*args)` timed; its memory: this process's own peak resident size plus the sampled
    peak of its workers together (an upper bound: the two peaks may not coincide)."""
    sampler = _WorkersMemory()
    sampler.start()
    started = time.perf_counter()
    try:
        result = fn(*args)
    finally:
        workers = sampler.stop()
    seconds = time.perf_counter() - started
    return Measured(result, seconds, _own_peak_mb() + workers)


def _own_peak_mb() -> float:
    """This process's peak resident size since it started its program: VmHWM, not
    ru_maxrss, which also keeps the peak of the process it was forked from before exec."""
    status = Path("/proc/self/status")
    if status.exists():
        found = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
        if found:
            return int(found.group(1)) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_child(fn: Callable[..., Any], *args: Any) -> Measured:
    """Run `fn(*args)` in a fresh process: its time, and the peak memory of that process
    (with the worker processes it started). `fn` must be importable (module level)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        return pool.submit(_timed, fn, args).result()


def heap_peak(fn: Callable[..., Any], *args: Any) -> float:
    """The peak of the Python heap while `fn(*args)` runs, in MB (tracemalloc: slow, so
    never timed)."""
    tracemalloc.start()
    try:
        fn(*args)
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def percentiles(values: Sequence[float], points: Sequence[int] = (50, 95, 99)) -> list[float]:
    """The nearest-rank percentiles of `values` (empty: zeros)."""
    ordered = sorted(values)
    if not ordered:
        return [0.0 for _ in points]
    return [ordered[min(len(ordered) - 1, max(0, -(-p * len(ordered) // 100) - 1))] for p in points]
