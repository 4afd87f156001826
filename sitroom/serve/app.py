"""The web view of the record: briefing, merged timeline, actors, quotes, figures, map.

Every page is rendered on the server with Jinja2 autoescaping, and the one script the pages
load (static/app.js) writes page text with textContent only; the Content-Security-Policy
forbids inline scripts and any request outside the app. So text from a page we ingested is
always shown, never run. New posts arrive by server-sent events from /api/stream.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sse_starlette.sse import EventSourceResponse

from sitroom.brief import brief_store
from sitroom.records import PostEnrichment, StoredPost
from sitroom.serve.analysis_routes import router as analysis_router
from sitroom.serve.charts import _get as _field
from sitroom.serve.charts import figure_charts, place_map
from sitroom.store import PostQuery, Store, open_store
from sitroom.util.jsonable import to_jsonable
from sitroom.util.when import parse_when as _parse_when

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
STREAM_POLL_SECONDS = 0.5


def _package_dir(name: str) -> Path:
    return Path(str(resources.files("sitroom.serve").joinpath(name)))


def post_json(post: StoredPost) -> dict[str, Any]:
    data = to_jsonable(post)
    data["short_id"] = post.id[:8]
    return data


def create_app(store: Store | None = None, db: str | Path | None = None) -> FastAPI:
    """The web app over a store (or over the database file `db`)."""
    if store is None:
        store = open_store(db)
    app = FastAPI(
        title="sitroom",
        description="The situation record as JSON: posts, briefing, actors, quotes, figures, places.",
        version="0.1.0",
        docs_url=None,  # the stock docs page loads its assets from a CDN; /docs is our own
        redoc_url=None,
    )
    app.state.store = store
    templates = Jinja2Templates(directory=str(_package_dir("templates")))
    templates.env.filters["hm"] = lambda t: t.strftime("%H:%M") if t else "—"
    templates.env.filters["day"] = lambda t: t.strftime("%a %d %b %Y") if t else "undated"
    templates.env.filters["when"] = lambda t: t.strftime("%Y-%m-%d %H:%M UTC") if t else "—"
    templates.env.filters["short"] = lambda s: (s or "")[:8]
    templates.env.filters["f"] = lambda obj, name, default=None: _field(obj, name, default)
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(_package_dir("static"))), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        nav = [
            ("/", "Briefing"),
            ("/actors", "Actors"),
            ("/quotes", "Quotes"),
            ("/figures", "Figures"),
            ("/map", "Map"),
        ]
        if getattr(app.state, "analysis_pages", False):
            nav += [("/disputes", "Disputes"), ("/indicators", "Indicators")]
        nav.append(("/docs", "API"))
        return templates.TemplateResponse(
            request,
            name,
            {
                "nav": nav,
                "path": request.url.path,
                "change_id": store.latest_change_id(),
                **context,
            },
            status_code=status_code,
        )

    app.state.page = page

    # --- pages -------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, source: str | None = None):
        briefing = brief_store(store, source=source)
        posts = store.posts(PostQuery(source=source, order="-time", limit=300))
        days: dict[str, list[StoredPost]] = defaultdict(list)
        for p in posts:
            days[p.published.strftime("%a %d %b %Y") if p.published else "undated"].append(p)
        return page(
            request,
            "home.html",
            briefing=briefing,
            days=days,
            n_posts=len(posts),
            sources=store.documents(),
        )

    @app.get("/posts/{post_id}", response_class=HTMLResponse, include_in_schema=False)
    def post_page(request: Request, post_id: str):
        post = store.post(post_id)
        if post is None:
            raise HTTPException(404, f"no post {post_id}")
        versions = store.post_versions(post.id)
        enrichment = _post_enrichment(store, post)
        return page(request, "post.html", post=post, versions=versions, enrichment=enrichment)

    @app.get("/actors", response_class=HTMLResponse, include_in_schema=False)
    def actors_page(request: Request):
        actors = store.actors_summary()
        return page(request, "actors.html", actors=actors)

    @app.get("/actors/{name}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(request: Request, name: str):
        detail = store.actor_detail(name)
        if detail is None:
            raise HTTPException(404, f"no actor {name}")
        quotes = store.quotes(speaker=name)
        return page(request, "actor.html", actor=detail, quotes=quotes)

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    def quotes_page(
        request: Request,
        speaker: str | None = None,
        about: str | None = None,
        since: str | None = None,
    ):
        quotes = store.quotes(
            speaker=speaker or None, about=about or None, since=parse_when(since), limit=500
        )
        return page(
            request,
            "quotes.html",
            quotes=quotes,
            speaker=speaker or "",
            about=about or "",
            since=since or "",
        )

    @app.get("/figures", response_class=HTMLResponse, include_in_schema=False)
    def figures_page(request: Request, unit: str | None = None):
        figures = store.figures(unit=unit or None)
        return page(
            request, "figures.html", figures=figures, charts=figure_charts(figures), unit=unit or ""
        )

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request):
        places = store.places()
        return page(request, "map.html", places=places, world=place_map(places))

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page(request: Request):
        spec = app.openapi()
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
        return page(request, "docs.html", routes=routes, spec_title=spec["info"]["title"])

    # --- JSON API ----------------------------------------------------------------------

    @app.get("/api/posts", summary="Posts of the merged timeline")
    def api_posts(
        since: str | None = None,
        until: str | None = None,
        label: str | None = None,
        author: str | None = None,
        source: str | None = None,
        text: str | None = None,
        limit: int = Query(200, le=5000),
    ):
        query = PostQuery(
            since=parse_when(since),
            until=parse_when(until),
            label=label,
            author=author,
            source=source,
            text=text,
            limit=limit,
            order="-time",
        )
        return [post_json(p) for p in store.posts(query)]

    @app.get("/api/posts/{post_id}", summary="One post with its version history")
    def api_post(post_id: str):
        post = store.post(post_id)
        if post is None:
            raise HTTPException(404, f"no post {post_id}")
        return {
            "post": post_json(post),
            "versions": to_jsonable(store.post_versions(post.id)),
            "enrichment": to_jsonable(_post_enrichment(store, post)),
        }

    @app.get("/api/search", summary="Full-text search, best first")
    def api_search(q: str, limit: int = Query(20, le=200)):
        return [
            {"post": post_json(p), "snippet": s, "rank": r} for p, s, r in store.search(q, limit)
        ]

    @app.get(
        "/api/briefing", summary="The briefing for a window (default: the last 24 h of the record)"
    )
    def api_briefing(since: str | None = None, until: str | None = None, source: str | None = None):
        return to_jsonable(
            brief_store(store, since=parse_when(since), until=parse_when(until), source=source)
        )

    @app.get("/api/sources", summary="Pages and feeds in the record")
    def api_sources():
        return to_jsonable(store.documents())

    @app.get("/api/actors", summary="Actors with mention and quote counts")
    def api_actors():
        return to_jsonable(store.actors_summary())

    @app.get(
        "/api/actors/{name}", summary="One actor: roles, aliases, mentions and quotes over time"
    )
    def api_actor(name: str):
        detail = store.actor_detail(name)
        if detail is None:
            raise HTTPException(404, f"no actor {name}")
        return to_jsonable(detail)

    @app.get("/api/quotes", summary="Who said what")
    def api_quotes(
        speaker: str | None = None,
        about: str | None = None,
        since: str | None = None,
        until: str | None = None,
        kind: str | None = None,
        limit: int = Query(500, le=5000),
    ):
        return to_jsonable(
            store.quotes(
                speaker=speaker,
                about=about,
                since=parse_when(since),
                until=parse_when(until),
                kind=kind,
                limit=limit,
            )
        )

    @app.get("/api/figures", summary="Figures stated in posts")
    def api_figures(
        unit: str | None = None, since: str | None = None, limit: int = Query(1000, le=10000)
    ):
        return to_jsonable(store.figures(unit=unit, since=parse_when(since), limit=limit))

    @app.get("/api/places", summary="Places named, geocoded")
    def api_places():
        return to_jsonable(store.places())

    @app.get(
        "/api/stream", summary="Server-sent events: a 'post' event for every new or edited post"
    )
    async def api_stream(request: Request, after: int | None = None):
        start = store.latest_change_id() if after is None else after

        async def events():
            mark = start
            yield {"event": "hello", "data": json.dumps({"change_id": mark})}
            while not await request.is_disconnected():
                latest = store.latest_change_id()
                if latest > mark:
                    for post_id in store.post_ids_since(mark):
                        post = store.post(post_id)
                        if post is not None and post.kind != "summary":
                            yield {
                                "event": "post",
                                "id": str(latest),
                                "data": json.dumps(post_json(post), ensure_ascii=False),
                            }
                    mark = latest
                await asyncio.sleep(STREAM_POLL_SECONDS)

        return EventSourceResponse(events(), ping=15)

    @app.exception_handler(HTTPException)
    async def not_found(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return page(
            request,
            "error.html",
            status_code=exc.status_code,
            status=exc.status_code,
            message=exc.detail,
        )

    app.include_router(analysis_router)
    app.state.analysis_pages = True
    return app


def parse_when(text: str | None) -> datetime | None:
    """A time parameter; text that is not a time is the client's error (422), not ours."""
    try:
        return _parse_when(text)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc


def _post_enrichment(store: Store, post: StoredPost) -> PostEnrichment | None:
    return store.enrichment_for_document(post.document_id).get(post.key)
