"""The benchmarks' own arithmetic and plumbing (their figures are printed, not asserted)."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from sitroom.bench import read as bench_read
from sitroom.bench import scale as bench_scale
from sitroom.bench.measure import heap_peak, in_child, percentiles
from sitroom.bench.scale import _vary, _workers
from sitroom.records import Document, Post


def test_percentiles_are_nearest_rank():
    assert percentiles(list(range(1, 101))) == [50, 95, 99]
    assert percentiles([7.0]) == [7.0, 7.0, 7.0]
    assert percentiles([4, 1, 3, 2], (50, 100)) == [2, 4]
    assert percentiles([]) == [0.0, 0.0, 0.0]


def _allocate(n: int) -> int:
    return len([bytes(1000) for _ in range(n)])


def test_heap_peak_sees_what_the_step_holds():
    assert heap_peak(_allocate, 5000) > 4.0  # 5,000 blocks of 1 kB are over 4 MB


def test_a_step_in_a_child_reports_its_result_time_and_memory():
    step = in_child(_allocate, 100)
    assert step.result == 100
    assert 0 < step.seconds < 30
    assert step.peak_mb > 5  # a Python process holds more than 5 MB


def _resident(mb: int) -> bytearray:
    """`mb` MB, every page written (resident)."""
    held = bytearray(mb * 2**20)
    held[::4096] = b"x" * len(range(0, len(held), 4096))
    return held


def _fork_after_holding(mb: int) -> int:
    held = _resident(mb)
    subprocess.run(["true"], check=True)  # a forked child: charged the parent's pages at fork
    return len(held)


def _hold(mb: int, seconds: float) -> int:
    held = _resident(mb)
    time.sleep(seconds)
    return len(held)


def _worker_holding(mb: int) -> int:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_hold, mb, 1.5).result()


def test_a_forked_helper_is_not_charged_the_memory_of_its_parent():
    bare = in_child(_resident, 1).peak_mb  # the interpreter with this module imported
    step = in_child(_fork_after_holding, 300)
    # not bare + 600: the child shared the parent's pages, briefly
    assert bare + 250 <= step.peak_mb < bare + 300 * 1.5


def test_the_memory_of_a_steps_worker_processes_counts():
    step = in_child(_worker_holding, 300)
    assert step.peak_mb >= 300  # the worker held it, not the step's own process


def test_copies_of_a_page_differ_in_time_and_numbers():
    when = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)
    page = Document(
        source="x",
        kind="live",
        format="live-text",
        posts=[
            Post(
                key="a",
                position=1,
                title="Boats",
                body="About 40 boats and 1200 people.",
                published=when,
            )
        ],
    )
    third = _vary(page, 3)
    assert third.posts[0].published == when + timedelta(days=3)
    assert third.posts[0].body == "About 43 boats and 1203 people."
    assert page.posts[0].body == "About 40 boats and 1200 people."  # the original is kept


def test_worker_counts_are_parsed_sorted_and_positive():
    assert _workers("4,1,2") == [1, 2, 4]
    with pytest.raises(argparse.ArgumentTypeError):
        _workers("0,2")


def test_bench_read_times_the_work_and_reports_json(tmp_path, capsys):
    empty = tmp_path / "no-corpus"  # no folder: the bundled sample page is read
    code = bench_read.main(
        ["--posts", "20", "--corpus", str(empty), "--db", str(tmp_path / "r.db"), "--json"]
    )
    assert code == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["posts"] >= 20 and figures["corpus"] == "bundled sample"
    assert figures["read_posts_per_s"] > 0 and figures["store_posts_per_s"] > 0
    assert figures["heap_peak_mb"] > 0
    assert 0 < figures["posts_in_record"] <= figures["posts"]  # counted before the memory pass


def test_bench_scale_without_enrichment_builds_the_record_and_says_nothing_of_enrichment(
    tmp_path, capsys
):
    db = tmp_path / "scale.db"
    argv = ["--posts", "40", "--skip-enrich", "--skip-analysis", "--skip-api", "--json"]
    assert bench_scale.main([*argv, "--db", str(db)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["posts"] >= 40 and out["backend"] == "sqlite"
    assert "enrich_posts_per_s" not in out and set(out["peak_mb"]) == {"ingest"}


def test_bench_scale_reuse_measures_the_record_in_db_without_building_it(tmp_path, capsys):
    db = tmp_path / "scale.db"
    argv = ["--skip-enrich", "--skip-analysis", "--skip-api", "--json", "--db", str(db)]
    assert bench_scale.main(["--posts", "40", *argv]) == 0
    built = json.loads(capsys.readouterr().out)
    assert bench_scale.main(["--reuse", *argv]) == 0
    reused = json.loads(capsys.readouterr().out)
    # the posts the record holds (a page read twice in the build is stored once)
    assert reused["reused"] is True and 0 < reused["posts"] <= built["posts"]
    assert "ingest_posts_per_s" not in reused and "ingest" not in reused["peak_mb"]
    with pytest.raises(SystemExit):
        bench_scale.main(["--reuse", "--skip-api"])  # --reuse without --db says what it needs
