"""The JSON API: posts, search, briefing, stories, sources, actors, quotes, figures, places.

Lists are paged (serve/paging.py). Every answer is cached (serve/responses.py) under what it
is made from, so a list read by many clients is queried and serialised once per change."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from sitroom.serve.lookup import find_story
from sitroom.serve.paging import MAX_PAGE, paged, paged_list, paged_object
from sitroom.serve.settings import settings
from sitroom.serve.web import PageOf, Window, post_json, site_of
from sitroom.store import PostQuery, QueryTooSlow
from sitroom.util.jsonable import to_jsonable

router = APIRouter(prefix="/api")


@dataclass
class PostsPage(PageOf):
    limit: int = Query(200, ge=1, le=MAX_PAGE)


@dataclass
class FiguresPage(PageOf):
    limit: int = Query(200, ge=1, le=MAX_PAGE)
    unit: str | None = None


@dataclass
class ActorPage(PageOf):
    limit: int = Query(settings().pages.actor_items, ge=1, le=MAX_PAGE)


@dataclass
class Focus:
    """The posts of one page or feed (`source`), or of one story (id, name or label)."""

    source: str | None = None
    story: str | None = None


@dataclass
class PostFilter:
    """What /api/posts selects on besides the time window."""

    source: str | None = None
    label: str | None = None
    author: str | None = None
    text: str | None = Query(None, description="words the post holds")


@router.get("/posts", summary="Posts of the merged timeline, paged")
def api_posts(
    request: Request,
    window: Annotated[Window, Depends()],
    chosen: Annotated[PostFilter, Depends()],
    page: Annotated[PostsPage, Depends()],
):
    site = site_of(request)
    bounds = {"since": window.start, "until": window.end, "limit": page.limit}
    query = PostQuery(**asdict(chosen), **bounds, offset=page.offset, order="-time")

    def build():
        items = [post_json(p) for p in site.store.posts(query)]
        total = site.store.count_posts(query)
        return paged(request, items, page.offset, page.limit, total=total)

    return site.json(request, (site.record(),), build)


@router.get("/posts/{post_id}", summary="One post with its version history")
def api_post(request: Request, post_id: str):
    site = site_of(request)
    store = site.store

    def build():
        post = store.post(post_id)
        if post is None:
            raise HTTPException(404, f"no post {post_id}")
        return {
            "post": post_json(post),
            "versions": store.post_versions(post.id),
            "enrichment": store.enrichment_for_version(post.version_id, post.key),
        }

    return site.json(request, (site.enrichment(),), build)


@router.get("/search", summary="Full-text search, best first")
def api_search(
    request: Request, q: str = Query(..., max_length=500), limit: int = Query(20, ge=1, le=200)
):
    site = site_of(request)

    def build():
        try:
            hits = site.store.search(q, limit)
        except QueryTooSlow as exc:
            raise HTTPException(503, str(exc)) from exc
        return [{"post": post_json(p), "snippet": s, "rank": r} for p, s, r in hits]

    return site.json(request, (site.record(),), build)


@router.get(
    "/briefing",
    summary="The briefing for a story (?story=id, name or label) or for a window "
    "(default: the last 24 h of the record)",
)
def api_briefing(
    request: Request, window: Annotated[Window, Depends()], focus: Annotated[Focus, Depends()]
):
    site = site_of(request)
    story = focus.story
    key = (window.start, window.end, focus.source, story)

    def build():
        if story is not None and find_story(site.views["stories"].get(None), story) is None:
            raise HTTPException(404, f"no story {story}")
        return site.views["briefing"].get(key)

    return site.json(request, site.stamps(("briefing", key), "stories"), build)


@router.get("/stories", summary="The record's stories, most recent first")
def api_stories(request: Request):
    site = site_of(request)

    def build():
        return [{**to_jsonable(s), "title": s.title} for s in site.views["stories"].get(None)]

    return site.json(request, site.stamps("stories"), build)


def _view_list(request: Request, name: str, page: PageOf):
    """A paged list of a view's records (sources, actors, places)."""
    site = site_of(request)
    return site.json(
        request,
        site.stamps(name),
        lambda: paged_list(request, site.views[name].get(), page.limit, page.cursor),
    )


@router.get("/sources", summary="Pages and feeds in the record, paged")
def api_sources(request: Request, page: Annotated[PageOf, Depends()]):
    return _view_list(request, "sources", page)


@router.get("/actors", summary="Actors with mention and quote counts, paged")
def api_actors(request: Request, page: Annotated[PageOf, Depends()]):
    return _view_list(request, "actors", page)


@router.get("/places", summary="Places named, geocoded, paged")
def api_places(request: Request, page: Annotated[PageOf, Depends()]):
    return _view_list(request, "places", page)


@router.get(
    "/actors/{name}",
    summary="One actor: roles, aliases, mention, post and quote counts, and its mentions "
    "oldest first, paged (`mentions_total`, `next`; its quotes: /api/actors/{name}/quotes)",
)
def api_actor(request: Request, name: str, page: Annotated[ActorPage, Depends()]):
    site = site_of(request)

    def build():
        detail = site.store.actor_detail(name, limit=page.limit, offset=page.offset)
        if detail is None:
            raise HTTPException(404, f"no actor {name}")
        body = to_jsonable(detail)
        body["quotes"] = str(request.url_for("api_actor_quotes", name=detail.name))
        return paged_object(request, body, "mentions", page.offset, detail.mention_count)

    return site.json(request, (site.enrichment(),), build)


@router.get("/actors/{name}/quotes", summary="What one actor said, newest first, paged")
def api_actor_quotes(request: Request, name: str, page: Annotated[ActorPage, Depends()]):
    site = site_of(request)

    def build():
        detail = site.store.actor_detail(name, limit=0)
        if detail is None:
            raise HTTPException(404, f"no actor {name}")
        found = site.store.actor_quotes(detail.name, page.limit, page.offset)
        items = to_jsonable(found)
        return paged(request, items, page.offset, page.limit, total=detail.quote_count)

    return site.json(request, (site.enrichment(),), build)


@router.get("/quotes", summary="Who said what, paged")
def api_quotes(
    request: Request,
    window: Annotated[Window, Depends()],
    page: Annotated[PageOf, Depends()],
    speaker: str | None = None,
    about: str | None = None,
    kind: str | None = None,
):
    site = site_of(request)

    def build():
        found = site.store.quotes(
            speaker=speaker,
            about=about,
            since=window.start,
            until=window.end,
            kind=kind,
            limit=page.offset + page.limit + 1,
        )
        return _page_of_found(request, found, page)

    return site.json(request, (site.enrichment(),), build)


@router.get("/figures", summary="Figures stated in posts, paged")
def api_figures(
    request: Request, page: Annotated[FiguresPage, Depends()], since: str | None = None
):
    site = site_of(request)
    start = Window(since).start

    def build():
        found = site.store.figures(unit=page.unit, since=start, limit=page.offset + page.limit + 1)
        return _page_of_found(request, found, page)

    return site.json(request, (site.enrichment(),), build)


def _page_of_found(request: Request, found: list, page: PageOf):
    """A page of records fetched one past the page's end (so it is known whether more come)."""
    end = page.offset + page.limit
    items = to_jsonable(found[page.offset : end])
    return paged(request, items, page.offset, page.limit, more=len(found) > end)
