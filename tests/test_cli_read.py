"""Read-stage CLI over a store built from Documents written here."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from sitroom.cli.app import app
from sitroom.store import open_store

runner = CliRunner()


@pytest.fixture()
def db(db_target, make_page):
    """A record of five posts, on each backend."""
    with open_store(db_target) as s:
        s.ingest_document(make_page(5))
    return db_target


def test_posts_json_lists_every_post(db):
    result = runner.invoke(app, ["posts", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 5


def test_search_awkward_query_does_not_crash(db):
    result = runner.invoke(app, ["search", "river's \"levels", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_round_trip(db, tmp_path, fmt):
    out = tmp_path / f"posts.{fmt}"
    result = runner.invoke(app, ["export", "--format", fmt, "-o", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    elif fmt == "csv":
        rows = list(csv.DictReader(out.open()))
    else:
        pq = pytest.importorskip("pyarrow.parquet")
        rows = pq.read_table(out).to_pylist()
    assert len(rows) == 5
    assert all("title" in r for r in rows)
