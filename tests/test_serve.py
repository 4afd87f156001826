"""The web app: pages, JSON API, security headers, escaping."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from sitroom.data import sample_path
from sitroom.pipeline import ingest_sources
from sitroom.read.inputs import iter_inputs
from sitroom.records import Byline, Document, Post
from sitroom.serve.app import create_app
from sitroom.store import PostQuery, open_store

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


@pytest.fixture(scope="module")
def sample_client(tmp_path_factory):
    """The app over the bundled sample page, read and enriched: it has a dispute and
    indicator events to show."""
    store = open_store(tmp_path_factory.mktemp("sample") / "sample.db")
    ingest_sources(store, iter_inputs([str(sample_path())]), argv="test")
    with TestClient(create_app(store)) as c:
        c.store = store
        yield c
    store.close()


@pytest.mark.slow
def test_analysis_pages_and_api(sample_client):
    client = sample_client
    for path in ["/disputes", "/indicators"]:
        response = client.get(path)
        assert (
            response.status_code == 200
            and "unsafe-inline" not in response.headers["content-security-policy"]
        )
    topic = "Kestrian forces opened the floodgates of the Halden dam"
    assert topic in client.get("/disputes").text
    assert [d["topic"] for d in client.get("/api/disputes").json()] == [topic]
    points = client.get("/api/indicators").json()
    # the evacuation of the villages (21:40 UTC on the 13th) and the armour and accusation
    # on the 14th
    assert [p["bucket"] for p in points] == ["2025-06-13", "2025-06-14"]
    detail = client.get("/api/indicators/2025-06-14").json()
    assert detail["point"]["bucket"] == "2025-06-14"
    assert len(detail["events"]) == len(points[1]["events"]) > 0
    every_post = {p.id for p in client.store.posts(PostQuery(kinds=("post", "summary")))}
    assert {e["post_id"] for e in detail["events"]} <= every_post
    claims = client.get("/api/claims").json()
    assert claims and {c["post_id"] for c in claims} <= every_post
    assert client.get("/api/indicators/1999-01-01").status_code == 404


@pytest.mark.slow
def test_indicators_page_charts_the_newest_buckets_and_the_api_pages(sample_client):
    site = sample_client.app.state.site
    kept = site.config
    site.config = dataclasses.replace(
        kept, pages=dataclasses.replace(kept.pages, indicator_points=1)
    )
    try:
        # a query of its own: the page rendered under the shipped settings is cached
        html = sample_client.get("/indicators?hourly=false").text
    finally:
        site.config = kept
    assert 'href="/indicators?bucket=2025-06-14"' in html
    assert 'href="/indicators?bucket=2025-06-13"' not in html
    assert "the newest of 2;" in html
    first = sample_client.get("/api/indicators?limit=1")
    assert [p["bucket"] for p in first.json()] == ["2025-06-13"]
    assert first.headers["X-Total-Count"] == "2"
    following = first.headers["Link"].split(";")[0].strip("<>")
    assert [p["bucket"] for p in sample_client.get(following).json()] == ["2025-06-14"]


@pytest.mark.parametrize(
    "path, name",
    [
        ("/api/posts?since=garbage", "since"),
        ("/api/posts?until=not-a-time", "until"),
        ("/api/quotes?since=garbage", "since"),
        ("/api/briefing?until=garbage", "until"),
        ("/api/figures?since=garbage", "since"),
    ],
)
def test_bad_time_parameter_is_a_422_naming_it(client, path, name):
    response = client.get(path)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["query", name]
    assert name in detail[0]["msg"]


def test_bad_time_on_a_page_is_a_422_page_naming_it(client):
    response = client.get("/quotes?since=garbage")
    assert response.status_code == 422
    assert "since" in response.text and "<h1>" in response.text


def test_unknown_indicator_bucket_is_404(client):
    assert client.get("/indicators?bucket=1999-01-01").status_code == 404
    assert client.get("/indicators?hourly=banana").status_code == 422


def test_favicon_is_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"
    assert client.get("/static/favicon.svg").status_code == 200


@pytest.mark.parametrize("path", ["/", "/actors", "/quotes", "/figures", "/map", "/docs"])
def test_every_page_has_one_h1_and_a_skip_link(client, path):
    html = client.get(path).text
    assert html.count("<h1") == 1
    assert 'href="#main"' in html and 'id="main"' in html
    assert 'rel="icon"' in html


def test_briefing_fragment_carries_briefing_and_counts(client):
    html = client.get("/fragments/briefing").text
    assert 'id="brief"' in html
    assert 'id="post-count" data-posts="7"' in html


def test_actor_links_only_for_actors_with_a_page(client):
    actor_link = client.app.state.templates.env.globals["actor_link"]
    assert str(actor_link("Nobody Such")) == '<span class=" no-page">Nobody Such</span>'
    assert str(actor_link(None)) == "<i>unattributed</i>"
    assert "<script" not in str(actor_link("<script>x</script>"))


def test_empty_record_pages_say_what_to_do(tmp_path):
    store = open_store(tmp_path / "empty.db")
    with TestClient(create_app(store)) as c:
        home = c.get("/").text
        assert "sitroom ingest" in home and "0 posts" in home
        assert "— – —" not in home
        assert "sitroom ingest" in c.get("/figures").text
        assert "sitroom ingest" in c.get("/map").text
        assert "sitroom ingest" in c.get("/actors").text
    store.close()


def test_post_events_carry_the_same_card_the_page_renders(client):
    """The stream's html is rendered by _post.html, as the home page's cards are."""
    post = client.store.posts()[0]
    templates = client.app.state.templates
    card = templates.get_template("_post.html").render(post=post)
    assert card.strip() in client.get("/").text
    assert f'id="post-{post.id}"' in card


# --- charts --------------------------------------------------------------------------------


def test_human_numbers():
    from sitroom.serve.charts import human_number

    assert human_number(130000, "troops") == "130,000"
    assert human_number(64.6e9, "gbp") == "£64.6bn"
    assert human_number(2_500_000, "usd") == "$2.5m"
    assert human_number(350, "gbp") == "£350"
    assert human_number(6.46e10, "people") == "64.6bn"
    assert human_number(0.75, "percent") == "0.75"


def test_nice_ticks_cover_the_top_with_round_steps():
    from sitroom.serve.charts import nice_ticks

    assert nice_ticks(130000) == [0, 50000, 100000, 150000]
    assert nice_ticks(35.5, 2) == [0, 20, 40]
    assert nice_ticks(0) == [0.0, 1.0]


def test_points_years_apart_are_drawn_in_separate_panels():
    from sitroom.serve.charts import series_chart

    t = datetime(2022, 2, 14, 9, tzinfo=UTC)
    points = [
        (t, 100000.0, "100,000 troops", "a" * 16, "s"),
        (t + timedelta(hours=20), 130000.0, "130,000 troops", "b" * 16, "s"),
        (t + timedelta(days=3 * 365), 60000.0, "60,000 troops", "c" * 16, "s"),
    ]
    chart = series_chart("troops", "troops", points)
    wide = chart.layouts["wide"]
    assert len(wide.panels) == 2
    assert wide.panels[1].gap_before == "3 years later"
    assert [len(p.points) for p in wide.panels] == [2, 1]
    assert chart.title == "Troops"  # one title, not "troops (troops)"
    assert [r.label for r in chart.rows] == ["100,000", "130,000", "60,000"]
    assert "2 panels" in chart.summary
    labels = [lab for _, lab in wide.y_ticks]
    assert labels[-1] == "150,000" and "e+" not in "".join(labels)
    for panel in wide.panels:  # tick labels stay inside their panel and do not crowd
        xs = [x for x, _ in panel.x_ticks]
        assert all(b - a >= 40 for a, b in zip(xs, xs[1:], strict=False))


def test_index_chart_marks_gaps_between_distant_days():
    from sitroom.records import IndicatorPoint
    from sitroom.serve.charts import index_chart

    points = [
        IndicatorPoint("2022-02-14", 11.0, {}, []),
        IndicatorPoint("2022-02-15", -4.0, {}, []),
        IndicatorPoint("2025-02-17", 3.0, {}, []),
    ]
    layout = index_chart(points)["wide"]
    assert [note for _, note in layout.gaps] == ["3 years later"]
    assert [b.up for b in layout.bars] == [True, False, True]
    assert layout.y_ticks[0][1] == "0"


def test_map_zooms_to_where_most_mentions_are():
    from types import SimpleNamespace as NS

    from sitroom.serve.charts import place_map

    places = [
        NS(canonical="Kyiv", lat=50.45, lon=30.52, count=40, posts=["p1"]),
        NS(canonical="Kharkiv", lat=49.99, lon=36.23, count=30, posts=["p2"]),
        NS(canonical="Canberra", lat=-35.28, lon=149.13, count=1, posts=["p3"]),
    ]
    world = place_map(places)
    x0, y0, w, h = map(float, world["view"].split())
    assert w < 60  # not the whole world
    assert [d.name for d in world["outside"]] == ["Canberra"]
    assert [name for _, _, name in world["labels"]] == ["Kyiv", "Kharkiv"]


def test_two_series_of_one_name_get_titles_that_tell_them_apart():
    from types import SimpleNamespace as NS

    from sitroom.serve.charts import figure_charts

    t = datetime(2022, 2, 14, 9, tzinfo=UTC)
    big = NS(
        unit="troops",
        counted="troops",
        points=[(t, 100000.0, "", "a", ""), (t + timedelta(hours=3), 130000.0, "", "b", "")],
    )
    small = NS(
        unit="troops",
        counted="troops",
        points=[(t, 1000.0, "", "c", ""), (t + timedelta(hours=3), 1500.0, "", "d", "")],
    )
    titles = [c.title for c in figure_charts([big, small])]
    assert titles == ["Troops, about 100,000", "Troops, about 2,000"]


def test_map_zooms_to_one_story(client):
    stories = client.get("/api/stories").json()
    assert stories
    response = client.get(f"/map?story={stories[0]['id']}")
    assert response.status_code == 200
    assert "Places named in" in response.text
    assert client.get("/map?story=999999").status_code == 404
