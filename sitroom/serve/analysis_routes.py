"""Web views of the analysis: a disputes board and the escalation indicators chart, with the
JSON behind them. The analysis is recomputed in the background when the record has changed
(serve/views.py), and what is made from it is cached under its generation."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from sitroom.records import Analysis, Dispute, Side
from sitroom.serve.charts import index_chart
from sitroom.serve.paging import MAX_PAGE, paged, paged_list
from sitroom.serve.settings import settings
from sitroom.serve.web import PageOf, latest_points, site_of
from sitroom.util.jsonable import to_jsonable

router = APIRouter()


@dataclass
class ClaimsPage(PageOf):
    actor: str | None = Query(None, description="part of the speaker's name")
    modality: str | None = None


@dataclass
class DisputesPage(PageOf):
    limit: int = Query(settings().pages.disputes_per_page, ge=1, le=MAX_PAGE)


@dataclass
class SidePart(PageOf):
    """One list of one side of a dispute, paged: `part` (claims, posts or stances) of what
    `actor` on the side that `side` names cites."""

    side: Literal["asserts", "denies"] | None = None
    actor: str | None = None
    part: Literal["claims", "posts", "stances"] = "claims"


SIDES = ("asserts", "denies")
PARTS = ("claims", "posts", "stances")  # what a side cites: the lists that grow with a record


def current_analysis(request: Request, hourly: bool = False) -> Analysis:
    """The analysis from the background-refreshed view (serve/views.py); with `hourly`,
    its indicators are the hourly points (it holds both: one copy serves either)."""
    analysis = site_of(request).views["analysis"].get()
    return dataclasses.replace(analysis, indicators=analysis.hourly) if hourly else analysis


def _analysis_depends(request: Request, hourly: bool = False, pages: bool = False) -> tuple:
    """What a response made from the analysis is keyed on: its generation (and, for a page
    with links to actors, the enrichment that decides which actors have a page)."""
    site = site_of(request)
    return (site.stamps("analysis"), hourly, site.enrichment() if pages else None)


@router.get("/disputes", response_class=HTMLResponse, include_in_schema=False)
def disputes_page(request: Request):
    def context() -> dict[str, Any]:
        analysis = current_analysis(request)
        return {"disputes": analysis.disputes, "claims": {c.id: c for c in analysis.claims}}

    site = site_of(request)
    depends = _analysis_depends(request, pages=True)
    return site.page(request, depends, "disputes.html", context)


@router.get("/indicators", response_class=HTMLResponse, include_in_schema=False)
def indicators_page(request: Request, bucket: str | None = None, hourly: bool = False):
    site = site_of(request)

    def context() -> dict[str, Any]:
        analysis = current_analysis(request, hourly)
        points = analysis.indicators
        point = next((p for p in points if p.bucket == bucket), None) if bucket else None
        if bucket and point is None:
            raise HTTPException(404, f"no {'hour' if hourly else 'day'} {bucket} in the index")
        shown = site.config.pages.indicator_quantity_points
        # a record spanning years has thousands of buckets: the page charts the newest ones
        # (the API pages through all of them); a chosen older bucket is still found above
        newest = points[-site.config.pages.indicator_points :]
        return {
            "points": newest,
            "all_points": len(points),
            "chart": index_chart(newest, hourly),
            "point": point,
            "events": [analysis.events[n] for n in point.events] if point else [],
            "catalogue": site.views["catalogue"].get(),
            "hourly": hourly,
            "quantities": [latest_points(q, shown) for q in analysis.quantities[:4]],
        }

    depends = _analysis_depends(request, hourly)
    return site.page(request, depends, "indicators.html", context)


@router.get("/api/claims", summary="Claims with modality, actor and the post they come from")
def api_claims(request: Request, page: Annotated[ClaimsPage, Depends()]):
    def build():
        claims = current_analysis(request).claims
        if page.actor:
            actor = page.actor.lower()
            claims = [c for c in claims if c.actor and actor in c.actor.lower()]
        if page.modality:
            claims = [c for c in claims if c.modality == page.modality]
        return paged_list(request, claims, page.limit, page.cursor)

    return site_of(request).json(request, _analysis_depends(request), build)


@router.get(
    "/api/disputes",
    summary="Who asserts and who denies, with cited claims and posts (paged; each side "
    "cites its first few, with the totals and a `more` link to the rest)",
)
def api_disputes(request: Request, page: Annotated[DisputesPage, Depends()]):
    def build():
        disputes = current_analysis(request).disputes
        shown = disputes[page.offset : page.offset + page.limit]
        items = [_dispute_json(request, page.offset + n, d) for n, d in enumerate(shown)]
        return paged(request, items, page.offset, page.limit, total=len(disputes))

    return site_of(request).json(request, _analysis_depends(request), build)


@router.get(
    "/api/disputes/{dispute_id}",
    summary="One dispute (its `id` in /api/disputes); with `side` and `actor`, what that "
    "actor's side cites (`part`: claims, posts or stances), paged",
)
def api_dispute(request: Request, dispute_id: int, chosen: Annotated[SidePart, Depends()]):
    def build():
        disputes = current_analysis(request).disputes
        if not 0 <= dispute_id < len(disputes):
            raise HTTPException(404, f"no dispute {dispute_id}")
        dispute = disputes[dispute_id]
        if chosen.side is None:
            return _dispute_json(request, dispute_id, dispute)
        side = next((s for s in getattr(dispute, chosen.side) if s.actor == chosen.actor), None)
        if side is None:
            raise HTTPException(404, f"no {chosen.actor} among who {chosen.side}")
        return paged_list(request, getattr(side, chosen.part), chosen.limit, chosen.cursor)

    return site_of(request).json(request, _analysis_depends(request), build)


def _dispute_json(request: Request, dispute_id: int, dispute: Dispute) -> dict[str, Any]:
    """A dispute as JSON with each side's cited claims, posts and stances cut to the first
    few (`dispute_side_items`), their totals, and links to the rest (`more`)."""
    n = settings().pages.dispute_side_items
    cut = {name: [_cut_side(s, n) for s in getattr(dispute, name)] for name in SIDES}
    out = to_jsonable(dataclasses.replace(dispute, related=dispute.related[:n], **cut))
    out["id"] = dispute_id
    out["related_total"] = len(dispute.related)
    url = request.url_for("api_dispute", dispute_id=str(dispute_id))
    for name in SIDES:
        for side_out, side in zip(out[name], getattr(dispute, name), strict=True):
            side_out["more"] = {}
            for part in PARTS:
                total = side_out[f"{part}_total"] = len(getattr(side, part))
                if total > n:
                    more = {"side": name, "actor": side.actor, "part": part, "cursor": str(n)}
                    side_out["more"][part] = str(url.include_query_params(**more))
    return out


def _cut_side(side: Side, n: int) -> Side:
    return dataclasses.replace(
        side, claims=side.claims[:n], posts=side.posts[:n], stances=side.stances[:n]
    )


@router.get("/api/indicators", summary="Escalation index per day (or hour) with contributions")
def api_indicators(request: Request, page: Annotated[PageOf, Depends()], hourly: bool = False):
    """Oldest first, paged like every list (`limit`, `cursor`, `X-Total-Count`)."""
    build = lambda: paged_list(  # noqa: E731
        request, current_analysis(request, hourly).indicators, page.limit, page.cursor
    )
    return site_of(request).json(request, _analysis_depends(request, hourly), build)


@router.get(
    "/api/indicators/{bucket}", summary="The events and posts behind one point of the index"
)
def api_indicator_point(request: Request, bucket: str, hourly: bool = False):
    def build():
        analysis = current_analysis(request, hourly)
        point = next((p for p in analysis.indicators if p.bucket == bucket), None)
        if point is None:
            raise HTTPException(404, f"no point {bucket}")
        return {"point": point, "events": [analysis.events[n] for n in point.events]}

    return site_of(request).json(request, _analysis_depends(request, hourly), build)
