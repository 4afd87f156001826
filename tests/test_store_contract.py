"""The store contract: what every backend of `sitroom.store.api.Store` must do.

Each test runs once per backend in BACKENDS, through the `Store` interface only (no SQL, no
connection). A new backend adds one entry to BACKENDS and must pass the whole file.
"""

from __future__ import annotations

import inspect
import re
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from sitroom.records import (
    Actor,
    Analysis,
    Byline,
    Claim,
    Dispute,
    Document,
    Event,
    Figure,
    IndicatorPoint,
    Media,
    Mention,
    Place,
    Post,
    PostEnrichment,
    QuantitySeries,
    Quote,
    Role,
    Side,
    make_post_id,
)
from sitroom.store import PostgresStore, PostQuery, SqliteStore, Store, open_store

T0 = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)
SOURCE = "https://example.org/live/flood"

# backend -> what to open, given a temporary folder and a fresh PostgreSQL schema's URL
# (requesting the `pg_url` fixture skips the test where no PostgreSQL is set up).
BACKENDS: dict[str, Callable[[pytest.FixtureRequest, Path], Store]] = {
    "sqlite": lambda request, folder: open_store(folder / "contract.db"),
    "postgres": lambda request, folder: open_store(request.getfixturevalue("pg_url")),
}
IMPLEMENTATIONS: dict[str, type] = {"sqlite": SqliteStore, "postgres": PostgresStore}


@pytest.fixture(params=sorted(BACKENDS))
def store(request, tmp_path) -> Iterator[Store]:
    with BACKENDS[request.param](request, tmp_path) as s:
        yield s


def _post(i: int, **changes) -> Post:
    values = dict(
        key=f"post-{i}",
        position=10 - i,
        title=f"Water level report {i}",
        body=f"The river rose by {i} centimetres overnight in Ostrava.",
        published=T0 + timedelta(hours=i),
        labels=["Breaking"] if i == 2 else [],
        bylines=[Byline("Ada Lovelace", "Weather correspondent")] if i == 1 else [],
        media=[Media("image", caption="Sandbags on the bank", source="Example Photos")]
        if i == 3
        else [],
    )
    values.update(changes)
    return Post(**values)


def _page(*posts: Post, source: str = SOURCE, warnings: list[str] | None = None) -> Document:
    return Document(
        source=source,
        kind="live",
        format="live-text",
        title="Flood live",
        posts=list(posts),
        outlet="Example News",
        summary=["Rivers are rising."],
        warnings=warnings or [],
    )


@pytest.fixture()
def filled(store: Store) -> Store:
    """Four posts on one page (times T0+1h .. T0+4h), one post on a second page."""
    store.ingest_document(_page(*(_post(i) for i in (1, 2, 3, 4))))
    other = _post(5, title="Bridge closed", body="The old bridge in Brno is closed to traffic.")
    store.ingest_document(_page(other, source="https://example.net/brno"))
    return store


# --- the interface itself ---------------------------------------------------------------------


@pytest.mark.parametrize("backend", sorted(IMPLEMENTATIONS))
def test_backend_has_every_operation_with_the_same_parameters(backend):
    implementation = IMPLEMENTATIONS[backend]
    missing, different = [], []
    for name, member in inspect.getmembers(Store):
        if name.startswith("_") or not callable(member):
            continue
        if not hasattr(implementation, name):
            missing.append(name)
            continue
        wanted = list(inspect.signature(member).parameters)
        got = list(inspect.signature(getattr(implementation, name)).parameters)
        if wanted != got:
            different.append(f"{name}: {got} != {wanted}")
    assert missing == [] and different == []


def test_callers_use_only_the_interface():
    """Outside sitroom/store, a store is only ever used through `Store`'s operations."""
    package = Path(__file__).resolve().parent.parent / "sitroom"
    allowed = {n for n in dir(Store) if not n.startswith("_")} | set(Store.__annotations__)
    outside = {
        f"{path.relative_to(package)}: store.{name}"
        for path in package.rglob("*.py")
        if "store" not in path.relative_to(package).parts[:1]
        for name in re.findall(r"\bstore\.([a-z_]+)\(", path.read_text(encoding="utf-8"))
        if name not in allowed
    }
    assert sorted(outside) == []


# --- ingest ---------------------------------------------------------------------------------


def test_ingest_counts_new_updated_unchanged_and_vanished(store: Store):
    first = store.ingest_document(_page(_post(1), _post(2), _post(3)))
    assert (first.new, first.updated, first.unchanged, first.vanished) == (3, 0, 0, 0)
    edited = _post(2, body="The river rose by 30 centimetres overnight in Ostrava.")
    second = store.ingest_document(_page(_post(1), edited))
    assert (second.new, second.updated, second.unchanged, second.vanished) == (0, 1, 1, 1)
    assert first.document_id == second.document_id


def test_feed_and_warned_reads_do_not_mark_posts_vanished(store: Store):
    store.ingest_document(_page(_post(1), _post(2)))
    truncated = store.ingest_document(_page(_post(1), warnings=["the page was cut short"]))
    assert truncated.vanished == 0
    assert [p.vanished_at for p in store.posts()] == [None, None]


def test_repeated_key_is_kept_once_with_a_warning(store: Store):
    result = store.ingest_document(_page(_post(1), _post(1, title="Again")))
    assert result.new == 1
    assert result.warnings == ["post key 'post-1' appears twice; kept the first"]


def test_ingests_are_recorded(store: Store):
    ingest_id = store.begin_ingest("sitroom ingest page.txt")
    result = store.ingest_document(_page(_post(1)), ingest_id=ingest_id)
    store.finish_ingest(ingest_id, 1, 1, ["missing.txt: no such file"])
    assert result.new == 1
    [run] = store.ingests()
    assert (run.id, run.argv, run.status, run.ok, run.failed, run.errors) == (
        ingest_id,
        "sitroom ingest page.txt",
        "completed",
        1,
        1,
        ["missing.txt: no such file"],
    )
    assert run.finished_at is not None


def test_http_state_round_trip(store: Store):
    store.ingest_document(_page(_post(1)))
    assert store.source_http_state(SOURCE) == (None, None)
    store.set_source_http_state(SOURCE, '"abc"', "Fri, 03 May 2024 09:00:00 GMT")
    assert store.source_http_state(SOURCE) == ('"abc"', "Fri, 03 May 2024 09:00:00 GMT")
    assert store.source_http_state("https://example.org/never-seen") == (None, None)


# --- reading posts --------------------------------------------------------------------------


def test_post_has_every_field_of_what_was_ingested(filled: Store):
    post = filled.post(make_post_id(SOURCE, "post-3"))
    assert post is not None
    assert post.as_post() == _post(3)
    assert (post.source, post.outlet, post.version) == (SOURCE, "Example News", 1)
    assert post.first_seen is not None and post.vanished_at is None


def test_post_by_unique_prefix_only(filled: Store):
    full = make_post_id(SOURCE, "post-1")
    assert filled.post(full[:6]).id == full
    assert filled.post("") is None  # every post matches: ambiguous
    assert filled.post("zzzz") is None


def test_posts_in_time_order_and_filters(filled: Store):
    def titles(**query) -> list[str]:
        return [p.title for p in filled.posts(PostQuery(**query))]

    assert titles() == [f"Water level report {i}" for i in (1, 2, 3, 4)] + ["Bridge closed"]
    assert titles(order="-time", limit=2) == ["Bridge closed", "Water level report 4"]
    assert titles(since=T0 + timedelta(hours=2), until=T0 + timedelta(hours=4)) == [
        "Water level report 2",
        "Water level report 3",
    ]
    assert titles(label="breaking") == ["Water level report 2"]
    assert titles(author="Lovelace") == ["Water level report 1"]
    assert titles(source="example.net") == ["Bridge closed"]
    assert titles(text="Brno") == ["Bridge closed"]


def test_posts_page_with_offset_and_count(filled: Store):
    def titles(**query) -> list[str]:
        return [p.title for p in filled.posts(PostQuery(**query))]

    assert titles(limit=2, offset=1) == ["Water level report 2", "Water level report 3"]
    assert titles(offset=3) == ["Water level report 4", "Bridge closed"]
    assert filled.count_posts(PostQuery(limit=1, offset=1)) == 5
    assert filled.count_posts(PostQuery(source="example.net")) == 1


def test_like_filters_take_percent_and_underscore_literally(filled: Store):
    assert filled.posts(PostQuery(text="100%")) == []
    assert filled.posts(PostQuery(author="_")) == []
    assert [p.title for p in filled.posts(PostQuery(text="BRNO"))] == ["Bridge closed"]


def test_reads_from_per_thread_connections_see_committed_writes(store: Store):
    store.readers()
    store.ingest_document(_page(_post(1)))
    found: list[int] = []
    worker = threading.Thread(target=lambda: found.append(len(store.posts())))
    worker.start()
    worker.join()
    assert found == [1]
    assert [p.title for p, _, _ in store.search("water level")] == ["Water level report 1"]


def test_edited_post_keeps_every_version(store: Store):
    store.ingest_document(_page(_post(1)))
    store.ingest_document(_page(_post(1, title="Water level report 1 (corrected)")))
    post_id = make_post_id(SOURCE, "post-1")
    versions = store.post_versions(post_id)
    assert [(v.version, v.title) for v in versions] == [
        (1, "Water level report 1"),
        (2, "Water level report 1 (corrected)"),
    ]
    assert versions[0].bylines == [Byline("Ada Lovelace", "Weather correspondent")]
    assert store.post(post_id).version == 2


def test_vanished_posts_are_kept_and_can_be_left_out(store: Store):
    store.ingest_document(_page(_post(1), _post(2)))
    store.ingest_document(_page(_post(2)))
    assert len(store.posts()) == 2
    assert [p.key for p in store.posts(PostQuery(include_vanished=False))] == ["post-2"]


def test_search_ranks_and_marks_matches(filled: Store):
    hits = filled.search("bridge Brno")
    assert [(p.title, s) for p, s, _ in hits] == [
        ("Bridge closed", "The old [bridge] in [Brno] is closed to traffic.")
    ]
    assert filled.search("Nato's \"chief") == []
    assert filled.search("!!!") == []


def test_documents_and_document_record(filled: Store):
    docs = filled.documents()
    assert [(d.source, d.posts, d.vanished) for d in docs] == [
        (SOURCE, 4, 0),
        ("https://example.net/brno", 1, 0),
    ]
    assert (docs[0].first_post, docs[0].last_post) == (
        T0 + timedelta(hours=1),
        T0 + timedelta(hours=4),
    )
    record = filled.document_record(docs[0].id)
    assert [p.key for p in record.posts] == ["post-4", "post-3", "post-2", "post-1"]
    assert (record.title, record.outlet, record.summary) == (
        "Flood live",
        "Example News",
        ["Rivers are rising."],
    )
    assert filled.document_post_ids(docs[0].id) == {
        f"post-{i}": make_post_id(SOURCE, f"post-{i}") for i in (1, 2, 3, 4)
    }
    with pytest.raises(KeyError):
        filled.document_record(999)


def test_change_counter_names_what_changed(store: Store):
    assert store.latest_change_id() == 0
    store.ingest_document(_page(_post(1), _post(2)))
    mark = store.latest_change_id()
    store.ingest_document(_page(_post(1), _post(2, title="Edited")))
    assert store.latest_change_id() > mark
    assert store.post_ids_since(mark) == [make_post_id(SOURCE, "post-2")]


def test_export_rows_refuses_unknown_tables(filled: Store):
    assert "posts" in filled.exportable_tables()
    assert len(list(filled.export_rows("post_versions"))) == 5
    with pytest.raises(ValueError, match="cannot export"):
        list(filled.export_rows("sqlite_master"))


# --- enrichment -----------------------------------------------------------------------------


def _enrich(store: Store) -> int:
    """Save one post's enrichment; returns the document id."""
    store.ingest_document(_page(_post(1), _post(2)))
    pending = store.versions_needing_enrichment("test-1")
    [(document_id, version_ids)] = pending.items()
    assert len(version_ids) == 2
    by_key = store.document_version_ids(document_id)
    body = _post(1).body
    found = PostEnrichment(
        post_key="post-1",
        mentions=[Mention("Ada Lovelace", "Ada Lovelace", "body", 0, 12, "name")],
        quotes=[
            Quote(
                body[:9],
                "indirect",
                "Ada Lovelace",
                "body",
                0,
                9,
                speaker_surface="Lovelace",
                cue="said",
                confidence=0.75,
            )
        ],
        figures=[Figure("1 centimetres", 1.0, "cm", "body", 19, 32, counted="rise", bound="lower")],
        places=[Place("Ostrava", "Ostrava", "city", "body", 48, 55, "CZ", 49.83, 18.28)],
    )
    store.save_document_enrichment(
        document_id,
        {by_key["post-1"]: found, by_key["post-2"]: PostEnrichment(post_key="post-2")},
        "test-1",
        actors=[Actor("Ada Lovelace", "person", aliases=["Lovelace"])],
        roles=[Role("chief hydrologist", "Ada Lovelace", start=date(2024, 1, 1))],
    )
    return document_id


def test_enrichment_round_trip(store: Store):
    document_id = _enrich(store)
    assert store.versions_needing_enrichment("test-1") == {}
    assert list(store.versions_needing_enrichment("test-2")) == [document_id]
    saved = store.enrichment_for_document(document_id)
    assert saved["post-1"].quotes[0].confidence == 0.75
    assert (saved["post-1"].figures[0].bound, saved["post-1"].figures[0].approx) == ("lower", False)
    assert saved["post-1"].places[0].lat == 49.83
    assert saved["post-1"].mentions == [
        Mention("Ada Lovelace", "Ada Lovelace", "body", 0, 12, "name")
    ]
    assert saved["post-2"].quotes == []


def test_enrichment_listings(store: Store):
    _enrich(store)
    quote = store.quotes(speaker="lovelace")
    assert [(q.quote.text, q.post_id, q.outlet) for q in quote] == [
        ("The river", make_post_id(SOURCE, "post-1"), "Example News")
    ]
    assert store.quotes(about="nothing like this") == []
    assert store.quotes(since=T0 + timedelta(hours=2)) == []
    assert [f.figure.unit for f in store.figures(unit="CM")] == ["cm"]
    assert store.figures(unit="cm", until=T0) == []
    assert [f.figure.unit for f in store.figures(source="example", limit=1)] == ["cm"]
    with pytest.raises(TypeError, match="unknown filters: speakr"):
        store.quotes(speakr="lovelace")
    [place] = store.places()
    assert (place.canonical, place.count, place.names) == ("Ostrava", 1, ["Ostrava"])
    [summary] = store.actors_summary()
    assert (summary.name, summary.mentions, summary.quotes) == ("Ada Lovelace", 1, 1)
    detail = store.actor_detail("Lovelace")
    assert detail.aliases == ["Lovelace"]
    assert [(r.title, r.start) for r in detail.roles] == [("chief hydrologist", date(2024, 1, 1))]
    assert store.actor_detail("Nobody Atall") is None


# --- analysis -------------------------------------------------------------------------------


def _analysis() -> Analysis:
    post_id = make_post_id(SOURCE, "post-1")
    claim = Claim(
        id="c1",
        text="No troops have left.",
        actor="Ada Lovelace",
        modality="denied",
        negated=True,
        post_id=post_id,
        source=SOURCE,
        time=T0,
        signals=["withdrawal"],
        figures=[(100.0, "troops")],
        places=["Ostrava"],
        start=4,
        end=24,
        subject="troops",
        predicate="leave",
    )
    side = Side("Ada Lovelace", ["c1"], [post_id], T0, T0)
    return Analysis(
        claims=[claim],
        disputes=[Dispute("withdrawal", "withdrawal", [side], [side], T0, T0, "negation")],
        events=[
            Event(
                "troops", "MOBILIZE", 2.0, "Army", T0, "Ostrava", "observed", "x", post_id, SOURCE
            )
        ],
        indicators=[IndicatorPoint("2024-05-03", 2.5, {"troops": 2.0}, [0])],
        quantities=[QuantitySeries("troops", "troops", [(T0, 100.0, "100", post_id, SOURCE)])],
    )


def test_analysis_round_trip(store: Store):
    store.ingest_document(_page(_post(1)))
    change = store.latest_change_id()
    assert store.saved_analysis(change) is None
    store.save_analysis(_analysis(), change)
    assert store.saved_analysis(change) == _analysis()
    assert store.saved_analysis(change + 1) is None


def test_analysis_state_changes_with_posts_and_enrichment(store: Store):
    empty = store.analysis_state()
    document_id = _enrich(store)
    enriched = store.analysis_state()
    assert enriched != empty
    store.ingest_document(_page(_post(1), _post(2, title="Edited")))
    assert store.analysis_state() != enriched
    assert document_id in store.versions_needing_enrichment("test-1")


def test_claim_readings_keep_vectors(store: Store):
    np = pytest.importorskip("numpy")
    vector = np.array([0.25, -1.5, 3.0], dtype=np.float32)
    store.save_claim_readings({"k1": ({"subject": "troops"}, vector), "k2": ({}, None)})
    found = store.claim_readings(["k1", "k2", "absent"])
    assert sorted(found) == ["k1", "k2"]
    assert found["k1"][0] == {"subject": "troops"}
    assert found["k1"][1].tolist() == [0.25, -1.5, 3.0]
    assert found["k2"][1] is None
