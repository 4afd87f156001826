"""What grows with the record is paged on the actor page, /api/actors/NAME, /api/disputes and
the figures page: the default answer is bounded (the limit, a cursor, the total) and the
cursors give the rest exactly once."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from sitroom.records import (
    Actor,
    Analysis,
    Claim,
    Dispute,
    Document,
    Figure,
    Mention,
    Post,
    PostEnrichment,
    Quote,
    Side,
)
from sitroom.serve.app import create_app
from sitroom.serve.cache import RefreshingView
from sitroom.store import open_store

T0 = datetime(2024, 5, 6, 7, 0, tzinfo=UTC)
N = 130  # posts, each naming and quoting Ada Lovelace: more than the default page (100)
SPEAKER = "Ada Lovelace"


def _body(i: int) -> str:
    return f"{SPEAKER} said the river had reached gauge mark {i} by morning."


def _enrichment(key: str, i: int) -> PostEnrichment:
    body = _body(i)
    said = body.index("the river")
    figure = body.index(str(i))
    return PostEnrichment(
        post_key=key,
        mentions=[Mention(SPEAKER, SPEAKER, "body", 0, len(SPEAKER))],
        quotes=[Quote(body[said:-1], "indirect", SPEAKER, "body", said, len(body) - 1)],
        figures=[Figure(str(i), float(i), "mark", "body", figure, figure + len(str(i)))],
    )


def _record(store) -> None:
    """N posts on one page, each naming and quoting Ada Lovelace and stating a figure."""
    posts = [
        Post(
            key=f"k{i}",
            position=N - i,
            title=f"Gauge {i}",
            body=_body(i),
            published=T0 + timedelta(minutes=i),
        )  # fmt: skip
        for i in range(N)
    ]
    store.ingest_document(
        Document(
            source="https://example.org/live/river", kind="live", format="live-text", posts=posts
        )  # fmt: skip
    )
    [(document_id, _)] = store.versions_needing_enrichment("t-1").items()
    by_key = store.document_version_ids(document_id)
    found = {by_key[f"k{i}"]: _enrichment(f"k{i}", i) for i in range(N)}
    store.save_document_enrichment(
        document_id, found, "t-1", actors=[Actor(SPEAKER, "person", aliases=["Lovelace"])]
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("paging") / "p.db")
    _record(store)
    app = create_app(store)
    site = app.state.site
    # A fixed analysis (no models): three disputes, the first with a side citing 45 claims.
    site.views["analysis"] = RefreshingView(lambda key: _analysis(), lambda: 0)
    with TestClient(app) as client:
        yield client, site
    store.close()


def test_actor_paging_queries_on_each_backend(db_target):
    with open_store(db_target) as store:
        _record(store)
        detail = store.actor_detail("lovelace", limit=7, offset=125)
        assert (detail.mention_count, detail.post_count, detail.quote_count) == (N, N, N)
        assert [post for _, post, _ in detail.mentions] == [
            post for _, post, _ in store.actor_detail(SPEAKER).mentions[125:]
        ]  # the last 5 of all of them, oldest first
        assert detail.surfaces == [SPEAKER] and detail.aliases == ["Lovelace"]
        newest = store.actor_quotes(SPEAKER, 2, 0)
        assert [q.quote.text for q in newest] == [
            f"the river had reached gauge mark {i} by morning" for i in (N - 1, N - 2)
        ]
        assert len(store.actor_quotes(SPEAKER, 100, 100)) == 30
        assert store.actor_name("LOVELACE") == SPEAKER and store.actor_name("Nobody") is None


def _analysis() -> Analysis:
    claims = [
        Claim(
            f"c{i}",
            f"Claim number {i}",
            SPEAKER if i < 45 else "Bo Varga",
            "asserted",
            False,
            f"post{i}",
            "src",
            T0,
        )  # fmt: skip
        for i in range(50)
    ]

    def side(actor: str, ids: range) -> Side:
        return Side(actor, [f"c{i}" for i in ids], [f"post{i}" for i in ids], T0, T0,
                    [[f"c{i}", "supports", "", 0.9] for i in ids])  # fmt: skip

    disputes = [
        Dispute(
            f"topic {n}",
            None,
            [side(SPEAKER, range(45))],
            [side("Bo Varga", range(45, 50))],
            T0,
            T0,
        )  # fmt: skip
        for n in range(3)
    ]
    return Analysis(claims=claims, disputes=disputes)


def _next(response) -> str | None:
    link = response.headers.get("Link")
    return link[1 : link.index(">")] if link else None


def _all_pages(client, url: str, part: str | None = None) -> tuple[list, int]:
    """Every item through the cursors (of `part` of an object, or of a plain list)."""
    seen, pages = [], 0
    while url and pages < 20:
        response = client.get(url)
        assert response.status_code == 200
        body = response.json()
        seen += body[part] if part else body
        url, pages = _next(response), pages + 1
    return seen, pages


def test_api_actor_pages_its_mentions_with_the_counts(served):
    client, _ = served
    response = client.get("/api/actors/Lovelace")
    body = response.json()
    assert (body["name"], body["mention_count"], body["post_count"]) == (SPEAKER, N, N)
    assert body["quote_count"] == N and body["surfaces"] == [SPEAKER]
    assert len(body["mentions"]) == 100 and body["mentions_total"] == N
    assert response.headers["X-Total-Count"] == str(N)
    assert body["next"] == _next(response) and body["next"].endswith("cursor=100")
    seen, pages = _all_pages(client, "/api/actors/Lovelace", "mentions")
    assert pages == 2 and len(seen) == N
    assert len({post for _, post, _ in seen}) == N  # each mention once
    assert [t for t, _, _ in seen] == sorted(t for t, _, _ in seen)  # oldest first
    assert client.get("/api/actors/Lovelace?cursor=100").json()["next"] is None


def test_api_actor_quotes_are_paged_newest_first(served):
    client, _ = served
    quotes_url = client.get("/api/actors/Lovelace").json()["quotes"]
    first = client.get(quotes_url)
    assert len(first.json()) == 100 and first.headers["X-Total-Count"] == str(N)
    seen, pages = _all_pages(client, quotes_url)
    texts = [q["quote"]["text"] for q in seen]
    assert pages == 2 and len(texts) == N and len(set(texts)) == N
    assert texts[0] == f"the river had reached gauge mark {N - 1} by morning"
    assert client.get("/api/actors/Nobody%20Here/quotes").status_code == 404


def test_actor_page_shows_a_page_of_quotes_and_a_link_for_more(served):
    client, site = served
    pages = dataclasses.replace(site.config.pages, actor_items=50)
    site.config = dataclasses.replace(site.config, pages=pages)
    try:
        url, seen, shown = "/actors/Ada%20Lovelace", [], 0
        while url and shown < 10:
            html = client.get(url).text
            assert f"Mentioned {N} times in {N} posts; quoted {N} times." in html
            seen += [i for i in range(N) if f"gauge mark {i} by morning" in html]
            more = (
                html.split('<a rel="next" href="')[1].split('"')[0]
                if 'rel="next"' in html
                else None
            )
            url, shown = more and more.replace("&amp;", "&"), shown + 1
        assert shown == 3 and sorted(seen) == list(range(N))  # 50 + 50 + 30, each once
        first = client.get("/actors/Ada%20Lovelace").text
        assert "1–50 of 130" in first and "More quotes (80 more)" in first
        assert "gauge mark 129 " in first and "gauge mark 79 " not in first
    finally:
        site.config = dataclasses.replace(
            site.config, pages=dataclasses.replace(pages, actor_items=100)
        )


def test_dispute_sides_cite_a_few_with_totals_and_links_to_the_rest(served):
    client, _ = served
    response = client.get("/api/disputes")
    assert response.headers["X-Total-Count"] == "3"
    [first, *_] = response.json()
    [side] = first["asserts"]
    assert first["id"] == 0
    assert side["claims"] == [f"c{i}" for i in range(20)] and side["claims_total"] == 45
    assert len(side["posts"]) == 20 and side["posts_total"] == 45
    assert len(side["stances"]) == 20 and side["stances_total"] == 45
    rest, pages = _all_pages(client, side["more"]["claims"])
    assert pages == 1 and rest == [f"c{i}" for i in range(20, 45)]
    [denies] = first["denies"]
    assert denies["claims_total"] == 5 and denies["more"] == {}
    assert client.get("/api/disputes/0").json()["asserts"][0]["claims_total"] == 45
    assert client.get("/api/disputes/3").status_code == 404
    assert client.get("/api/disputes/0?side=denies&actor=Nobody").status_code == 404
    assert client.get("/api/disputes/0?side=sideways&actor=Bo%20Varga").status_code == 422


def test_disputes_list_is_paged(served):
    client, _ = served
    topics, pages = _all_pages(client, "/api/disputes?limit=2")
    assert pages == 2 and [d["topic"] for d in topics] == ["topic 0", "topic 1", "topic 2"]
    assert [d["id"] for d in topics] == [0, 1, 2]


def test_disputes_page_links_to_the_claims_it_does_not_show(served):
    client, _ = served
    html = client.get("/disputes").text
    assert "43 more claims" in html  # 45 cited, 2 shown
    assert (
        "/api/disputes/0?side=asserts&amp;actor=Ada%20Lovelace&amp;part=claims&amp;cursor=2" in html
    )


def test_figures_page_shows_a_page_and_a_link_for_more(served):
    client, site = served
    pages = dataclasses.replace(site.config.pages, figures_rows=60)
    site.config = dataclasses.replace(site.config, pages=pages)
    try:
        first = client.get("/figures").text
        assert first.count('class="cite"') == 60 and 'rel="next" href="/figures?cursor=60"' in first
        last = client.get("/figures?cursor=120").text
        assert last.count('class="cite"') == 10 and 'rel="next"' not in last
    finally:
        site.config = dataclasses.replace(
            site.config, pages=dataclasses.replace(pages, figures_rows=100)
        )
