"""What every route of the web app shares (`request.app.state.site`): the store, the views,
the templates, the response cache, and the helpers that turn parameters into queries and
records into pages and JSON."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from sitroom.records import StoredPost
from sitroom.serve.cache import RefreshingView
from sitroom.serve.charts import _get as _field
from sitroom.serve.charts import human_number
from sitroom.serve.paging import MAX_PAGE, cursor_offset
from sitroom.serve.responses import CHANGE_MARK, ResponseCache, respond
from sitroom.serve.settings import ServeSettings
from sitroom.serve.static import package_dir, static_url
from sitroom.store import Store
from sitroom.util.jsonable import to_jsonable
from sitroom.util.when import parse_when as _parse_when

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
NAV = [("/", "Briefing"), ("/actors", "Actors"), ("/quotes", "Quotes"), ("/figures", "Figures")]
NAV_MORE = [("/map", "Map")]
NAV_ANALYSIS = [("/disputes", "Disputes"), ("/indicators", "Indicators")]


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


def web_url(url: str | None) -> str | None:
    """`url` when it is an http(s) address; None for javascript:, data: and anything else,
    so that a page we read can never put a script behind one of our links."""
    if not url:
        return None
    scheme = url.strip().split(":", 1)[0].lower() if ":" in url else ""
    return url.strip() if scheme in ("http", "https") else None


def secured(response: Response) -> Response:
    """The response with the security headers every response carries."""
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def latest_points(series, points: int):
    """A quantity series with its newest `points` points: a chart of every figure a big
    record holds is megabytes of SVG that no one can read (the API has them all)."""
    if len(series.points) <= points:
        return series
    dated = sorted(series.points, key=lambda p: (p[0] is not None, p[0] or 0))
    return dataclasses.replace(series, points=dated[-points:])


# --- query parameters shared by several routes (FastAPI dependencies) ---------------------


@dataclass
class Window:
    """`since` and `until`, read as times (a 422 naming the parameter when one is not)."""

    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        self.start = when_param("since", self.since)
        self.end = when_param("until", self.until)


@dataclass
class PageOf:
    """`limit` and `cursor` of a paged list (see serve/paging.py)."""

    limit: int = Query(500, ge=1, le=MAX_PAGE)
    cursor: str | None = None

    def __post_init__(self) -> None:
        self.offset = cursor_offset(self.cursor)


class _Cards:
    """Rendered timeline posts, one per post version (a post's card changes only with a new
    version or when it vanishes), so a timeline of hundreds of posts is mostly joined."""

    def __init__(self, render: Callable[[StoredPost], str], keep: int) -> None:
        self._render, self._keep = render, keep
        self._made: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, post: StoredPost) -> Markup:
        key = (post.id, post.version_id, post.vanished_at, post.outlet, post.source)
        with self._lock:
            found = self._made.get(key)
        if found is None:
            found = Markup(self._render(post))
            with self._lock:
                self._made[key] = found
                while len(self._made) > self._keep:
                    self._made.popitem(last=False)
        return found


class Site:
    """The web app's shared state: store, views, templates and the response cache."""

    def __init__(self, store: Store, views: dict[str, RefreshingView], config: ServeSettings):
        self.store, self.views, self.config = store, views, config
        self.responses = ResponseCache(int(config.response_cache_mb * 1_000_000))
        self.analysis_pages = False
        self.stream_seen = (-1.0, 0)  # (when, change id): the live stream's last look
        self._actor_pages: dict[str, bool] = {}
        self._actors_at: Any = None
        self._actors_lock = threading.Lock()
        self.templates = self._templates()
        card = self.templates.get_template("_post.html")
        self.post_card = _Cards(lambda post: card.render(post=post), config.pages.post_cards)
        self.templates.env.globals["post_card"] = self.post_card

    def _templates(self) -> Jinja2Templates:
        templates = Jinja2Templates(directory=str(package_dir("templates")))
        filters = templates.env.filters
        filters["hm"] = lambda t: t.strftime("%H:%M") if t else "—"
        filters["day"] = lambda t: t.strftime("%a %d %b %Y") if t else "undated"
        filters["when"] = lambda t: t.strftime("%Y-%m-%d %H:%M UTC") if t else "—"
        filters["short"] = lambda s: (s or "")[:8]
        filters["f"] = lambda obj, name, default=None: _field(obj, name, default)
        filters["human"] = lambda value, unit=None: human_number(value, unit)
        filters["web_url"] = web_url
        templates.env.globals["actor_link"] = self.actor_link
        templates.env.globals["static_url"] = static_url
        return templates

    # --- what responses depend on --------------------------------------------------------

    def record(self) -> tuple[str, str]:
        """The record's (posts, enrichment) state: a response reading either is keyed on it."""
        return self.store.record_state()

    def enrichment(self) -> str:
        """The enrichment state alone (it changes with edits and vanishings too, not with a
        new post): for responses made from enrichment or from posts already there."""
        return self.store.record_state()[1]

    def stamps(self, *views: str | tuple[str, Hashable]) -> tuple:
        """The generations of the views (name, or (name, key)) a response is made from."""
        out = []
        for view in views:
            name, key = view if isinstance(view, tuple) else (view, None)
            out.append(self.views[name].stamp(key))
        return tuple(out)

    def has_actor_page(self, name: str) -> bool:
        """Whether /actors/NAME opens a page (kept until the enrichment changes)."""
        state = self.enrichment()
        with self._actors_lock:
            if self._actors_at != state:
                self._actor_pages, self._actors_at = {}, state
            known = self._actor_pages.get(name)
        if known is None:
            known = self.store.actor_name(name) is not None
            with self._actors_lock:
                self._actor_pages[name] = known
        return known

    def actor_link(self, name: str | None, cls: str = "") -> Markup:
        """A link to the actor's page where there is one; the plain name where there is not."""
        if not name:
            return Markup("<i>unattributed</i>")
        if self.has_actor_page(name):
            return Markup('<a class="{}" href="/actors/{}">{}</a>').format(
                cls, quote(name, safe=""), name
            )
        return Markup('<span class="{} no-page">{}</span>').format(cls, name)

    # --- responses -------------------------------------------------------------------------

    def render(
        self,
        request: Request,
        name: str,
        status_code: int = 200,
        change_id: int | str | None = None,
        **context: Any,
    ) -> HTMLResponse:
        """A page from its template, with the navigation and the record's change id."""
        nav = NAV + NAV_MORE + (NAV_ANALYSIS if self.analysis_pages else []) + [("/docs", "API")]
        return self.templates.TemplateResponse(
            request,
            name,
            {
                "nav": nav,
                "path": request.url.path,
                "change_id": self.store.latest_change_id() if change_id is None else change_id,
                **context,
            },
            status_code=status_code,
        )

    def page(
        self,
        request: Request,
        depends: tuple,
        name: str,
        context: Callable[[], dict[str, Any]],
        change_id: int | None = None,
    ) -> Response:
        """A page cached under `depends`. Its change id (where the live stream resumes) is
        `change_id`, read before the posts it shows, or else the record's when it is sent."""
        made = self.responses.get(
            ("page", request.url.path, request.url.query, depends),
            lambda: self.render(request, name, change_id=CHANGE_MARK, **context()),
        )
        return respond(
            request, made, self.store.latest_change_id() if change_id is None else change_id
        )

    def fragment(
        self, request: Request, depends: tuple, name: str, context: Callable[[], dict[str, Any]]
    ) -> Response:
        """A part of a page (no navigation), cached under `depends`."""
        made = self.responses.get(
            ("fragment", request.url.path, request.url.query, depends),
            lambda: self.templates.TemplateResponse(request, name, context()),
        )
        return respond(request, made)

    def json(self, request: Request, depends: tuple, build: Callable[[], Any]) -> Response:
        """JSON made by `build` (records, or a ready Response such as a paged list), cached
        under `depends` and serialised once."""

        def made() -> Response:
            value = build()
            if isinstance(value, Response):
                return value
            body = json.dumps(to_jsonable(value), ensure_ascii=False).encode("utf-8")
            return Response(body, media_type="application/json")

        key = ("json", request.url.path, request.url.query, depends)
        return respond(request, self.responses.get(key, made))


def site_of(request: Request) -> Site:
    return request.app.state.site
