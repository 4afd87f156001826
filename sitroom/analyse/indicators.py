"""Events and the escalation index.

A claim counts toward a signal only when it asserts or observes that signal's event (its
`kind` is "event"). A denial counts as a denial, a warning that the event may happen as a
warning, a report of someone's accusation as an accusation (catalogue entries of those kinds,
with their own weights); a condition, a demand or a question counts as nothing. A prediction
of de-escalation (talks "could" start) is no warning and counts as nothing either.

The index per day and per hour is derived from the same events: the sum of the weights of
the signals seen, each counted once per post so that a long post does not outweigh the news.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from functools import lru_cache

from sitroom.analyse.catalogue import Indicator, indicator, load_catalogue
from sitroom.records import Claim, Event, IndicatorPoint


def _kind_indicator(kind: str) -> Indicator | None:
    return next((i for i in load_catalogue() if i.kind == kind), None)


def _counted_as(claim: Claim) -> tuple[Indicator, str | None] | None:
    """(the catalogue entry the claim counts as, the event it is about) or None."""
    if not claim.signals or claim.kind == "none":
        return None
    signal = indicator(claim.signals[0])
    if signal is None:
        return None
    if claim.kind == "event":
        return signal, None
    if claim.kind == "warning" and signal.weight <= 0:
        return None
    entry = _kind_indicator(claim.kind)
    return (entry, signal.id) if entry else None


def _event(claim: Claim, entry: Indicator, about: str | None, place: str | None) -> Event:
    """The event a claim counts as: the entry's signal, weight and category, the claim's own
    actor, time, words and post, the place of its post."""
    c = claim
    return Event(
        entry.id, entry.plover, entry.weight, c.actor, c.time, place, c.modality, c.text,
        c.post_id, c.source, target=c.object, about=about, claim_id=c.id,
    )  # fmt: skip


def find_events(claims: list[Claim], places_by_post: dict[str, str]) -> list[Event]:
    events = []
    for c in claims:
        counted = _counted_as(c)
        if counted is None:
            continue
        entry, about = counted
        events.append(_event(c, entry, about, places_by_post.get(c.post_id)))
    return events


@lru_cache(maxsize=65536)
def _bucket(t: datetime, hourly: bool) -> str:
    """Cached: a record's events share few times, and every run indexes all of them."""
    return t.strftime("%Y-%m-%dT%H") if hourly else t.strftime("%Y-%m-%d")


def indicator_index(events: list[Event], hourly: bool = False) -> list[IndicatorPoint]:
    """The index per day (or hour), each point with its contributions and events."""
    buckets: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    members: dict[str, list[int]] = defaultdict(list)
    seen: set[tuple[str, str, str | None]] = set()
    for n, e in enumerate(events):
        if e.time is None:
            continue
        bucket = _bucket(e.time, hourly)
        members[bucket].append(n)
        if (e.post_id, e.indicator, e.about) in seen:
            continue
        seen.add((e.post_id, e.indicator, e.about))
        buckets[bucket][e.indicator] += e.weight
    return [
        IndicatorPoint(
            bucket=b,
            index=round(sum(buckets[b].values()), 2),
            contributions={k: round(v, 2) for k, v in buckets[b].items()},
            events=members[b],
        )
        for b in sorted(members)
    ]
