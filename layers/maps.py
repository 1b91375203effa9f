"""The plan's three maps (Annexes 1-3): which layers, in which order, over which extent, and
the texts of the map's controls in both languages."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import shapely
from pypinyin import lazy_pinyin

from geo.crs import transform_geometry, wgs84_to_gcj02
from geo.webmap import MapLayer, for_display
from layers.load import load_layer
from layers.registry import GROUPS, LAYERS, Layer, layers_for_map

# Simplification tolerance (degrees) for each map's scale: ~150 m for the province, ~15 m
# for the core zone.
TOLERANCE = {"annex1": 0.0015, "annex2": 0.00015, "annex3": 0.0015}
# Layers whose extent frames each map, and the margin around them (degrees).
FRAME = {"annex1": ["province"], "annex2": ["core_zone", "riverside_extension", "financial_cities"],
         "annex3": ["six_cities", "belts"]}
PAD = {"annex1": 0.02, "annex2": 0.01, "annex3": 0.05}
# Features shown on one map only: the core-zone map shows Hangzhou's districts.
DISPLAY_FILTER = {("annex2", "districts"): ("city", "杭州市")}

MAP_TEXTS = {
    "zh": {"layers": "图层与图例", "fold": "收起/展开", "zoomTo": "缩放至图层", "fullscreen": "全屏",
           "measure": "测量距离与面积", "measureHint": "在地图上依次点击以测量",
           "distance": "距离", "perimeter": "周长", "area": "面积", "home": "全图",
           "draw": "画多边形选择项目（双击结束）"},
    "en": {"layers": "Layers and legend", "fold": "Fold / unfold", "zoomTo": "Zoom to layer",
           "fullscreen": "Full screen", "measure": "Measure distance and area",
           "measureHint": "Click points on the map to measure", "distance": "Distance",
           "perimeter": "Perimeter", "area": "Area", "home": "Whole extent",
           "draw": "Draw a polygon to select projects (double-click to finish)"},
}


def layer_title(layer: Layer, lang: str) -> str:
    return layer.name_en if lang == "en" else layer.name_zh


def group_title(group: str, lang: str) -> str:
    zh, en = GROUPS[group]
    return en if lang == "en" else zh


def groups(lang: str) -> list[tuple[str, str]]:
    """The layer list's groups in the plan's order, the base map last."""
    return [(g, group_title(g, lang)) for g in GROUPS]


def _shift(geometry, gcj02: bool):
    return transform_geometry(geometry, wgs84_to_gcj02) if gcj02 else geometry


def bounds(map_id: str, gcj02: bool = False) -> tuple[float, float, float, float]:
    frames = [load_layer(layer_id).located.geometry.values for layer_id in FRAME[map_id]]
    union = _shift(shapely.union_all([g for f in frames for g in f]), gcj02)
    minx, miny, maxx, maxy = union.bounds
    pad = PAD[map_id]
    return minx - pad, miny - pad, maxx + pad, maxy + pad


@lru_cache(maxsize=32)
def _display_frame(map_id: str, layer_id: str, gcj02: bool):
    layer = next(layer for layer in LAYERS if layer.id == layer_id)
    frame = load_layer(layer_id).located
    key = DISPLAY_FILTER.get((map_id, layer_id))
    if key:
        frame = frame[frame[key[0]] == key[1]]
    frame = for_display(frame, TOLERANCE[map_id], coverage=layer.coverage)
    if gcj02:
        frame = frame.set_geometry(frame.geometry.apply(lambda g: _shift(g, True)))
    return frame


def map_layers(map_id: str, lang: str = "zh", gcj02: bool = False) -> list[MapLayer]:
    """The map's layers, simplified for its scale; shifted to GCJ-02 for display over Amap."""
    out = []
    for layer in layers_for_map(map_id):
        frame = _display_frame(map_id, layer.id, gcj02).copy()
        frame["label"] = frame["name_en" if lang == "en" else "name_zh"]
        frame["feature_id"] = frame["id"]
        frame["layer_id"] = layer.id
        style = layer.style
        out.append(MapLayer(
            id=layer.id, name=layer_title(layer, lang), group=layer.group, frame=frame,
            color=style.color, fill=style.fill, fill_opacity=style.fill_opacity,
            weight=style.weight, dash=style.dash, radius=style.radius,
            interactive=layer.id not in ("province", "river"),
            properties=["feature_id", "layer_id"],
        ))
    return out


def pinyin(text: str) -> str:
    return "".join(lazy_pinyin(text))


@lru_cache(maxsize=1)
def search_table() -> pd.DataFrame:
    """Every named feature of the plan layers and of the cities and districts: what the
    search box looks through, in Chinese, English and pinyin."""
    rows = []
    for layer in LAYERS:
        if layer.id in ("province", "river", "six_cities"):
            continue
        for _, f in load_layer(layer.id).located.iterrows():
            minx, miny, maxx, maxy = f.geometry.bounds
            rows.append({"layer": layer.id, "id": f["id"], "name_zh": f["name_zh"],
                         "name_en": f["name_en"], "pinyin": pinyin(f["name_zh"]),
                         "bounds": (minx, miny, maxx, maxy)})
    return pd.DataFrame(rows)


def result_layers(frame, category, lang: str = "zh", limit: int = 5000):
    """Map layers of a zone-check result, one per category, over the plan's zones.

    At most ``limit`` rows are drawn (the first ones); the page says so when there are more."""
    from layers.zonecheck import CATEGORIES

    out = [layer for layer in map_layers("annex2", lang) if layer.id in ("core_zone", "financial_cities")]
    for layer in out:
        layer.interactive = False
    cities = map_layers("annex1", lang)
    out = [layer for layer in cities if layer.id in ("province", "cities")] + out
    shown = frame.iloc[:limit]
    cats = category[:limit]
    label_column = next((c for c in shown.columns if c not in ("geometry",)), None)
    for cat_id, zh, en, color in CATEGORIES:
        part = shown[(cats == cat_id) & shown.geometry.notna().to_numpy()]
        part = part[~part.geometry.is_empty]
        if part.empty:
            continue
        layer_frame = part[["geometry"]].copy()
        layer_frame["label"] = part[label_column].astype(str) if label_column else ""
        out.append(MapLayer(id=f"result_{cat_id}", name=en if lang == "en" else zh, group="result",
                            frame=layer_frame, color=color, fill=color, fill_opacity=0.8,
                            weight=1, radius=5))
    return out
