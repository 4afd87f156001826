"""Stories: documents grouped by time and content; names, merges and filings kept."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from sitroom.analyse.stories import StoryDoc, group_documents, refresh_stories
from sitroom.brief import brief_story
from sitroom.cli import app
from sitroom.records import Document, Post
from sitroom.store import SqliteStore

T0 = datetime(2024, 9, 2, 6, 0, tzinfo=UTC)

# Invented coverage, written for these tests: a dam crisis on two pages, an election
# elsewhere in the same days, and the same dam two years later.
DAM_A = [
    (
        "Valmora dam near overflow",
        "Engineers say the Valmora dam reservoir is 40cm below the crest.",
    ),
    (
        "Villages evacuated",
        "The regional authority orders 12,000 people from Lisk and Orna to leave.",
    ),
]
DAM_B = [
    ("Dam spillway opened", "Engineers opened the Valmora dam spillway as the reservoir rose."),
    ("Evacuees in shelters", "Residents of Lisk and Orna spent the night in shelters."),
]
ELECTION = [
    ("Polls close in Tarsen", "Voting has ended in the Tarsen parliamentary election."),
    ("Turnout high", "Election officials in Tarsen report turnout of 71% across the provinces."),
]
DAM_LATER = [
    (
        "Valmora dam reopens to visitors",
        "The Valmora dam walkway reopened after repairs to the crest.",
    ),
    ("Lisk rebuilds", "Lisk and Orna residents mark two years since the evacuation."),
]


def page(source: str, posts: list[tuple[str, str]], start: datetime) -> Document:
    return Document(
        source=source,
        kind="live",
        format="live-text",
        posts=[
            Post(
                key=f"k{i}",
                position=len(posts) - i,
                title=t,
                body=b,
                published=start + timedelta(hours=i),
            )
            for i, (t, b) in enumerate(posts)
        ],
    )


def story_doc(n: int, posts: list[tuple[str, str]], start: datetime, filed: int | None = None):
    text = "\n".join(t for t, _ in posts) + "\n" + "\n".join(b for _, b in posts)
    return StoryDoc(n, start, start + timedelta(hours=len(posts)), text, filed=filed)


def test_documents_about_one_thing_at_one_time_form_one_story():
    docs = [
        story_doc(1, DAM_A, T0),
        story_doc(2, ELECTION, T0 + timedelta(hours=2)),
        story_doc(3, DAM_B, T0 + timedelta(days=1)),
        story_doc(4, DAM_LATER, T0 + timedelta(days=730)),
    ]
    groups = sorted(group_documents(docs))
    assert groups == [[1, 3], [2], [4]]


def test_documents_filed_under_different_stories_are_never_joined():
    docs = [story_doc(1, DAM_A, T0, filed=10), story_doc(2, DAM_B, T0, filed=20)]
    assert sorted(group_documents(docs)) == [[1], [2]]
    # Filed under one story, they stay together however unlike they are.
    docs = [
        story_doc(1, DAM_A, T0, filed=10),
        story_doc(2, ELECTION, T0 + timedelta(days=30), filed=10),
    ]
    assert group_documents(docs) == [[1, 2]]


def test_no_documents_no_stories():
    assert group_documents([]) == []


@pytest.fixture()
def store(tmp_path):
    with SqliteStore.open(tmp_path / "s.db") as s:
        s.ingest_document(page("https://example.org/live/dam", DAM_A, T0))
        s.ingest_document(
            page("https://example.org/live/tarsen", ELECTION, T0 + timedelta(hours=2))
        )
        s.ingest_document(page("https://example.org/live/dam-2", DAM_B, T0 + timedelta(days=1)))
        yield s


def sources_of(stories):
    return sorted(sorted(s.rsplit("/", 1)[1] for s in st.sources) for st in stories)


def test_refresh_stores_stories_most_recent_first(store):
    stories = refresh_stories(store)
    assert sources_of(stories) == [["dam", "dam-2"], ["tarsen"]]
    assert stories[0].sources[-1].endswith("dam-2")  # the dam story ran latest
    assert stories[0].posts == 4
    assert "valmora" in stories[0].label or "dam" in stories[0].label
    # Regrouping gives the same stories the same ids.
    assert [s.id for s in refresh_stories(store)] == [s.id for s in stories]


def test_names_and_merges_survive_regrouping(store):
    dam, election = refresh_stories(store)
    store.name_story(dam.id, "Dam crisis")
    assert store.story("dam crisis").id == dam.id
    with pytest.raises(ValueError):
        store.name_story(election.id, "Dam crisis")
    kept = store.merge_stories([dam.id, election.id], name="Week of 2 September")
    [merged] = refresh_stories(store)
    assert merged.id == kept and merged.name == "Week of 2 September"
    assert merged.filed == 3


def test_a_source_filed_before_it_is_read_joins_its_story(store):
    store.file_source("https://example.org/live/elsewhere", "Dam crisis")
    store.ingest_document(
        page("https://example.org/live/elsewhere", DAM_LATER, T0 + timedelta(days=400))
    )
    stories = refresh_stories(store)
    named = store.story("Dam crisis")
    assert named.sources == ["https://example.org/live/elsewhere"]
    assert sum(len(s.documents) for s in stories) == 4


def test_story_briefing_covers_all_its_sources_only(store):
    dam = refresh_stories(store)[0]
    briefing = brief_story(store, dam)
    cited = {c for line in briefing.bullets for c in line.citations}
    own = {p.id for p in store.posts() if p.document_id in dam.documents}
    assert briefing.story == dam.title
    assert briefing.bullets and cited <= own
    assert briefing.posts == 4


def test_cli_stories_and_default_brief(store):
    runner = CliRunner()
    db = store.path
    listed = runner.invoke(app, ["stories", "--db", db, "--json"])
    assert listed.exit_code == 0, listed.output
    stories = json.loads(listed.stdout)
    assert [len(s["documents"]) for s in stories] == [2, 1]
    out = runner.invoke(app, ["brief", "--db", db, "--json"])
    assert out.exit_code == 0, out.output
    briefing = json.loads(out.stdout)
    assert briefing["story"] == stories[0]["title"]
    named = runner.invoke(
        app, ["stories", "name", str(stories[1]["id"]), "Tarsen vote", "--db", db]
    )
    assert named.exit_code == 0, named.output
    out = runner.invoke(app, ["brief", "--db", db, "--story", "Tarsen vote", "--format", "json"])
    assert json.loads(out.stdout)["story"] == "Tarsen vote"
    missing = runner.invoke(app, ["brief", "--db", db, "--story", "no such"])
    assert missing.exit_code == 2
    both = runner.invoke(app, ["brief", "--db", db, "--story", "Tarsen vote", "--all"])
    assert both.exit_code == 2


@pytest.mark.slow
def test_seed_stories_are_the_2022_and_2025_crises(tmp_path, seeds_dir):
    runner = CliRunner()
    db = str(tmp_path / "seeds.db")
    done = runner.invoke(app, ["ingest", str(seeds_dir), "--db", db, "--no-enrich"])
    assert done.exit_code == 0, done.output
    stories = json.loads(runner.invoke(app, ["stories", "--db", db, "--json"]).stdout)
    assert len(stories) == 2
    years = [{s["first_post"][:4], s["last_post"][:4]} for s in stories]
    assert years == [{"2025"}, {"2022"}]
    assert sorted(len(s["documents"]) for s in stories) == [2, 3]
    briefing = json.loads(runner.invoke(app, ["brief", "--db", db, "--json"]).stdout)
    assert briefing["story"] == stories[0]["title"]
    with SqliteStore.open(db) as s:
        doc_of = {p.id: p.document_id for p in s.posts()}
    cited_docs = {doc_of[c] for line in briefing["bullets"] for c in line["citations"]}
    assert cited_docs <= set(stories[0]["documents"])
    assert briefing["posts"] == stories[0]["posts"]


def test_web_briefs_one_story_at_a_time(store):
    from fastapi.testclient import TestClient

    from sitroom.serve.app import create_app

    client = TestClient(create_app(store))
    stories = client.get("/api/stories").json()
    assert [len(s["documents"]) for s in stories] == [2, 1]
    election = stories[1]
    briefing = client.get(f"/api/briefing?story={election['id']}").json()
    assert briefing["story"] == election["title"]
    own = {p.id for p in store.posts() if p.document_id in election["documents"]}
    assert {c for b in briefing["bullets"] for c in b["citations"]} <= own
    assert client.get("/api/briefing?story=nothing-like-it").status_code == 404
    home = client.get(f"/?story={election['id']}")
    assert home.status_code == 200
    assert f'href="/?story={election["id"]}" aria-current="page"' in home.text
    assert client.get("/?story=nothing-like-it").status_code == 404
