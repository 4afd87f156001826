"""Analysis: claims, who asserts and who denies them, events and escalation indicators.

`analyse_documents` works on documents and their enrichment (for eval and tests);
`analyse_store` runs it over the record. Every output item cites the posts it comes from.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sitroom.analyse.catalogue import load_catalogue
from sitroom.analyse.claims import add_propositions, extract_claims
from sitroom.analyse.matching import GROUP_COSINE, compare, embed, lexical
from sitroom.analyse.records import (
    Analysis,
    Claim,
    Dispute,
    Event,
    IndicatorPoint,
    QuantitySeries,
    Side,
)
from sitroom.records import Document, PostEnrichment
from sitroom.store import Store

__all__ = ["Analysis", "analyse_documents", "analyse_store"]

POSITIVE = {"asserted", "announced", "observed", "predicted"}
GROUP_GAP = timedelta(days=3)


def _sides(claims: list[Claim]) -> tuple[list[Side], list[Side]]:
    by_actor: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.actor and c.modality not in ("hypothetical", "questioned"):
            by_actor[c.actor].append(c)
    asserts, denies = [], []
    for actor, said in by_actor.items():
        neg = [c for c in said if c.negated]
        pos = [c for c in said if not c.negated and c.modality in POSITIVE]
        # An actor stands where most of what they said on this proposition stands.
        chosen, side = (neg, denies) if len(neg) > len(pos) else (pos, asserts)
        if not chosen:
            continue
        times = [c.time for c in chosen if c.time]
        side.append(
            Side(
                actor,
                [c.id for c in chosen],
                sorted({c.post_id for c in chosen}),
                min(times, default=None),
                max(times, default=None),
            )
        )
    return asserts, denies


def _groups(claims: list[Claim]) -> list[list[Claim]]:
    """Claims about the same proposition: one group per catalogue signal; claims that speak
    of no signal join each other by embedding similarity and shared words."""
    groups: dict[str, list[Claim]] = defaultdict(list)
    loose = []
    for c in claims:
        if c.signals:
            groups[c.signals[0]].append(c)
        elif c.actor:
            loose.append(c)
    if loose:
        vectors = embed([c.text for c in loose])
        sims = vectors @ vectors.T
        parent = list(range(len(loose)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i in range(len(loose)):
            for j in range(i + 1, len(loose)):
                if sims[i, j] >= GROUP_COSINE and lexical(loose[i].text, loose[j].text) >= 0.15:
                    parent[find(i)] = find(j)
        for i, c in enumerate(loose):
            groups[f"loose-{find(i)}"].append(c)
    # A proposition belongs to its moment: claims days apart about "talks" are about
    # different talks. Split each group where its claims are more than GAP apart.
    split: list[list[Claim]] = []
    for group in groups.values():
        timed = sorted((c for c in group if c.time), key=lambda c: c.time)
        current: list[Claim] = [c for c in group if not c.time]
        for c in timed:
            if current and current[-1].time and c.time - current[-1].time > GROUP_GAP:
                split.append(current)
                current = []
            current.append(c)
        if current:
            split.append(current)
    return split


def find_disputes(claims: list[Claim]) -> list[Dispute]:
    catalogue = {ind.id: ind for ind in load_catalogue()}
    disputes = []
    for group in _groups(claims):
        asserts, denies = _sides(group)
        if not asserts or not denies:
            continue
        signal = group[0].signals[0] if group[0].signals else None
        stated = [c for c in group if not c.negated and c.actor]
        example = min(stated or group, key=lambda c: len(c.text)).text
        topic = f"{catalogue[signal].label}: {example}" if signal else example
        times = [c.time for c in group if c.time]
        disputes.append(
            Dispute(
                topic, signal, asserts, denies, min(times, default=None), max(times, default=None)
            )
        )
    # Most contested first: a dispute is as strong as its smaller side.
    disputes.sort(
        key=lambda d: (-min(len(d.asserts), len(d.denies)), -(len(d.asserts) + len(d.denies)))
    )
    return disputes


def find_events(claims: list[Claim], places_by_post: dict[str, str]) -> list[Event]:
    catalogue = {ind.id: ind for ind in load_catalogue()}
    events = []
    for c in claims:
        for sid in c.signals:
            ind = catalogue[sid]
            counts = not c.negated and c.modality not in ("hypothetical", "questioned")
            events.append(
                Event(
                    indicator=sid,
                    category=ind.plover,
                    weight=ind.weight if counts else 0.0,
                    actor=c.actor,
                    time=c.time,
                    place=places_by_post.get(c.post_id),
                    modality=c.modality,
                    text=c.text,
                    post_id=c.post_id,
                    source=c.source,
                    target=c.object if c.actor else c.object or None,
                )
            )
    return events


def indicator_index(events: list[Event], hourly: bool = False) -> list[IndicatorPoint]:
    """The index per day (or hour): the sum of the weights of the signals seen, each signal
    counted once per post so a long post does not outweigh the news."""
    buckets: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    members: dict[str, list[int]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for n, e in enumerate(events):
        if e.time is None:
            continue
        bucket = e.time.strftime("%Y-%m-%dT%H") if hourly else e.time.strftime("%Y-%m-%d")
        members[bucket].append(n)
        if (e.post_id, e.indicator) in seen or e.weight == 0:
            continue
        seen.add((e.post_id, e.indicator))
        buckets[bucket][e.indicator] += e.weight
    return [
        IndicatorPoint(
            bucket=b,
            index=round(sum(buckets[b].values()), 2),
            contributions=dict(buckets[b]),
            events=members[b],
        )
        for b in sorted(members)
    ]


def quantity_series(
    items: list[tuple[Document, dict[str, PostEnrichment]]],
    post_ids: list[dict[str, str]] | None = None,
) -> list[QuantitySeries]:
    """Figures for the same quantity over time (same unit, counted noun and magnitude)."""
    groups: dict[tuple[str, str, int], list] = defaultdict(list)
    for n, (doc, enrichment) in enumerate(items):
        ids = post_ids[n] if post_ids else {}
        for post in doc.posts:
            result = enrichment.get(post.key)
            if result is None or post.kind == "summary":
                continue
            for f in result.figures:
                if f.unit in ("percent", "years", "fraction", "times", "count") or f.value < 10:
                    continue
                head = (f.counted or f.unit).lower().split()[0]
                groups[(f.unit, head, round(math.log10(f.value)))].append(
                    (post.published, f.value, f.text, ids.get(post.key, post.key), doc.source)
                )
    undated = datetime.min.replace(tzinfo=UTC)
    series = [
        QuantitySeries(unit, head, sorted(points, key=lambda p: p[0] or undated))
        for (unit, head, _), points in groups.items()
        if len({p[3] for p in points}) >= 2
    ]
    series.sort(key=lambda s: -len(s.points))
    return series


def analyse_documents(
    items: list[tuple[Document, dict[str, PostEnrichment]]],
    post_ids: list[dict[str, str]] | None = None,
    hourly: bool = False,
) -> Analysis:
    claims: list[Claim] = []
    places_by_post: dict[str, str] = {}
    for n, (doc, enrichment) in enumerate(items):
        ids = post_ids[n] if post_ids else None
        claims += extract_claims(doc, enrichment, ids)
        for key, result in enrichment.items():
            if result.places:
                places_by_post[(ids or {}).get(key, key)] = result.places[0].canonical
    add_propositions(claims)
    disputes = find_disputes(claims)
    by_id = {c.id: c for c in claims}
    links = []
    for d in disputes:
        for a_side in d.asserts:
            for d_side in d.denies:
                a, b = by_id[a_side.claims[0]], by_id[d_side.claims[0]]
                links.append(compare(a, b, 1.0 if set(a.signals) & set(b.signals) else 0.0))
    events = find_events(claims, places_by_post)
    return Analysis(
        claims=claims,
        links=links,
        disputes=disputes,
        events=events,
        indicators=indicator_index(events, hourly=hourly),
        quantities=quantity_series(items, post_ids),
    )


def analyse_store(store: Store, hourly: bool = False, since: datetime | None = None) -> Analysis:
    """The analysis of the whole record. It is saved in the store's analysis tables and
    reused while the record has not changed."""
    change = store.latest_change_id()
    if since is None and not hourly:
        saved = store.saved_analysis(change)
        if saved is not None:
            return saved
    items, ids = [], []
    for d in store.documents():
        doc = store.document_record(d.id)
        if since is not None:
            doc.posts = [p for p in doc.posts if p.published is None or p.published >= since]
        items.append((doc, store.enrichment_for_document(d.id)))
        ids.append(store.document_post_ids(d.id))
    analysis = analyse_documents(items, ids, hourly=hourly)
    if since is None and not hourly:
        store.save_analysis(analysis, change)
    return analysis
