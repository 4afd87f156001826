"""Serving at scale: paged lists with totals, bounded limits, escaped LIKE wildcards, bounded
search and SSE replay, exact-id lookups, views served from a background-refreshed cache."""

from __future__ import annotations

import dataclasses
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from sitroom.records import Document, Post
from sitroom.serve.app import create_app
from sitroom.serve.cache import RefreshingView
from sitroom.store import PostQuery, open_store

START = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)


def live_doc(n: int, source: str = "https://example.org/live/dam") -> Document:
    posts = [
        Post(
            key=f"p{i}",
            position=n - i,
            title=f"Dam update {i}",
            body=f"Engineers checked gate {i} at the dam; levels {'50% up' if i == 3 else 'steady'}.",
            published=START + timedelta(minutes=i),
        )
        for i in range(n)
    ]
    return Document(source=source, kind="live", format="live-text", title="Dam live", posts=posts)


@pytest.fixture()
def served(tmp_path):
    store = open_store(tmp_path / "s.db")
    store.ingest_document(live_doc(30))
    with TestClient(create_app(store)) as client:
        yield client, store
    store.close()


@pytest.mark.parametrize("limit", ["0", "-1", "5001", "x"])
def test_limit_outside_1_to_5000_is_refused(served, limit):
    client, _ = served
    assert client.get(f"/api/posts?limit={limit}").status_code == 422


def test_posts_are_paged_with_total_and_next_cursor(served):
    client, _ = served
    seen, url, pages = [], "/api/posts?limit=12", 0
    while url and pages < 10:
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["X-Total-Count"] == "30"
        seen += [p["title"] for p in response.json()]
        link = response.headers.get("Link")
        url = link[1 : link.index(">")] if link else None
        pages += 1
    assert pages == 3 and len(seen) == 30 and len(set(seen)) == 30
    assert seen[0] == "Dam update 29"  # newest first


def test_bad_cursor_is_a_422(served):
    client, _ = served
    assert client.get("/api/posts?cursor=abc").status_code == 422


def test_like_wildcards_match_themselves(served):
    client, store = served
    assert store.count_posts(PostQuery(text="%")) == 1  # only the post that says "50% up"
    assert store.count_posts(PostQuery(text="_")) == 0
    assert [p["title"] for p in client.get("/api/posts?text=%25").json()] == ["Dam update 3"]


def test_exact_and_prefix_ids(served):
    _, store = served
    post = store.posts(PostQuery(limit=1))[0]
    assert store.post(post.id).id == post.id
    assert store.post(post.id[:10]).id == post.id
    assert store.post("%") is None and store.post("") is None and store.post("zz") is None


def test_search_of_hundreds_of_repeated_words_is_bounded(served):
    client, _ = served
    started = time.monotonic()
    response = client.get("/api/search", params={"q": "dam " * 120})
    assert response.status_code == 200 and len(response.json()) == 20
    too_long = client.get("/api/search", params={"q": "dam " * 200})
    assert too_long.status_code == 422
    assert time.monotonic() - started < 5


def test_sse_replay_is_bounded(served):
    client, store = served
    site = client.app.state.site
    site.config = dataclasses.replace(
        site.config, stream=dataclasses.replace(site.config.stream, replay_changes=5)
    )
    latest = store.latest_change_id()
    with client.stream("GET", "/api/stream?after=0") as response:
        for line in response.iter_lines():
            if line.startswith("data:"):
                assert f'"change_id": {latest - 5}' in line
                break


def test_views_are_served_stale_and_refreshed_in_the_background():
    version = [1]
    calls: list[int] = []
    gate = threading.Event()

    def compute(key):
        calls.append(version[0])
        if len(calls) > 1:
            gate.wait(5)
        return f"v{version[0]}"

    view = RefreshingView(compute, lambda: version[0])
    assert view.get() == "v1"
    version[0] = 2
    started = time.monotonic()
    assert view.get() == "v1"  # stale, at once, while v2 is computed
    assert time.monotonic() - started < 0.5
    gate.set()
    for _ in range(100):
        if view.refreshes:
            break
        time.sleep(0.02)
    assert view.get() == "v2" and calls == [1, 2]
    view.close()


def test_reads_use_a_connection_per_thread(tmp_path):
    store = open_store(tmp_path / "r.db")
    store.ingest_document(live_doc(3))
    store.readers()
    found = {}
    together = threading.Barrier(3)  # all alive at once (an ended thread's connection closes)

    def read(name):
        found[name] = (store.count_posts(), id(store._reader()))
        together.wait(5)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    store.close()
    assert [v[0] for v in found.values()] == [3, 3, 3]
    assert len({v[1] for v in found.values()}) == 3


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>x</b>", "vbscript:x"]
)
def test_script_and_data_urls_are_never_links(tmp_path, url):
    store = open_store(tmp_path / "j.db")
    doc = live_doc(1)
    doc.posts[0].url = url
    store.ingest_document(doc)
    post = store.posts()[0]
    with TestClient(create_app(store)) as client:
        html = client.get(f"/posts/{post.id}").text
    store.close()
    assert "Original page" not in html and "alert(1)" not in html and "data:text" not in html


def test_error_pages_carry_the_security_headers(tmp_path, monkeypatch):
    store = open_store(tmp_path / "e.db")
    app = create_app(store)
    monkeypatch.setattr(store, "count_posts", lambda *a, **k: 1 / 0)
    with TestClient(app, raise_server_exceptions=False) as client:
        for path in ("/no/such/page", "/api/posts/ffff", "/api/posts"):
            response = client.get(path)
            assert response.status_code in (404, 500)
            assert "default-src 'self'" in response.headers["Content-Security-Policy"]
            assert response.headers["X-Content-Type-Options"] == "nosniff"
    store.close()
