"""The one ingest path (sitroom.pipeline) as ingest, follow and demo use it."""

from __future__ import annotations

from pathlib import Path

from sitroom.follow import SourceState, poll_once
from sitroom.pipeline import Fetched, ingest_sources
from sitroom.read.inputs import iter_inputs
from sitroom.store import open_store

POSTS = [
    ("09:00", "Schools closed", "All schools in the valley are closed today."),
    ("09:20", "Barriers raised", "Crews raised the barriers overnight near the bridge."),
]


def test_ingest_sources_records_the_run_and_reports_progress(tmp_path: Path, live_text):
    page = tmp_path / "page.txt"
    page.write_text(live_text(POSTS), encoding="utf-8")
    seen: list[tuple[int, int]] = []
    with open_store(tmp_path / "p.db") as store:
        run = ingest_sources(
            store,
            iter_inputs([str(page), str(tmp_path / "missing.txt")]),
            argv="sitroom ingest page.txt missing.txt",
            enrich=False,
            progress=lambda done, total, what: seen.append((done, total)),
        )
        rows = list(store.export_rows("ingests"))
    assert [(r.new, r.error is None) for r in run.results] == [(3, True), (0, False)]
    assert run.errors == [
        f"{tmp_path / 'missing.txt'}: {tmp_path / 'missing.txt'}: no such file or folder"
    ]
    assert run.enrichment is None
    assert seen == [(0, 2), (1, 2), (2, 2)]
    assert [(r["id"], r["ok"], r["failed"]) for r in rows] == [(run.ingest_id, 1, 1)]


def test_bytes_in_hand_go_the_same_way(tmp_path: Path, live_text):
    with open_store(tmp_path / "p.db") as store:
        run = ingest_sources(
            store,
            [Fetched("https://example.org/live", live_text(POSTS).encode(), "text/plain")],
            argv="test",
            enrich=False,
        )
    assert run.results[0].new == 3


def test_follow_records_an_ingest_like_ingest_does(tmp_path: Path, live_text):
    page = tmp_path / "live.txt"
    page.write_text(live_text(POSTS), encoding="utf-8")
    with open_store(tmp_path / "f.db") as store:
        result = poll_once(SourceState(str(page)), store, enrich=False)
        rows = list(store.export_rows("ingests"))
    assert (result.status, result.new) == ("new", 3)  # the summary and two posts
    assert [(r["argv"], r["ok"], r["failed"]) for r in rows] == [(f"sitroom follow {page}", 1, 0)]
