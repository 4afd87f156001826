"""Quantity series: the same measured thing stated over time. The one implementation behind
the briefing's "figures that changed", the web charts and `sitroom figures`.

A quantity is its unit + what is counted + where or whose, e.g. troops / troop / Ukraine
(`troops close to Ukraine's border`). What is counted is the lemma of the counted noun; where
and whose are the proper names (places, nationalities) of the figure's own words, its counted
phrase and the rest of its clause ("30,000 troops in Belarus" is not "130,000 troops close to
Ukraine's border"). The order of magnitude is part of the identity too (£64.6bn is not
£4.6bn). A post that states two different values of one quantity counts two different things
(140 drones launched, 85 shot down), so neither joins a series. Points keep the figure's
words, bounds and scale words included ("well over 100,000").
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sitroom.analyse.catalogue import lemma
from sitroom.records import Figure, QuantitySeries

# Units that are rarely one quantity over time: shares of different wholes, ages, ratios.
UNSERIED_UNITS = {"percent", "years", "year", "fraction", "times", "count", "minutes", "hours"}
MIN_VALUE = 10  # a figure under ten ("two battalions") is a description, not a measure
PROPER_RE = re.compile(r"\b[A-Z][a-zA-Z'’-]+")
CLAUSE_END_RE = re.compile(r"[,;.:!?\n]|\s[-–—]\s|\b(and|but|while|which|who)\b")
NOT_PLACES = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "Some",
    "About",
    "More",
    "Nearly",
    "Around",
    "Over",
    "Up",
    "Of",
    "And",
    "But",
    "It",
    "He",
    "She",
    "They",
    "We",
    "This",
    "That",
    "There",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "GMT",
    "UTC",
    "BST",
    "Mr",
    "Mrs",
    "Ms",
}


@dataclass
class FigureAt:
    """A figure and where it was stated. `context` is the text its offsets refer to (the
    post's body or title), when known: it gives the rest of the figure's clause."""

    figure: Figure
    time: datetime | None
    post_id: str
    source: str
    context: str | None = None


def _clause_after(f: Figure, context: str | None) -> str:
    if not context or context[f.start : f.end] != f.text:
        return ""  # offsets that do not point at the figure's words say nothing
    rest = context[f.end : f.end + 160]
    m = CLAUSE_END_RE.search(rest)
    return rest[: m.start()] if m else rest


def _names(text: str) -> dict[str, str]:
    """Proper names in `text`: lemma -> the word as written."""
    out = {}
    for m in PROPER_RE.finditer(text):
        word = re.sub(r"['’]s?$", "", m.group())
        if word and word not in NOT_PLACES:
            out.setdefault(lemma(word), word)
    return out


def _where(f: Figure, context: str | None) -> dict[str, str]:
    return {**_names(f.text), **_names(f.counted or ""), **_names(_clause_after(f, context))}


def quantity_key(f: Figure, context: str | None = None) -> tuple[str, str, str, int] | None:
    """(unit, what is counted, where/whose, order of magnitude), or None for a figure that
    is not a measure of anything tracked over time."""
    if f.unit in UNSERIED_UNITS or f.value < MIN_VALUE:
        return None
    counted = (f.counted or "").split()
    head = lemma(counted[0]) if counted else lemma(f.unit)
    where = _where(f, context)
    return f.unit, head, " ".join(sorted(where)), round(math.log10(f.value))


def _get(obj: Any, name: str, default: Any = None) -> Any:
    return getattr(obj, name, default)


def as_figure_at(item: Any) -> FigureAt:
    """A FigureAt from one (a stored figure: `.figure`, `.published`, `.post_id`, `.source`)."""
    if isinstance(item, FigureAt):
        return item
    return FigureAt(
        figure=_get(item, "figure", item),
        time=_get(item, "published", _get(item, "time")),
        post_id=_get(item, "post_id", ""),
        source=_get(item, "source", "") or "",
        context=_get(item, "context"),
    )


def _label(item: FigureAt) -> tuple[str, str | None]:
    """(what is counted, where or whose) in the words of the series' first figure."""
    f = item.figure
    counted = f.counted or f.unit
    where = ", ".join(_where(f, item.context).values()) or None
    if where and all(w.lower() in counted.lower() for w in where.split(", ")):
        return counted, where
    return (f"{counted} ({where})" if where else counted), where


def _merge_partial_keys(groups: dict[tuple, list[FigureAt]]) -> dict[tuple, list[FigureAt]]:
    """A figure that names some of the places and owners another states ("130,000 troops
    close to Ukraine's border" and "100,000 Russian troops close to Ukraine's borders") is
    the same quantity when that other is the only one it fits: its key joins the fuller one.
    A figure that names none is never joined (it could be any of them)."""
    names = {k: set(k[2].split()) for k in groups}
    merged: dict[tuple, list[FigureAt]] = {k: list(v) for k, v in groups.items()}
    for key in sorted(groups, key=lambda k: len(names[k])):
        if not names[key]:
            continue
        fuller = [
            k
            for k in merged
            if k != key and k[:2] == key[:2] and k[3] == key[3] and names[key] < names[k]
        ]
        if len(fuller) == 1 and key in merged:
            merged[fuller[0]] += merged.pop(key)
    return merged


def quantity_series(items: Iterable[Any], min_points: int = 2) -> list[QuantitySeries]:
    """Series of one quantity each, stated in at least `min_points` posts, oldest first;
    the series with most points first."""
    keyed = []
    for raw in items:
        item = as_figure_at(raw)
        keyed.append((item, quantity_key(item.figure, item.context)))
    return series_of(keyed, min_points)


def series_of(
    keyed: Iterable[tuple[FigureAt, tuple | None]],
    min_points: int = 2,
    made: dict[tuple, tuple[tuple[FigureAt, ...], QuantitySeries | None]] | None = None,
) -> list[QuantitySeries]:
    """`quantity_series` of figures whose quantity keys are known (None: no quantity).
    `made`, kept from one call to the next, gives back the same series for a quantity
    whose figures are the same as last time, without making it again (it holds them, so
    they are compared as they were)."""
    groups: dict[tuple, list[FigureAt]] = defaultdict(list)
    for item, key in keyed:
        if key is not None:
            groups[key].append(item)
    groups = _merge_partial_keys(groups)
    series = []
    last = dict(made or {})
    if made is not None:
        made.clear()
    for key, members in groups.items():
        ids = tuple(members)
        same = key in last and last[key][0] == ids
        found = last[key][1] if same else _series(key, members, min_points)
        if made is not None:
            made[key] = (ids, found)
        if found is not None:
            series.append(found)
    series.sort(key=lambda s: -len(s.points))
    return series


def _series(key: tuple, members: list[FigureAt], min_points: int) -> QuantitySeries | None:
    """The series of one quantity's figures, or None if fewer than `min_points` posts."""
    values_by_post: dict[str, set[float]] = defaultdict(set)
    for m in members:
        values_by_post[m.post_id].add(m.figure.value)
    # A post with two values of one quantity counts two things: neither is the series.
    kept = [m for m in members if len(values_by_post[m.post_id]) == 1]
    one_per_post = {m.post_id: m for m in kept}
    if len(one_per_post) < min_points:
        return None
    undated = datetime.min.replace(tzinfo=UTC)
    points = sorted(one_per_post.values(), key=lambda m: m.time or undated)
    counted, where = _label(points[0])
    return QuantitySeries(
        unit=key[0],
        counted=counted,
        points=[(m.time, m.figure.value, m.figure.text, m.post_id, m.source) for m in points],
        key="|".join(str(k) for k in key),
        where=where,
    )


def document_figures(
    doc, enrichment: dict, post_ids: dict[str, str] | None = None
) -> list[FigureAt]:
    """The figures of one document's posts (not its summary block), with their context."""
    post_ids = post_ids or {}
    out = []
    for post in doc.posts:
        result = enrichment.get(post.key)
        if result is None or post.kind == "summary":
            continue
        for f in result.figures:
            context = post.title if f.field == "title" else post.body
            out.append(
                FigureAt(f, post.published, post_ids.get(post.key, post.key), doc.source, context)
            )
    return out
