"""Enrichment in the store: incremental, tied to post versions, queryable."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from sitroom.cli import app
from sitroom.enrich.sync import enrich_store
from sitroom.records import Byline, Document, Post
from sitroom.store import open_store

pytestmark = pytest.mark.slow  # every test enriches with spaCy

T0 = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)


def page() -> Document:
    texts = [
        (
            "Minister rejects evacuation claims",
            'Interior Minister Anna Lind said the order was "a precaution, nothing more". She said 2,000 people had left Varna.',
        ),
        (
            "Lind visits the dam",
            "Lind told reporters that engineers had found no cracks in the wall.",
        ),
        ("Troops arrive", "About 800 troops arrived in Varna on Monday, the army said."),
    ]
    posts = [
        Post(
            key=f"k{i}",
            position=len(texts) - i,
            title=t,
            body=b,
            published=T0 + timedelta(hours=i),
            bylines=[Byline("Sam Reed", "Correspondent")],
        )
        for i, (t, b) in enumerate(texts)
    ]
    return Document(
        source="https://example.org/live/dam",
        kind="live",
        format="live-text",
        posts=list(reversed(posts)),
    )


@pytest.fixture()
def store(tmp_path):
    with open_store(tmp_path / "e.db") as s:
        s.ingest_document(page())
        yield s


def test_enrichment_is_incremental(store):
    first = enrich_store(store)
    assert first.versions == 3 and first.quotes >= 2 and first.figures >= 2
    assert enrich_store(store).versions == 0  # nothing new
    edited = page()
    edited.posts[0].body = "About 900 troops arrived in Varna on Monday, the army said."
    store.ingest_document(edited)
    again = enrich_store(store)
    assert again.versions == 1
    values = sorted(f.figure.value for f in store.figures(unit="troops"))
    assert values == [900]  # listings read the latest version
    old_rows = store.conn.execute(
        "SELECT value FROM figures WHERE unit = 'troops' ORDER BY value"
    ).fetchall()
    assert [r[0] for r in old_rows] == [800, 900]  # the earlier version's rows are kept


def test_enrichment_of_some_documents_leaves_the_others_pending(store):
    other = page()
    other.source = "https://example.org/live/second"
    second = store.ingest_document(other).document_id
    assert enrich_store(store, documents={second}).versions == 3  # its three posts only
    assert enrich_store(store, documents={second}).versions == 0
    assert enrich_store(store).versions == 3  # the first page's, left pending


def test_quotes_are_verbatim_and_cited(store):
    enrich_store(store)
    quotes = store.quotes(speaker="Lind")
    assert quotes, "Anna Lind is quoted"
    posts = {p.id: p for p in store.posts()}
    for sq in quotes:
        assert sq.quote.speaker == "Anna Lind"
        text = getattr(posts[sq.post_id], sq.quote.field)
        assert text[sq.quote.start : sq.quote.end] == sq.quote.text
    assert any(q.quote.text == "a precaution, nothing more" for q in quotes)
    assert store.quotes(about="precaution")[0].post_id in posts


def test_actor_and_place_views(store):
    enrich_store(store)
    names = [a.name for a in store.actors_summary()]
    assert "Anna Lind" in names
    detail = store.actor_detail("Lind")
    assert detail.name == "Anna Lind" and "Interior Minister Anna Lind" in detail.surfaces
    assert any(
        "interior minister" in r.title.lower() for r in detail.roles
    )  # learned from the text
    assert any(p.canonical == "Varna" for p in store.places())
    rebuilt = store.enrichment_for_document(1)
    assert set(rebuilt) == {"k0", "k1", "k2"}


def test_cli_listings_json(store, tmp_path):
    enrich_store(store)
    runner = CliRunner()
    db = ["--db", store.path]
    quotes = json.loads(
        runner.invoke(app, ["quotes", "--speaker", "Anna Lind", "--json", *db]).stdout
    )
    assert quotes and all(q["quote"]["speaker"] == "Anna Lind" for q in quotes)
    figures = json.loads(runner.invoke(app, ["figures", "--unit", "troops", "--json", *db]).stdout)
    assert [f["figure"]["value"] for f in figures] == [800]
    actors = json.loads(runner.invoke(app, ["actors", "--json", *db]).stdout)
    assert "Anna Lind" in [a["name"] for a in actors]
    actor = json.loads(runner.invoke(app, ["actor", "Lind", "--json", *db]).stdout)
    assert actor["actor"]["name"] == "Anna Lind"
    places = json.loads(runner.invoke(app, ["places", "--json", *db]).stdout)
    assert "Varna" in [p["canonical"] for p in places]
    missing = runner.invoke(app, ["actor", "Nobody Atall", *db])
    assert missing.exit_code == 1


def test_cli_read_commands(store, tmp_path):
    runner = CliRunner()
    db = ["--db", store.path]
    posts = json.loads(runner.invoke(app, ["posts", "--json", *db]).stdout)
    assert [p["title"] for p in posts] == [
        "Minister rejects evacuation claims",
        "Lind visits the dam",
        "Troops arrive",
    ]
    assert (
        len(
            json.loads(
                runner.invoke(app, ["posts", "--since", "2024-06-03T09:30Z", "--json", *db]).stdout
            )
        )
        == 1
    )
    shown = json.loads(runner.invoke(app, ["show", posts[0]["id"][:6], "--json", *db]).stdout)
    assert shown["post"]["id"] == posts[0]["id"] and len(shown["versions"]) == 1
    hits = json.loads(runner.invoke(app, ["search", "engineers cracks", "--json", *db]).stdout)
    assert hits[0]["post"]["title"] == "Lind visits the dam"
    sources = json.loads(runner.invoke(app, ["sources", "--json", *db]).stdout)
    assert sources[0]["posts"] == 3
    assert runner.invoke(app, ["show", "zzzz", *db]).exit_code == 1


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_round_trip(store, tmp_path, fmt):
    out = tmp_path / f"posts.{fmt}"
    result = CliRunner().invoke(
        app, ["export", "--format", fmt, "--output", str(out), "--db", store.path]
    )
    assert result.exit_code == 0, result.output
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text().splitlines()]
    elif fmt == "csv":
        import csv

        rows = list(csv.DictReader(out.open()))
    else:
        import pyarrow.parquet as pq

        rows = pq.read_table(out).to_pylist()
    assert len(rows) == 3
    assert {r["title"] for r in rows} == {
        "Minister rejects evacuation claims",
        "Lind visits the dam",
        "Troops arrive",
    }
    assert json.loads(rows[0]["bylines"])[0]["name"] == "Sam Reed"


def test_demo_builds_a_cited_briefing(tmp_path):
    db = tmp_path / "demo.db"
    result = CliRunner().invoke(app, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "BRIEFING" in result.stdout
    with open_store(db) as s:
        assert len(s.posts()) == 15  # the sample's posts, its Summary not counted
        assert s.quotes() and s.figures()
        briefing = json.loads(
            CliRunner().invoke(app, ["brief", "--format", "json", "--db", str(db)]).stdout
        )
        ids = {p.id for p in s.posts()}
        assert briefing["bullets"] and all(set(b["citations"]) <= ids for b in briefing["bullets"])


def test_bundled_sample_is_our_own_text(seeds_dir):
    from sitroom.cli.demo_cmds import sample_path

    sample = sample_path().read_text(encoding="utf-8")
    seed_lines = {
        line.strip()
        for f in seeds_dir.iterdir()
        for line in f.read_text().splitlines()
        if len(line.strip()) > 40
    }
    assert not [line for line in sample.splitlines() if line.strip() in seed_lines]


def test_copy_keeps_documents_independent():
    a = page()
    b = copy.deepcopy(a)
    b.posts[0].title = "changed"
    assert a.posts[0].title != "changed"
