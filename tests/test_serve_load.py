"""`python -m sitroom.bench load` end to end on a small record: the server (started as
`sitroom serve` starts it), its clients, SSE listeners and `follow` adding posts."""

from __future__ import annotations

import json

import pytest

from sitroom.bench import load


@pytest.mark.slow
def test_load_bench_serves_every_endpoint_and_streams_every_post(tmp_path, capsys):
    argv = ["--posts", "300", "--clients", "4", "--listeners", "3", "--seconds", "8"]
    assert load.main([*argv, "--think", "0.2", "--db", str(tmp_path / "l.db"), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["posts"] >= 300 and figures["errors"] == 0
    assert set(figures["endpoints"]) <= set(figures["endpoints_in_app"]) | {"/api/stream"}
    assert figures["sse_listeners"] == 3 and figures["sse_posts"] >= 2
    assert figures["sse_missed"] == 0
    assert 0 < figures["server_peak_sampled_mb"] <= figures["server_peak_mb"]
    assert figures["server_cpu_s"] > 0


def test_cpu_used_splits_the_serving_process_from_its_worker():
    before = {10: 1.0, 11: 2.0}
    after = {10: 3.5, 11: 2.5, 12: 0.25}  # 12: a worker started during the run
    assert load._cpu_used(before, after, 10) == (2.5, 0.75)
