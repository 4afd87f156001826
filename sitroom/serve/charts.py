"""Charts and the map as SVG geometry computed on the server (no chart library, no outside
requests): the templates draw them with plain SVG elements."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from sitroom.analyse.quantities import quantity_series

WIDTH, HEIGHT, PAD = 640, 220, 36


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """Read a field from a stored item or from the record it wraps (`.figure`, `.place`)."""
    if hasattr(obj, name):
        return getattr(obj, name)
    for inner in ("figure", "place", "quote"):
        if hasattr(obj, inner) and hasattr(getattr(obj, inner), name):
            return getattr(getattr(obj, inner), name)
    return default


@dataclass
class ChartPoint:
    x: float
    y: float
    label: str
    post_id: str | None
    when: datetime | None


@dataclass
class Chart:
    title: str
    unit: str
    points: list[ChartPoint]
    polyline: str
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT


def _fmt(value: float) -> str:
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def figure_charts(figures: list[Any], limit: int = 6) -> list[Chart]:
    """One line chart per quantity stated at least twice with different values; the series
    come from sitroom.analyse.quantities (unit + what is counted + where/whose), the same
    grouping as the briefing's figures that changed."""
    dated = [f for f in figures if _get(f, "published") is not None]
    charts = []
    for series in quantity_series(dated):
        if len({v for _, v, *_ in series.points}) < 2:
            continue
        times = [t.timestamp() for t, *_ in series.points]
        values = [float(v) for _, v, *_ in series.points]
        t0, t1 = min(times), max(times)
        v1 = max(values) * 1.1 or 1.0

        def x(t: float, t0: float = t0, t1: float = t1) -> float:
            return PAD + (WIDTH - 2 * PAD) * ((t - t0) / (t1 - t0) if t1 > t0 else 0.5)

        def y(v: float, v1: float = v1) -> float:
            return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (v / v1)

        points = [
            ChartPoint(x(t.timestamp()), y(v), f"{text} — {src or ''}", pid, t)
            for t, v, text, pid, src in series.points
        ]
        charts.append(
            Chart(
                title=f"{series.counted} ({series.unit})",
                unit=series.unit,
                points=points,
                polyline=" ".join(f"{p.x:.1f},{p.y:.1f}" for p in points),
                y_ticks=[(y(v1 * k / 4), _fmt(v1 * k / 4)) for k in range(5)],
                x_ticks=[
                    (x(t0), datetime.fromtimestamp(t0, UTC).strftime("%d %b %Y %H:%M")),
                    (x(t1), datetime.fromtimestamp(t1, UTC).strftime("%d %b %Y %H:%M")),
                ],
            )
        )
        if len(charts) == limit:
            break
    return charts


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


def place_map(places: list[Any]) -> dict[str, Any]:
    """Country outlines plus a dot per place, the view cropped to where the places are."""
    counts: dict[tuple[str, float, float], int] = defaultdict(int)
    for p in places:
        lat, lon = _get(p, "lat"), _get(p, "lon")
        if lat is None or lon is None:
            continue
        name = _get(p, "canonical") or _get(p, "name")
        counts[(name, float(lon), float(lat))] += int(_get(p, "count", 1) or 1)
    top = max(counts.values(), default=1)
    dots = [
        MapDot(x=lon + 180, y=90 - lat, r=0.8 + 2.2 * (n / top) ** 0.5, name=name, count=n)
        for (name, lon, lat), n in sorted(counts.items(), key=lambda kv: -kv[1])
    ]
    if dots:
        xs, ys = [d.x for d in dots], [d.y for d in dots]
        margin = 8
        x0, x1 = max(0, min(xs) - margin), min(360, max(xs) + margin)
        y0, y1 = max(0, min(ys) - margin), min(180, max(ys) + margin)
        # Keep a 2:1 frame so the map is not stretched.
        if (x1 - x0) < 2 * (y1 - y0):
            grow = 2 * (y1 - y0) - (x1 - x0)
            x0, x1 = x0 - grow / 2, x1 + grow / 2
        else:
            grow = (x1 - x0) / 2 - (y1 - y0)
            y0, y1 = y0 - grow / 2, y1 + grow / 2
        view = f"{x0:.1f} {y0:.1f} {x1 - x0:.1f} {y1 - y0:.1f}"
        scale = (x1 - x0) / 360
    else:
        view, scale = "0 0 360 180", 1.0
    for d in dots:
        d.r *= max(scale, 0.08)
    return {
        "view": view,
        "countries": world()["countries"],
        "dots": dots,
        "stroke": 0.3 * max(scale, 0.08),
    }
