"""Static maps (PNG, PDF) of the same layers as the web map, drawn with matplotlib: no browser.

Knows nothing about the plan. It takes geo.webmap.MapLayer objects (frame, colours, classes and
the names placed by geo.labels) and draws them in Web Mercator, as the web map does, with the
same symbols in the same order. Names are chosen as geo/webmap.js chooses them: those that fit
at the map's scale, in order of rank, each written in the first of its ways (a point's name
right of it, else left, above or below; a band's name at its other places) where it overlaps no
name and no point symbol already there.

Sizes follow the web map's: a CSS pixel is 1/96 inch, so a 13 px name is 9.75 pt on paper.
Chinese is drawn in Noto Sans CJK SC from the PyPI package mplfonts (installed by
requirements.txt), so a fresh machine needs no system font.
"""

from __future__ import annotations

import importlib.resources
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import matplotlib

matplotlib.use("agg")  # no display: files only

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402
from matplotlib import font_manager, patheffects  # noqa: E402
from matplotlib.collections import PatchCollection  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import FancyArrow, PathPatch, Patch  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402
from matplotlib_scalebar.scalebar import ScaleBar  # noqa: E402

from geo.labels import METRES_PER_PIXEL_Z0, WEB_MERCATOR  # noqa: E402
from geo.webmap import MapLayer, _symbol  # noqa: E402

PT_PER_PX = 0.75  # 72 pt / 96 CSS px per inch
GAP_PX = 4  # kept clear between two names, as on the web map
SAME_NAME_PX = 150  # a name is not written twice this close
SIDES = {"right": (1, 0), "left": (-1, 0), "top": (0, 1), "bottom": (0, -1)}  # y up
TEXT_STYLES = {  # geo/webmap.py's label classes: (px, colour, italic)
    "plain": (13, "#222222", False), "minor": (12, "#444444", False),
    "major": (15, "#1b2631", False), "zone": (13, "#7b241c", False),
    "water": (13, "#1f5f8b", True), "belt": (13, "#145a32", False),
}
BACKGROUND = "#cfe0ec"  # the web map's sea


@lru_cache(maxsize=1)
def font() -> font_manager.FontProperties:
    """Noto Sans CJK SC (SIL Open Font License) from mplfonts, registered with matplotlib."""
    path = importlib.resources.files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path))


def new_figure(width_in: float, height_in: float) -> Figure:
    """A figure in the CJK font, its text kept as text in a PDF (TrueType/CFF embedded)."""
    name = font().get_name()
    matplotlib.rcParams.update({"font.family": [name], "pdf.fonttype": 42,
                                "axes.unicode_minus": False})
    return Figure(figsize=(width_in, height_in))


@dataclass
class View:
    """The map's extent in Web Mercator metres, filling its axes, and its web map zoom."""
    x0: float
    y0: float
    x1: float
    y1: float
    zoom: float
    px_per_m: float  # CSS pixels of the axes per Web Mercator metre

    def to_px(self, x, y):
        return (np.asarray(x) - self.x0) * self.px_per_m, (np.asarray(y) - self.y0) * self.px_per_m


def fit_view(bounds: tuple[float, float, float, float], width_in: float, height_in: float) -> View:
    """``bounds`` (WGS84 minx, miny, maxx, maxy) widened to the axes' shape, centred."""
    (x0, x1), (y0, y1) = gpd.GeoSeries(
        [shapely.Point(bounds[0], bounds[1]), shapely.Point(bounds[2], bounds[3])], crs=4326
    ).to_crs(WEB_MERCATOR).pipe(lambda s: (s.x.to_numpy(), s.y.to_numpy()))
    width_px, height_px = width_in * 96, height_in * 96
    scale = min(width_px / (x1 - x0), height_px / (y1 - y0))  # px per metre
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = width_px / scale / 2, height_px / scale / 2
    zoom = math.log2(scale * METRES_PER_PIXEL_Z0)
    return View(cx - half_w, cy - half_h, cx + half_w, cy + half_h, zoom, scale)


def _dashes(dash: str | None, weight: float):
    if not dash:
        return "solid"
    numbers = [float(n) for n in re.findall(r"[\d.]+", dash)]
    return (0, tuple(n / max(weight, 0.1) for n in numbers))  # matplotlib scales by the width


def _paths(geom):
    """matplotlib paths of a polygon or multipolygon (holes included)."""
    out = []
    for part in getattr(geom, "geoms", [geom]):
        if part.geom_type != "Polygon":
            continue
        rings = [np.asarray(part.exterior.coords)] + [np.asarray(r.coords) for r in part.interiors]
        vertices = np.concatenate(rings)
        codes = np.concatenate([[MplPath.MOVETO] + [MplPath.LINETO] * (len(r) - 2) + [MplPath.CLOSEPOLY]
                                for r in rings])
        out.append(MplPath(vertices, codes))
    return out


def _draw_layer(ax, layer: MapLayer, frame: gpd.GeoDataFrame) -> None:
    classes = frame["class"] if "class" in frame.columns else [None] * len(frame)
    for geom, cls in zip(frame.geometry, classes):
        s = _symbol(layer, layer.classes.get(cls))
        face = to_rgba(s["fill"] or s["color"], s["fill_opacity"] if s["fill"] else 0.0)
        edge = to_rgba(s["color"], 0.95 if s["weight"] else 0.0)
        width = s["weight"] * PT_PER_PX
        if geom.geom_type in ("Point", "MultiPoint"):
            points = shapely.get_coordinates(geom)
            ax.scatter(points[:, 0], points[:, 1], s=(2 * layer.radius * PT_PER_PX) ** 2,
                       facecolors=[face], edgecolors=[edge], linewidths=width, zorder=3)
        elif geom.geom_type in ("LineString", "MultiLineString"):
            for line in getattr(geom, "geoms", [geom]):
                xy = np.asarray(line.coords)
                ax.plot(xy[:, 0], xy[:, 1], color=edge, linewidth=width,
                        linestyle=_dashes(s["dash"], s["weight"]))
        else:
            ax.add_collection(PatchCollection(
                [PathPatch(p) for p in _paths(geom)], facecolors=[face], edgecolors=[edge],
                linewidths=width, linestyles=[_dashes(s["dash"], s["weight"])]))


def _box(cx: float, cy: float, w: float, h: float, angle: float) -> shapely.Polygon:
    """A name's room in pixels: w × h around (cx, cy), turned by ``angle`` degrees."""
    box = shapely.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
    return shapely.affinity.rotate(box, angle, origin=(cx, cy)) if angle else box


def _ways(label: dict, zoom: float) -> list[dict]:
    """The ways a name may be written at this zoom: itself, then its other places."""
    first = {k: label[k] for k in ("lat", "lng", "angle", "w", "h", "minZoom") if k in label}
    first["lines"] = label.get("lines", [label["text"]])
    out = [first] + [{**alt, "lines": alt.get("lines", [label["text"]])} for alt in label.get("alts", [])]
    return [way for way in out if zoom + 1e-9 >= way["minZoom"]]


def symbol_boxes(layers: list[MapLayer], view: View) -> list[shapely.Polygon]:
    """The point symbols drawn, as boxes in pixels of the axes (y up)."""
    out = []
    for layer in layers:
        frame = layer.frame
        points = frame.geometry[frame.geom_type.isin(["Point", "MultiPoint"])]
        if points.empty:
            continue
        xy = shapely.get_coordinates(points.to_crs(WEB_MERCATOR).values)
        r = layer.radius
        out += [shapely.box(x - r, y - r, x + r, y + r) for x, y in zip(*view.to_px(xy[:, 0], xy[:, 1]))]
    return out


def place_names(layers: list[MapLayer], view: View, width_px: float, height_px: float,
                keep_out: list[shapely.Polygon] = ()) -> list[dict]:
    """The names written on the map: ``{"text", "x", "y", "angle", "ha", "va", "style",
    "font"}`` in pixels of the axes (y up), in order of rank; none over ``keep_out`` (boxes in
    pixels: the scale bar, the north arrow, a legend on the map)."""
    symbols = symbol_boxes(layers, view)
    frame_px = shapely.box(0, 0, width_px, height_px)
    placed: list[shapely.Polygon] = list(keep_out)
    written: list[dict] = []
    labels = sorted(((label, layer) for layer in layers for label in layer.labels),
                    key=lambda pair: pair[0]["rank"])
    for label, layer in labels:
        text = label["text"]
        for way in _ways(label, view.zoom):
            x, y = gpd.GeoSeries([shapely.Point(way["lng"], way["lat"])], crs=4326).to_crs(
                WEB_MERCATOR).iloc[0].coords[0]
            px, py = view.to_px(x, y)
            font_px = way.get("font", TEXT_STYLES.get(label.get("style") or "plain", TEXT_STYLES["plain"])[0])
            w, h = way["w"] + 6, way["h"] + 2
            sides = list(SIDES) if label.get("point") else [None]
            for side in sides:
                cx, cy, ha, va = float(px), float(py), "center", "center"
                if side:
                    dx, dy = SIDES[side]
                    gap = layer.radius + 3
                    cx += dx * (gap + w / 2)
                    cy += dy * (gap + h / 2)
                    ha = {1: "left", -1: "right", 0: "center"}[dx]
                    va = {1: "bottom", -1: "top", 0: "center"}[dy]
                box = _box(cx, cy, w, h, way["angle"] if not side else 0)
                if not frame_px.contains(box):
                    continue
                near = box.buffer(GAP_PX)
                if any(near.intersects(p) for p in placed):
                    continue
                if not label.get("point") and any(box.intersects(s) for s in symbols):
                    continue
                if any(o["text"] == text and math.dist((o["cx"], o["cy"]), (cx, cy)) < SAME_NAME_PX
                       for o in written):
                    continue
                anchor_x = float(px) + (dx * (layer.radius + 3) if side else 0)
                anchor_y = float(py) + (dy * (layer.radius + 3) if side else 0)
                placed.append(box)
                written.append({"text": "\n".join(way["lines"]), "x": anchor_x, "y": anchor_y,
                                "cx": cx, "cy": cy, "angle": 0 if side else way["angle"],
                                "ha": ha, "va": va, "style": label.get("style") or "plain",
                                "font": font_px})
                break
            else:
                continue
            break
    return written


SCALE_BOX = (0.0, 0.0, 0.3, 0.11)  # axes fraction: the scale bar's corner, kept free of names
NORTH_SPOTS = ((0.955, 0.83), (0.955, 0.07), (0.045, 0.83))  # the arrow's foot, tried in turn
NORTH_SIZE = (0.045, 0.035, 0.045, 0.135)  # the arrow and its letter around its foot: left, below, right, above


def _north_box(spot) -> tuple[float, float, float, float]:
    x, y = spot
    return x - NORTH_SIZE[0], y - NORTH_SIZE[1], x + NORTH_SIZE[2], y + NORTH_SIZE[3]


def _px(box, width_px: float, height_px: float) -> shapely.Polygon:
    return shapely.box(box[0] * width_px, box[1] * height_px, box[2] * width_px, box[3] * height_px)


def draw_map(ax, layers: list[MapLayer], bounds: tuple[float, float, float, float],
             order: list[str] | None = None, furniture: tuple[float, str] | None = None,
             keep_out: list[tuple[float, float, float, float]] = ()) -> dict:
    """Draw ``layers`` on ``ax`` over ``bounds`` (WGS84), bottom first in ``order``, with their
    names; with ``furniture`` (font size in points, the letter for north), a scale bar and a
    north arrow too, the arrow in the first corner free of point symbols and of ``keep_out``
    (boxes in axes fractions, such as a legend drawn on the map); no name is written over
    any of them. Returns what was drawn: ``{"view", "names", "north"}``."""
    position = ax.get_position()
    fig_w, fig_h = ax.figure.get_size_inches()
    width_in, height_in = position.width * fig_w, position.height * fig_h
    view = fit_view(bounds, width_in, height_in)
    ax.set_facecolor(BACKGROUND)
    ax.set_xlim(view.x0, view.x1)
    ax.set_ylim(view.y0, view.y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    by_id = {layer.id: layer for layer in layers}
    order = [i for i in (order or []) if i in by_id] + [x.id for x in layers if x.id not in (order or [])]
    drawn = [by_id[i] for i in order]
    window = shapely.box(view.x0, view.y0, view.x1, view.y1)
    for layer in drawn:
        frame = layer.frame.to_crs(WEB_MERCATOR)
        frame = frame[frame.geometry.intersects(window)]
        frame = frame.set_geometry(frame.geometry.intersection(window.buffer((view.x1 - view.x0) * 0.02)))
        _draw_layer(ax, layer, frame[~frame.geometry.is_empty])
    width_px, height_px = width_in * 96, height_in * 96
    boxes, north = list(keep_out), None
    if furniture:
        symbols = shapely.union_all(symbol_boxes(drawn, view) or [shapely.Point()])
        taken = [_px(b, width_px, height_px) for b in (*keep_out, SCALE_BOX)]
        north = next((spot for spot in NORTH_SPOTS
                      if not _px(_north_box(spot), width_px, height_px).intersects(symbols)
                      and not any(_px(_north_box(spot), width_px, height_px).intersects(t) for t in taken)),
                     NORTH_SPOTS[0])
        boxes += [SCALE_BOX, _north_box(north)]
    names = place_names(drawn, view, width_px, height_px, [_px(b, width_px, height_px) for b in boxes])
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    for name in names:
        _, colour, italic = TEXT_STYLES.get(name["style"], TEXT_STYLES["plain"])
        x = view.x0 + name["x"] / view.px_per_m
        y = view.y0 + name["y"] / view.px_per_m
        ax.text(x, y, name["text"], rotation=name["angle"], rotation_mode="anchor",
                ha=name["ha"], va=name["va"], fontsize=name["font"] * PT_PER_PX, color=colour,
                fontstyle="italic" if italic else "normal",
                linespacing=1.1, path_effects=halo, zorder=5, multialignment="center")
    if furniture:
        draw_scale_and_north(ax, view, furniture[0], furniture[1], north)
    return {"view": view, "names": names, "north": north}


def legend_handles(layers: list[MapLayer]) -> list[tuple]:
    """(handle, text) per layer in the given order; a layer drawn by class gets a row with its
    name and then a row per class, as in the web map's layer list."""
    out = []
    for layer in layers:
        point = bool(len(layer.frame)) and bool((layer.frame.geom_type == "Point").all())
        if layer.classes:
            out.append((Patch(facecolor="none", edgecolor="none"), layer.name))
        for spec in list(layer.classes.values()) or [{}]:
            s = _symbol(layer, spec)
            face = to_rgba(s["fill"] or s["color"], s["fill_opacity"] if s["fill"] else 0.0)
            if point:
                handle = Line2D([], [], marker="o", linestyle="none", markersize=layer.radius * 1.2,
                                markerfacecolor=face, markeredgecolor=s["color"])
            else:
                handle = Patch(facecolor=face, edgecolor=s["color"],
                               linewidth=max(s["weight"], 0.8) * PT_PER_PX,
                               linestyle=_dashes(s["dash"], s["weight"]))
            out.append((handle, f"  {spec['name']}" if layer.classes else layer.name))
    return out


def draw_legend(ax, layers: list[MapLayer], title: str, font_pt: float, loc: str = "upper left"):
    """The legend of ``layers`` on ``ax`` (an empty axes or the map's)."""
    pairs = legend_handles(layers)
    legend = ax.legend([h for h, _ in pairs], [t for _, t in pairs], title=title, loc=loc,
                       prop={"size": font_pt, "family": font().get_name()},
                       title_fontproperties={"size": font_pt * 1.1, "family": font().get_name()},
                       frameon=True, framealpha=0.92, borderpad=0.6, labelspacing=0.45,
                       handlelength=1.6, handleheight=1.0, alignment="left")
    legend.get_frame().set_edgecolor("#999999")
    legend.set_zorder(10)
    return legend


def draw_scale_and_north(ax, view: View, font_pt: float, north: str = "N",
                         spot: tuple[float, float] = NORTH_SPOTS[0]) -> None:
    """A metric scale bar (matplotlib-scalebar, true metres at the map's centre latitude) in
    the lower left corner, and a north arrow (up: north on a Web Mercator map) with its foot
    at ``spot`` (axes fractions)."""
    lat = math.degrees(2 * math.atan(math.exp((view.y0 + view.y1) / 2 / 6378137)) - math.pi / 2)
    ax.add_artist(ScaleBar(math.cos(math.radians(lat)), units="m", location="lower left",
                           box_alpha=0.85, font_properties={"size": font_pt, "family": font().get_name()},
                           length_fraction=0.22, scale_loc="top", border_pad=0.8))
    (x, y), length = spot, 0.09
    ax.add_patch(FancyArrow(x, y, 0, length, width=0.012, head_width=0.035, head_length=0.04,
                            length_includes_head=True, transform=ax.transAxes, color="#222222",
                            zorder=11))
    ax.text(x, y - 0.012, north, transform=ax.transAxes, ha="center", va="top",
            fontsize=font_pt * 1.2, zorder=11,
            path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")])


def wrap(text: str, font_pt: float, width_in: float) -> list[str]:
    """``text`` cut into lines no wider than ``width_in`` at ``font_pt`` (geo.labels' width
    estimate; Latin text is cut at spaces)."""
    from geo.labels import text_width

    limit = width_in * 72
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for piece in re.findall(r"[A-Za-z0-9.,;:%±()'\"/\-–]+ ?|.", paragraph):
            if line and text_width(line + piece.rstrip(), font_pt) > limit:
                lines.append(line.rstrip())
                line = piece.lstrip()
            else:
                line += piece
        lines.append(line.rstrip())
    return lines
