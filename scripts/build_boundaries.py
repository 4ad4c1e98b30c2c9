"""Build the map's offline country outlines: `python -m scripts.build_boundaries`.

Input: Natural Earth's 1:50m Admin-0 countries (public domain), as the TopoJSON redistributed
by the npm package `world-atlas` 2.0.2 (ISC licence; `npm ci` puts it in node_modules/).
Output: static/geo/europe-countries.json, a compact GeoJSON FeatureCollection of the countries
around the partner cities, clipped to a box over Europe, simplified and rounded to 0.01 degree.
Each feature carries `iso2` (ISO 3166-1 alpha-2, looked up with pycountry) and `label`, a point
inside its largest piece for a country name.

The output is committed, so the app never needs Node or the network; run this again only to
change the area or the detail. See static/geo/README.md for origin and licence.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "world-atlas" / "countries-50m.json"
TARGET = ROOT / "static" / "geo" / "europe-countries.json"
# West, south, east, north (degrees): Iceland to the Caspian, the Sahara's edge to the North Cape.
BOX = (-25.0, 27.0, 50.0, 72.0)
TOLERANCE = 0.02  # Douglas-Peucker tolerance, degrees (about 2 km)
DECIMALS = 2

Point = tuple[float, float]
Ring = list[Point]


def decode_arcs(topology: dict) -> list[Ring]:
    """TopoJSON arcs: delta-encoded, quantised positions back to longitude/latitude."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _distance(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker; the ends stay, so arcs shared by two countries still meet."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_from(arc_ids: list[int], arcs: list[Ring]) -> Ring:
    """Join a ring's arcs (a negative id ~i means arc i reversed), dropping shared ends."""
    ring: Ring = []
    for arc_id in arc_ids:
        points = arcs[arc_id] if arc_id >= 0 else list(reversed(arcs[~arc_id]))
        ring.extend(points if not ring else points[1:])
    return ring


def clip(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Sutherland-Hodgman clipping of a ring to the box (fine for display at these sizes)."""
    west, south, east, north = box
    edges = (
        (lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north)),
    )
    points = ring[:-1] if ring and ring[0] == ring[-1] else ring
    for inside, cross in edges:
        if not points:
            break
        result: Ring = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    result.append(cross(previous, current))
                result.append(current)
            elif inside(previous):
                result.append(cross(previous, current))
        points = result
    return points + points[:1] if points else []


def _cross_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def area_and_centroid(ring: Ring) -> tuple[float, Point]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return 0.0, ring[0]
    return abs(area) / 2, (cx / (3 * area), cy / (3 * area))


def rounded(ring: Ring) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def iso2(numeric: str | None, name: str) -> str:
    country = pycountry.countries.get(numeric=numeric) if numeric else None
    if country is None:
        country = pycountry.countries.get(name=name)
    return country.alpha_2 if country else ""


def build(topology: dict) -> dict:
    arcs = [simplify(arc, TOLERANCE) for arc in decode_arcs(topology)]
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        kind, parts = geometry.get("type"), geometry.get("arcs", [])
        polygons = [parts] if kind == "Polygon" else parts if kind == "MultiPolygon" else []
        shapes = []
        for polygon in polygons:
            rings = [rounded(clip(ring_from(ring, arcs), BOX)) for ring in polygon]
            if len(rings[0]) >= 4:
                shapes.append([ring for ring in rings if len(ring) >= 4])
        if not shapes:
            continue
        largest = max(shapes, key=lambda rings: area_and_centroid(rings[0])[0])
        _, (lx, ly) = area_and_centroid(largest[0])
        name = geometry.get("properties", {}).get("name", "")
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "iso2": iso2(geometry.get("id"), name),
                    "name": name,
                    "label": [round(lx, DECIMALS), round(ly, DECIMALS)],
                },
                "geometry": {"type": "MultiPolygon", "coordinates": shapes},
            }
        )
    features.sort(key=lambda f: f["properties"]["name"])
    return {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:50m Admin-0 countries (public domain), via world-atlas 2.0.2",
        "features": features,
    }


def main() -> None:
    if not SOURCE.exists():
        sys.exit(f"{SOURCE} is missing: run `npm ci` first (world-atlas is a devDependency)")
    collection = build(json.loads(SOURCE.read_text(encoding="utf-8")))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    size = TARGET.stat().st_size
    print(f"{TARGET.relative_to(ROOT)}: {len(collection['features'])} countries, {size:,} bytes")


if __name__ == "__main__":
    main()
