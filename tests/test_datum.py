"""A list in Amap coordinates stamped WGS84 (a GeoJSON is WGS84 by rule) lands ~500 m off:
the zone check says the points look like GCJ-02, and reading them so puts them right."""

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Point

from geo.crs import wgs84_to_bd09, wgs84_to_gcj02
from layers.load import load_layer
from layers.zonecheck import check


def riverside_sites(shift, n=12):
    """Sites on land in Hangzhou, by the Qiantang, that the given shift moves into the river
    (found on a 100 m grid over the city's riverside)."""
    river = load_layer("river").located.union_all()
    lon, lat = np.meshgrid(np.arange(120.10, 120.32, 0.001), np.arange(30.15, 30.30, 0.001))
    lon, lat = lon.ravel(), lat.ravel()
    x, y = (np.asarray(v) for v in shift(lon, lat))
    pick = ~shapely.intersects_xy(river, lon, lat) & shapely.intersects_xy(river, x, y)
    chosen = np.flatnonzero(pick)[:: max(1, pick.sum() // n)][:n]
    return lon[chosen], lat[chosen], x[chosen], y[chosen]


def test_an_amap_geojson_stamped_wgs84_is_spotted_and_read_right_as_gcj02(tmp_path):
    lon, lat, gx, gy = riverside_sites(wgs84_to_gcj02)
    assert len(lon) >= 8
    frame = gpd.GeoDataFrame({"name": [f"p{i}" for i in range(len(lon))]},
                             geometry=[Point(a, b) for a, b in zip(gx, gy)], crs=4326)
    frame.to_file(tmp_path / "amap.geojson", driver="GeoJSON")
    as_read = check(tmp_path / "amap.geojson")
    assert as_read.hint is not None and as_read.hint.datum == "gcj02"
    assert as_read.hint.wet_as_read == len(lon) and as_read.hint.wet_shifted == 0
    corrected = check(tmp_path / "amap.geojson", crs="gcj02")  # the override
    assert corrected.hint is None
    assert np.abs(corrected.table["lon_wgs84"] - lon).max() < 1e-6
    assert np.abs(corrected.table["lat_wgs84"] - lat).max() < 1e-6


def test_a_baidu_list_read_as_wgs84_is_spotted_as_bd09():
    lon, lat, bx, by = riverside_sites(wgs84_to_bd09)
    text = "name,lng,lat\n" + "".join(f"p,{a},{b}\n" for a, b in zip(bx, by))
    assert check(text.encode(), "baidu.csv").hint.datum == "bd09"


def test_no_hint_for_a_list_on_land_or_read_in_another_system():
    text = "name,lng,lat\na,120.2082401,30.2580532\nb,120.2387733,30.2427619\n"
    assert check(text.encode(), "p.csv").hint is None
    lon, lat, gx, gy = riverside_sites(wgs84_to_gcj02)
    text = "name,lng,lat\n" + "".join(f"p,{a},{b}\n" for a, b in zip(gx, gy))
    assert check(text.encode(), "p.csv", crs="EPSG:4549").hint is None  # not read as WGS84
    one_wet = "name,lng,lat\n" + f"p,{gx[0]},{gy[0]}\n" + "q,120.2082401,30.2580532\n" * 30
    assert check(one_wet.encode(), "p.csv").hint is None  # one point in the river: no pattern


def coastal_sites(n=10):
    """Sites on land by the sea (Ningbo, Zhoushan) that GCJ-02's shift moves off the coast,
    within 0.02° of it and clear of the river (found on a 100 m grid)."""
    province = load_layer("province").located.union_all()
    river = load_layer("river").located.union_all()
    lon, lat = np.meshgrid(np.arange(121.4, 122.4, 0.002), np.arange(29.6, 30.3, 0.002))
    lon, lat = lon.ravel(), lat.ravel()
    x, y = (np.asarray(v) for v in wgs84_to_gcj02(lon, lat))
    off = ~shapely.intersects_xy(province, x, y) & shapely.dwithin(province, shapely.points(x, y), 0.02)
    pick = shapely.intersects_xy(province, lon, lat) & off & ~shapely.intersects_xy(river, x, y)
    chosen = np.flatnonzero(pick)[:: max(1, pick.sum() // n)][:n]
    return lon[chosen], lat[chosen], x[chosen], y[chosen]


def test_points_just_off_the_coast_count_as_in_the_water():
    lon, lat, gx, gy = coastal_sites()
    assert len(lon) >= 8
    text = "name,lng,lat\n" + "".join(f"p,{a},{b}\n" for a, b in zip(gx, gy)) + "empty,,\n"
    hint = check(text.encode(), "amap.csv").hint
    assert (hint.datum, hint.points, hint.wet_as_read) == ("gcj02", len(lon), len(lon))


def test_two_wet_points_in_twenty_are_a_pattern_and_one_is_not():
    lon, lat, gx, gy = riverside_sites(wgs84_to_gcj02)
    dry = "q,120.2082401,30.2580532\n"
    two = "name,lng,lat\n" + "".join(f"p,{a},{b}\n" for a, b in zip(gx[:2], gy[:2])) + dry * 18
    one = "name,lng,lat\n" + f"p,{gx[0]},{gy[0]}\n" + dry * 19
    hint = check(two.encode(), "p.csv").hint
    assert (hint.datum, hint.points, hint.wet_as_read) == ("gcj02", 20, 2)
    assert check(one.encode(), "p.csv").hint is None
