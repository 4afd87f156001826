"""Charts and the map as SVG geometry computed on the server (no chart library, no outside
requests): the templates draw them with plain SVG elements.

Charts follow a data desk's conventions: a true time axis (points far apart in time are drawn
in separate panels with the gap written between them, never joined as neighbours), labelled
axes with a few readable ticks, human numbers (£64.6bn, 130,000), one title per chart and the
data behind it as a table. Each chart is laid out twice, for a phone and for a desk, so its
text stays legible at both sizes. Which figures form one series is decided by the analysis
(`quantity_series`); this module only draws.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

# Chart layouts: (width, height) in SVG units; the page shows the one that fits the screen.
LAYOUTS = {"narrow": (360, 240), "wide": (560, 250)}
INDEX_LAYOUTS = {"narrow": (360, 240), "wide": (860, 280)}
MARGIN = {"left": 58, "right": 14, "top": 26, "bottom": 40}
PANEL_GAP = 26  # space between panels, where the length of the gap is written
# Points further apart than this start a new panel: the axis between them would be mostly
# empty and would make days years apart look like neighbours.
PANEL_BREAK = timedelta(days=7)
CURRENCY = {"gbp": "£", "usd": "$", "eur": "€", "jpy": "¥"}
# Units that are rarely one quantity over time: percentages of different things, ages.
UNCHARTED_UNITS = {"percent", "years", "fraction", "times", "count"}


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """Read a field from a stored item or from the record it wraps (`.figure`, `.place`)."""
    if hasattr(obj, name):
        return getattr(obj, name)
    for inner in ("figure", "place", "quote"):
        if hasattr(obj, inner) and hasattr(getattr(obj, inner), name):
            return getattr(getattr(obj, inner), name)
    return default


def human_number(value: float | None, unit: str | None = None) -> str:
    """A number as a reader writes it: 130,000; £64.6bn; 2.5m; 0.75; with the currency sign."""
    if value is None:
        return "—"
    sign = CURRENCY.get((unit or "").lower(), "")
    v = float(value)
    if sign:
        for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
            if abs(v) >= size:
                return f"{'-' if v < 0 else ''}{sign}{_trim(abs(v) / size)}{suffix}"
        return f"{'-' if v < 0 else ''}{sign}{abs(v):,.0f}"
    if abs(v) >= 1e7:
        for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
            if abs(v) >= size:
                return f"{_trim(v / size)}{suffix}"
    if v == int(v):
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def _trim(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".") if v < 100 else f"{v:.0f}"


def unit_label(unit: str) -> str:
    return {"gbp": "pounds (£)", "usd": "dollars ($)", "eur": "euros (€)"}.get(unit.lower(), unit)


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round tick values from 0 up to at least `top` (1, 2 or 5 times a power of ten)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    n = math.ceil(top / step - 1e-9)
    return [step * k for k in range(n + 1)]


def gap_text(delta: timedelta) -> str:
    days = delta.total_seconds() / 86400
    if days >= 700:
        return f"{days / 365.25:.0f} years later"
    if days >= 60:
        return f"{days / 30.4:.0f} months later"
    if days >= 1.5:
        return f"{days:.0f} days later"
    return f"{delta.total_seconds() / 3600:.0f} hours later"


def _time_ticks(t0: datetime, t1: datetime, room: int) -> list[tuple[datetime, str]]:
    """At most `room` ticks on whole hours or days between t0 and t1, labelled to be read."""
    span = (t1 - t0).total_seconds()
    if span <= 0:
        return [(t0, t0.strftime("%d %b %Y %H:%M"))]
    steps = [timedelta(hours=h) for h in (1, 2, 3, 6, 12)] + [
        timedelta(days=d) for d in (1, 2, 7, 14, 30, 91, 182, 365)
    ]
    step = next((s for s in steps if span / s.total_seconds() <= max(room, 1)), steps[-1])
    if step < timedelta(days=1):
        start = t0.replace(minute=0, second=0, microsecond=0)
        hours = step.total_seconds() // 3600
        while start < t0 or start.hour % hours:
            start += timedelta(hours=1)
    else:
        start = t0.replace(hour=0, minute=0, second=0, microsecond=0)
        if start < t0:
            start += timedelta(days=1)
    ticks, t = [], start
    while t <= t1:
        ticks.append(t)
        t += step
    if not ticks:  # a span shorter than one step: label its ends
        ticks = [t0] if span < 3600 else [t0, t1]
    out, last_day = [], None
    for t in ticks:
        if step >= timedelta(days=1):
            label = t.strftime("%d %b")
        elif t.date() != last_day:
            label = t.strftime("%H:%M %d %b")
        else:
            label = t.strftime("%H:%M")
        last_day = t.date()
        out.append((t, label))
    out[0] = (out[0][0], out[0][1] + (f" {ticks[0].year}" if step >= timedelta(days=1) else ""))
    return out


@dataclass
class ChartPoint:
    x: float
    y: float
    value: float
    label: str
    text: str
    post_id: str | None
    when: datetime | None
    source: str = ""


@dataclass
class Panel:
    x0: float
    x1: float
    polyline: str
    points: list[ChartPoint]
    x_ticks: list[tuple[float, str]]
    gap_before: str = ""  # "3 years later", written in the gap left of this panel


@dataclass
class Layout:
    width: int
    height: int
    panels: list[Panel]
    y_ticks: list[tuple[float, str]]
    plot_top: float
    plot_bottom: float
    plot_left: float
    plot_right: float


@dataclass
class Chart:
    title: str
    unit: str
    y_label: str
    summary: str  # a text alternative: what the chart shows, in one sentence
    rows: list[ChartPoint]  # the data table, in time order
    layouts: dict[str, Layout] = field(default_factory=dict)
    slug: str = ""


def _panels_of(points: list[tuple[datetime, float, str, str, str]]) -> list[list]:
    panels: list[list] = [[points[0]]]
    for prev, cur in zip(points, points[1:], strict=False):
        if cur[0] - prev[0] > PANEL_BREAK:
            panels.append([])
        panels[-1].append(cur)
    return panels


def _layout(groups: list[list], width: int, height: int, y_top: float, unit: str) -> Layout:
    left, right = MARGIN["left"], width - MARGIN["right"]
    top, bottom = MARGIN["top"], height - MARGIN["bottom"]
    n = len(groups)
    room = (right - left - PANEL_GAP * (n - 1)) / n

    def y(v: float) -> float:
        return bottom - (bottom - top) * (v / y_top)

    panels = []
    for k, group in enumerate(groups):
        x0 = left + k * (room + PANEL_GAP)
        x1 = x0 + room
        t0, t1 = group[0][0], group[-1][0]
        span = (t1 - t0).total_seconds()
        inner = 10.0  # keep dots off the panel edges

        def x(t: datetime, t0=t0, span=span, x0=x0, x1=x1, inner=inner) -> float:
            if span <= 0:
                return (x0 + x1) / 2
            return x0 + inner + (x1 - x0 - 2 * inner) * (t - t0).total_seconds() / span

        pts = [
            ChartPoint(x(t), y(v), v, human_number(v, unit), text, pid, t, src)
            for t, v, text, pid, src in group
        ]
        ticks = [(x(t), label) for t, label in _time_ticks(t0, t1, max(1, int(room // 70)))]
        gap = gap_text(group[0][0] - groups[k - 1][-1][0]) if k else ""
        panels.append(
            Panel(
                x0,
                x1,
                " ".join(f"{p.x:.1f},{p.y:.1f}" for p in pts),
                pts,
                [(tx, lab) for tx, lab in ticks if x0 - 1 <= tx <= x1 + 1],
                gap,
            )
        )
    y_ticks = [(y(v), human_number(v, unit)) for v in nice_ticks(y_top)]
    return Layout(width, height, panels, y_ticks, top, bottom, left, right)


def series_chart(unit: str, counted: str, points: list, slug: str = "") -> Chart | None:
    """A chart of one series: points (time, value, text, post id, source), undated ones left out."""
    dated = sorted((p for p in points if p[0] is not None), key=lambda p: p[0])
    if len(dated) < 2:
        return None
    groups = _panels_of(dated)
    top = nice_ticks(max(p[1] for p in dated))[-1]
    name = counted if counted and counted.lower() != unit.lower() else unit_label(unit)
    title = name[:1].upper() + name[1:]
    lo, hi = min(dated, key=lambda p: p[1]), max(dated, key=lambda p: p[1])
    summary = (
        f"{len(dated)} figures for {name} from {dated[0][0]:%d %b %Y} to {dated[-1][0]:%d %b %Y}"
        f", lowest {human_number(lo[1], unit)}, highest {human_number(hi[1], unit)}"
        + (f"; drawn in {len(groups)} panels because of gaps in time" if len(groups) > 1 else "")
        + "."
    )
    chart = Chart(
        title=title,
        unit=unit,
        y_label=unit_label(unit),
        summary=summary,
        rows=[
            ChartPoint(0, 0, v, human_number(v, unit), text, pid, t, src)
            for t, v, text, pid, src in dated
        ],
        slug=slug,
    )
    for key, (width, height) in LAYOUTS.items():
        chart.layouts[key] = _layout(groups, width, height, top, unit)
    return chart


def figure_charts(series: list[Any], limit: int = 6) -> list[Chart]:
    """One chart per quantity series (from the analysis), largest series first; two series
    of one name (a 100,000-strong build-up, a 1,000-strong battlegroup) are told apart by
    their size in the title."""
    charts = _charts_of(series, limit)
    titles = [c.title for c in charts]
    for c in charts:
        if titles.count(c.title) > 1:
            values = sorted(r.value for r in c.rows)
            c.title += f", about {human_number(_round_figure(values[len(values) // 2]), c.unit)}"
    return charts


def _round_figure(value: float) -> float:
    """The value to one significant figure: 130,000 -> 100,000; 27,500 -> 30,000."""
    if value <= 0:
        return value
    power = 10 ** math.floor(math.log10(value))
    return round(value / power) * power


def _charts_of(series: list[Any], limit: int) -> list[Chart]:
    charts = []
    for n, s in enumerate(series):
        unit, counted, points = _get(s, "unit"), _get(s, "counted") or "", _get(s, "points")
        if unit in UNCHARTED_UNITS or len({p[1] for p in points}) < 2:
            continue
        chart = series_chart(unit, counted, points, slug=f"chart-{n}")
        if chart is not None:
            charts.append(chart)
        if len(charts) == limit:
            break
    return charts


# --- the escalation index ------------------------------------------------------------------


@dataclass
class Bar:
    x: float
    y: float
    w: float
    h: float
    up: bool
    label: str
    index: float
    tick: str  # the x label, or "" where it would crowd its neighbours


@dataclass
class BarLayout:
    width: int
    height: int
    bars: list[Bar]
    zero: float
    y_ticks: list[tuple[float, str]]
    gaps: list[tuple[float, str]]  # (x, "3 years later") between buckets far apart
    left: float
    right: float


def _bucket_time(bucket: str) -> datetime:
    fmt = "%Y-%m-%dT%H" if "T" in bucket else "%Y-%m-%d"
    return datetime.strptime(bucket, fmt).replace(tzinfo=UTC)


def _uncrowded(
    labels: list[tuple[float, str]], left: float, right: float, size: float = 11
) -> set[int]:
    """Which centred labels to draw, left to right, so that none overlaps the one before or
    runs off the plot (a character is taken as 0.6 of the font size wide)."""
    keep, edge = set(), 0.0
    for n, (x, text) in enumerate(labels):
        half = len(text) * size * 0.3 + 4
        if x - half >= edge and x + half <= right + 12:
            keep.add(n)
            edge = x + half
    return keep


def index_chart(points: list[Any], hourly: bool = False) -> dict[str, BarLayout]:
    """Bars of the index per bucket in time order; a gap marker where buckets are not adjacent."""
    return {key: _bar_layout(points, hourly, w, h) for key, (w, h) in INDEX_LAYOUTS.items()}


def _bar_layout(points: list[Any], hourly: bool, width: int, height: int) -> BarLayout:
    left, right = 46, width - MARGIN["right"]
    top, bottom = MARGIN["top"], height - MARGIN["bottom"]
    if not points:
        return BarLayout(width, height, [], (top + bottom) / 2, [], [], left, right)
    step_time = timedelta(hours=1) if hourly else timedelta(days=1)
    times = [_bucket_time(p.bucket) for p in points]
    breaks = [i for i in range(1, len(points)) if times[i] - times[i - 1] > step_time]
    slots = len(points) + 1.5 * len(breaks)
    step = (right - left) / slots
    peak = max(abs(p.index) for p in points) or 1.0
    ticks = nice_ticks(peak, 2)
    span = ticks[-1]
    has_down = any(p.index < 0 for p in points)
    zero = (top + bottom) / 2 if has_down else bottom
    scale = (zero - top) / span
    bars, gaps, x = [], [], left
    for i, p in enumerate(points):
        if i in breaks:
            gaps.append((x + 0.75 * step, gap_text(times[i] - times[i - 1])))
            x += 1.5 * step
        h = abs(p.index) * scale
        label = (
            times[i].strftime("%H:00 %d %b") if hourly else times[i].strftime("%d %b %Y")
        ).replace(" 0", " ")
        bars.append(
            Bar(
                x + step * 0.15,
                zero - h if p.index > 0 else zero,
                step * 0.7,
                max(h, 1.0),
                p.index > 0,
                p.bucket,
                p.index,
                label,
            )
        )
        x += step
    # Labels that would overlap a neighbour are left out (the data table has them all).
    keep = _uncrowded([(b.x + b.w / 2, b.tick) for b in bars], left, right)
    for n, b in enumerate(bars):
        b.tick = b.tick if n in keep else ""
    keep = _uncrowded(gaps, left, right, size=10)
    gaps = [(gx, note if n in keep else "") for n, (gx, note) in enumerate(gaps)]
    y_ticks = [(zero - v * scale, f"{v:+g}" if v else "0") for v in ticks]
    if has_down:
        y_ticks += [(zero + v * scale, f"{-v:+g}") for v in ticks[1:]]
    return BarLayout(width, height, bars, zero, y_ticks, gaps, left, right)


# --- the map -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def world() -> dict[str, Any]:
    path = resources.files("sitroom.serve").joinpath("static", "world.json")
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class MapDot:
    x: float
    y: float
    r: float
    name: str
    count: int
    posts: list[str] = field(default_factory=list)
    inside: bool = True  # inside the zoomed view


# The map frames the places that carry most of the mentions (this share of them), so a story
# about one region is not shrunk to fit a single mention of a far-away capital.
MAP_FOCUS_SHARE = 0.8


def _focus(dots: list[MapDot]) -> list[MapDot]:
    total = sum(d.count for d in dots) or 1
    chosen, running = [], 0
    for d in dots:  # most-mentioned first
        chosen.append(d)
        running += d.count
        if running / total >= MAP_FOCUS_SHARE:
            break
    return chosen


def place_map(places: list[Any]) -> dict[str, Any]:
    """Country outlines plus a dot per place, the view zoomed to where the story's places are."""
    counts: dict[tuple[str, float, float], int] = defaultdict(int)
    posts: dict[tuple[str, float, float], list[str]] = defaultdict(list)
    for p in places:
        lat, lon = _get(p, "lat"), _get(p, "lon")
        if lat is None or lon is None:
            continue
        key = (_get(p, "canonical") or _get(p, "name"), float(lon), float(lat))
        counts[key] += int(_get(p, "count", 1) or 1)
        posts[key] += list(_get(p, "posts", []) or [])
    top = max(counts.values(), default=1)
    dots = [
        MapDot(
            x=lon + 180,
            y=90 - lat,
            r=0.8 + 2.2 * (n / top) ** 0.5,
            name=name,
            count=n,
            posts=posts[(name, lon, lat)],
        )
        for (name, lon, lat), n in sorted(counts.items(), key=lambda kv: -kv[1])
    ]
    if dots:
        focus = _focus(dots)
        xs, ys = [d.x for d in focus], [d.y for d in focus]
        margin = 4
        x0, x1 = max(0, min(xs) - margin), min(360, max(xs) + margin)
        y0, y1 = max(0, min(ys) - margin), min(180, max(ys) + margin)
        # Keep a 3:2 frame so the map is not stretched, and never zoom closer than 12 degrees.
        if x1 - x0 < 12:
            x0, x1 = (x0 + x1) / 2 - 6, (x0 + x1) / 2 + 6
        if (x1 - x0) < 1.5 * (y1 - y0):
            grow = 1.5 * (y1 - y0) - (x1 - x0)
            x0, x1 = x0 - grow / 2, x1 + grow / 2
        else:
            grow = (x1 - x0) / 1.5 - (y1 - y0)
            y0, y1 = y0 - grow / 2, y1 + grow / 2
        view = f"{x0:.1f} {y0:.1f} {x1 - x0:.1f} {y1 - y0:.1f}"
        scale = (x1 - x0) / 360
        for d in dots:
            d.inside = x0 <= d.x <= x1 and y0 <= d.y <= y1
    else:
        view, scale = "0 0 360 180", 1.0
    for d in dots:
        d.r *= max(scale, 0.05) * 1.6
    font = 360 * max(scale, 0.05) / 55
    return {
        "view": view,
        "countries": world()["countries"],
        "dots": dots,
        "outside": [d for d in dots if not d.inside],
        "stroke": 0.3 * max(scale, 0.05),
        "labels": _labels(dots, font),
        "font": font,
    }


def _labels(dots: list[MapDot], font: float, most: int = 10) -> list[tuple[float, float, str]]:
    """Names for the most-mentioned places in view, skipping any that would overlap another."""
    placed: list[tuple[float, float, float]] = []  # x, y, width
    out = []
    for d in dots:
        if not d.inside:
            continue
        x, y, w = d.x + d.r + font * 0.3, d.y + font * 0.35, len(d.name) * font * 0.62
        if any(abs(y - py) < font * 1.1 and x < px + pw and px < x + w for px, py, pw in placed):
            continue
        placed.append((x, y, w))
        out.append((x, y, d.name))
        if len(out) == most:
            break
    return out
