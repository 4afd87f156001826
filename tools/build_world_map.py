"""Build sitroom/serve/static/world.json from the npm package world-atlas (ISC; Natural Earth
data, public domain): country outlines as SVG path data in a plate carrée projection
(x = lon + 180, y = 90 - lat, viewBox 0 0 360 180), so the web page draws the map from a
file sitroom serves itself.

    npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    python tools/build_world_map.py package/countries-110m.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "sitroom" / "serve" / "static" / "world.json"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    scale = topology["transform"]["scale"]
    translate = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    return arcs


def ring(arcs: list, indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    return points


def unwrap(r: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Make a ring continuous across the antimeridian (no 360-degree jumps between points)."""
    out: list[tuple[float, float]] = []
    shift = 0.0
    for lon, lat in r:
        if out:
            prev = out[-1][0]
            while lon + shift - prev > 180:
                shift -= 360
            while lon + shift - prev < -180:
                shift += 360
        out.append((lon + shift, lat))
    return out


def path_data(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for r in rings:
        r = unwrap(r)
        lons = [lon for lon, _ in r]
        # A ring that spills past the map's edge is drawn again from the other side too.
        offsets = [0.0]
        if max(lons) > 180:
            offsets.append(-360.0)
        if min(lons) < -180:
            offsets.append(360.0)
        if r[0][1] < -60 and max(lons) - min(lons) > 300:
            # Antarctica circles the pole: close it along the bottom edge instead.
            r = [(-180.0, -90.0), *r, (max(lons), -90.0)]
        for off in offsets:
            coords = " ".join(f"{lon + off + 180:.2f},{90 - lat:.2f}" for lon, lat in r)
            parts.append(f"M{coords}Z")
    return "".join(parts)


def main(source: str) -> None:
    topology = json.loads(Path(source).read_text())
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [ring(arcs, r) for polygon in polygons for r in polygon]
        countries.append({"name": geometry["properties"]["name"], "d": path_data(rings)})
    OUT.write_text(
        json.dumps({"viewBox": [0, 0, 360, 180], "countries": countries}, separators=(",", ":"))
    )
    print(f"wrote {len(countries)} countries to {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main(sys.argv[1])
