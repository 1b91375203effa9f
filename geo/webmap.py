"""Build a folium (Leaflet) map from GeoDataFrames, with no request to any other host.

Knows nothing about the plan: it takes layers with a display name, a style and a label.
Every label is HTML-escaped before it reaches the page (folium's tooltips do not escape).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import folium
import geopandas as gpd
import shapely

from geo.assets import LEAFLET_CSS, LEAFLET_JS

COORD_DECIMALS = 5  # about 1 m


@dataclass
class MapLayer:
    name: str  # shown in the layer control (plain text; escaped here)
    frame: gpd.GeoDataFrame  # WGS84, with a "label" column (plain text; escaped here)
    color: str
    fill: str | None = None
    fill_opacity: float = 0.35
    weight: float = 2
    dash: str | None = None
    radius: float = 7
    show: bool = True
    interactive: bool = True


def for_display(frame: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Simplify polygons and lines by ``tolerance`` degrees and trim coordinate precision."""
    out = frame[frame.geometry.notna() & ~frame.geometry.is_empty].copy()
    geoms = out.geometry.values
    if tolerance > 0:
        geoms = shapely.simplify(geoms, tolerance, preserve_topology=True)
    out["geometry"] = shapely.set_precision(geoms, 10 ** -COORD_DECIMALS)
    return out[~out.geometry.is_empty]


def _style(layer: MapLayer):
    style = {"color": layer.color, "weight": layer.weight, "opacity": 0.9,
             "fillColor": layer.fill or layer.color,
             "fillOpacity": layer.fill_opacity if layer.fill else 0.0}
    if layer.dash:
        style["dashArray"] = layer.dash
    return lambda _feature: style


def build_map(layers: list[MapLayer], bounds: tuple[float, float, float, float],
              height: int = 600) -> folium.Map:
    """A Leaflet map of ``layers`` fitted to ``bounds`` (minx, miny, maxx, maxy), no tiles."""
    fmap = folium.Map(tiles=None, control_scale=True, height=height, prefer_canvas=False)
    # Only Leaflet itself, served by the app: folium's defaults load jQuery, Bootstrap and
    # Font Awesome from CDNs.
    fmap.default_js = [("leaflet", LEAFLET_JS)]
    fmap.default_css = [("leaflet_css", LEAFLET_CSS)]
    for layer in layers:
        frame = layer.frame.copy()
        frame["label"] = frame["label"].map(lambda s: html.escape(str(s)))
        group = folium.FeatureGroup(name=html.escape(layer.name), show=layer.show)
        tooltip = folium.GeoJsonTooltip(fields=["label"], labels=False) if layer.interactive else None
        marker = None
        if (frame.geom_type == "Point").any():
            marker = folium.CircleMarker(radius=layer.radius, fill=True)
        columns = [c for c in frame.columns if c in ("label", "feature_id", "geometry")]
        folium.GeoJson(
            frame[columns].to_json(), style_function=_style(layer), tooltip=tooltip,
            marker=marker, interactive=layer.interactive, name=html.escape(layer.name),
        ).add_to(group)
        group.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    minx, miny, maxx, maxy = bounds
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap
