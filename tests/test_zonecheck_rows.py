"""Every row of the zone check ends with zones or a problem, whatever geometry or number it
holds: multi-part geometries as QGIS and ArcGIS write them, collections, empty geometries,
infinite coordinates; and input columns come out as they went in, under their own names."""

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer
from shapely.geometry import GeometryCollection, LineString, MultiPoint, Point, box

from geo.importer import Table
from geo.zonecheck import single_parts
from layers.zonecheck import NOT_FINITE, check

QJL = (120.2082401, 30.2580532)  # 钱江路站: 杭州市 上城区 钱江新城 (a published station site)
SJC = (120.2387733, 30.2427619)  # 钱江世纪城站: 萧山区 钱江世纪城
TO_4549 = Transformer.from_crs(4326, 4549, always_xy=True)


def _gpkg(tmp_path, geoms, crs=4549):
    path = tmp_path / "q.gpkg"
    gpd.GeoDataFrame({"项目": [f"p{i}" for i in range(len(geoms))]}, geometry=geoms, crs=crs).to_file(path)
    return path


def spatial(tmp_path, geoms, crs=4326, name="p.gpkg"):
    frame = gpd.GeoDataFrame({"项目": [f"p{i}" for i in range(len(geoms))]}, geometry=geoms, crs=crs)
    frame.to_file(tmp_path / name, driver="GPKG" if name.endswith("gpkg") else "GeoJSON")
    return check(tmp_path / name).table


def test_a_one_part_multipoint_in_epsg_4549_is_a_point(tmp_path):
    # A QGIS GeoPackage export: every point a MultiPoint of one part, in CGCS2000 / 3-degree GK.
    x, y = TO_4549.transform(*QJL)
    row = spatial(tmp_path, [MultiPoint([(x, y)])], crs=4549).iloc[0]
    assert (row["city"], row["district"], row["core_zone"]) == ("杭州市", "上城区", "钱江新城")
    assert row["problem"] == ""
    assert abs(row["lon_wgs84"] - QJL[0]) < 1e-6 and abs(row["lat_wgs84"] - QJL[1]) < 1e-6


def test_a_multipoint_of_two_parts_gets_each_parts_zones_with_shares(tmp_path):
    row = spatial(tmp_path, [MultiPoint([QJL, SJC])]).iloc[0]
    assert row["district"] == "上城区 (50%);萧山区 (50%)"
    assert row["core_zone"] == "钱江新城 (50%);钱江世纪城 (50%)"
    assert row["city"] == "杭州市 (100%)"
    assert row["problem"] == ""


def test_a_collection_is_taken_by_its_parts_of_highest_dimension(tmp_path):
    square = box(QJL[0] - 0.001, QJL[1] - 0.001, QJL[0] + 0.001, QJL[1] + 0.001)
    collection = GeometryCollection([Point(SJC), square])  # the point in 萧山区 is dropped
    rows = spatial(tmp_path, [collection, GeometryCollection([Point(QJL)])], name="p.geojson")
    assert rows["district"].tolist() == ["上城区 (100%)", "上城区"]
    assert rows["problem"].tolist() == ["", ""]


def test_single_parts_by_hand():
    square = box(0, 0, 1, 1)
    got = single_parts(gpd.GeoSeries([MultiPoint([(1, 2)]), GeometryCollection([Point(1, 2), LineString(
        [(0, 0), (1, 1)]), LineString([(2, 2), (3, 3)])]), GeometryCollection(), square, None]))
    assert got.iloc[0].equals(Point(1, 2))
    assert got.iloc[1].geom_type == "MultiLineString" and len(got.iloc[1].geoms) == 2
    assert got.iloc[2].is_empty and got.iloc[3].equals(square) and got.iloc[4] is None


def test_single_parts_of_collections_by_hand():
    # Points only, lines only, a collection in a collection, and an empty collection before a
    # one-part MultiPoint: each row is taken on its own.
    got = single_parts(gpd.GeoSeries([
        GeometryCollection([Point(1, 2), Point(3, 4)]),
        GeometryCollection([GeometryCollection([Point(1, 2), LineString([(0, 0), (1, 1)])])]),
        shapely.from_wkt("GEOMETRYCOLLECTION (POINT EMPTY)"),
        MultiPoint([(5, 6)]),
    ]))
    assert got.iloc[0].equals(MultiPoint([(1, 2), (3, 4)]))
    assert got.iloc[1].equals(LineString([(0, 0), (1, 1)]))
    assert got.iloc[2].geom_type == "GeometryCollection" and got.iloc[2].is_empty
    assert got.iloc[3].equals(Point(5, 6))


def test_a_line_of_no_length_is_where_its_point_is(tmp_path):
    # A line from a point to itself (a careless digitising click): in the zones of its point.
    # From a file, the importer's make_valid makes it a point; given as it is, it stays a line.
    line = LineString([QJL, QJL])
    assert spatial(tmp_path, [line], name="p.geojson")["district"].tolist() == ["上城区"]
    table = Table(pd.DataFrame({"项目": ["a", "b"]}), "p.gpkg", crs="EPSG:4326",
                  geometry=gpd.GeoSeries([line, GeometryCollection([Point(QJL), Point(SJC)])], crs=4326))
    rows = check(table).table
    assert rows["district"].tolist() == ["上城区 (100%)", "上城区 (50%);萧山区 (50%)"]
    assert rows["problem"].tolist() == ["", ""]


@pytest.mark.parametrize("geom", [MultiPoint(), GeometryCollection(), shapely.from_wkt("POLYGON EMPTY")])
def test_an_empty_geometry_gets_a_problem(tmp_path, geom):
    rows = spatial(tmp_path, [geom, Point(QJL)], name="p.geojson")
    assert rows["problem"].iloc[0] != "" and rows["city"].iloc[0] == ""
    assert rows["district"].iloc[1] == "上城区"


@pytest.mark.parametrize("x, y, crs", [("inf", "30.25", None), ("1e400", "30.25", None),
                                       ("120.2", "-inf", None), ("1e300", "1e300", "EPSG:4549")])
def test_infinite_coordinates_get_a_problem(x, y, crs):
    text = f"name,x,y\na,{x},{y}\nb,{QJL[0]},{QJL[1]}\n"
    rows = check(text.encode(), "p.csv", crs=crs).table
    assert rows["problem"].iloc[0] == NOT_FINITE and rows["city"].iloc[0] == ""
    assert rows["district"].iloc[1] == ("上城区" if crs is None else "")


def test_input_columns_named_like_the_output_are_kept_under_new_names():
    text = (f"geometry,city,city_input,problem,lon,lat\nPOINT (1 2),北京,x,NA,{QJL[0]},{QJL[1]}\n")
    table = check(text.encode(), "p.csv").table
    row = table.iloc[0]
    # "city_input" is the input's own column: it keeps its name; "city" takes the next one.
    assert (row["geometry_input"], row["city_input2"], row["city_input"]) == ("POINT (1 2)", "北京", "x")
    assert row["problem_input"] == "NA"
    assert row["city"] == "杭州市" and row["problem"] == ""
    assert "geometry" not in table.columns  # the result's geometry is its own


NUMBER = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                   st.sampled_from(["inf", "-inf", "1e400", "NaN", "", " ", "NA", "120.2", "30.25",
                                    "１２０．２", "1e-400", "0x10", "--1"]),
                   st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=6))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(NUMBER, NUMBER), min_size=1, max_size=8),
       crs=st.sampled_from([None, "gcj02", "bd09", "EPSG:4549", "EPSG:3857"]))
def test_every_row_ends_with_zones_or_a_problem(rows, crs):
    frame = pd.DataFrame(rows, columns=["lon", "lat"])
    table = check(frame.to_csv(index=False).encode(), "p.csv", crs=crs).table
    assert len(table) == len(rows)
    answered = (table["city"] != "") | (table["problem"] != "")
    assert answered.all(), table[~answered][["lon", "lat", "lon_wgs84", "lat_wgs84"]]
    assert np.isfinite(table.loc[table["city"] != "", ["lon_wgs84", "lat_wgs84"]].to_numpy()).all()


def test_hovering_a_result_point_shows_the_projects_name_not_its_id():
    from layers.maps import name_column

    assert name_column(pd.DataFrame({"id": ["P-001"], "项目名称": ["江河汇"]})) == "项目名称"
    assert name_column(pd.DataFrame({"编号": ["P-001", "2024/07"], "内容": ["江河汇", "x"],
                                     "lon": ["120.2", "120.3"]})) == "内容"
    assert name_column(pd.DataFrame({"编号": ["1"], "lon": ["120.1"]})) is None


def test_in_chinese_every_problem_sentence_is_chinese_but_the_users_own_text():
    text = ("名称,lon,lat\n空,,\n字,东经120度,30.25\n省外,116.4,39.9\n反,30.25,120.2\n"
            "无穷,inf,30.25\n好,120.2082401,30.2580532\n")
    table = check(text.encode(), "p.csv", lang="zh").table
    problems = table["problem"].tolist()
    assert problems[-1] == "" and all(problems[:-1])
    for sentence in problems[:-1]:
        rest = sentence.replace("lon", "").replace("lat", "").replace("inf", "")
        assert not re.search(r"[A-Za-z]{2,}", rest), sentence
    assert problems[0] == "lon 为空；lat 为空；请填写或更正坐标"
    assert problems[2] == "(116.4, 39.9) 在浙江省外；请检查坐标及其坐标系"
    assert problems[3] == "经纬度似乎填反了：(120.2, 30.25) 在浙江省内；请交换这两列"
    english = check(text.encode(), "p.csv").table["problem"].tolist()
    assert english[0] == "lon is empty; lat is empty; fill in or correct the coordinates"


def test_in_chinese_a_spatial_files_problems_and_notes_are_chinese(tmp_path):
    frame = gpd.GeoDataFrame({"n": ["a", "b"]}, geometry=[MultiPoint(), Point(QJL)], crs=4326)
    frame.to_file(tmp_path / "p.geojson", driver="GeoJSON")
    result = check(tmp_path / "p.geojson", lang="zh")
    assert result.table["problem"].tolist() == ["此行没有几何图形", ""]
    assert all(not re.search(r"[A-Za-z]{3,}", note) for note in result.notes), result.notes


def test_the_command_line_in_chinese_speaks_chinese(tmp_path, capsys):
    from layers.zonecheck import main

    source = tmp_path / "清单.csv"
    source.write_text(f"名称,经度,纬度\n好,{QJL[0]},{QJL[1]}\n空,,\n", encoding="utf-8")
    assert main([str(source), "-o", str(tmp_path / "结果.csv"), "--lang", "zh"]) == 0
    said = capsys.readouterr().err
    assert "共 2 行，其中 1 行有问题，已写入" in said and "说明：按 UTF-8 编码读取" in said
    rest = re.sub(r"UTF-8|\.csv|/\S+", "", said)
    assert not re.search(r"[A-Za-z]{3,}", rest), said
    assert main([str(tmp_path / "无.csv"), "-o", str(tmp_path / "x.csv"), "--lang", "zh"]) == 2
    assert capsys.readouterr().err.startswith("错误：")


def _east_of(lon, lat, metres):
    """Points ``metres`` due east of (lon, lat), by the geodesic (pyproj.Geod, not the code's
    Gauss-Kruger buffer)."""
    from pyproj import Geod

    x, y, _ = Geod(ellps="WGS84").fwd([lon] * len(metres), [lat] * len(metres), [90] * len(metres),
                                      metres)
    return "name,lon,lat\n" + "".join(f"p{i},{a},{b}\n" for i, (a, b) in enumerate(zip(x, y)))


def test_a_finance_town_drawn_as_a_point_is_a_1_km_disc_around_it():
    # layers/zones.py: a town with no published extent (运河财富小镇) counts as a 1 km disc.
    from layers.load import load_layer

    centre = load_layer("finance_towns").located.set_index("name_zh").geometry["运河财富小镇"]
    text = _east_of(centre.x, centre.y, [950, 1050])
    assert check(text.encode(), "p.csv").table["town"].tolist() == ["运河财富小镇", ""]


def test_a_finance_town_drawn_as_an_area_is_that_area():
    # 南湖基金小镇: a disc of its published 2.04 km² (data/extents.csv), radius
    # sqrt(2.04 km² / pi) = 806 m by hand: in at 780 m, out at 830 m (not the 1 km of a point).
    centre = (120.7950, 30.7250)  # its placed centre (scripts/build_plan_geometry.py)
    text = _east_of(*centre, [780, 830, 950])
    assert check(text.encode(), "p.csv").table["town"].tolist() == ["南湖基金小镇", "", ""]


def test_the_binjiang_extension_counts_as_qiantang_financial_city():
    # Annex 5 三2: 钱塘江金融城 "…及其滨江扩展区". A point in the extension (by hand, in shapely).
    row = check(b"name,lon,lat\na,120.16092,30.18977\n", "p.csv").table.iloc[0]
    assert (row["district"], row["financial_city"]) == ("滨江区", "钱塘江金融城")


def test_zhoushan_is_one_of_the_six_harbor_cities():
    # Annex 4 row 1: 钱塘江金融港湾区域范围（杭州、宁波、湖州、嘉兴、绍兴、舟山市）. 定海区's seat.
    row = check(b"name,lon,lat\na,122.1067,30.0199\n", "p.csv").table.iloc[0]
    assert row["city"] == "舟山市" and bool(row["in_harbor"]) is True
    assert "甬舟海洋金融特色带" in row["belts"]  # 三(三)4: 宁波、舟山


def test_a_small_share_is_written_under_one_percent_and_a_sliver_left_out():
    from geo.zoneindex import ZoneIndex
    from geo.zonecheck import zones_of_shapes

    squares = gpd.GeoDataFrame({"kind": ["district", "district"], "name": ["A", "B"]},
                               geometry=[box(120.0, 30.0, 120.1, 30.1), box(120.1, 30.0, 120.2, 30.1)],
                               crs=4326)
    shapes = gpd.GeoSeries([box(120.0, 30.0, 120.1001, 30.1),  # 0.1 % of it in B
                            box(120.0, 30.0, 120.10001, 30.1)], crs=4326)  # 0.01 %: a sliver
    assert zones_of_shapes(shapes, ZoneIndex(squares))["district"].tolist() == [
        "A (100%);B (<1%)", "A (100%)"]


def test_an_infinite_coordinate_in_a_geopackage_gets_a_problem(tmp_path):
    x, y = TO_4549.transform(*QJL)
    rows = spatial(tmp_path, [Point(float("inf"), 3350000.0), Point(x, y)], crs=4549)
    assert rows["problem"].tolist() == [NOT_FINITE, ""]
    assert rows["district"].tolist() == ["", "上城区"]
    assert np.isnan(rows["lon_wgs84"].iloc[0])  # no "inf" written
    x, y = TO_4549.transform(*QJL)
    frame = check(_gpkg(tmp_path, [Point(float("inf"), 3350000.0), Point(x, y)])).frame
    assert frame.geometry.iloc[0] is None and frame.geometry.iloc[1] is not None  # nothing to draw


def test_a_file_with_problem_and_problem_input_columns_keeps_both():
    text = f"problem,problem_input,lon,lat\n无,旧,{QJL[0]},{QJL[1]}\n"
    row = check(text.encode(), "p.csv").table.iloc[0]
    assert (row["problem_input"], row["problem_input2"], row["problem"]) == ("旧", "无", "")


def test_rows_keep_their_number_in_the_file():
    text = f"标题,,\n名称,lon,lat\na,{QJL[0]},{QJL[1]}\n\nb,{SJC[0]},{SJC[1]}\n".encode()
    assert check(text, "p.csv").rows.tolist() == [3, 5]


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_a_result_written_to_a_spatial_file_carries_each_rows_geometry(tmp_path, suffix):
    text = f"名称,lon,lat\n好,{QJL[0]},{QJL[1]}\n空,,\n".encode()
    path = check(text, "p.csv").write(tmp_path / f"out{suffix}")
    back = gpd.read_file(path)
    assert back["名称"].tolist() == ["好", "空"] and back["district"].tolist()[0] == "上城区"
    assert back.geometry.iloc[0].equals_exact(Point(QJL), 1e-7) and back.geometry.iloc[1] is None


def test_the_command_writes_the_expected_file(tmp_path):
    # tests/expected/government_sheet_zones.csv was checked by hand: 钱江路站 in 上城区/钱江新城/
    # 杭州金融城, 钱江世纪城站 in 萧山区/钱江世纪城/钱塘江金融城, 杭州 in the G60 and G92 belts.
    from layers.load import ROOT
    from layers.zonecheck import main
    from test_browser_zonecheck import government_sheet

    government_sheet(tmp_path / "重点项目.xlsx")
    out = tmp_path / "out.csv"
    assert main([str(tmp_path / "重点项目.xlsx"), "-o", str(out), "--crs", "wgs84", "--lang", "zh"]) == 0
    assert out.read_bytes() == (ROOT / "tests" / "expected" / "government_sheet_zones.csv").read_bytes()


def zipped_shapefile(tmp_path) -> bytes:
    import io
    import zipfile

    gpd.GeoDataFrame({"名称": ["钱江路站"]}, geometry=[Point(QJL)], crs=4326).to_file(
        tmp_path / "p.shp", encoding="utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in ("shp", "shx", "dbf", "prj", "cpg"):
            archive.write(tmp_path / f"p.{part}", f"p.{part}")
    return out.getvalue()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=1, max_value=255)),
                      min_size=1, max_size=4))
def test_a_damaged_zipped_shapefile_is_refused_or_read_never_a_crash(tmp_path, flips):
    from geo.importer import InputError

    data = bytearray(zipped_shapefile(tmp_path))
    for at, mask in flips:  # bytes flipped anywhere: a bad CRC, a broken header, bad data
        data[at % len(data)] ^= mask
    try:
        table = check(bytes(data), "p.zip").table
    except InputError:
        return
    assert ((table["city"] != "") | (table["problem"] != "")).all()


def test_single_parts_goes_on_after_an_empty_or_a_mixed_row_and_keeps_the_index():
    from shapely.geometry import MultiPolygon, Polygon

    a, b = Polygon([(0, 0), (1, 0), (1, 1)]), Polygon([(5, 5), (6, 5), (6, 6)])
    got = single_parts(gpd.GeoSeries(
        [MultiPoint(), GeometryCollection([Point(0, 0), Point(1, 1)]), MultiPoint([(3, 4)]),
         GeometryCollection([MultiPolygon([a, b])]), GeometryCollection([Point(0, 0), a, b]),
         MultiPoint([(5, 6)])], index=[4, 9, 2, 7, 8, 1]))
    assert list(got.index) == [4, 9, 2, 7, 8, 1]
    assert got.loc[4].is_empty
    assert got.loc[9].geom_type == "MultiPoint" and len(got.loc[9].geoms) == 2
    assert got.loc[2].equals(Point(3, 4)) and got.loc[1].equals(Point(5, 6))
    assert got.loc[7].geom_type == "MultiPolygon" and got.loc[7].area == a.area + b.area
    assert got.loc[8].area == a.area + b.area  # the point is left out: polygons are the top


def test_shapes_outside_every_zone_get_empty_zones():
    from geo.zoneindex import ZoneIndex
    from geo.zonecheck import zones_of_shapes

    squares = gpd.GeoDataFrame({"kind": ["district"], "name": ["A"]},
                               geometry=[box(120.0, 30.0, 120.1, 30.1)], crs=4326)
    outside = gpd.GeoSeries([box(121.0, 30.0, 121.1, 30.1), LineString([(122, 30), (122.1, 30)])],
                            crs=4326)
    got = zones_of_shapes(outside, ZoneIndex(squares))
    assert list(got.columns) == ["district"] and got["district"].tolist() == ["", ""]
    mixed = gpd.GeoSeries([box(121.0, 30.0, 121.1, 30.1), box(120.0, 30.0, 120.05, 30.1)], crs=4326)
    assert zones_of_shapes(mixed, ZoneIndex(squares))["district"].tolist() == ["", "A (100%)"]


def test_a_file_declaring_the_wrong_system_is_read_in_the_system_given(tmp_path):
    # Projected CGCS2000 coordinates in a GeoPackage labelled WGS84: overriding with EPSG:4549.
    x, y = TO_4549.transform(*QJL)
    gpd.GeoDataFrame({"n": ["a"]}, geometry=[Point(x, y)], crs=4326).to_file(tmp_path / "p.gpkg")
    as_declared = check(tmp_path / "p.gpkg").table.iloc[0]
    assert as_declared["city"] == "" and "are not degrees" in as_declared["problem"]
    row = check(tmp_path / "p.gpkg", crs="EPSG:4549").table.iloc[0]
    assert row["district"] == "上城区" and abs(row["lon_wgs84"] - QJL[0]) < 1e-6


def test_a_polygon_in_hangzhou_is_in_the_harbor_and_in_hangzhous_belts(tmp_path):
    # 三(三): G60 (杭州、嘉兴) and G92 杭绍甬 (杭州、宁波、绍兴) take in 杭州; Annex 4: a harbor city.
    square = box(QJL[0] - 0.001, QJL[1] - 0.001, QJL[0] + 0.001, QJL[1] + 0.001)
    row = spatial(tmp_path, [square]).iloc[0]
    assert row["city"] == "杭州市 (100%)" and bool(row["in_harbor"]) is True
    assert set(row["belts"].split(";")) == {"G60 走廊科创金融特色带", "G92 杭绍甬产业金融特色带"}


def test_counts_per_zone_and_per_city_by_hand():
    from layers.zonecheck import counts

    table = pd.DataFrame({
        "city": ["杭州市 (100%)", "杭州市", "", "宁波市;杭州市"],
        "district": ["上城区 (60%);滨江区 (40%)", "上城区", "", "江北区;上城区"],
        "core_zone": ["钱江新城 (60%)", "钱江新城", "", ""],
        "financial_city": ["", "杭州金融城", "", ""],
        "belts": ["G60 走廊科创金融特色带", "", "", ""],
        "town": ["", "", "", ""],
    })
    per_zone, per_city = counts(table, nowhere="省外")
    got = {(r.kind, r.zone): r.projects for r in per_zone.itertuples()}
    assert got == {("core_zone", "钱江新城"): 2, ("financial_city", "杭州金融城"): 1,
                   ("belts", "G60 走廊科创金融特色带"): 1, ("district", "上城区"): 3,
                   ("district", "滨江区"): 1, ("district", "江北区"): 1}
    assert dict(zip(per_city["city"], per_city["projects"])) == {"杭州市": 3, "省外": 1, "宁波市": 1}
    nowhere = table.iloc[[2]]  # no zone at all: an empty table with its columns, "—" for the city
    per_zone, per_city = counts(nowhere)
    assert list(per_zone.columns) == ["kind", "zone", "projects"] and per_zone.empty
    assert per_city.to_dict("records") == [{"city": "—", "projects": 1}]


def test_categories_for_the_map_by_hand():
    from layers.zonecheck import categories

    table = pd.DataFrame({
        "in_harbor": [False, True, True, True, False, True],
        "financial_city": ["", "", "杭州金融城", "杭州金融城", "", ""],
        "core_zone": ["", "", "", "钱江新城", "", ""],
        "problem": ["", "", "", "", "outside", "swapped?"],
        "city": ["丽水市", "杭州市", "杭州市", "杭州市", "", "杭州市"],
    })
    assert categories(table).tolist() == ["province", "harbor", "financial_city", "core_zone",
                                          "problem", "harbor"]


@pytest.mark.parametrize("lang, columns", [
    ("zh", ["名称", "附件5编号", "出处", "几何来源", "精度"]),
    ("en", ["Name", "Name (Chinese)", "Annex 5 items", "Plan reference", "Geometry source", "Accuracy"]),
])
def test_the_plans_own_projects_as_a_reader_of_each_language_reads_them(lang, columns):
    from layers.load import load_layer
    from layers.zonecheck import plan_projects

    table = plan_projects(lang)
    assert list(table.frame.columns) == columns
    names = [*load_layer("major_projects").located["name_zh"], *load_layer("key_projects").located["name_zh"]]
    assert list(table.frame[columns[1] if lang == "en" else columns[0]]) == names
    assert len(table.geometry) == len(names) and table.crs == "EPSG:4326"
    refs = "".join(table.frame[columns[3] if lang == "en" else "出处"])
    assert ("附件" in refs) == (lang == "zh") and ("Annex" in refs) == (lang == "en")


@pytest.mark.filterwarnings("ignore")
def test_the_pages_table_shows_an_empty_text_cell_empty_not_none(tmp_path):
    from pages.zone_check_parts import for_reader

    frame = gpd.GeoDataFrame({"名称": ["甲", None], "备注": [None, "x"], "n": [1.5, None]},
                             geometry=[Point(QJL)] * 2, crs=4326)
    frame.to_file(tmp_path / "p.gpkg")
    shown = for_reader(check(tmp_path / "p.gpkg", lang="zh"))
    assert shown["名称"].tolist() == ["甲", ""] and shown["备注"].tolist() == ["", "x"]
    assert shown["n"].iloc[0] == 1.5 and np.isnan(shown["n"].iloc[1])  # numbers stay numbers


@pytest.mark.parametrize("lon, lat, said", [
    (10.1234567, 10.7654321, "(10.12346, 10.76543) is outside Zhejiang"),  # five decimals shown
    (5, 40, "(5, 40) is outside Zhejiang"),  # not "swapped": (40, 5) is not in Zhejiang either
    (180, 90, "(180, 90) is outside Zhejiang"),  # still degrees, at their very ends
    (120.2, 3348738.1, "(120.2, 3348738.1) are not degrees"),  # a latitude beyond 90
    (180.5, 30.2, "(180.5, 30.2) are not degrees"),
])
def test_the_sentence_of_a_point_outside_zhejiang(lon, lat, said):
    from layers.zonecheck import check

    problem = check(f"name,lon,lat\np,{lon},{lat}\n".encode(), "p.csv").table["problem"].iloc[0]
    assert problem.startswith(said), problem


def test_a_third_column_named_like_an_output_column_gets_the_next_free_name():
    from layers.zonecheck import check

    text = f"problem,problem_input,problem_input2,lon,lat\na,b,c,{QJL[0]},{QJL[1]}\n"
    table = check(text.encode(), "p.csv").table
    assert list(table.columns[:3]) == ["problem_input3", "problem_input", "problem_input2"]
    assert table["problem_input3"].iloc[0] == "a" and table["problem"].iloc[0] == ""


def test_a_polygon_and_a_line_get_a_point_inside_them_as_their_lon_lat(tmp_path):
    from layers.zonecheck import check

    square = box(120.2377733, 30.2417619, 120.2397733, 30.2437619)  # around 钱江世纪城站
    line = LineString([(120.2062401, 30.2580532), (120.2102401, 30.2580532)])  # along 钱江路站
    gpd.GeoDataFrame({"名称": ["地块", "道路"]}, geometry=[square, line], crs=4326).to_file(tmp_path / "p.gpkg")
    table = check(tmp_path / "p.gpkg").table
    for i, shape in enumerate((square, line)):
        point = shapely.Point(table["lon_wgs84"].iloc[i], table["lat_wgs84"].iloc[i])
        assert shape.distance(point) < 1e-7, (i, point)  # on the shape, to the 7 decimals written
    assert table["district"].tolist() == ["萧山区 (100%)", "上城区 (100%)"]


def test_positions_are_written_to_seven_decimals():
    from layers.zonecheck import check

    row = check("name,lon,lat\np,120.20824012345,30.25805321987\n".encode(), "p.csv").table.iloc[0]
    assert (row["lon_wgs84"], row["lat_wgs84"]) == (120.2082401, 30.2580532)


def test_the_file_name_and_the_encoding_given_reach_the_reader():
    from geo.importer import InputError
    from layers.zonecheck import check

    with pytest.raises(InputError, match=r"^清单\.csv: the file is empty\.$"):
        check(b" ", "清单.csv")
    text = "名称,经度,纬度\n钱江新城项目,120.2082401,30.2580532\n".encode("gbk")
    assert "read as GBK" in check(text, "p.csv", encoding="gbk").notes[0]


def test_a_polygon_across_two_harbor_cities_is_in_the_harbor(tmp_path):
    from layers.load import load_layer
    from layers.zonecheck import check

    cities = load_layer("cities").located.set_index("name_zh").geometry
    border = cities["杭州市"].boundary.intersection(cities["绍兴市"].boundary)
    centre = border.interpolate(0.5, normalized=True) if border.geom_type != "Point" else border
    square = centre.buffer(0.01, cap_style="square")
    gpd.GeoDataFrame({"名称": ["跨市地块"]}, geometry=[square], crs=4326).to_file(tmp_path / "p.gpkg")
    row = check(tmp_path / "p.gpkg").table.iloc[0]
    assert set(re.sub(r" \(\d+%\)", "", row["city"]).split(";")) == {"杭州市", "绍兴市"}
    assert bool(row["in_harbor"]) is True


def test_in_harbor_is_empty_where_a_row_has_no_city_of_zhejiang(tmp_path):
    """港湾六城 (section 三(四)): 杭州 with 宁波、湖州、嘉兴、绍兴、舟山. A point in 丽水 is in Zhejiang
    but not in the six: false. Shanghai, and a row without coordinates, have no city of Zhejiang:
    empty (not false), in the table and in the file."""
    text = ("name,lon,lat\n钱江路站,120.2082401,30.2580532\n丽水,119.922,28.467\n"
            "上海,121.4737,31.2304\n空,,\n")
    result = check(text.encode(), "p.csv", crs="wgs84")
    assert result.table["in_harbor"].tolist() == [True, False, pd.NA, pd.NA]
    written = result.write(tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[7] for line in written[1:]] == ["true", "false", "", ""]


def test_the_readings_notes_are_given_in_the_planners_language():
    table = Table(pd.DataFrame({"项目": ["a"], "经度": [120.21], "纬度": [30.25]}), "p.xlsx",
                  notes=["header in row 3"])
    assert check(table, crs="wgs84", lang="zh").notes == ["表头在第 3 行"]
    assert check(table, crs="wgs84", lang="en").notes == ["header in row 3"]
