"""Make the map's shapes: `python scripts/map_shapes.py` (rerun after changing the source or the list).

Reads Natural Earth's countries at 1:50m as vendored from npm's `world-atlas`
(`vendor/world-atlas/countries-50m.json`), projects them on an equirectangular projection whose
central meridian is 150°E, clips them to the Asia-Pacific window below, drops the points closer
than half a pixel to the one before, and writes `recommendations/public/asia_pacific.json`: one
SVG path per Asia-Pacific government (the ESCAP members the demo data draws from, which include
every government the workshop names), a marker point for each, and the rest of the land in the
window as one path, with the source's version. The site reads that small file once per process
instead of parsing the TopoJSON on a request.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import django
import pycountry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apc_tracker.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # reads no database: only the list of governments
django.setup()

from recommendations.operations.demo import ASIA_PACIFIC  # noqa: E402  (Django is set up first)

SOURCE = ROOT / "vendor" / "world-atlas" / "countries-50m.json"
TARGET = ROOT / "recommendations" / "public" / "asia_pacific.json"

CENTRAL_MERIDIAN = 150
# The window, in degrees: from Afghanistan's west to the Cook Islands, from New Zealand's south
# to Mongolia's north. Longitudes east of 180° are those of the western hemisphere plus 360.
WEST, EAST, SOUTH, NORTH = 58.0, 194.0, -48.0, 55.0
WIDTH = 960
SCALE = WIDTH / (EAST - WEST)
HEIGHT = round((NORTH - SOUTH) * SCALE)
# Below this extent, in pixels, a country gets a marker that is large enough to see and click.
SMALL = 8


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as (longitude, latitude) points: undo the quantisation and the deltas."""
    (kx, ky), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * kx + tx, y * ky + ty))
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def _polygons(geometry: dict, arcs) -> list[list[list[tuple[float, float]]]]:
    if geometry["type"] == "Polygon":
        return [[_ring(ring, arcs) for ring in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[_ring(ring, arcs) for ring in polygon] for polygon in geometry["arcs"]]
    return []


def _unwrap(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Longitudes on the projection's side of its seam (30°W), continuous along the ring."""
    seam = CENTRAL_MERIDIAN - 180
    out, previous = [], None
    for lon, lat in ring:
        lon = lon + 360 if lon < seam else lon
        if previous is not None and abs(lon - previous) > 180:
            lon += 360 if lon < previous else -360
        out.append((lon, lat))
        previous = lon
    return out


def _clip(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sutherland–Hodgman against the window, one edge at a time."""
    edges = [
        (lambda p: p[0] >= WEST, lambda a, b: _cross_lon(a, b, WEST)),
        (lambda p: p[0] <= EAST, lambda a, b: _cross_lon(a, b, EAST)),
        (lambda p: p[1] >= SOUTH, lambda a, b: _cross_lat(a, b, SOUTH)),
        (lambda p: p[1] <= NORTH, lambda a, b: _cross_lat(a, b, NORTH)),
    ]
    for inside, cross in edges:
        if not ring:
            break
        clipped = []
        for index, current in enumerate(ring):
            previous = ring[index - 1]
            if inside(current):
                if not inside(previous):
                    clipped.append(cross(previous, current))
                clipped.append(current)
            elif inside(previous):
                clipped.append(cross(previous, current))
        ring = clipped
    return ring


def _cross_lon(a, b, lon):
    t = (lon - a[0]) / (b[0] - a[0])
    return (lon, a[1] + t * (b[1] - a[1]))


def _cross_lat(a, b, lat):
    t = (lat - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), lat)


def _project(point: tuple[float, float]) -> tuple[float, float]:
    return (round((point[0] - WEST) * SCALE, 1), round((NORTH - point[1]) * SCALE, 1))


def _thin(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    kept = [points[0]]
    for x, y in points[1:]:
        if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= 0.5:
            kept.append((x, y))
    return kept


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _shape(geometry: dict, arcs) -> tuple[str, list[list[tuple[float, float]]]]:
    """The SVG path of a country in the window, and its projected outer rings."""
    parts, outers = [], []
    for polygon in _polygons(geometry, arcs):
        for position, ring in enumerate(polygon):
            unwrapped = _unwrap(ring)
            middle = sum(lon for lon, _ in unwrapped) / len(unwrapped)
            if middle > EAST + 180:
                unwrapped = [(lon - 360, lat) for lon, lat in unwrapped]
            clipped = _clip(unwrapped)
            if len(clipped) < 3:
                continue
            points = _thin([_project(point) for point in clipped])
            if len(points) < 3:
                points = [_project(point) for point in clipped][:3]
            if position == 0:
                outers.append(points)
            first, *rest = points
            parts.append(
                f"M{_number(first[0])} {_number(first[1])}"
                + "".join(f"L{_number(x)} {_number(y)}" for x, y in rest)
                + "Z"
            )
    return "".join(parts), outers


def _extent(ring: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def _marker(outers: list[list[tuple[float, float]]]) -> dict | None:
    """Where a small state's marker goes (the middle of its largest part), or None for a large one."""
    if not outers:
        return None
    boxes = [_extent(ring) for ring in outers]
    left, top, right, bottom = max(boxes, key=lambda box: (box[2] - box[0]) * (box[3] - box[1]))
    if right - left >= SMALL or bottom - top >= SMALL:
        return None
    return {"x": round((left + right) / 2, 1), "y": round((top + bottom) / 2, 1)}


def _reference_point(code: str) -> dict:
    """A marker for a state the 1:50m set has no shape for (Tuvalu), at OCHA's reference point for it."""
    from hdx.location.country import Country

    info = Country.get_country_info_from_iso3(code, use_live=False)
    lon, lat = float(info["Longitude"]), float(info["Latitude"])
    x, y = _project((lon + 360 if lon < CENTRAL_MERIDIAN - 180 else lon, lat))
    if not (0 <= x <= WIDTH and 0 <= y <= HEIGHT):
        raise SystemExit(f"{code} has no shape and its reference point is outside the window.")
    return {"x": x, "y": y}


def main() -> None:
    topology = json.loads(SOURCE.read_text())
    version = json.loads((SOURCE.parent / "package.json").read_text())["version"]
    arcs = _arcs(topology)
    wanted = set(ASIA_PACIFIC)
    paths: dict[str, list[str]] = {}
    outers: dict[str, list] = {}
    land = []
    # A country may come in several geometries under one code (Australia and its Ashmore and
    # Cartier Islands): they make one shape.
    for geometry in topology["objects"]["countries"]["geometries"]:
        found = pycountry.countries.get(numeric=geometry["id"]) if geometry.get("id") else None
        code = found.alpha_3 if found else None
        path, rings = _shape(geometry, arcs)
        if code in wanted and path:
            paths.setdefault(code, []).append(path)
            outers.setdefault(code, []).extend(rings)
        elif path:
            land.append(path)
    countries = {code: {"path": "".join(paths[code]), "marker": _marker(outers[code])} for code in paths}
    for code in sorted(wanted - set(countries)):
        countries[code] = {"path": "", "marker": _reference_point(code)}
    TARGET.write_text(
        json.dumps(
            {
                "source": f"Natural Earth 1:50m countries (public domain), from npm world-atlas {version}",
                "projection": f"equirectangular, central meridian {CENTRAL_MERIDIAN}°E, "
                f"window {WEST}°E to {360 - EAST}°W, {-SOUTH}°S to {NORTH}°N",
                "width": WIDTH,
                "height": HEIGHT,
                "land": "".join(land),
                "countries": dict(sorted(countries.items())),
            },
            separators=(",", ":"),
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"{TARGET.relative_to(ROOT)}: {len(countries)} countries, {TARGET.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
