"""The live briefing: summary bullets, a timeline, key quotes and changing figures, every line
citing its posts. Extractive only: each line is a post's own words.

`brief_posts` does the work on plain inputs; `brief_document` briefs one page read from disk
(used by `sitroom eval`); `brief_store` briefs a time window of the record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sitroom.analyse.quantities import FigureAt, quantity_series
from sitroom.brief.render import render_briefing
from sitroom.brief.select import (
    Candidate,
    PostView,
    is_breaking,
    is_meta_title,
    is_recap_post,
    is_routine_title,
    load_config,
    select,
)
from sitroom.records import (
    ActorQuotes,
    Briefing,
    BriefLine,
    Document,
    Figure,
    FigureChange,
    Post,
    PostEnrichment,
    Quote,
    StoredPost,
    Story,
)
from sitroom.store import PostQuery, Store

__all__ = [
    "BriefInput",
    "Briefing",
    "BriefLine",
    "brief_document",
    "brief_posts",
    "brief_store",
    "brief_story",
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

    def cite(self, text: str, also: Sequence[str] = ()) -> BriefLine:
        """A line of the briefing saying `text`, citing this post (and `also` others)."""
        return BriefLine(
            text=text,
            citations=[self.post_id, *also],
            time=self.published,
            source=self.source,
            time_inferred=self.time_inferred,
        )


def bullet_count(n_posts: int) -> int:
    """3 to 6 bullets, more for busier stories."""
    return max(3, min(6, 2 + n_posts // 8))


def _views(posts: Sequence[BriefInput]) -> list[PostView]:
    return [
        PostView(
            post_id=p.post_id,
            title=p.title,
            body=p.body,
            published=p.published,
            breaking=is_breaking(p.labels, p.title),
            recap=is_recap_post(p.title, p.body),
            routine=is_routine_title(p.title),
        )
        for p in posts
    ]


def date_line(posts: Sequence[BriefInput]) -> str | None:
    """ "Updates for Wednesday 17 August 2016", or the span of days the posts cover."""
    days = sorted({p.published.date() for p in posts if p.published})
    if not days:
        return None
    first, last = days[0], days[-1]
    if first == last:
        return f"Updates for {last:%A} {last.day} {last:%B %Y}"
    return f"Updates from {first:%A} {first.day} {first:%B %Y} to {last:%A} {last.day} {last:%B %Y}"


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
    views = _views(posts)
    picked, candidates = select(views, n_bullets or bullet_count(len(posts)))
    by_id = {p.post_id: p for p in posts}
    bullets = [by_id[c.post_id].cite(c.text, c.also_in) for c in picked]
    return Briefing(
        since=since or oldest,
        until=until or newest,
        posts=len(posts),
        sources=sorted({p.source for p in posts if p.source}),
        bullets=bullets,
        timeline=_timeline(views, posts, candidates, timeline_size),
        key_quotes=_key_quotes(posts),
        figures_changed=_figures_changed(posts),
        date_line=date_line(posts),
        times_inferred=sum(1 for p in posts if p.time_inferred),
    )


def _timeline(
    views: Sequence[PostView],
    posts: Sequence[BriefInput],
    candidates: list[Candidate],
    size: int,
) -> list[BriefLine]:
    """Key developments in time order: each post's own title (its one-line headline), the
    Breaking ones always, the rest by how important their content is."""
    best_score: dict[str, float] = defaultdict(float)
    for c in candidates:
        best_score[c.post_id] = max(best_score[c.post_id], c.score)
    ranked = []
    for view, p in zip(views, posts, strict=True):
        if not p.title or p.published is None or is_meta_title(p.title) or view.recap:
            continue
        ranked.append((view.breaking, best_score.get(p.post_id, 0.0), p))
    ranked.sort(key=lambda t: (t[0], t[1]), reverse=True)
    keep = sorted((p for _, _, p in ranked[:size]), key=lambda p: p.published)
    return [p.cite(p.title) for p in keep if p.title]


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
            lines.append(p.cite(q.text))
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
        _input(p, p.key, doc.source, enrichment.get(p.key) or PostEnrichment(p.key), inferred=False)
        for p in doc.posts
        if p.kind != "summary"
    ]
    return brief_posts(inputs, n_bullets=n_bullets)


def _window_cap() -> int:
    return int(load_config().limits["window_posts"])


def _inputs_of(
    store: Store, stored: Sequence[StoredPost], since: datetime | None, until: datetime | None
) -> list[BriefInput]:
    """Briefing inputs for stored posts, with the quotes and figures found in them."""
    found = {p.id: PostEnrichment(post_key=p.id) for p in stored}
    for sq in store.quotes(since=since, until=until):
        if sq.post_id in found:
            found[sq.post_id].quotes.append(sq.quote)
    for sf in store.figures(since=since):
        if sf.post_id in found:
            found[sf.post_id].figures.append(sf.figure)
    return [
        _input(p, p.id, p.outlet or p.source, found[p.id], inferred=p.time_inferred)
        for p in stored
        if p.vanished_at is None
    ]


def _input(
    post: Post, post_id: str, source: str | None, found: PostEnrichment, *, inferred: bool
) -> BriefInput:
    """A post as the briefing takes it, with the quotes and figures found in it."""
    return BriefInput(
        post_id=post_id,
        title=post.title,
        body=post.body,
        published=post.published,
        labels=post.labels,
        source=source,
        time_inferred=inferred,
        quotes=found.quotes,
        figures=found.figures,
    )


def brief_store(
    store: Store,
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
    *,
    hours: float = 24,
) -> Briefing:
    """Brief a window of the record, whatever story its posts belong to: by default the 24
    hours up to its newest post (the record's time, not the wall clock, so an archive briefs
    the way it did live). At most `window_posts` (briefing.yaml), the newest, are read."""
    if since is None:
        end = until
        if end is None:
            newest = store.posts(PostQuery(source=source, order="-time", limit=1))
            end = newest[0].published if newest and newest[0].published else None
        since = end - timedelta(hours=hours) if end else None
    stored = store.posts(
        PostQuery(since=since, until=until, source=source, order="-time", limit=_window_cap())
    )
    stored.reverse()
    return brief_posts(_inputs_of(store, stored, since, until), since=since, until=until)


def story_posts(store: Store, story: Story, cap: int | None = None) -> list[StoredPost]:
    """The newest `cap` posts of a story's documents, oldest first."""
    cap = cap or _window_cap()
    members = set(story.documents)
    found: dict[str, StoredPost] = {}
    for source in story.sources:
        for p in store.posts(PostQuery(source=source, order="-time", limit=cap)):
            if p.document_id in members:
                found[p.id] = p
    timed = sorted(
        found.values(), key=lambda p: (p.published is not None, p.published), reverse=True
    )
    return list(reversed(timed[:cap]))


def brief_story(store: Store, story: Story) -> Briefing:
    """Brief one story over all its sources (at most `window_posts`, the newest)."""
    stored = story_posts(store, story)
    times = [p.published for p in stored if p.published]
    since, until = (min(times), max(times)) if times else (None, None)
    briefing = brief_posts(_inputs_of(store, stored, since, None), since=since, until=until)
    briefing.story = story.title
    briefing.story_id = story.id
    return briefing
