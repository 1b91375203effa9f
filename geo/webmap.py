"""Build a folium (Leaflet) map from GeoDataFrames, with no request to any other host.

Knows nothing about the plan: it takes layers with an id, a display name, a group, a style and
a label per feature. Every label is HTML-escaped before it reaches the page (folium's tooltips
do not escape), and the layer list of geo/webmap.js sets every text with textContent.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

import folium
import geopandas as gpd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template

from geo.assets import LEAFLET_CSS, LEAFLET_JS

COORD_DECIMALS = 5  # about 1 m
_JS = (Path(__file__).with_name("webmap.js")).read_text(encoding="utf-8")

CSS = """
<style>
.hm-panel{background:#fff;padding:6px 8px;max-height:70vh;overflow:auto;font:13px/1.35 system-ui,sans-serif;min-width:190px}
.hm-head{display:flex;justify-content:space-between;align-items:center;font-weight:600;margin-bottom:2px}
.hm-fold,.hm-zoom{border:0;background:none;cursor:pointer;font-size:14px;color:#444;padding:0 2px}
.hm-group{margin-top:6px;font-weight:600;color:#333;border-top:1px solid #eee;padding-top:4px}
.hm-row{display:flex;align-items:center;gap:5px;cursor:pointer;white-space:nowrap}
.hm-row.hm-off .hm-swatch,.hm-row.hm-off .hm-name{opacity:.35}
.hm-swatch{display:inline-block;width:13px;height:13px;border:2px solid;border-radius:2px;box-sizing:border-box}
.hm-swatch.hm-point{border-radius:50%}
.hm-name{flex:1}.hm-count{color:#888;font-size:11px}
.hm-tools a.hm-tool{font-size:15px;line-height:30px;text-align:center;text-decoration:none;color:#222}
.hm-tools a.hm-active{background:#ffe28a}
.hm-measure{position:absolute;left:50px;bottom:8px;z-index:800;background:#fff;border:1px solid #999;
  border-radius:4px;padding:3px 8px;font:13px system-ui,sans-serif}
.leaflet-container{background:#dfe6ea}
.leaflet-interactive:focus{outline:none}
</style>
"""


@dataclass
class MapLayer:
    id: str  # stable id, used in the URL
    name: str  # shown in the layer list (plain text)
    group: str  # group id, see ``build_map(groups=...)``
    frame: gpd.GeoDataFrame  # WGS84, with a "label" column (plain text; escaped here)
    color: str
    fill: str | None = None
    fill_opacity: float = 0.35
    weight: float = 2
    dash: str | None = None
    radius: float = 7
    show: bool = True
    interactive: bool = True
    properties: list[str] = field(default_factory=list)  # extra columns sent with each feature


def for_display(frame: gpd.GeoDataFrame, tolerance: float, coverage: bool = False) -> gpd.GeoDataFrame:
    """Simplify by ``tolerance`` degrees and trim coordinates to about 1 m.

    With ``coverage`` the polygons are simplified together (shapely.coverage_simplify), so
    that borders shared by neighbours stay identical: no slivers, no double lines.
    """
    out = frame[frame.geometry.notna() & ~frame.geometry.is_empty].copy()
    geoms = out.geometry.values
    if tolerance > 0:
        if coverage:
            geoms = shapely.coverage_simplify(geoms, tolerance)
        else:
            geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    out["geometry"] = shapely.set_precision(geoms, 10 ** -COORD_DECIMALS)
    return out[~out.geometry.is_empty]


def _style(layer: MapLayer) -> dict:
    # An outline-only layer has no fill at all, so that clicks inside it reach the layers below.
    style = {"color": layer.color, "weight": layer.weight, "opacity": 0.9 if layer.weight else 0,
             "fill": layer.fill is not None, "fillColor": layer.fill or layer.color,
             "fillOpacity": layer.fill_opacity if layer.fill else 0.0}
    if layer.dash:
        style["dashArray"] = layer.dash
    return style


def _script_json(value) -> str:
    """JSON safe to put inside a <script> element: no "<" at all, so nothing can close it."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


class _Behaviour(MacroElement):
    """geo/webmap.js, bound to the map and its GeoJSON layers."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.code() }}{% endmacro %}")

    def __init__(self, layers: dict, config: dict):
        super().__init__()
        self._layers = layers
        self._config = config

    def code(self) -> str:
        variables = "{" + ",".join(f"{json.dumps(k)}: {v.get_name()}"
                                   for k, v in self._layers.items()) + "}"
        return (_JS.replace("__MAP__", self._parent.get_name())
                .replace("__CONFIG__", _script_json(self._config))
                .replace("__LAYERS__", variables))


def build_map(layers: list[MapLayer], bounds: tuple[float, float, float, float],
              groups: list[tuple[str, str]], texts: dict[str, str], height: int = 600,
              tiles: dict | None = None, draw: bool = False) -> folium.Map:
    """A Leaflet map of ``layers`` fitted to ``bounds`` (minx, miny, maxx, maxy).

    ``groups`` orders the layer list: (group id, display name). ``texts`` holds the labels of
    the controls in the page's language. ``tiles`` is an optional online basemap
    ({"url", "attribution", "subdomains"}); by default the map has no tiles at all.
    """
    fmap = folium.Map(tiles=None, control_scale=True, height=height, zoom_control=True)
    # Only Leaflet itself, served by the app: folium's defaults load jQuery, Bootstrap and
    # Font Awesome from CDNs.
    fmap.default_js = [("leaflet", LEAFLET_JS)]
    fmap.default_css = [("leaflet_css", LEAFLET_CSS)]
    fmap.get_root().header.add_child(Element(CSS))
    if tiles:
        folium.TileLayer(tiles["url"], attr=tiles["attribution"], name="basemap",
                         subdomains=tiles.get("subdomains", "abc"), max_zoom=18).add_to(fmap)
    handles = {}
    config_layers = []
    for layer in layers:
        frame = layer.frame.copy()
        frame["label"] = frame["label"].map(lambda s: html.escape(str(s)))
        for column in layer.properties:
            frame[column] = frame[column].map(lambda s: html.escape(str(s)))
        points = bool(len(frame)) and bool((frame.geom_type == "Point").all())
        marker = folium.CircleMarker(radius=layer.radius, fill=True) if (frame.geom_type == "Point").any() else None
        style = _style(layer)
        columns = ["label", *layer.properties, "geometry"]
        geojson = folium.GeoJson(
            frame[columns].to_json(), style_function=lambda _f, s=style: s, marker=marker,
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False) if layer.interactive else None,
            interactive=layer.interactive, name=layer.id, show=layer.show,
        )
        geojson.add_to(fmap)
        handles[layer.id] = geojson
        config_layers.append({"id": layer.id, "name": layer.name, "group": layer.group,
                              "color": layer.color, "fill": layer.fill, "dash": layer.dash,
                              "point": points, "count": int(len(frame))})
    minx, miny, maxx, maxy = bounds
    config = {"layers": config_layers, "groups": [{"id": g, "name": n} for g, n in groups],
              "texts": texts, "bounds": [[miny, minx], [maxy, maxx]], "draw": draw}
    # The view is set by webmap.js: from the URL when it has one, else fitted to ``bounds``.
    _Behaviour(handles, config).add_to(fmap)
    return fmap
