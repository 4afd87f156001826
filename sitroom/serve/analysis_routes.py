"""Web views of the analysis: a disputes board and the escalation indicators chart, with the
JSON behind them. The analysis is recomputed only when the record has changed."""

from __future__ import annotations

import threading

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from sitroom.analyse import analyse_store, analysis_key
from sitroom.analyse.catalogue import load_catalogue
from sitroom.records import Analysis
from sitroom.serve.charts import index_chart
from sitroom.serve.paging import MAX_PAGE, paged_list
from sitroom.store import Store
from sitroom.util.jsonable import to_jsonable

router = APIRouter()
_lock = threading.Lock()


def current_analysis(request: Request, hourly: bool = False) -> Analysis:
    view = getattr(request.app.state, "analysis_view", None)
    if view is not None:  # serve/app.py's background-refreshed cache (serve/cache.py)
        return view.get(hourly)
    store: Store = request.app.state.store
    key = (analysis_key(store), hourly)
    with _lock:
        cached = getattr(request.app.state, "analysis_cache", None)
        if cached is None or cached[0] != key:
            cached = (key, analyse_store(store, hourly=hourly))
            request.app.state.analysis_cache = cached
    return cached[1]


def _chart(points, width: int = 900, height: int = 260, pad: int = 40) -> dict:
    if not points:
        return {"bars": [], "width": width, "height": height, "zero": height / 2}
    peak = max(abs(p.index) for p in points) or 1.0
    zero = height / 2
    step = (width - 2 * pad) / len(points)
    bars = []
    for n, p in enumerate(points):
        h = (height / 2 - pad / 2) * abs(p.index) / peak
        bars.append(
            {
                "x": pad + n * step + step * 0.15,
                "y": zero - h if p.index > 0 else zero,
                "w": step * 0.7,
                "h": max(h, 1.0),
                "up": p.index > 0,
                "label": p.bucket,
                "index": p.index,
                "lx": pad + n * step + step / 2,
            }
        )
    return {"bars": bars, "width": width, "height": height, "zero": zero, "peak": peak}


@router.get("/disputes", response_class=HTMLResponse, include_in_schema=False)
def disputes_page(request: Request):
    analysis = current_analysis(request)
    claims = {c.id: c for c in analysis.claims}
    return request.app.state.page(
        request, "disputes.html", disputes=analysis.disputes, claims=claims
    )


@router.get("/indicators", response_class=HTMLResponse, include_in_schema=False)
def indicators_page(request: Request, bucket: str | None = None, hourly: bool = False):
    analysis = current_analysis(request, hourly)
    point = next((p for p in analysis.indicators if p.bucket == bucket), None) if bucket else None
    if bucket and point is None:
        raise HTTPException(404, f"no {'hour' if hourly else 'day'} {bucket} in the index")
    events = [analysis.events[n] for n in point.events] if point else []
    return request.app.state.page(
        request,
        "indicators.html",
        points=analysis.indicators,
        chart=index_chart(analysis.indicators, hourly),
        point=point,
        events=events,
        catalogue=load_catalogue(),
        hourly=hourly,
        quantities=analysis.quantities[:4],
    )


@router.get("/api/claims", summary="Claims with modality, actor and the post they come from")
def api_claims(
    request: Request,
    actor: str | None = None,
    modality: str | None = None,
    limit: int = Query(500, ge=1, le=MAX_PAGE),
    cursor: str | None = None,
):
    claims = current_analysis(request).claims
    if actor:
        claims = [c for c in claims if c.actor and actor.lower() in c.actor.lower()]
    if modality:
        claims = [c for c in claims if c.modality == modality]
    return paged_list(request, claims, limit, cursor)


@router.get("/api/disputes", summary="Who asserts and who denies, with cited posts")
def api_disputes(request: Request):
    return to_jsonable(current_analysis(request).disputes)


@router.get("/api/indicators", summary="Escalation index per day (or hour) with contributions")
def api_indicators(request: Request, hourly: bool = False):
    return to_jsonable(current_analysis(request, hourly).indicators)


@router.get(
    "/api/indicators/{bucket}", summary="The events and posts behind one point of the index"
)
def api_indicator_point(request: Request, bucket: str, hourly: bool = False):
    analysis = current_analysis(request, hourly)
    point = next((p for p in analysis.indicators if p.bucket == bucket), None)
    if point is None:
        raise HTTPException(404, f"no point {bucket}")
    return {
        "point": to_jsonable(point),
        "events": to_jsonable([analysis.events[n] for n in point.events]),
    }
