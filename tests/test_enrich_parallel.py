"""Enrichment of many documents at once: batched parses and worker processes find exactly
what one document at a time finds."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from sitroom.cli import app
from sitroom.enrich.actors import ActorRegistry
from sitroom.enrich.batch import enrich_documents
from sitroom.enrich.pipeline import enrich_document
from sitroom.enrich.sync import enrich_store
from sitroom.records import Document, Post
from sitroom.store import open_store

pytestmark = pytest.mark.slow  # spaCy, and worker processes that load it again

T0 = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)
SENTENCES = [
    ("Mayor orders evacuation", 'Mayor Petra Novak said the order was "the only safe course".'),
    ("Water still rising", "About 1,200 people left Olomouc overnight, the police said."),
    ("Novak visits shelters", "Novak told reporters that 300 beds were still free in Prague."),
    ("Army sends trucks", "The army said 40 trucks had reached Ostrava by noon."),
]


def _page(n: int) -> Document:
    """Live page n: the sentences above, rotated so that each page differs."""
    turn = SENTENCES[n % len(SENTENCES) :] + SENTENCES[: n % len(SENTENCES)]
    posts = [
        Post(
            key=f"p{i}",
            position=len(turn) - i,
            title=title,
            body=body,
            published=T0 + timedelta(hours=n, minutes=10 * i),
        )
        for i, (title, body) in enumerate(turn)
    ]
    return Document(
        source=f"https://example.org/live/flood-{n}",
        kind="live",
        format="live-text",
        posts=list(reversed(posts)),
    )


def _rows(store) -> list[tuple]:
    quotes = [(q.post_id, q.quote.speaker, q.quote.text) for q in store.quotes()]
    figures = [(f.post_id, f.figure.value, f.figure.unit) for f in store.figures()]
    places = [(p.canonical, p.count) for p in store.places()]
    return sorted(quotes) + sorted(figures) + sorted(places)


def test_batched_parse_finds_what_one_document_at_a_time_finds():
    registry = ActorRegistry.load()
    pages = [(n, _page(n)) for n in range(3)]
    batched = enrich_documents(pages, registry)
    assert [d.document_id for d in batched] == [0, 1, 2]
    for (_, page), done in zip(pages, batched, strict=True):
        assert done.found == enrich_document(page, registry)
    assert any(a.name == "Petra Novak" for a in batched[0].actors)


def test_two_processes_store_the_same_rows_as_one(tmp_path):
    stores = []
    for name, processes in (("one", 1), ("two", 2)):
        store = open_store(tmp_path / f"{name}.db")
        for n in range(6):
            store.ingest_document(_page(n))
        stats = enrich_store(store, processes=processes)
        assert (stats.documents, stats.versions) == (6, 24)
        stores.append(store)
    one, two = (_rows(s) for s in stores)
    assert one == two
    assert any(row[1] == "Petra Novak" for row in one)
    assert enrich_store(stores[1], processes=2).versions == 0  # nothing left: no pool started
    for store in stores:
        store.close()


def test_enrich_command_takes_processes(tmp_path):
    db = tmp_path / "cli.db"
    with open_store(db) as store:
        for n in range(3):
            store.ingest_document(_page(n))
    result = CliRunner().invoke(app, ["enrich", "--db", str(db), "--processes", "2", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["versions"] == 12
    refused = CliRunner().invoke(app, ["enrich", "--db", str(db), "--processes", "0"])
    assert refused.exit_code == 2
