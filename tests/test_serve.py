"""The web app: pages, JSON API, security headers, escaping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from sitroom.records import Byline, Document, Post
from sitroom.serve.app import create_app
from sitroom.store import open_store

T0 = datetime(2024, 9, 2, 6, 0, tzinfo=UTC)
PAYLOAD = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'


EVENTS = [
    "Crews raised a temporary barrier overnight as the river kept rising near the old bridge.",
    "The regional authority ordered 4,000 residents of low-lying streets to leave by noon.",
    "Rail services between Orna and Lisk are suspended until the line can be inspected.",
    "Forecasters expect another 60mm of rain before the weather clears on Thursday.",
    "Volunteers are filling sandbags at the football stadium, the mayor's office says.",
    "Power was cut to two districts as a precaution after a substation flooded.",
]


def page(n: int, extra: list[Post] = ()) -> Document:
    posts = [
        Post(
            key=f"k{i}",
            position=n - i,
            title=f"Flood barrier {i} raised in Orna",
            body=EVENTS[i % len(EVENTS)],
            published=T0 + timedelta(minutes=15 * i),
            labels=["Breaking"] if i == n - 1 else [],
            bylines=[Byline("Mira Sol", "Regional reporter")],
        )
        for i in range(n)
    ]
    return Document(
        source="https://example.org/live/flood",
        kind="live",
        format="live-text",
        posts=[*extra, *posts],
        outlet="Example News",
    )


@pytest.fixture()
def client(tmp_path):
    store = open_store(tmp_path / "web.db")
    hostile = Post(
        key="hostile",
        position=99,
        title=f"Title {PAYLOAD}",
        body=f"Body text {PAYLOAD} and more words to make a sentence for the briefing here.",
        published=T0 - timedelta(minutes=5),
        bylines=[Byline(f"Name {PAYLOAD}", f"Role {PAYLOAD}")],
    )
    store.ingest_document(page(6, [hostile]))
    with TestClient(create_app(store)) as c:
        c.store = store
        yield c
    store.close()


@pytest.mark.parametrize("path", ["/", "/actors", "/quotes", "/figures", "/map", "/docs"])
def test_pages_render_with_csp(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_home_shows_posts_newest_first_with_labels(client):
    html = client.get("/").text
    html = html[html.index('id="posts"') :]
    first, last = html.index("Flood barrier 5 raised"), html.index("Flood barrier 0 raised")
    assert first < last
    assert "badge-breaking" in html
    assert "Mira Sol" in html


def test_page_text_is_escaped_everywhere(client):
    hostile_id = [p for p in client.store.posts() if p.key == "hostile"][0].id
    for path in ["/", f"/posts/{hostile_id}"]:
        html = client.get(path).text
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in html


def test_pages_load_nothing_from_outside(client):
    import re

    for path in ["/", "/map", "/figures", "/docs"]:
        html = client.get(path).text
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert not url.startswith(("http://", "https://", "//")), (path, url)


def test_api_posts_and_post_history(client):
    posts = client.get("/api/posts").json()
    assert len(posts) == 7
    assert posts[0]["title"].startswith("Flood barrier 5")
    post_id = posts[0]["id"]
    detail = client.get(f"/api/posts/{post_id[:8]}").json()
    assert detail["post"]["id"] == post_id
    assert [v["version"] for v in detail["versions"]] == [1]
    assert client.get("/api/posts/ffffffffffff").status_code == 404
    assert client.get("/posts/ffffffffffff").status_code == 404


def test_api_briefing_cites_stored_posts(client):
    briefing = client.get("/api/briefing").json()
    ids = {p["id"] for p in client.get("/api/posts").json()}
    assert 3 <= len(briefing["bullets"]) <= 8
    for line in briefing["bullets"]:
        assert set(line["citations"]) <= ids


def test_openapi_lists_every_api_route(client):
    spec = client.get("/openapi.json").json()
    for path in [
        "/api/posts",
        "/api/briefing",
        "/api/quotes",
        "/api/figures",
        "/api/places",
        "/api/actors",
        "/api/stream",
    ]:
        assert path in spec["paths"]
    assert "/api/posts" in client.get("/docs").text


def test_search_api(client):
    hits = client.get("/api/search", params={"q": "barrier 3"}).json()
    assert hits and hits[0]["post"]["title"].startswith("Flood barrier")


def test_analysis_pages_and_api(client):
    for path in ["/disputes", "/indicators"]:
        response = client.get(path)
        assert (
            response.status_code == 200
            and "unsafe-inline" not in response.headers["content-security-policy"]
        )
    points = client.get("/api/indicators").json()
    assert isinstance(points, list)
    for point in points:
        detail = client.get(f"/api/indicators/{point['bucket']}").json()
        assert detail["point"]["bucket"] == point["bucket"]
        assert all(e["post_id"] for e in detail["events"])
    assert isinstance(client.get("/api/disputes").json(), list)
    assert isinstance(client.get("/api/claims").json(), list)
    assert client.get("/api/indicators/1999-01-01").status_code == 404
