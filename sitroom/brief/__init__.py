"""The live briefing: summary bullets, a timeline, key quotes and changing figures, every line
citing its posts. Extractive only: each line is a post's own words.

`brief_posts` does the work on plain inputs; `brief_document` briefs one page read from disk
(used by `sitroom eval`); `brief_store` briefs a time window of the record.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sitroom.analyse.quantities import FigureAt, quantity_series
from sitroom.brief.model import ActorQuotes, Briefing, BriefLine, FigureChange
from sitroom.brief.render import render_briefing
from sitroom.brief.select import Candidate, candidates_of_post, select
from sitroom.records import Document, Figure, PostEnrichment, Quote
from sitroom.store import PostQuery, Store

__all__ = [
    "BriefInput",
    "Briefing",
    "BriefLine",
    "brief_document",
    "brief_posts",
    "brief_store",
    "render_briefing",
]


@dataclass
class BriefInput:
    post_id: str
    title: str | None
    body: str
    published: datetime | None
    labels: list[str] = field(default_factory=list)
    source: str | None = None
    time_inferred: bool = False  # the year or date of `published` was not on the page
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


def bullet_count(n_posts: int) -> int:
    """3 to 8 bullets, more for busier windows."""
    return max(3, min(8, 2 + n_posts // 5))


def brief_posts(
    posts: Sequence[BriefInput],
    *,
    n_bullets: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    timeline_size: int = 12,
) -> Briefing:
    posts = [p for p in posts if p.body.strip() or p.title]
    timed = sorted((p for p in posts if p.published), key=lambda p: p.published)
    newest = timed[-1].published if timed else None
    oldest = timed[0].published if timed else None
    candidates: list[Candidate] = []
    for p in posts:
        candidates.extend(candidates_of_post(p.post_id, p.body, p.published))
    picked = select(candidates, n_bullets or bullet_count(len(posts)), newest=newest, oldest=oldest)
    by_id = {p.post_id: p for p in posts}
    bullets = [
        BriefLine(
            text=c.text,
            citations=[c.post_id, *c.also_in],
            time=c.published,
            source=by_id[c.post_id].source,
            time_inferred=by_id[c.post_id].time_inferred,
        )
        for c in picked
    ]
    return Briefing(
        since=since or oldest,
        until=until or newest,
        posts=len(posts),
        sources=sorted({p.source for p in posts if p.source}),
        bullets=bullets,
        timeline=_timeline(posts, candidates, timeline_size),
        key_quotes=_key_quotes(posts),
        figures_changed=_figures_changed(posts),
        times_inferred=sum(1 for p in posts if p.time_inferred),
    )


_UNINFORMATIVE_TITLE_RE = re.compile(
    r"^(thanks for (joining|following)|welcome|what (has happened|we know)|(a )?recap|"
    r"catch up|summary|in pictures|watch)\b",
    re.IGNORECASE,
)


def _timeline(
    posts: Sequence[BriefInput], candidates: list[Candidate], size: int
) -> list[BriefLine]:
    """Key developments in time order: each post's own title (its one-line headline), the
    Breaking ones always, the rest by how central their content is."""
    best_score: dict[str, float] = defaultdict(float)
    for c in candidates:
        best_score[c.post_id] = max(best_score[c.post_id], c.score)
    ranked = []
    for p in posts:
        if not p.title or p.published is None or _UNINFORMATIVE_TITLE_RE.search(p.title):
            continue
        breaking = any(label.lower() == "breaking" for label in p.labels)
        ranked.append((breaking, best_score.get(p.post_id, 0.0), p))
    ranked.sort(key=lambda t: (t[0], t[1]), reverse=True)
    keep = sorted((p for _, _, p in ranked[:size]), key=lambda p: p.published)
    return [
        BriefLine(
            text=p.title,
            citations=[p.post_id],
            time=p.published,
            source=p.source,
            time_inferred=p.time_inferred,
        )
        for p in keep
    ]


def _key_quotes(
    posts: Sequence[BriefInput], per_actor: int = 2, actors: int = 8
) -> list[ActorQuotes]:
    said: dict[str, list[tuple[Quote, BriefInput]]] = defaultdict(list)
    for p in posts:
        for q in p.quotes:
            if q.speaker and len(q.text.split()) >= 4:
                said[q.speaker].append((q, p))
    result = []
    for actor, items in sorted(said.items(), key=lambda kv: -len(kv[1]))[:actors]:
        # Direct words first, newest first: what the actor said most recently, verbatim.
        items.sort(
            key=lambda qp: (
                qp[0].kind != "direct",
                -(qp[1].published.timestamp() if qp[1].published else 0),
            )
        )
        seen: set[str] = set()
        lines = []
        for q, p in items:
            if q.text.lower() in seen:
                continue
            seen.add(q.text.lower())
            lines.append(
                BriefLine(
                    text=q.text,
                    citations=[p.post_id],
                    time=p.published,
                    source=p.source,
                    time_inferred=p.time_inferred,
                )
            )
            if len(lines) == per_actor:
                break
        result.append(ActorQuotes(actor=actor, quotes=lines, total=len(items)))
    return result


def _figures_changed(posts: Sequence[BriefInput]) -> list[FigureChange]:
    """Quantities stated with different values over the window: one measured thing each
    (sitroom.analyse.quantities: unit + what is counted + where/whose)."""
    items = [
        FigureAt(
            f, p.published, p.post_id, p.source or "", p.title if f.field == "title" else p.body
        )
        for p in posts
        for f in p.figures
    ]
    inferred = {p.post_id: p.time_inferred for p in posts}
    changes = []
    for series in quantity_series(items):
        if len({round(v) for _, v, *_ in series.points}) < 2:
            continue
        changes.append(
            FigureChange(
                unit=series.unit,
                counted=series.counted,
                points=[
                    BriefLine(
                        text=text,
                        citations=[pid],
                        time=t,
                        source=src,
                        time_inferred=inferred.get(pid, False),
                    )
                    for t, _, text, pid, src in series.points
                ],
                values=[v for _, v, *_ in series.points],
            )
        )
    return changes[:6]


def brief_document(
    doc: Document,
    enrichment: dict[str, PostEnrichment] | None = None,
    *,
    n_bullets: int | None = None,
) -> Briefing:
    """Brief one page on its own. Its Summary block is not used as input (it is the page's
    own briefing). Citations are post keys."""
    enrichment = enrichment or {}
    inputs = [
        BriefInput(
            post_id=p.key,
            title=p.title,
            body=p.body,
            published=p.published,
            labels=p.labels,
            source=doc.source,
            quotes=enrichment[p.key].quotes if p.key in enrichment else [],
            figures=enrichment[p.key].figures if p.key in enrichment else [],
        )
        for p in doc.posts
        if p.kind != "summary"
    ]
    return brief_posts(inputs, n_bullets=n_bullets)


def brief_store(
    store: Store,
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
    *,
    hours: float = 24,
) -> Briefing:
    """Brief a window of the record: by default the 24 hours up to its newest post (the
    record's time, not the wall clock, so an archive briefs the way it did live)."""
    if since is None:
        end = until
        if end is None:
            newest = store.posts(PostQuery(source=source, order="-time", limit=1))
            end = newest[0].published if newest and newest[0].published else None
        since = end - timedelta(hours=hours) if end else None
    stored = store.posts(PostQuery(since=since, until=until, source=source))
    quotes = defaultdict(list)
    figures = defaultdict(list)
    for sq in store.quotes(since=since, until=until, source=source):
        quotes[sq.post_id].append(sq.quote)
    for sf in store.figures(since=since, source=source):
        figures[sf.post_id].append(sf.figure)
    inputs = [
        BriefInput(
            post_id=p.id,
            title=p.title,
            body=p.body,
            published=p.published,
            labels=p.labels,
            source=p.outlet or p.source,
            time_inferred=p.time_inferred,
            quotes=quotes.get(p.id, []),
            figures=figures.get(p.id, []),
        )
        for p in stored
        if p.vanished_at is None
    ]
    return brief_posts(inputs, since=since, until=until)
