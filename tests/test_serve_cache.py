"""The server's caches never serve what the record has moved past: a new post, an edit or new
enrichment changes the cached pages and JSON; ETags and 304s; versioned static files; view
generations; the record state the caches are keyed on."""

from __future__ import annotations

import re
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from sitroom.records import Actor, Document, Post, PostEnrichment, QuantitySeries, Quote
from sitroom.serve.app import create_app
from sitroom.serve.cache import RefreshingView, Unchanged
from sitroom.serve.compute import compute
from sitroom.serve.static import static_files
from sitroom.serve.web import latest_points
from sitroom.store import open_store

START = datetime(2024, 5, 6, 7, 0, tzinfo=UTC)
SOURCE = "https://example.org/live/storm"


def storm_page(titles: list[str], edited: dict[int, str] | None = None) -> Document:
    posts = [
        Post(
            key=f"s{i}",
            position=len(titles) - i,
            title=title,
            body=(edited or {}).get(i, f"Wind gusts reached {60 + i} km/h on the coast road."),
            published=START + timedelta(minutes=10 * i),
        )
        for i, title in enumerate(titles)
    ]
    return Document(source=SOURCE, kind="live", format="live-text", title="Storm", posts=posts)


TITLES = ["Ferries cancelled at Harl", "Coast road shut near Penn", "Power cut in Orm"]


@pytest.fixture()
def served(tmp_path):
    store = open_store(tmp_path / "cache.db")
    store.ingest_document(storm_page(TITLES))
    with TestClient(create_app(store)) as client:
        yield client, store
    store.close()


def quote_said(store, speaker: str, words: str) -> None:
    """Enrich the first post with a quote `words` by `speaker` (written into its body)."""
    post = store.posts()[0]
    enrichment = PostEnrichment(post_key=post.key)
    start = post.body.find(words)
    assert start >= 0
    enrichment.quotes.append(
        Quote(words, "direct", speaker, "body", start, start + len(words), speaker, "said")
    )
    store.save_document_enrichment(
        post.document_id,
        {post.version_id: enrichment},
        "test",
        actors=[Actor(speaker, "person", [speaker.split()[-1]])],
    )


def test_a_new_post_changes_the_cached_home_page_and_posts_list(served):
    client, store = served
    site = client.app.state.site
    for path in ("/", "/api/posts"):
        for _ in range(2):  # the first computes the views the page is made from
            assert client.get(path).status_code == 200
        hits = site.responses.hits
        again = client.get(path)
        assert site.responses.hits == hits + 1  # served from the cache
        assert "Sandbags handed out in Tey" not in again.text
    store.ingest_document(storm_page([*TITLES, "Sandbags handed out in Tey"]))
    assert "Sandbags handed out in Tey" in client.get("/").text
    titles = [p["title"] for p in client.get("/api/posts").json()]
    assert titles[0] == "Sandbags handed out in Tey" and len(titles) == 4


def test_an_edit_changes_the_cached_post_page(served):
    client, store = served
    post = next(p for p in store.posts() if p.key == "s1")
    before = client.get(f"/posts/{post.id}").text
    assert "71 km/h" not in before and client.get(f"/posts/{post.id}").text == before
    store.ingest_document(storm_page(TITLES, edited={1: "Wind gusts reached 71 km/h."}))
    after = client.get(f"/posts/{post.id}").text
    assert "71 km/h" in after
    assert client.get(f"/api/posts/{post.id}").json()["post"]["version"] == 2


def test_new_enrichment_changes_the_cached_quotes(served):
    client, store = served
    assert client.get("/api/quotes").json() == []
    assert "Ana Lopes" not in client.get("/quotes").text
    quote_said(store, "Ana Lopes", "Wind gusts reached")
    quotes = client.get("/api/quotes").json()
    assert [(q["quote"]["speaker"], q["quote"]["text"]) for q in quotes] == [
        ("Ana Lopes", "Wind gusts reached")
    ]
    assert "Ana Lopes" in client.get("/quotes").text
    assert client.get("/api/actors/Ana%20Lopes").status_code == 200


def test_etag_gives_304_until_the_record_changes(served):
    client, store = served
    first = client.get("/api/posts")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    same = client.get("/api/posts", headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.content == b""
    assert "default-src 'self'" in same.headers["content-security-policy"]
    store.ingest_document(storm_page([*TITLES, "Schools closed in Penn"]))
    changed = client.get("/api/posts", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_a_cached_page_carries_the_current_change_id(served):
    client, store = served
    change = re.compile(r'data-change-id="(\d+)"')
    first = client.get("/actors").text
    assert change.search(first).group(1) == str(store.latest_change_id())
    store.ingest_document(storm_page([*TITLES, "Schools closed in Penn"]))
    latest = store.latest_change_id()
    # The actors page is the same page (no actor changed), with the record's new change id,
    # so the live stream on it resumes from there and never replays old posts.
    assert change.search(client.get("/actors").text).group(1) == str(latest)
    assert change.search(client.get("/").text).group(1) == str(latest)


def test_record_state_changes_with_posts_edits_and_enrichment(db_target):
    store = open_store(db_target)
    store.ingest_document(storm_page(TITLES))
    store.readers()
    seen = [store.record_state()]
    assert store.record_state() == seen[0]  # nothing written: the same, kept per thread
    store.ingest_document(storm_page([*TITLES, "Schools closed in Penn"]))
    seen.append(store.record_state())
    assert seen[1][0] != seen[0][0] and seen[1][1] == seen[0][1]  # a new post: posts only
    store.ingest_document(storm_page([*TITLES, "Schools closed in Penn"], {0: "Calm now."}))
    seen.append(store.record_state())
    assert seen[2][0] != seen[1][0] and seen[2][1] != seen[1][1]  # an edit: both
    quote_said(store, "Ana Lopes", "Calm now")
    seen.append(store.record_state())
    assert seen[3][0] == seen[2][0] and seen[3][1] != seen[2][1]  # enrichment only
    found = {}
    thread = threading.Thread(target=lambda: found.update(state=store.record_state()))
    thread.start()
    thread.join(5)
    assert found["state"] == seen[3]  # another thread's connection agrees
    store.close()


def test_a_view_keeps_its_generation_when_a_recomputation_gives_the_same_value():
    version, values = [1], {1: "a", 2: "a", 3: "b"}
    view = RefreshingView(lambda key: values[version[0]], lambda: version[0])
    assert view.get() == "a"
    first = view.stamp()
    for v, expected_same in ((2, True), (3, False)):
        version[0] = v
        view.stamp()  # a stale value: starts the refresh
        _wait_for_refreshes(view, v - 1)
        assert (view.stamp() == first) is expected_same
    assert view.get() == "b"
    view.close()


def test_an_earlier_computation_never_replaces_a_later_one():
    # Versions are compared for equality only (the analysis version is a digest): which
    # value wins is decided by when it was asked for.
    view = RefreshingView(lambda key: key, lambda: "zz")
    newer = view._store(None, "aa", 5, "new")
    older = view._store(None, "zz", 3, "old")
    assert newer.value == older.value == "new" and view.get() == "new"
    view.close()


def test_static_files_are_versioned_and_revalidated(served):
    client, _ = served
    digest = static_files()["app.css"].digest
    page = client.get("/").text
    assert f'href="/static/app.css?v={digest}"' in page
    assert f'src="/static/app.js?v={static_files()["app.js"].digest}"' in page
    forever = client.get(f"/static/app.css?v={digest}")
    assert forever.status_code == 200 and "immutable" in forever.headers["cache-control"]
    assert forever.headers["content-type"].startswith("text/css")
    plain = client.get("/static/app.css")
    assert plain.headers["cache-control"] == "no-cache"
    again = client.get("/static/app.css", headers={"If-None-Match": plain.headers["etag"]})
    assert again.status_code == 304
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/nothing.css").status_code == 404


def test_a_quantity_is_cut_to_its_newest_points():
    points = [
        (START + timedelta(hours=h), float(h), f"{h} homes", f"p{h}", SOURCE) for h in range(30)
    ]
    points.insert(5, (None, -1.0, "undated", "px", SOURCE))
    series = QuantitySeries("homes", "homes flooded", points)
    newest = latest_points(series, 12)
    assert [p[1] for p in newest.points] == [float(h) for h in range(18, 30)]
    assert latest_points(series, 40) is series


def test_connections_of_ended_threads_are_closed(tmp_path):
    store = open_store(tmp_path / "threads.db")
    store.ingest_document(storm_page(TITLES))
    store.readers()
    for _ in range(6):  # a server's worker threads come and go
        thread = threading.Thread(target=store.count_posts)
        thread.start()
        thread.join(5)
    assert store.count_posts() == 3
    assert len(store._reader_conns) <= 2  # this thread's, and at most the last one's
    store.close()


def test_a_refresh_reads_the_version_in_the_asking_thread():
    # A thread per refresh reading the version would open a database connection per refresh.
    readers, version = [], [1]

    def current() -> int:
        readers.append(threading.current_thread())
        return version[0]

    view = RefreshingView(lambda key: version[0], current)
    assert view.get() == 1
    version[0] = 2
    view.get()
    _wait_for_refreshes(view, 1)
    assert view.get() == 2
    assert set(readers) == {threading.current_thread()}
    view.close()


def test_a_worker_that_finds_nothing_changed_sends_nothing_back():
    sent, version = [], [1]

    def compute(key, held):
        value = "same"
        if held and sent and sent[-1] == value:
            return Unchanged()
        sent.append(value)
        return value

    view = RefreshingView(compute, lambda: version[0], tells_unchanged=True)
    assert view.get() == "same"
    first = view.stamp()
    version[0] = 2
    view.stamp()
    _wait_for_refreshes(view, 1)
    assert view.get() == "same" and view.stamp() == first and sent == ["same"]
    assert view._values[None].version == 2  # up to date: no refresh is asked again
    view.close()


def test_the_views_worker_answers_unchanged_only_to_a_holder(tmp_path):
    store = open_store(tmp_path / "w.db")
    store.ingest_document(storm_page(TITLES))
    first = compute("sources", None, store=store)
    assert [d.posts for d in first] == [3]
    assert isinstance(compute("sources", None, store=store, held=True), Unchanged)
    assert compute("sources", None, store=store, held=False) == first  # a new holder
    store.ingest_document(storm_page([*TITLES, "Schools closed in Penn"]))
    assert [d.posts for d in compute("sources", None, store=store, held=True)] == [4]
    store.close()


def test_missing_pages_leave_nothing_behind_in_the_cache(served):
    client, _ = served
    responses = client.app.state.site.responses
    for n in range(20):
        assert client.get(f"/posts/{n:016x}").status_code == 404
        assert client.get(f"/api/posts/{n:016x}").status_code == 404
    assert responses._building == {}
    assert not any(key[1].startswith(("/posts/", "/api/posts/")) for key in responses._entries)


def _wait_for_refreshes(view: RefreshingView, count: int) -> None:
    """Until the view's worker has refreshed `count` times (2 s at most)."""
    for _ in range(200):
        if view.refreshes >= count:
            return
        time.sleep(0.01)
