"""The web view of the record: briefing, merged timeline, actors, quotes, figures, map.

Every page is rendered on the server with Jinja2 autoescaping, and the one script the pages
load (static/app.js) writes page text with textContent only; the Content-Security-Policy
forbids inline scripts and any request outside the app. So text from a page we ingested is
always shown, never run. New posts arrive by server-sent events from /api/stream.

The routes live in routers: pages.py (HTML), api.py (JSON), stream.py (SSE),
analysis_routes.py (disputes, indicators), static.py (files); what they share is the
`Site` in web.py. Views of the whole record are computed in the background (views.py,
cache.py) and responses are cached under what they were made from (responses.py).
"""

from __future__ import annotations

import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
import uvicorn
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

from sitroom.serve import analysis_routes, api, pages, static, stream
from sitroom.serve.settings import settings
from sitroom.serve.views import make_views, stop_worker
from sitroom.serve.web import Site, secured, web_url
from sitroom.store import Store, open_store

__all__ = ["create_app", "run", "secured", "web_url"]


def create_app(
    store: Store | None = None, db: str | Path | None = None, *, views_process: bool = False
) -> FastAPI:
    """The web app over a store (or over the database file `db`). With `views_process`
    (what `sitroom serve` uses), the briefing and analysis are recomputed in a worker
    process, so that the server's requests never wait on the interpreter lock for them."""
    if store is None:
        store = open_store(db)
    store.readers()  # a read connection per worker thread: requests never share one
    config = settings()
    views, worker = make_views(store, views_process)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Requests run in a few threads: one process holds the interpreter lock anyway.
        anyio.to_thread.current_default_thread_limiter().total_tokens = config.request_threads
        try:
            yield
        finally:
            stop_worker(worker)

    app = FastAPI(
        title="sitroom",
        description="The situation record as JSON: posts, briefing, actors, quotes, figures, places.",
        version="0.1.0",
        docs_url=None,  # the stock docs page loads its assets from a CDN; /docs is our own
        redoc_url=None,
        lifespan=lifespan,
    )
    site = Site(store, views, config)
    app.state.store = store
    app.state.site = site
    app.state.views = views
    app.state.templates = site.templates
    app.state.page = site.render
    app.state.analysis_view = views["analysis"]
    _handlers(app, site)
    for module in (static, pages, api, stream, analysis_routes):
        app.include_router(module.router)
    site.analysis_pages = True
    return app


def run(db: str, host: str, port: int) -> None:
    """Serve the record `db` on host:port until stopped (what `sitroom serve` runs)."""
    with open_store(db) as store:
        app = create_app(store, views_process=True)
        uvicorn.run(app, host=host, port=port, log_level="warning")


def _handlers(app: FastAPI, site: Site) -> None:
    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        started = time.perf_counter()
        response = secured(await call_next(request))
        # How long the app took (the load bench reads it beside what its clients waited).
        response.headers["Server-Timing"] = f"app;dur={1000 * (time.perf_counter() - started):.1f}"
        return response

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        # Runs outside the middleware above (Starlette's outermost layer): the headers are
        # set here too, so an error page is as locked down as any other.
        return secured(JSONResponse({"detail": "internal error"}, status_code=500))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if request.url.path.startswith(("/api/", "/fragments/")):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return site.render(
            request,
            "error.html",
            status_code=exc.status_code,
            status=exc.status_code,
            message=_detail_text(exc.detail),
        )


def _detail_text(detail: Any) -> str:
    if isinstance(detail, list):
        return "; ".join(str(d.get("msg", d)) if isinstance(d, dict) else str(d) for d in detail)
    return str(detail)
