"""What the benchmarks measure with: each step timed alone, its memory taken apart.

Timing and memory are never measured in one pass: tracemalloc slows Python code several
times over, so a rate taken under it is not the rate of the work. A step's memory is the
peak resident size of a fresh process that runs only that step (`in_child`), or the Python
heap of a second, separate pass under tracemalloc (`heap_peak`)."""

from __future__ import annotations

import multiprocessing
import resource
import time
import tracemalloc
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any


@dataclass
class Measured:
    """A step's result, how long it took and the most memory it held."""

    result: Any
    seconds: float
    peak_mb: float


def _peak_rss_mb() -> float:
    """Peak resident size of this process plus the largest of its finished children (their
    worker processes), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def _timed(fn: Callable[..., Any], args: tuple) -> Measured:
    started = time.perf_counter()
    result = fn(*args)
    return Measured(result, time.perf_counter() - started, _peak_rss_mb())


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
