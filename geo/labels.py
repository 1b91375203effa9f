"""Where a feature's name goes on a map, and from which zoom it fits.

Knows nothing about the plan. Areas and points: for each feature it finds an anchor (the pole of inaccessibility
of its largest part for an area, the point itself for a point), an angle for names that run
along a long thin feature (a river, a corridor), the label's size in pixels, and the lowest web
map zoom at which the name fits inside the feature. The map then shows, at each zoom, the
labels that fit, in order of rank, dropping any that would overlap one already placed
(geo/webmap.js does that part, as it depends on the screen).
"""

from __future__ import annotations

import math
import unicodedata

import geopandas as gpd
import shapely
from shapely.ops import polylabel

METRES_PER_PIXEL_Z0 = 2 * math.pi * 6378137 / 256  # web mercator, zoom 0
MAX_ZOOM = 18
WEB_MERCATOR = "EPSG:3857"


def text_width(text: str, font_px: float) -> float:
    """Width in pixels of ``text`` at ``font_px``: a CJK character is about one em wide, other
    characters about half an em (a sans-serif estimate, enough to keep labels apart)."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return wide * font_px + (len(text) - wide) * 0.56 * font_px


def two_lines(text: str, font_px: float, longest_px: float = 0) -> list[str]:
    """``text`` as one line, or as two when it is a long name of several words (an English
    name inside a small zone): split at the space nearest its middle. ``longest_px``: the width
    from which a name is split (default: eight characters' height)."""
    longest_px = longest_px or 8 * font_px
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces or text_width(text, font_px) <= longest_px:
        return [text]
    cut = min(spaces, key=lambda i: abs(text_width(text[:i], font_px) - text_width(text[i + 1:], font_px)))
    return [text[:cut], text[cut + 1:]]


def zoom_for(length_m: float, pixels: float) -> float:
    """The web map zoom at which ``length_m`` metres (web mercator) span ``pixels`` pixels."""
    if length_m <= 0:
        return float(MAX_ZOOM)
    return math.log2(pixels * METRES_PER_PIXEL_Z0 / length_m)


def _largest_part(geom):
    """The part of largest area (the first of equals: the first point of a MultiPoint)."""
    return max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)


def _axis_angle(geom) -> float:
    """Angle in degrees (counter-clockwise from east, -90..90) of the long side of the minimum
    rotated rectangle around ``geom`` (projected coordinates)."""
    rect = shapely.minimum_rotated_rectangle(geom)
    if rect.geom_type != "Polygon":
        return 0.0
    (x0, y0), (x1, y1), (x2, y2) = list(rect.exterior.coords)[:3]
    a, b = (x1 - x0, y1 - y0), (x2 - x1, y2 - y1)
    dx, dy = a if math.hypot(*a) >= math.hypot(*b) else b
    angle = math.degrees(math.atan2(dy, dx))
    if angle > 90:
        angle -= 180
    elif angle <= -90:
        angle += 180
    return angle


def _anchor(geom, along: bool):
    """(anchor point, angle, room in metres across the anchor) for a projected geometry."""
    if geom.geom_type in ("Point", "MultiPoint"):
        return _largest_part(geom), 0.0, 0.0
    part = _largest_part(geom)
    point = polylabel(part, tolerance=max(math.sqrt(part.area) / 200, 1.0))
    inner = part.boundary.distance(point)
    if not along:
        return point, 0.0, 2 * inner
    # In a long even band every point of its middle line is as far from the edges: take the
    # centre when it is one of them, not the end that polylabel happens to return.
    centre = part.centroid
    if part.contains(centre) and part.boundary.distance(centre) >= 0.8 * inner:
        point, inner = centre, part.boundary.distance(centre)
    # Along a long thin feature: the direction of its stretch around the anchor, and the
    # room is the length of that stretch rather than the width across it.
    local = part.intersection(point.buffer(max(inner * 12, 1.0)))
    angle = _axis_angle(local)
    rad = math.radians(angle)
    far = max(inner * 12, 1.0)
    ray = shapely.LineString([(point.x - far * math.cos(rad), point.y - far * math.sin(rad)),
                              (point.x + far * math.cos(rad), point.y + far * math.sin(rad))])
    inside = ray.intersection(part)
    room = max((g.length for g in getattr(inside, "geoms", [inside]) if g.distance(point) < 1e-6),
               default=2 * inner)
    return point, angle, room


def _squares(geom, size: float) -> list:
    """The pieces of ``geom`` in a grid of squares of ``size`` metres, the larger ones only."""
    minx, miny, maxx, maxy = geom.bounds
    pieces = []
    for i in range(int((maxx - minx) // size) + 1):
        for j in range(int((maxy - miny) // size) + 1):
            x, y = minx + i * size, miny + j * size
            piece = geom.intersection(shapely.box(x, y, x + size, y + size))
            if not piece.is_empty and piece.area >= 0.05 * size * size:
                pieces.append(piece)
    return pieces


def place_labels(frame: gpd.GeoDataFrame, text_column: str, *, font_px: float = 13,
                 rank: int = 0, along: bool = False, fit: float = 1.0,
                 point_min_zoom: float = 0, repeat_m: float = 0, style: str = "") -> list[dict]:
    """One label per feature with a non-empty text: ``{"text", "lat", "lng", "minZoom", "rank",
    "angle", "w", "h", "point", "style"}`` with the anchor in WGS84 and the size in pixels, and
    ``"lines"`` where an area's long name is written on two lines (see two_lines).

    Areas get their label at the zoom where ``fit`` of its width fits across the feature (1: the
    whole label inside; 0.5: half of it, the rest beside); ``along`` measures along the feature
    instead, and turns the label to follow it. Points get theirs at ``point_min_zoom``.
    ``repeat_m`` repeats the label of a long feature (a river) once per square of that size it
    crosses, each following the feature there, so that a close view still shows its name.
    Within a rank, larger features come first."""
    if frame.empty:
        return []
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    projected = frame.geometry.to_crs(WEB_MERCATOR)
    out, anchors = [], []
    for text, geom_m in zip(frame[text_column], projected):
        text = str(text or "").strip()
        if not text:
            continue
        is_point = geom_m.geom_type in ("Point", "MultiPoint")
        lines = [text] if is_point or along else two_lines(text, font_px)
        width = max(text_width(line, font_px) for line in lines)
        pieces = [geom_m] + (_squares(geom_m, repeat_m) if repeat_m and not is_point else [])
        for piece in pieces:
            anchor_m, angle, room = _anchor(piece, along)
            min_zoom = point_min_zoom if is_point else zoom_for(room, (width + font_px) * fit)
            anchors.append(anchor_m)
            out.append({"text": text, "minZoom": round(max(0.0, min(MAX_ZOOM, min_zoom)), 2),
                        "rank": rank, "size": -float(piece.area or piece.length),
                        "angle": round(angle, 1), "w": round(width),
                        "h": round(font_px * 1.3 * len(lines)), "point": is_point, "style": style,
                        **({"lines": lines} if len(lines) > 1 else {})})
    lnglat = shapely.get_coordinates(gpd.GeoSeries(anchors, crs=WEB_MERCATOR).to_crs(frame.crs))
    for label, (lng, lat) in zip(out, lnglat):
        label["lat"], label["lng"] = round(float(lat), 5), round(float(lng), 5)
    out.sort(key=lambda label: (label["rank"], label["size"]))
    for label in out:
        del label["size"]
    return out
