"""Build a folium (Leaflet) map from GeoDataFrames, with no request to any other host.

Knows nothing about the plan: it takes layers with an id, a display name, a group, a style and
a label per feature. Every label is HTML-escaped before it reaches the page (folium's tooltips
do not escape), and the layer list of geo/webmap.js sets every text with textContent.
"""

from __future__ import annotations

import copy
import html
import json
from dataclasses import dataclass, field

import folium
import geopandas as gpd
import shapely
from branca.element import Element, MacroElement
from folium.elements import ElementAddToElement
from jinja2 import Template

from geo.assets import HARBOR_JS, LEAFLET_CSS, LEAFLET_JS, inline
from geo.labels import text_width

COORD_DECIMALS = 5  # about 1 m

CSS = """
<style>
:root{--hm-scale:1}
.hm-panel{background:#fff;padding:6px 8px;max-height:70vh;overflow:auto;min-width:190px;
  max-width:calc(290px * var(--hm-scale));box-sizing:border-box;
  font:calc(13px * var(--hm-scale))/1.35 system-ui,"Noto Sans CJK SC",sans-serif}
.hm-head{display:flex;justify-content:space-between;align-items:center;font-weight:600;margin-bottom:2px}
.hm-fold,.hm-zoom{border:0;background:none;cursor:pointer;font-size:1.05em;color:#444;padding:0 2px}
.hm-group{margin-top:6px;font-weight:600;color:#333;border-top:1px solid #eee;padding-top:4px}
.hm-row,.hm-sub{display:flex;align-items:center;gap:5px}
.hm-row{cursor:pointer}.hm-sub{padding-left:22px;font-size:.92em;color:#333}
.hm-off .hm-swatch,.hm-off .hm-name{opacity:.35}
.hm-swatch{display:inline-block;width:1em;height:1em;border:2px solid;border-radius:2px;box-sizing:border-box;flex:none}
.hm-swatch.hm-point{border-radius:50%}
.hm-name{flex:1}.hm-count{color:#888;font-size:.85em}
.hm-tools a.hm-tool{font-size:15px;line-height:30px;text-align:center;text-decoration:none;color:#222}
.hm-tools a.hm-active{background:#ffe28a}
.hm-measure{background:#fff;border:1px solid #999;border-radius:4px;padding:3px 8px;
  font:calc(13px * var(--hm-scale)) system-ui,sans-serif}
.hm-north{background:rgba(255,255,255,.85);border-radius:4px;padding:2px 4px 0;line-height:0}
.leaflet-control-scale-line{font-size:calc(11px * var(--hm-scale))}
.leaflet-control-attribution{font-size:calc(10px * var(--hm-scale))}
.leaflet-container{background:#cfe0ec}
.leaflet-interactive:focus{outline:none}
.hm-label{pointer-events:none}
.hm-tool-on .leaflet-tooltip{display:none}
.hm-label-box{position:absolute;left:0;top:0;transform:translate(-50%,-50%);white-space:nowrap}
.hm-label-text{display:inline-block;text-align:center;font:600 calc(13px * var(--hm-scale))/1.2 system-ui,"Noto Sans CJK SC",sans-serif;
  color:#222;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,1px 1px 0 #fff,-1px -1px 0 #fff,1px -1px 0 #fff,-1px 1px 0 #fff}
.hm-style-minor{font-weight:400;color:#444;font-size:calc(12px * var(--hm-scale))}
.hm-style-major{font-size:calc(15px * var(--hm-scale));color:#1b2631}
.hm-style-zone{color:#7b241c}
.hm-style-water{color:#1f5f8b;font-style:italic;font-weight:400}
.hm-style-belt{color:#145a32;letter-spacing:.05em}
</style>
"""


DECK_CSS = """
<style>
html,body{margin:0;height:100%;overflow:hidden}
.folium-map{position:absolute!important;inset:0;height:100%!important;width:100%!important}
.hm-deck .hm-item.hm-off,.hm-deck .hm-group.hm-empty{display:none}
.hm-deck .hm-row input,.hm-deck .hm-count,.hm-deck .hm-zoom{display:none}
.hm-deck .hm-panel{font-size:calc(11px + .45vw);max-width:26vw}
.hm-deck-panel{background:rgba(255,255,255,.94);padding:.6em 1em;border-radius:6px;
  box-shadow:0 1px 6px rgba(0,0,0,.25);width:30vw;max-height:calc(100vh - 140px);overflow:auto;
  font:calc(12px + .75vw)/1.35 system-ui,"Noto Sans CJK SC",sans-serif;color:#1b2631;box-sizing:border-box}
.hm-deck-title{font-size:1.6em;margin:.1em 0 .3em;line-height:1.2}
.hm-deck-lead{margin:0 0 .5em;color:#333}
.hm-deck-section{font-size:1.05em;margin:.6em 0 .2em;color:#7b241c}
.hm-deck-list{margin:0;padding-left:1.1em}.hm-deck-list li{margin:.15em 0}
.hm-deck-nav{display:flex;align-items:center;gap:.4em;background:rgba(255,255,255,.94);padding:.3em .5em;
  border-radius:6px;box-shadow:0 1px 6px rgba(0,0,0,.25);font:calc(12px + .6vw) system-ui,sans-serif}
.hm-deck-button{font-size:1em;border:1px solid #888;background:#fff;border-radius:4px;cursor:pointer;padding:.1em .5em}
.hm-deck-counter{min-width:4em;text-align:center}
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
    pick: bool = False  # a click selects the smallest feature of the pickable layers under it
    properties: list[str] = field(default_factory=list)  # extra columns sent with each feature
    # Features told apart: {class: {"name", and any of color, fill, fill_opacity, weight, dash}},
    # picked by the frame's "class" column; each class is a row of the legend.
    classes: dict[str, dict] = field(default_factory=dict)
    labels: list[dict] = field(default_factory=list)  # from geo.labels.place_labels


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


def _symbol(layer: MapLayer, overrides: dict | None = None) -> dict:
    """The layer's symbol (color, fill, fill_opacity, weight, dash), with a class's overrides."""
    symbol = {"color": layer.color, "fill": layer.fill, "fill_opacity": layer.fill_opacity,
              "weight": layer.weight, "dash": layer.dash}
    symbol.update({k: v for k, v in (overrides or {}).items() if k in symbol})
    return symbol


def _style(s: dict) -> dict:
    """Leaflet path options of a symbol. A layer drawn as an outline keeps a nearly clear fill,
    so that a click anywhere inside it lands on it."""
    style = {"color": s["color"], "weight": s["weight"], "opacity": 0.95 if s["weight"] else 0,
             "fill": True, "fillColor": s["fill"] or s["color"],
             "fillOpacity": s["fill_opacity"] if s["fill"] else 0.0}
    if s["dash"]:
        style["dashArray"] = s["dash"]
    return style


def _script_json(value) -> str:
    """JSON safe to put inside a <script> element: no "<" at all, so nothing can close it."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


class _Behaviour(MacroElement):
    """Calls harborMap (geo/webmap.js, a static file) with the map, its data and its layers;
    then, for a deck, harborDeck (geo/deck.js) with its scenes."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.code() }}{% endmacro %}")

    def __init__(self, layers: dict, config: dict, deck: dict | None = None):
        super().__init__()
        self._layers = layers
        self._config = config
        self._deck = deck

    def code(self) -> str:
        variables = "{" + ",".join(f"{json.dumps(k)}: {v.get_name()}"
                                   for k, v in self._layers.items()) + "}"
        code = (f"harborMap({self._parent.get_name()}, {_script_json(self._config)}, "
                f"{variables});")
        if self._deck is not None:
            code += f"harborDeck(window.harbor, {_script_json(self._deck)});"
        return code


class _Layer(folium.GeoJson):
    """folium.GeoJson whose script is made once for each name it is drawn under.

    A page's map is built once and kept (pages/common.py); every run draws a copy of it, and
    streamlit-folium renders that copy two or three times a run. Each render turned the same
    features into the same text again and compiled it as a template: a tenth to a third of a
    second a run, the most of a page's server time. Here the text and its compiled element are
    kept by name, and copies share them with the features, which never change once built."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.script_text() }}{% endmacro %}")
    _SHARED = ("data", "_made")

    def __init__(self, *args, **kwargs):
        self._made: dict = {}  # (its name, its map's name): [its script, the element of it]
        super().__init__(*args, **kwargs)

    def _key(self) -> tuple[str, str]:
        return self.get_name(), self._parent.get_name()

    def script_text(self) -> str:
        made = self._made.setdefault(self._key(), [None, None])
        if made[0] is None:  # folium's own script for this layer, as folium writes it
            made[0] = folium.GeoJson._template.module.script(self, {})
        return made[0]

    def render(self, **kwargs):
        made = self._made.get(self._key())
        if made is None or made[1] is None:  # the first time: the style of each feature, then
            super().render(**kwargs)  # the script (through script_text), compiled
            self._made[self._key()][1] = Element(self.script_text())
            return
        if self.show:  # as folium's Layer.render: the line that puts it on its map
            self.add_child(ElementAddToElement(self.get_name(), self._parent.get_name()),
                           name=self.get_name() + "_add")
        self.get_root().script.add_child(made[1], name=self.get_name())
        for child in self._children.values():  # its tooltip, that line
            child.render(**kwargs)

    def __deepcopy__(self, memo):
        new = copy.copy(self)
        memo[id(self)] = new
        new.__dict__.update({key: value if key in self._SHARED else copy.deepcopy(value, memo)
                             for key, value in self.__dict__.items()})
        return new


def build_map(layers: list[MapLayer], bounds: tuple[float, float, float, float],
              groups: list[tuple[str, str]], texts: dict[str, str], height: int = 600,
              tiles: dict | None = None, draw: bool = False, order: list[str] | None = None,
              scope: str | None = None, attribution: str = "",
              script_url: str | None = None, deck: dict | None = None) -> folium.Map:
    """A Leaflet map of ``layers`` fitted to ``bounds`` (minx, miny, maxx, maxy).

    ``groups`` orders the layer list: (group id, display name). ``texts`` holds the labels of
    the controls in the page's language. ``tiles`` is an optional online basemap
    ({"url", "attribution", "subdomains"}); by default the map has no tiles at all.
    ``order`` is the draw order, bottom first (default: the order of ``layers``); ``scope``
    names the map in the page URL, where its view and visible layers are kept;
    ``attribution`` is shown as plain text. ``script_url`` is where the page serves
    geo/webmap.js (see geo.assets). ``deck`` makes the map a sequence of scenes (see
    geo/deck.js for its fields), with every script and style inside the page itself.
    """
    fmap = folium.Map(tiles=None, control_scale=False, height=height, zoom_control=True,
                      zoom_snap=0.25, zoom_delta=0.5)
    # Only Leaflet and our own script, served by the app: folium's defaults load jQuery,
    # Bootstrap and Font Awesome from CDNs.
    fmap.default_js = [("leaflet", LEAFLET_JS), ("harbor", script_url or HARBOR_JS)]
    fmap.default_css = [("leaflet_css", LEAFLET_CSS)]
    if deck is not None:  # no server behind it: every asset inside the page
        css, js = inline()
        fmap.default_js, fmap.default_css = [], []
        fmap.get_root().header.add_child(Element(f"<style>{css}</style>\n<script>{js}</script>"))
        fmap.get_root().header.add_child(Element(DECK_CSS))
    fmap.get_root().header.add_child(Element(CSS))
    if tiles:
        folium.TileLayer(tiles["url"], attr=tiles["attribution"], name="basemap",
                         subdomains=tiles.get("subdomains", "abc"),
                         max_zoom=tiles.get("max_zoom", 18)).add_to(fmap)
    handles = {}
    config_layers, labels = [], []
    by_id = {layer.id: layer for layer in layers}
    order = order or [layer.id for layer in layers]
    drawn = [by_id[i] for i in order if i in by_id] + [x for x in layers if x.id not in order]
    for layer in drawn:
        frame = layer.frame.copy()
        frame["label"] = frame["label"].map(lambda s: html.escape(str(s)))
        for column in layer.properties:
            frame[column] = frame[column].map(lambda s: html.escape(str(s)))
        marker = folium.CircleMarker(radius=layer.radius, fill=True) if (frame.geom_type == "Point").any() else None
        styles = {key: _style(_symbol(layer, spec)) for key, spec in layer.classes.items()}
        default = _style(_symbol(layer))
        has_class = "class" in frame.columns
        columns = ["label", *layer.properties, *(["class"] if has_class else []), "geometry"]
        geojson = _Layer(
            frame[columns].to_json(),
            style_function=lambda f, d=default, s=styles: s.get(f["properties"].get("class"), d),
            marker=marker,
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False) if layer.interactive else None,
            interactive=layer.interactive, name=layer.id, show=layer.show,
        )
        geojson.add_to(fmap)
        handles[layer.id] = geojson
        labels += [{**label, "layer": layer.id, "r": layer.radius} for label in layer.labels]
    for layer in layers:  # the legend in the order given
        config_layers.append({
            "id": layer.id, "name": layer.name, "group": layer.group, "color": layer.color,
            "fill": layer.fill, "dash": layer.dash, "pick": layer.pick, "point": bool(len(layer.frame)) and bool(
                (layer.frame.geom_type == "Point").all()), "count": int(len(layer.frame)),
            "classes": [{"name": spec.get("name", key), **_symbol(layer, spec)}
                        for key, spec in layer.classes.items()]})
    minx, miny, maxx, maxy = bounds
    # The layer list's width, for the opening view to keep clear of it (geo.labels' estimate).
    # A layer's row: check box, swatch, name, count and zoom button; a class's row: indent,
    # swatch and name in smaller type; long names wrap at 290 px (CSS .hm-panel).
    legend_width = min(290, max([text_width(layer.name, 13) + 95 for layer in layers] +
                                [text_width(str(c["name"]), 12) + 45
                                 for x in config_layers for c in x["classes"]], default=200))
    config = {"layers": config_layers, "legendWidth": round(legend_width), "groups": [{"id": g, "name": n} for g, n in groups],
              "texts": texts, "bounds": [[miny, minx], [maxy, maxx]], "draw": draw,
              "order": [layer.id for layer in drawn], "labels": sorted(labels, key=lambda label: label["rank"]),
              "scope": scope, "attribution": attribution}
    # The view is set by webmap.js: from the URL when it has one, else fitted to ``bounds``.
    _Behaviour(handles, config, deck).add_to(fmap)
    return fmap
