"""Worker processes for archive-sized jobs, on this machine or across many: a Dask cluster.

`open_cluster(workers=N)` starts a local cluster of N single-threaded worker processes;
`open_cluster(scheduler="tcp://host:8786")` joins one that is already running (its workers
need sitroom installed). Either way the caller gets a `concurrent.futures.Executor` over the
workers, which the ingest pipeline uses to read inputs and enrich documents while it stores
what they give.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Cluster:
    """Workers to run tasks on: an executor over them and how many there are."""

    executor: Executor
    workers: int


@contextmanager
def open_cluster(workers: int | None = None, scheduler: str | None = None) -> Iterator[Cluster]:
    """A local cluster of `workers` processes, or the cluster whose scheduler is at
    `scheduler`; closed (the local one stopped) on leaving."""
    # lazy: dask and distributed take a second or two to import; only cluster runs need them
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            count = max(1, sum(w["nthreads"] for w in client.scheduler_info()["workers"].values()))
            yield Cluster(client.get_executor(), count)
        return
    count = max(1, workers or 1)
    with (
        LocalCluster(
            n_workers=count,
            threads_per_worker=1,  # spaCy and the readers hold the GIL: one task per process
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,  # no worker chatter on the command's stderr
        ) as local,
        Client(local) as client,
    ):
        yield Cluster(client.get_executor(), count)
