"""The plan's three maps (Annexes 1-3): which layers, in which order, over which extent."""

from __future__ import annotations

import shapely

from geo.webmap import MapLayer, for_display
from layers.load import load_layer
from layers.registry import GROUPS, Layer, layers_for_map

# Simplification tolerance (degrees) for each map's scale: ~200 m for the province, ~20 m
# for the core zone.
TOLERANCE = {"annex1": 0.002, "annex2": 0.0002, "annex3": 0.002}
# Layers whose extent frames each map.
FRAME = {"annex1": ["province"], "annex2": ["core_zone", "riverside_extension", "financial_cities"],
         "annex3": ["six_cities", "belts"]}
PAD = {"annex1": 0.02, "annex2": 0.01, "annex3": 0.05}


def layer_title(layer: Layer, lang: str) -> str:
    group_zh, group_en = GROUPS[layer.group]
    if lang == "en":
        return f"{group_en} · {layer.name_en}" if layer.group != "base" else layer.name_en
    return f"{group_zh} · {layer.name_zh}" if layer.group != "base" else layer.name_zh


def bounds(map_id: str) -> tuple[float, float, float, float]:
    frames = [load_layer(layer_id).located.geometry.values for layer_id in FRAME[map_id]]
    minx, miny, maxx, maxy = shapely.union_all([g for f in frames for g in f]).bounds
    pad = PAD[map_id]
    return minx - pad, miny - pad, maxx + pad, maxy + pad


def map_layers(map_id: str, lang: str = "zh") -> list[MapLayer]:
    out = []
    for layer in layers_for_map(map_id):
        frame = for_display(load_layer(layer.id).located, TOLERANCE[map_id])
        frame["label"] = frame["name_en" if lang == "en" else "name_zh"]
        frame["feature_id"] = frame["id"].where(frame["id"] != "", layer.id)
        style = layer.style
        out.append(MapLayer(
            name=layer_title(layer, lang), frame=frame, color=style.color, fill=style.fill,
            fill_opacity=style.fill_opacity, weight=style.weight, dash=style.dash,
            radius=style.radius, interactive=layer.id not in ("province", "river"),
        ))
    return out
