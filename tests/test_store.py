"""The record never loses or duplicates a post."""

from __future__ import annotations

import copy
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from sitroom.records import make_post_id
from sitroom.store import PostQuery, SqliteStore, open_store
from sitroom.store.migrate import available_migrations, migrate

T0 = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)


@pytest.fixture()
def store(tmp_path):
    with open_store(tmp_path / "record.db") as s:
        yield s


def test_new_file_is_wal_and_migrated(tmp_path):
    path = tmp_path / "x.db"
    with open_store(path) as s:
        mode = s.conn.execute("PRAGMA journal_mode").fetchone()[0]
        numbers = [r[0] for r in s.conn.execute("SELECT number FROM schema_migrations")]
    assert mode == "wal"
    assert numbers == [n for n, _, _ in available_migrations()]
    assert 1 in numbers


def test_migrations_are_idempotent(tmp_path):
    path = tmp_path / "x.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    assert migrate(conn) == []
    count = conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
    assert count == len(available_migrations())


def test_not_a_database_gives_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(OSError, match="not a sitroom database"):
        open_store(path)


def test_reingest_changes_nothing(store, make_page):
    page = make_page(5)
    first = store.ingest_document(page)
    again = store.ingest_document(copy.deepcopy(page))
    assert (first.new, first.updated) == (5, 0)
    assert (again.new, again.updated, again.unchanged, again.vanished) == (0, 0, 5, 0)
    assert store.conn.execute("SELECT count(*) FROM post_versions").fetchone()[0] == 5
    assert len(store.posts()) == 5


def test_post_ids_are_stable_and_ignore_position(store, make_page):
    page = make_page(3)
    store.ingest_document(page)
    ids_before = {p.key: p.id for p in store.posts()}
    grown = make_page(4)  # every old post moves down one place
    store.ingest_document(grown)
    ids_after = {p.key: p.id for p in store.posts()}
    for key, post_id in ids_before.items():
        assert ids_after[key] == post_id == make_post_id(page.source, key)


def test_page_that_grows_adds_only_new_posts(store, make_page):
    store.ingest_document(make_page(3))
    result = store.ingest_document(make_page(5))
    assert (result.new, result.updated, result.unchanged) == (2, 0, 3)
    titles = [p.title for p in store.posts()]
    assert titles == [f"Post number {i} about the river levels" for i in range(5)]


def test_edited_post_keeps_every_version(store, make_page):
    page = make_page(3)
    store.ingest_document(page)
    edited = copy.deepcopy(page)
    target = edited.posts[1]
    target.body += " Correction: it was the Morava, not the Oder."
    result = store.ingest_document(edited)
    assert (result.updated, result.unchanged) == (1, 2)
    target.labels = ["Breaking", "Correction"]
    store.ingest_document(edited)
    post_id = make_post_id(page.source, target.key)
    versions = store.post_versions(post_id)
    assert [v.version for v in versions] == [1, 2, 3]
    assert "Correction" not in versions[0].body
    assert versions[1].body == target.body
    assert versions[2].labels == ["Breaking", "Correction"]
    latest = store.post(post_id)
    assert latest.version == 3 and latest.body == target.body


def test_vanished_post_is_marked_not_deleted_and_can_return(store, make_page):
    page = make_page(4)
    store.ingest_document(page)
    shorter = copy.deepcopy(page)
    gone = shorter.posts.pop(2)
    result = store.ingest_document(shorter)
    assert result.vanished == 1
    post = store.post(make_post_id(page.source, gone.key))
    assert post is not None and post.vanished_at is not None
    assert len(store.posts()) == 4
    assert len(store.posts(PostQuery(include_vanished=False))) == 3
    back = store.ingest_document(copy.deepcopy(page))
    assert back.vanished == 0
    assert store.post(post.id).vanished_at is None


def test_truncated_read_does_not_mark_posts_vanished(store, make_page):
    page = make_page(4)
    store.ingest_document(page)
    partial = copy.deepcopy(page)
    partial.posts = partial.posts[:2]
    partial.warnings = ["page ends mid-post: kept the 2 posts that parsed"]
    result = store.ingest_document(partial)
    assert result.vanished == 0
    assert all(p.vanished_at is None for p in store.posts())


def test_crash_mid_ingest_leaves_store_consistent(store, monkeypatch, make_page):
    store.ingest_document(make_page(2))
    before = store.conn.execute("SELECT count(*) FROM post_versions").fetchone()[0]
    calls = {"n": 0}
    original = SqliteStore._insert_post

    def failing_insert(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk pulled out")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SqliteStore, "_insert_post", failing_insert)
    with pytest.raises(RuntimeError):
        store.ingest_document(make_page(5))
    monkeypatch.undo()
    assert calls["n"] == 2  # one post of the new read had been written before the crash
    after = store.conn.execute("SELECT count(*) FROM post_versions").fetchone()[0]
    assert after == before
    assert len(store.posts()) == 2
    assert store.conn.execute("SELECT count(*) FROM posts_fts").fetchone()[0] == 2
    # and the store goes on working
    assert store.ingest_document(make_page(5)).new == 3


def test_search_ranks_and_survives_fts_syntax(store, make_page):
    store.ingest_document(make_page(5))
    other = make_page(1, source="https://example.org/live/other")
    other.posts[0].title = "Ministers meet"
    other.posts[0].body = 'Nothing about water here; the minister\'s "chief" aide spoke.'
    store.ingest_document(other)
    hits = store.search("Ostrava centimetres")
    assert len(hits) == 5
    assert all("[" in snippet for _, snippet, _ in hits)
    assert store.search("minister's \"chief")[0][0].title == "Ministers meet"
    assert store.search("AND OR NEAR(") == []
    assert store.search("   ") == []


def test_search_follows_edits(store, make_page):
    page = make_page(1)
    store.ingest_document(page)
    edited = copy.deepcopy(page)
    edited.posts[0].body = "Levels are now falling near Brno."
    store.ingest_document(edited)
    assert store.search("Brno")
    assert not store.search("Ostrava")


def test_post_filters(store, make_page):
    store.ingest_document(make_page(6))
    assert len(store.posts(PostQuery(label="breaking"))) == 2
    assert len(store.posts(PostQuery(author="lovelace"))) == 3
    assert len(store.posts(PostQuery(since=T0 + timedelta(minutes=25)))) == 3
    assert len(store.posts(PostQuery(until=T0 + timedelta(minutes=25)))) == 3
    newest = store.posts(PostQuery(order="-time", limit=1))
    assert [p.title for p in newest] == ["Post number 5 about the river levels"]
    assert store.posts(PostQuery(source="nowhere")) == []


def test_document_record_round_trip(store, make_page):
    page = make_page(3)
    page.summary = ["Water is rising", "Schools shut"]
    result = store.ingest_document(page)
    rebuilt = store.document_record(result.document_id)
    assert rebuilt.summary == page.summary
    assert [p.key for p in rebuilt.posts] == [p.key for p in page.posts]
    assert rebuilt.posts[0].bylines == page.posts[0].bylines
    assert rebuilt.posts[0].published == page.posts[0].published


def test_change_id_grows_with_news(store, make_page):
    assert store.latest_change_id() == 0
    store.ingest_document(make_page(2))
    mark = store.latest_change_id()
    store.ingest_document(make_page(3))
    assert store.latest_change_id() > mark
    assert len(store.post_ids_since(mark)) == 1


def test_latest_posts_view_and_datasette_style_search(store, make_page):
    """datasette finds posts_fts by its content="latest_posts" and searches the view with
    `rowid in (select rowid from posts_fts where posts_fts match ...)`."""
    store.ingest_document(make_page(3))
    edited = make_page(3)
    edited.posts[0].body = "Sandbags were stacked along the embankment at dawn."
    store.ingest_document(edited)
    detected = store.conn.execute(
        "select name from sqlite_master where rootpage = 0 and "
        """sql like '%VIRTUAL TABLE%USING FTS%content="latest_posts"%'"""
    ).fetchall()
    assert [r[0] for r in detected] == ["posts_fts"]

    def search(words: str) -> list[str]:
        rows = store.conn.execute(
            "select body from latest_posts where rowid in "
            "(select rowid from posts_fts where posts_fts match ?) order by published",
            (words,),
        )
        return [r[0] for r in rows]

    assert search("sandbags embankment") == [edited.posts[0].body]
    assert search("centimetres") == [p.body for p in make_page(3).posts_by_time()[:2]]
    # the index agrees with the text it is built from, edits included
    store.conn.execute("INSERT INTO posts_fts (posts_fts, rank) VALUES ('integrity-check', 1)")
    view = store.conn.execute("select id, version from latest_posts order by id").fetchall()
    assert sorted((p.id, p.version) for p in store.posts()) == [tuple(r) for r in view]
