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


def _ray_room(part, point, angle: float, far: float) -> tuple[float, float]:
    """How far a straight line through ``point`` at ``angle`` stays inside ``part`` backward
    and forward of it (metres, each at most ``far``)."""
    rad = math.radians(angle)
    dx, dy = math.cos(rad), math.sin(rad)
    ray = shapely.LineString([(point.x - far * dx, point.y - far * dy),
                              (point.x + far * dx, point.y + far * dy)])
    inside = ray.intersection(part)
    for g in getattr(inside, "geoms", [inside]):
        if g.geom_type == "LineString" and g.distance(point) < 1e-6:
            ends = [(x - point.x) * dx + (y - point.y) * dy for x, y in g.coords]
            return max(0.0, -min(ends)), max(0.0, max(ends))
    return 0.0, 0.0


def _middle_line(part, start, angle: float, step: float, inner: float) -> list[tuple]:
    """Points along the middle of the band ``part``, walked from ``start`` both ways in steps
    of ``step``: ``[(distance from start, point, angle of the band there)]``, from one end
    to the other. At each step the point is put back in the middle of the band across it,
    so that the walk follows a band that bends."""
    out = [(0.0, start, angle)]
    for sign in (1, -1):
        point, rad, walked = start, math.radians(angle), 0.0
        dx, dy = sign * math.cos(rad), sign * math.sin(rad)
        for _ in range(400):
            ahead = shapely.Point(point.x + step * dx, point.y + step * dy)
            cross = shapely.LineString([(ahead.x + 4 * inner * dy, ahead.y - 4 * inner * dx),
                                        (ahead.x - 4 * inner * dy, ahead.y + 4 * inner * dx)])
            pieces = [g for g in getattr(cross.intersection(part), "geoms", [cross.intersection(part)])
                      if g.geom_type == "LineString" and g.distance(ahead) < inner]
            if not pieces:
                break
            middle = min(pieces, key=lambda g: g.distance(ahead)).interpolate(0.5, normalized=True)
            local = _axis_angle(part.intersection(middle.buffer(3 * inner)))
            ux, uy = math.cos(math.radians(local)), math.sin(math.radians(local))
            if ux * dx + uy * dy < 0:
                ux, uy = -ux, -uy
            walked += middle.distance(point)
            point, dx, dy = middle, ux, uy
            out.append((sign * walked, point, local))
    return sorted(out, key=lambda item: item[0])


def longest_name(back: float, ahead: float, fit: float) -> float:
    """The longest name (metres) that, centred ``back`` metres from one end of a straight
    stretch and ``ahead`` from the other, has its share ``fit`` within the stretch. The share
    within only falls as the name grows, so every shorter name fits too."""
    near, far = sorted((max(back, 0.0), max(ahead, 0.0)))
    if fit <= 0:
        return math.inf
    if far == 0 or fit <= 0.5 + near / (2 * far):  # the share within at a length of 2 × far
        return (near + far) / fit  # running past both ends
    return near / (fit - 0.5)  # past the nearer end only


def _band_places(part, anchor, angle: float, inner: float, count: int) -> list[tuple]:
    """Up to ``count`` other places for a name along the band ``part``, evenly along its middle
    line from end to end, nearest its middle first: ``[(point, angle, back, ahead, across,
    end)]``: the band's direction there, the straight stretch within it behind and ahead, its
    half width (metres), and at either end of the line which way is out of the band (1 along
    the angle, -1 against it; 0 elsewhere)."""
    if count <= 0 or inner <= 0:
        return []
    line = _middle_line(part, anchor, angle, max(inner / 2, 1.0), inner)
    first, last = line[0][0], line[-1][0]
    if last - first <= 2 * inner:
        return []
    spacing = (last - first) / max(count - 1, 1)
    wanted = sorted((first + i * spacing for i in range(count)), key=lambda s: abs(s - (first + last) / 2))
    out = []
    for target in wanted:
        i = min(range(len(line)), key=lambda i: abs(line[i][0] - target))
        s, point, local = line[i]
        if abs(s) < spacing / 2 or any(point.distance(other[0]) < spacing / 2 for other in out):
            continue  # the first place, or next to one already taken
        back, ahead = _ray_room(part, point, local, 12 * inner)  # as far as _anchor looks
        across, end = part.boundary.distance(point), 0
        if i in (0, len(line) - 1):  # an end: the place is the band's tip, on its line
            across = inner
            inside = line[1 if i == 0 else -2][1]
            rad = math.radians(local)
            end = 1 if (point.x - inside.x) * math.cos(rad) + (point.y - inside.y) * math.sin(rad) > 0 else -1
            out_m = ahead if end == 1 else back
            point = shapely.Point(point.x + end * out_m * math.cos(rad), point.y + end * out_m * math.sin(rad))
            back, ahead = (back + ahead, 0.0) if end == 1 else (0.0, back + ahead)
        out.append((point, local, back, ahead, across, end))
    return out


def _area_places(part, anchor, inner: float, count: int) -> list[tuple]:
    """Up to ``count`` other places inside the area ``part`` for its name, roomiest first (and
    apart from one another), with at least 0.6 of the room at the anchor: ``[(point, room
    across)]``, from a grid of half that room."""
    if count <= 0 or inner <= 0:
        return []
    minx, miny, maxx, maxy = part.bounds
    step = max(inner / 2, (maxx - minx) / 60, (maxy - miny) / 60)  # at most about 60 × 60
    xs = [minx + step * (i + 0.5) for i in range(int((maxx - minx) / step) + 1)]
    ys = [miny + step * (j + 0.5) for j in range(int((maxy - miny) / step) + 1)]
    grid = shapely.points([(x, y) for x in xs for y in ys])
    grid = grid[shapely.contains(part, grid)]
    rooms = shapely.distance(part.boundary, grid)
    out = []
    for i in sorted(range(len(grid)), key=lambda i: -rooms[i]):
        point, room = grid[i], float(rooms[i])
        if room < 0.6 * inner or len(out) == count:
            break
        if point.distance(anchor) >= step and all(point.distance(o[0]) >= step for o in out):
            out.append((point, 2 * room))
    return out


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
                 point_min_zoom: float = 0, repeat_m: float = 0, style: str = "",
                 places: int = 9, spares: int = 0) -> list[dict]:
    """One label per feature with a non-empty text: ``{"text", "lat", "lng", "minZoom", "rank",
    "angle", "w", "h", "point", "style"}`` with the anchor in WGS84 and the size in pixels, and
    ``"lines"`` where an area's long name is written on two lines (see two_lines).

    A name along a band (``along`` without ``repeat_m``: a corridor) also gets its half width
    ``"across"`` (metres) and ``"alts"``, other ways to write it, which the map tries in order
    when the first is taken: ``{"lat", "lng", "angle", "minZoom", "w", "h", "across"}``, with
    ``"lines"`` when on two lines (a long name of several words) and ``"font"`` when in smaller
    type. They are the name at its place on two lines, then at up to ``places`` other places
    evenly along the band's middle line, end to end, nearest the middle first; then all of it
    again two pixels smaller (not below 10). Each is shown from the zoom where its share ``fit`` lies within
    the band's straight stretch there (see longest_name). The places at the two ends are the
    band's tips and carry ``"end"``, the way out of the band (1 along the angle, -1 against it).

    With ``spares``, names get ``"spares"``, places the map may move them to (or ways to fold
    them) so as to make room for a band's name: an area's name up to ``spares`` other places
    inside the area, roomiest first, each with its own ``"minZoom"``; a point's long name of
    several words its two lines.

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

    def written(anchor_m, angle, longest, lines, px, across):
        """A name written at one place (its anchor goes to ``anchors``, in step), in ``px``
        type, shown from the zoom where it is no longer than ``longest`` metres."""
        width = max(text_width(line, px) for line in lines)
        anchors.append(anchor_m)
        zoom = zoom_for(longest, width + px) if math.isfinite(longest) else 0.0
        return {"minZoom": round(max(0.0, min(MAX_ZOOM, zoom)), 2),
                "angle": round(angle, 1), "w": round(width), "h": round(px * 1.3 * len(lines)),
                **({"across": round(across)} if across is not None else {}),
                **({"font": px} if px != font_px else {}),
                **({"lines": lines} if len(lines) > 1 else {})}

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
            label = {"text": text, "minZoom": round(max(0.0, min(MAX_ZOOM, min_zoom)), 2),
                     "rank": rank, "size": -float(piece.area or piece.length),
                     "angle": round(angle, 1), "w": round(width),
                     "h": round(font_px * 1.3 * len(lines)), "point": is_point, "style": style,
                     **({"lines": lines} if len(lines) > 1 else {})}
            out.append(label)
            if along and not repeat_m and not is_point:
                part = _largest_part(piece)
                inner = part.boundary.distance(anchor_m)
                label["across"] = round(inner)
                at = [(anchor_m, angle, room / fit if fit > 0 else math.inf, inner, 0)] + [
                    (point, local, longest_name(back, ahead, fit), across, end)
                    for point, local, back, ahead, across, end in _band_places(part, anchor_m, angle, inner, places)]
                alts = []
                for px in sorted({font_px, max(font_px - 2, 10)}, reverse=True):
                    split = two_lines(text, px)
                    for i, (point, local, longest, across, end) in enumerate(at):
                        for way in [[text]] + ([split] if len(split) > 1 else []):
                            if (i, way, px) != (0, [text], font_px):  # the label itself
                                alts.append({**written(point, local, longest, way, px, across),
                                             **({"end": end} if end else {})})
                label["alts"] = alts
            elif is_point and spares and len(split := two_lines(text, font_px)) > 1:
                label["spares"] = [{**written(anchor_m, 0.0, math.inf, split, font_px, None),
                                    "minZoom": label["minZoom"]}]
            elif not is_point and not along and spares:
                part = _largest_part(piece)
                label["spares"] = [written(point, 0.0, room_there / fit if fit > 0 else math.inf,
                                           lines, font_px, None)
                                   for point, room_there in _area_places(
                                       part, anchor_m, part.boundary.distance(anchor_m), spares)]
    lnglat = iter(shapely.get_coordinates(gpd.GeoSeries(anchors, crs=WEB_MERCATOR).to_crs(frame.crs)))
    for label in out:
        for spec in [label, *label.get("alts", []), *label.get("spares", [])]:
            lng, lat = next(lnglat)
            spec["lat"], spec["lng"] = round(float(lat), 5), round(float(lng), 5)
    out.sort(key=lambda label: (label["rank"], label["size"]))
    for label in out:
        del label["size"]
    return out
