"""The HTML pages: briefing and timeline, posts, actors, quotes, figures, map, API docs.

Each page is cached (serve/responses.py) under what it is made from: the record's state for
pages that read the store, the generations of the views for those made from them."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from sitroom.records import StoredPost, Story
from sitroom.serve.analysis_routes import current_analysis
from sitroom.serve.charts import figure_charts, place_map
from sitroom.serve.lookup import find_story
from sitroom.serve.paging import cursor_offset, page_link
from sitroom.serve.web import Site, latest_points, site_of, when_param
from sitroom.store import PostQuery, Store

router = APIRouter(include_in_schema=False)


def _story(site: Site, story: str | None) -> Story | None:
    """The story asked for (None when none is); a 404 when there is no such story."""
    if story is None:
        return None
    found = find_story(site.views["stories"].get(None), story)
    if found is None:
        raise HTTPException(404, f"no story {story}")
    return found


def _live_context(site: Site, source: str | None, story: str | None) -> dict[str, Any]:
    """The briefing column and the timeline counts (the home page's live part)."""
    chosen = _story(site, story)
    stories = site.views["stories"].get(None)
    sources = site.views["sources"].get()
    if source:
        n_posts = site.store.count_posts(PostQuery(source=source))
    else:
        n_posts = sum(d.posts for d in sources)
    return {
        "briefing": site.views["briefing"].get((None, None, source, story)),
        "n_posts": n_posts,
        "sources": sources,
        "stories": stories[:8],
        "story": chosen,
    }


def _live_depends(site: Site, source: str | None, story: str | None) -> tuple:
    views = site.stamps(("briefing", (None, None, source, story)), "stories", "sources")
    return (site.record() if source else site.enrichment(), views)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, source: str | None = None, story: str | None = None):
    site = site_of(request)
    change = site.store.latest_change_id()  # before the posts: the stream goes on from here

    def context() -> dict[str, Any]:
        live = _live_context(site, source, story)
        posts = site.store.posts(
            PostQuery(source=source, order="-time", limit=site.config.pages.home_posts)
        )
        days: dict[str, list[StoredPost]] = defaultdict(list)
        for p in posts:
            days[p.published.strftime("%a %d %b %Y") if p.published else "undated"].append(p)
        return {**live, "days": days}

    depends = (change, site.record(), _live_depends(site, source, story))
    return site.page(request, depends, "home.html", context, change_id=change)


@router.get("/fragments/briefing", response_class=HTMLResponse)
def briefing_fragment(request: Request, source: str | None = None, story: str | None = None):
    """The briefing column and the timeline counts, for the home page to swap in on news."""
    site = site_of(request)
    return site.fragment(
        request,
        _live_depends(site, source, story),
        "_home_live.html",
        lambda: {"path": "/", **_live_context(site, source, story)},
    )


@router.get("/posts/{post_id}", response_class=HTMLResponse)
def post_page(request: Request, post_id: str):
    site = site_of(request)
    store = site.store

    def context() -> dict[str, Any]:
        post = store.post(post_id)
        if post is None:
            raise HTTPException(404, f"no post {post_id}")
        versions = store.post_versions(post.id)
        enrichment = store.enrichment_for_version(post.version_id, post.key)
        return {"post": post, "versions": versions, "enrichment": enrichment}

    return site.page(request, (site.enrichment(),), "post.html", context)


@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request):
    site = site_of(request)
    depends = (site.enrichment(), site.stamps("actors"))
    return site.page(
        request, depends, "actors.html", lambda: {"actors": site.views["actors"].get()}
    )


@router.get("/actors/{name}", response_class=HTMLResponse)
def actor_page(request: Request, name: str, cursor: str | None = None):
    """An actor's aliases, roles and counts, and a page of what it said (newest first) with
    a link to the next."""
    site = site_of(request)
    offset = cursor_offset(cursor)

    def context() -> dict[str, Any]:
        detail = site.store.actor_detail(name, limit=0)
        if detail is None:
            raise HTTPException(404, f"no actor {name}")
        shown = site.config.pages.actor_items
        quotes = site.store.actor_quotes(detail.name, shown, offset)
        end = offset + len(quotes)
        more = page_link(request, end) if end < detail.quote_count else None
        return {"actor": detail, "quotes": quotes, "first": offset + 1, "last": end,
                "more": more}  # fmt: skip

    return site.page(request, (site.enrichment(),), "actor.html", context)


@router.get("/quotes", response_class=HTMLResponse)
def quotes_page(
    request: Request,
    speaker: str | None = None,
    about: str | None = None,
    since: str | None = None,
):
    site = site_of(request)
    start = when_param("since", since)

    def context() -> dict[str, Any]:
        quotes = site.store.quotes(
            speaker=speaker or None, about=about or None, since=start, limit=500
        )
        return {
            "quotes": quotes,
            "speaker": speaker or "",
            "about": about or "",
            "since": since or "",
        }

    return site.page(request, (site.enrichment(),), "quotes.html", context)


@router.get("/figures", response_class=HTMLResponse)
def figures_page(request: Request, unit: str | None = None, cursor: str | None = None):
    site = site_of(request)
    offset = cursor_offset(cursor)

    def context() -> dict[str, Any]:
        rows = site.config.pages.figures_rows
        found = site.store.figures(unit=unit or None, limit=offset + rows + 1)
        figures = found[offset : offset + rows]
        more = page_link(request, offset + rows) if len(found) > offset + rows else None
        series = [
            latest_points(s, site.config.pages.chart_points)
            for s in current_analysis(request).quantities
            if not unit or s.unit == unit
        ]
        return {"figures": figures, "charts": figure_charts(series), "unit": unit or "",
                "more": more, "first": offset + 1}  # fmt: skip

    depends = (site.enrichment(), site.stamps("analysis"))
    return site.page(request, depends, "figures.html", context)


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, story: str | None = None):
    site = site_of(request)

    def context() -> dict[str, Any]:
        places = site.views["places"].get()
        chosen = _story(site, story) if story else None
        if chosen is not None:
            places = _story_places(site.store, places, chosen)
        stories = site.views["stories"].get(None)
        return {"places": places, "world": place_map(places), "stories": stories[:12],
                "story": chosen}  # fmt: skip

    # A story's places are found through its posts: then the page reads the record too.
    depends = (site.record() if story else site.enrichment(), site.stamps("places", "stories"))
    return site.page(request, depends, "map.html", context)


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request):
    site = site_of(request)

    def context() -> dict[str, Any]:
        spec = request.app.openapi()
        routes = [
            {
                "path": path,
                "method": method.upper(),
                "summary": op.get("summary", ""),
                "params": [p["name"] for p in op.get("parameters", [])],
            }
            for path, ops in spec["paths"].items()
            for method, op in ops.items()
        ]
        return {"routes": routes, "spec_title": spec["info"]["title"]}

    return site.page(request, ("docs",), "docs.html", context)


def _story_places(store: Store, places: list, story: Story) -> list:
    """The places named in a story's posts, each counted once per post that names it."""
    posts = {pid for d in story.documents for pid in store.document_post_ids(d).values()}
    out = []
    for p in places:
        mine = [pid for pid in (p.posts or []) if pid in posts]
        if mine:
            out.append(dataclasses.replace(p, count=len(mine), posts=mine))
    return out
