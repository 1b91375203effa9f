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
    assert as_read.hint.off_as_read == len(lon) and as_read.hint.off_shifted == 0
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


def test_a_spatial_files_points_out_of_place_are_named_by_their_number_from_1(tmp_path):
    lon, lat, gx, gy = riverside_sites(wgs84_to_gcj02)
    frame = gpd.GeoDataFrame({"名称": ["岸上"] + [f"项目{i}" for i in range(len(gx))]},
                             geometry=[Point(120.2082401, 30.2580532)] + [Point(a, b) for a, b in zip(gx, gy)],
                             crs=4326)
    frame.to_file(tmp_path / "amap.geojson")
    result = check(tmp_path / "amap.geojson")
    assert result.rows is None and result.hint.rows.tolist() == list(range(1, len(gx) + 1))
    assert result.numbers(result.hint.rows).tolist() == list(range(2, len(gx) + 2))


def test_points_just_off_the_coast_count_as_in_the_water():
    lon, lat, gx, gy = coastal_sites()
    assert len(lon) >= 8
    text = "name,lng,lat\n" + "".join(f"p,{a},{b}\n" for a, b in zip(gx, gy)) + "empty,,\n"
    hint = check(text.encode(), "amap.csv").hint
    assert (hint.datum, hint.points, hint.off_as_read) == ("gcj02", len(lon), len(lon))


def test_two_wet_points_in_twenty_are_a_pattern_and_one_is_not():
    lon, lat, gx, gy = riverside_sites(wgs84_to_gcj02)
    dry = "q,120.2082401,30.2580532\n"
    two = "name,lng,lat\n" + "".join(f"p,{a},{b}\n" for a, b in zip(gx[:2], gy[:2])) + dry * 18
    one = "name,lng,lat\n" + f"p,{gx[0]},{gy[0]}\n" + dry * 19
    hint = check(two.encode(), "p.csv").hint
    assert (hint.datum, hint.points, hint.off_as_read) == ("gcj02", 20, 2)
    assert check(one.encode(), "p.csv").hint is None
    # The rows in the water are named, by their line in the file (a title line above the header).
    late = ("清单\nname,lng,lat\n" + dry * 9 + "no,,\n" + dry * 8
            + "".join(f"p,{a},{b}\n" for a, b in zip(gx[:2], gy[:2])))
    result = check(late.encode(), "p.csv")
    assert result.hint.rows.tolist() == [18, 19] and result.numbers(result.hint.rows).tolist() == [21, 22]


def inland_sites(n_across=12, n_same=24):
    """Sites in Hangzhou's districts, clear of the river: n_across that GCJ-02's shift moves
    into another district, n_same that it leaves in theirs (a 500 m grid; shapely, by hand)."""
    districts = load_layer("districts").located
    river = load_layer("river").located.union_all()
    lon, lat = np.meshgrid(np.arange(120.00, 120.40, 0.005), np.arange(30.10, 30.40, 0.005))
    lon, lat = lon.ravel(), lat.ravel()
    x, y = (np.asarray(v) for v in wgs84_to_gcj02(lon, lat))
    dry = ~shapely.intersects_xy(river, lon, lat) & ~shapely.intersects_xy(river, x, y)
    true, read = np.full(len(lon), None, dtype=object), np.full(len(lon), None, dtype=object)
    for name, geom in zip(districts["name_zh"], districts.geometry):
        true[shapely.contains_xy(geom, lon, lat)] = name
        read[shapely.contains_xy(geom, x, y)] = name
    known = dry & (true != None) & (read != None)  # noqa: E711 (elementwise)
    across, same = np.flatnonzero(known & (true != read)), np.flatnonzero(known & (true == read))
    chosen = np.r_[across[:: max(1, len(across) // n_across)][:n_across],
                   same[:: max(1, len(same) // n_same)][:n_same]]
    return lon[chosen], lat[chosen], x[chosen], y[chosen], true[chosen]


def test_points_across_the_border_of_the_lists_own_district_column_are_spotted():
    lon, lat, gx, gy, true = inland_sites()
    assert len(lon) == 36
    # As a government list writes districts: 上城区, 上城, 杭州市上城区.
    written = [[d, d[:-1], "杭州市" + d][i % 3] for i, d in enumerate(true)]
    rows = "".join(f"p{i},{w},{a},{b}\n" for i, (w, a, b) in enumerate(zip(written, gx, gy)))
    hint = check(("项目,所在区,lng,lat\n" + rows).encode(), "amap.csv").hint
    assert (hint.by, hint.column, hint.datum) == ("district", "所在区", "gcj02")
    assert (hint.points, hint.off_as_read, hint.off_shifted) == (36, 12, 0)
    assert hint.rows.tolist() == list(range(12))  # the sites across a border come first
    right = "".join(f"p{i},{w},{a},{b}\n" for i, (w, a, b) in enumerate(zip(written, lon, lat)))
    assert check(("项目,所在区,lng,lat\n" + right).encode(), "wgs.csv").hint is None
    # A column that names no districts (or too few) is not taken for one.
    noise = "".join(f"p{i},{'x' if i % 2 else w},{a},{b}\n"
                    for i, (w, a, b) in enumerate(zip(written, gx, gy)))
    assert check(("项目,所在区,lng,lat\n" + noise).encode(), "amap.csv").hint is None


def test_the_command_line_warns_in_the_language_asked(tmp_path, capsys):
    from layers.zonecheck import main

    lon, lat, gx, gy, true = inland_sites()
    rows = "".join(f"p{i},{d},{a},{b}\n" for i, (d, a, b) in enumerate(zip(true, gx, gy)))
    (tmp_path / "amap.csv").write_text("项目,所在区,lng,lat\n" + rows, encoding="utf-8")
    assert main([str(tmp_path / "amap.csv"), "-o", str(tmp_path / "out.csv"), "--lang", "zh"]) == 0
    said = capsys.readouterr().err
    assert "警告：按当前坐标系读取，36 个点中有 12 个不在“所在区”列所写的区县内，按 gcj02 读取则为 0 个" in said
    assert "如是，请加 --crs gcj02 重新运行" in said
    assert "按当前坐标系读取不在其位的：第 2、3、4、5、6、7、8、9、10、11 等行" in said
    assert main([str(tmp_path / "amap.csv"), "-o", str(tmp_path / "out.csv")]) == 0
    said = capsys.readouterr().err
    assert ("warning: 12 of 36 points lie outside the district that column 所在区 names as read, "
            "0 when read as gcj02") in said
    assert "out of place as read: rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …" in said
    lon, lat, gx, gy = riverside_sites(wgs84_to_gcj02)
    rows = "".join(f"p{i},{a},{b}\n" for i, (a, b) in enumerate(zip(gx, gy)))
    (tmp_path / "wet.csv").write_text("name,lng,lat\n" + rows, encoding="utf-8")
    assert main([str(tmp_path / "wet.csv"), "-o", str(tmp_path / "out.csv")]) == 0
    assert (f"warning: {len(gx)} of {len(gx)} points fall in the river or just off the coast as "
            "read, 0 when read as gcj02") in capsys.readouterr().err


def test_when_gcj02_and_bd09_both_put_the_points_in_place_the_hint_does_not_guess(capsys, tmp_path):
    # Baidu sites by the river that read as GCJ-02 also land on the bank (~700 m off still):
    # advising GCJ-02 would leave them there. Both are named; the user asks the data's source.
    from geo.crs import gcj02_to_wgs84
    from layers.zonecheck import main

    river = load_layer("river").located.union_all()
    lon, lat, bx, by = riverside_sites(wgs84_to_bd09, n=60)
    x, y = (np.asarray(v) for v in gcj02_to_wgs84(bx, by))
    dry = ~shapely.intersects_xy(river, x, y)
    assert dry.sum() >= 6
    text = "name,lng,lat\n" + "".join(f"p,{a},{b}\n" for a, b in zip(bx[dry], by[dry]))
    hint = check(text.encode(), "baidu.csv").hint
    assert hint.tied and (hint.off_as_read, hint.off_shifted) == (dry.sum(), 0)
    (tmp_path / "baidu.csv").write_text(text, encoding="utf-8")
    assert main([str(tmp_path / "baidu.csv"), "-o", str(tmp_path / "o.csv"), "--lang", "zh"]) == 0
    said = capsys.readouterr().err
    assert "按 gcj02 或 bd09 读取均为 0 个：输入很可能使用二者之一；请向数据提供方确认是哪一种" in said
    assert "run again" not in said


def test_lines_and_polygons_are_not_taken_for_shifted_points(tmp_path):
    # Small squares around riverside sites shifted as GCJ-02 would shift points: a polygon is
    # drawn on a map, not typed from an app's coordinates, so it is no sign of a datum.
    lon, lat, gx, gy = riverside_sites(wgs84_to_gcj02)
    squares = [Point(a, b).buffer(0.0005, cap_style="square") for a, b in zip(gx, gy)]
    gpd.GeoDataFrame({"名称": [f"地块{i}" for i in range(len(gx))]}, geometry=squares,
                     crs=4326).to_file(tmp_path / "squares.geojson")
    assert check(tmp_path / "squares.geojson").hint is None
    points = [Point(a, b) for a, b in zip(gx, gy)]
    gpd.GeoDataFrame({"名称": [f"点{i}" for i in range(len(gx))]}, geometry=points,
                     crs=4326).to_file(tmp_path / "points.geojson")
    assert check(tmp_path / "points.geojson").hint is not None  # the same sites as points
