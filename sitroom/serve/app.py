"""The web view of the record: briefing, merged timeline, actors, quotes, figures, map.

Every page is rendered on the server with Jinja2 autoescaping, and the one script the pages
load (static/app.js) writes page text with textContent only; the Content-Security-Policy
forbids inline scripts and any request outside the app. So text from a page we ingested is
always shown, never run. New posts arrive by server-sent events from /api/stream.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import multiprocessing
import os
from collections import defaultdict
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from sse_starlette.sse import EventSourceResponse

from sitroom.analyse import analyse_store, analysis_key
from sitroom.analyse.stories import refresh_stories
from sitroom.brief import brief_store, brief_story
from sitroom.records import PostEnrichment, StoredPost, Story
from sitroom.serve.analysis_routes import current_analysis
from sitroom.serve.analysis_routes import router as analysis_router
from sitroom.serve.cache import RefreshingView
from sitroom.serve.charts import _get as _field
from sitroom.serve.charts import figure_charts, human_number, place_map
from sitroom.serve.paging import MAX_PAGE, cursor_offset, paged, paged_list
from sitroom.store import PostQuery, Store, open_store
from sitroom.store.api import QueryTooSlow
from sitroom.util.jsonable import to_jsonable
from sitroom.util.when import parse_when as _parse_when

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
STREAM_POLL_SECONDS = 0.5
CHART_POINTS = 200  # the newest points of a quantity drawn on the figures page
FIGURES_PAGE_ROWS = 500  # the figures page lists the newest this many (the API pages on)
STREAM_REPLAY_CHANGES = 500  # `/api/stream?after=N` replays at most this many changes
# A view is recomputed at most this often (seconds) while news keeps coming; between, the
# last one is served. The briefing and the analysis are the costly ones.
VIEW_MIN_INTERVAL_S = {"briefing": 10.0, "analysis": 20.0}


def _package_dir(name: str) -> Path:
    return Path(str(resources.files("sitroom.serve").joinpath(name)))


def post_json(post: StoredPost) -> dict[str, Any]:
    data = to_jsonable(post)
    data["short_id"] = post.id[:8]
    return data


def bad_parameter(name: str, value: str | None, why: str) -> HTTPException:
    """A 422 in FastAPI's own shape, naming the query parameter that was wrong."""
    return HTTPException(
        422,
        [{"loc": ["query", name], "msg": f"{name}: {why}", "type": "value_error", "input": value}],
    )


def when_param(name: str, value: str | None):
    """A time query parameter, or a 422 naming it when it cannot be read as a time."""
    try:
        return _parse_when(value)
    except (ValueError, OverflowError) as exc:
        raise bad_parameter(name, value, str(exc)) from exc


def _detail_text(detail: Any) -> str:
    if isinstance(detail, list):
        return "; ".join(str(d.get("msg", d)) if isinstance(d, dict) else str(d) for d in detail)
    return str(detail)


def create_app(
    store: Store | None = None, db: str | Path | None = None, *, views_process: bool = False
) -> FastAPI:
    """The web app over a store (or over the database file `db`). With `views_process`
    (what `sitroom serve` uses), the briefing and analysis are recomputed in a worker
    process, so that the server's requests never wait on the interpreter lock for them."""
    if store is None:
        store = open_store(db)
    store.readers()  # a read connection per worker thread: requests never share one
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
    templates.env.filters["human"] = lambda value, unit=None: human_number(value, unit)
    templates.env.filters["web_url"] = web_url
    known_actors: dict[str, bool] = {}
    known_at = [-1]

    def has_actor_page(name: str) -> bool:
        """Whether /actors/NAME opens a page (cached until the record changes)."""
        change = store.latest_change_id()
        if known_at[0] != change:
            known_actors.clear()
            known_at[0] = change
        if name not in known_actors:
            detail = store.actor_detail(name)
            known_actors[name] = detail is not None
        return known_actors[name]

    def actor_link(name: str | None, cls: str = "") -> Markup:
        """A link to the actor's page where there is one; the plain name where there is not."""
        if not name:
            return Markup("<i>unattributed</i>")
        if has_actor_page(name):
            return Markup('<a class="{}" href="/actors/{}">{}</a>').format(
                cls, quote(name, safe=""), name
            )
        return Markup('<span class="{} no-page">{}</span>').format(cls, name)

    templates.env.globals["actor_link"] = actor_link
    app.state.templates = templates
    views, worker = _views(store, views_process)
    app.state.views = views
    app.router.on_shutdown.append(lambda: _stop_worker(worker))
    app.state.analysis_view = views["analysis"]
    app.mount("/static", StaticFiles(directory=str(_package_dir("static"))), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        return secured(await call_next(request))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        # Runs outside the middleware above (Starlette's outermost layer): the headers are
        # set here too, so an error page is as locked down as any other.
        return secured(JSONResponse({"detail": "internal error"}, status_code=500))

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

    def post_html(post: StoredPost) -> str:
        """The timeline card of a post, from the same template the home page uses."""
        return templates.get_template("_post.html").render(post=post)

    # --- pages -------------------------------------------------------------------------

    def home_context(source: str | None, story: str | None = None) -> dict[str, Any]:
        stories = views["stories"].get(None)
        if story is not None and find_story(stories, story) is None:
            raise HTTPException(404, f"no story {story}")
        briefing = views["briefing"].get((None, None, source, story))
        posts = store.posts(PostQuery(source=source, order="-time", limit=300))
        days: dict[str, list[StoredPost]] = defaultdict(list)
        for p in posts:
            days[p.published.strftime("%a %d %b %Y") if p.published else "undated"].append(p)
        sources = views["sources"].get()
        return {
            "briefing": briefing,
            "days": days,
            "n_posts": sum(d.posts for d in sources) if not source else len(posts),
            "sources": sources,
            "stories": stories[:8],
            "story": find_story(stories, story) if story else None,
        }

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, source: str | None = None, story: str | None = None):
        return page(request, "home.html", **home_context(source, story))

    @app.get("/fragments/briefing", response_class=HTMLResponse, include_in_schema=False)
    def briefing_fragment(
        request: Request, source: str | None = None, story: str | None = None
    ):
        """The briefing column and the timeline counts, for the home page to swap in on news."""
        return templates.TemplateResponse(
            request, "_home_live.html", {"path": "/", **home_context(source, story)}
        )

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return FileResponse(_package_dir("static") / "favicon.ico", media_type="image/x-icon")

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
        actors = views["actors"].get()
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
            speaker=speaker or None,
            about=about or None,
            since=when_param("since", since),
            limit=500,
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
        figures = store.figures(unit=unit or None, limit=FIGURES_PAGE_ROWS)
        series = [
            _latest_points(s)
            for s in current_analysis(request).quantities
            if not unit or s.unit == unit
        ]
        return page(
            request, "figures.html", figures=figures, charts=figure_charts(series), unit=unit or ""
        )

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request, story: str | None = None):
        places = views["places"].get()
        stories = views["stories"].get(None)
        chosen = None
        if story:
            chosen = find_story(stories, story)
            if chosen is None:
                raise HTTPException(404, f"no story {story}")
            places = _story_places(store, places, chosen)
        return page(
            request,
            "map.html",
            places=places,
            world=place_map(places),
            stories=stories[:12],
            story=chosen,
        )

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

    @app.get("/api/posts", summary="Posts of the merged timeline, paged")
    def api_posts(
        request: Request,
        since: str | None = None,
        until: str | None = None,
        label: str | None = None,
        author: str | None = None,
        source: str | None = None,
        text: str | None = None,
        limit: int = Query(200, ge=1, le=MAX_PAGE),
        cursor: str | None = None,
    ):
        offset = cursor_offset(cursor)
        query = PostQuery(
            since=when_param("since", since),
            until=when_param("until", until),
            label=label,
            author=author,
            source=source,
            text=text,
            limit=limit,
            order="-time",
            offset=offset,
        )
        items = [post_json(p) for p in store.posts(query)]
        return paged(request, items, offset, limit, total=store.count_posts(query))

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
    def api_search(q: str = Query(..., max_length=500), limit: int = Query(20, ge=1, le=200)):
        try:
            hits = store.search(q, limit)
        except QueryTooSlow as exc:
            raise HTTPException(503, str(exc)) from exc
        return [{"post": post_json(p), "snippet": s, "rank": r} for p, s, r in hits]

    @app.get(
        "/api/briefing",
        summary="The briefing for a story (?story=id, name or label) or for a window "
        "(default: the last 24 h of the record)",
    )
    def api_briefing(
        since: str | None = None,
        until: str | None = None,
        source: str | None = None,
        story: str | None = None,
    ):
        if story is not None and find_story(views["stories"].get(None), story) is None:
            raise HTTPException(404, f"no story {story}")
        key = (when_param("since", since), when_param("until", until), source, story)
        return to_jsonable(views["briefing"].get(key))

    @app.get("/api/stories", summary="The record's stories, most recent first")
    def api_stories():
        return [{**to_jsonable(s), "title": s.title} for s in views["stories"].get(None)]

    @app.get("/api/sources", summary="Pages and feeds in the record, paged")
    def api_sources(
        request: Request, limit: int = Query(500, ge=1, le=MAX_PAGE), cursor: str | None = None
    ):
        return paged_list(request, views["sources"].get(), limit, cursor)

    @app.get("/api/actors", summary="Actors with mention and quote counts, paged")
    def api_actors(
        request: Request, limit: int = Query(500, ge=1, le=MAX_PAGE), cursor: str | None = None
    ):
        return paged_list(request, views["actors"].get(), limit, cursor)

    @app.get(
        "/api/actors/{name}", summary="One actor: roles, aliases, mentions and quotes over time"
    )
    def api_actor(name: str):
        detail = store.actor_detail(name)
        if detail is None:
            raise HTTPException(404, f"no actor {name}")
        return to_jsonable(detail)

    @app.get("/api/quotes", summary="Who said what, paged")
    def api_quotes(
        request: Request,
        speaker: str | None = None,
        about: str | None = None,
        since: str | None = None,
        until: str | None = None,
        kind: str | None = None,
        limit: int = Query(500, ge=1, le=MAX_PAGE),
        cursor: str | None = None,
    ):
        offset = cursor_offset(cursor)
        found = store.quotes(
            speaker=speaker,
            about=about,
            since=when_param("since", since),
            until=when_param("until", until),
            kind=kind,
            limit=offset + limit + 1,
        )
        return paged(
            request,
            to_jsonable(found[offset : offset + limit]),
            offset,
            limit,
            more=len(found) > offset + limit,
        )

    @app.get("/api/figures", summary="Figures stated in posts, paged")
    def api_figures(
        request: Request,
        unit: str | None = None,
        since: str | None = None,
        limit: int = Query(1000, ge=1, le=MAX_PAGE),
        cursor: str | None = None,
    ):
        offset = cursor_offset(cursor)
        found = store.figures(unit=unit, since=when_param("since", since), limit=offset + limit + 1)
        return paged(
            request,
            to_jsonable(found[offset : offset + limit]),
            offset,
            limit,
            more=len(found) > offset + limit,
        )

    @app.get("/api/places", summary="Places named, geocoded, paged")
    def api_places(
        request: Request, limit: int = Query(500, ge=1, le=MAX_PAGE), cursor: str | None = None
    ):
        return paged_list(request, views["places"].get(), limit, cursor)

    @app.get(
        "/api/stream", summary="Server-sent events: a 'post' event for every new or edited post"
    )
    async def api_stream(request: Request, after: int | None = Query(None, ge=0)):
        latest = store.latest_change_id()
        # A reconnecting client catches up on what it missed, within a bound: never the
        # whole record.
        start = latest if after is None else max(after, latest - STREAM_REPLAY_CHANGES)

        async def events():
            mark = start
            yield {"event": "hello", "data": json.dumps({"change_id": mark})}
            while not await request.is_disconnected():
                latest = store.latest_change_id()
                if latest > mark:
                    for event in await asyncio.to_thread(stream_events, mark, latest):
                        yield event
                    mark = latest
                await asyncio.sleep(STREAM_POLL_SECONDS)

        return EventSourceResponse(events(), ping=15)

    @lru_cache(maxsize=64)
    def stream_events(mark: int, latest: int) -> tuple[dict, ...]:
        """The 'post' events between two change ids, made once for every listener."""
        found = []
        for post_id in store.post_ids_since(mark)[-STREAM_REPLAY_CHANGES:]:
            post = store.post(post_id)
            if post is not None and post.kind != "summary":
                data = post_json(post)
                data["html"] = post_html(post)
                found.append(
                    {
                        "event": "post",
                        "id": str(latest),
                        "data": json.dumps(data, ensure_ascii=False),
                    }
                )
        return tuple(found)

    @app.exception_handler(HTTPException)
    async def not_found(request: Request, exc: HTTPException):
        if request.url.path.startswith(("/api/", "/fragments/")):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return page(
            request,
            "error.html",
            status_code=exc.status_code,
            status=exc.status_code,
            message=_detail_text(exc.detail),
        )

    app.include_router(analysis_router)
    app.state.analysis_pages = True
    return app


def _latest_points(series):
    """A quantity series with its newest CHART_POINTS points: a chart of every figure a big
    record holds is megabytes of SVG that no one can read (the API has them all)."""
    if len(series.points) <= CHART_POINTS:
        return series
    dated = sorted(series.points, key=lambda p: (p[0] is not None, p[0] or 0))
    return dataclasses.replace(series, points=dated[-CHART_POINTS:])


def secured(response: Response) -> Response:
    """The response with the security headers every response carries."""
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def web_url(url: str | None) -> str | None:
    """`url` when it is an http(s) address; None for javascript:, data: and anything else,
    so that a page we read can never put a script behind one of our links."""
    if not url:
        return None
    scheme = url.strip().split(":", 1)[0].lower() if ":" in url else ""
    return url.strip() if scheme in ("http", "https") else None


def _story_places(store: Store, places: list, story: Story) -> list:
    """The places named in a story's posts, each counted once per post that names it."""
    posts = {pid for d in story.documents for pid in store.document_post_ids(d).values()}
    out = []
    for p in places:
        mine = [pid for pid in (p.posts or []) if pid in posts]
        if mine:
            out.append(dataclasses.replace(p, count=len(mine), posts=mine))
    return out


def find_story(stories: list[Story], key: str) -> Story | None:
    """A story by id, name or label."""
    key = key.strip().lower()
    for s in stories:
        if key in (str(s.id), (s.name or "").lower(), s.label.lower()):
            return s
    return None


def _briefing(store: Store, since, until, source, story: str | None):
    if story is None:
        return brief_store(store, since=since, until=until, source=source)
    found = find_story(refresh_stories(store), story)
    return brief_story(store, found) if found else brief_store(store, since=since, until=until)


def _views(store: Store, in_process: bool) -> tuple[dict[str, RefreshingView], Executor]:
    """The views served from cache and recomputed in the background (serve/cache.py). One
    worker computes them all, one at a time: for a database file a separate process (so that
    a recomputation never holds this server's interpreter lock), for ":memory:" a thread."""
    if not in_process or store.path == ":memory:":
        worker: Executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="views")

        def compute(name: str):
            return partial(compute_view, name, store=store)
    else:
        # The worker runs at a lower priority: requests come first for the CPU.
        worker = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=os.nice,
            initargs=(10,),
        )

        def compute(name: str):
            return partial(compute_view, name, db=str(store.path))

    def view(name: str, max_keys: int = 32, version=store.latest_change_id) -> RefreshingView:
        interval = VIEW_MIN_INTERVAL_S.get(name, 0.0)
        return RefreshingView(
            compute(name), version, max_keys=max_keys, worker=worker, min_interval=interval
        )

    views = {
        "briefing": view("briefing"),
        "stories": view("stories", 1),
        # The analysis is stale when anything it depends on changes (enrichment too), not
        # only the posts: its version is the store's analysis key.
        "analysis": view("analysis", 2, version=lambda: analysis_key(store)),
        "actors": view("actors", 1),
        "places": view("places", 1),
        "sources": view("sources", 1),
    }
    return views, worker


def _stop_worker(worker: Executor) -> None:
    """Stop the views worker now: a process in the middle of an analysis is terminated, not
    left to finish it after the server is gone."""
    processes = list(getattr(worker, "_processes", {}).values())  # ProcessPoolExecutor's own
    worker.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()


_WORKER_STORE: dict[str, Store] = {}


def compute_view(name: str, key, *, db: str | None = None, store: Store | None = None):
    """One view of the record (run in the views worker; module-level so it can be pickled)."""
    if store is None:
        store = _WORKER_STORE.get(db)
        if store is None:
            store = _WORKER_STORE[db] = open_store(db)
    if name == "briefing":
        return _briefing(store, *key)
    if name == "stories":
        return refresh_stories(store)
    if name == "analysis":
        return analyse_store(store, hourly=bool(key))
    if name == "actors":
        return store.actors_summary()
    if name == "places":
        return store.places()
    return store.documents()


def _post_enrichment(store: Store, post: StoredPost) -> PostEnrichment | None:
    return store.enrichment_for_version(post.version_id, post.key)
