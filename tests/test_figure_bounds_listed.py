"""A figure's bound ("at least 19": lower; "up to 5%": upper) is stored and shown wherever
figures are listed: the CLI table and --json, and the web /figures page."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sitroom.cli import app
from sitroom.records import Document, Figure, Post, PostEnrichment
from sitroom.serve.app import create_app
from sitroom.store import open_store

BODY = "At least 40 boats and up to 7% of the fleet were lost; 12 crews were rescued."
FIGURES = [
    Figure("At least 40 boats", 40.0, "boats", "body", 0, 17, bound="lower"),
    Figure("up to 7%", 7.0, "percent", "body", 22, 30, bound="upper"),
    Figure("12 crews", 12.0, "crews", "body", 55, 63),
]


@pytest.fixture()
def db_path(tmp_path) -> str:
    assert [BODY[f.start : f.end] for f in FIGURES] == [f.text for f in FIGURES]
    path = str(tmp_path / "bounds.db")
    post = Post(
        key="p1",
        position=1,
        title="Storm at sea",
        body=BODY,
        published=datetime(2024, 3, 1, 8, 0, tzinfo=UTC),
    )
    with open_store(path) as store:
        store.ingest_document(
            Document(
                source="https://example.org/storm", kind="live", format="live-text", posts=[post]
            )
        )
        [(document_id, [version_id])] = store.versions_needing_enrichment("t-1").items()
        enrichment = PostEnrichment(post_key="p1", figures=FIGURES)
        store.save_document_enrichment(document_id, {version_id: enrichment}, "t-1")
    return path


def test_cli_lists_bounds(db_path: str) -> None:
    runner = CliRunner()
    listed = json.loads(runner.invoke(app, ["figures", "--json", "--db", db_path]).stdout)
    assert [(f["figure"]["value"], f["figure"]["bound"]) for f in listed] == [
        (40.0, "lower"),
        (7.0, "upper"),
        (12.0, None),
    ]
    table = runner.invoke(app, ["figures", "--db", db_path], env={"COLUMNS": "200"}).stdout
    assert "≥40" in table and "≤7" in table and "≥12" not in table and "≤12" not in table


def test_web_figures_page_marks_bounds(db_path: str) -> None:
    with open_store(db_path) as store, TestClient(create_app(store)) as client:
        page = client.get("/figures").text
    assert '<abbr title="at least">≥</abbr>' in page
    assert '<abbr title="at most">≤</abbr>' in page
    assert page.count("<abbr title=") == 2
