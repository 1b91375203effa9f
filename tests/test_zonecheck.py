"""The zone check: every format and encoding, bad rows and bad files, the border rule, shares
for lines and polygons, the command line against Python, and arbitrary bytes."""

import io
import subprocess
import sys
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, box

from geo.crs import wgs84_to_bd09, wgs84_to_gcj02
from geo.crs import xy_to_wgs84
from geo.importer import InputError, read_input
from geo.zonecheck import write_output, zones_of_shapes
from geo.zoneindex import ZoneIndex
from layers.load import ROOT
from layers.zonecheck import ADDED, check

QJL = (120.2082401, 30.2580532)  # 钱江路站: 杭州市 上城区 钱江新城 杭州金融城
SJC = (120.2387733, 30.2427619)  # 钱江世纪城站: 萧山区 钱江世纪城 钱塘江金融城
CSV = "项目名称,经度,纬度\n钱江路站,{0},{1}\n世纪城,{2},{3}\n".format(*QJL, *SJC)


def assert_two_projects(frame):
    assert [c for c in frame.columns if c != "geometry"][-len(ADDED):] == ADDED
    first, second = frame.iloc[0], frame.iloc[1]
    assert (first["city"], first["district"], first["core_zone"], first["financial_city"]) == (
        "杭州市", "上城区", "钱江新城", "杭州金融城")
    assert bool(first["in_harbor"]) is True
    assert first["belts"] == "G60 走廊科创金融特色带;G92 杭绍甬产业金融特色带"
    assert (second["district"], second["core_zone"], second["financial_city"]) == (
        "萧山区", "钱江世纪城", "钱塘江金融城")
    assert (frame["problem"] == "").all()


# ---- coordinate systems --------------------------------------------------------------------

def test_epsg_input_through_pyproj_within_1_m():
    to_4549 = Transformer.from_crs(4326, 4549, always_xy=True)
    x, y = to_4549.transform(*QJL)
    lon, lat = xy_to_wgs84(np.array([x]), np.array([y]), "EPSG:4549")
    assert abs(lon[0] - QJL[0]) * 96000 < 1 and abs(lat[0] - QJL[1]) * 111000 < 1


@pytest.mark.parametrize("crs, forward", [("gcj02", wgs84_to_gcj02), ("bd09", wgs84_to_bd09),
                                          ("cgcs2000", lambda x, y: (x, y))])
def test_table_in_another_crs(crs, forward):
    (x1, y1), (x2, y2) = (forward(*QJL), forward(*SJC))
    text = f"name,lng,lat\na,{float(x1)},{float(y1)}\nb,{float(x2)},{float(y2)}\n"
    result = check(text.encode(), "p.csv", crs=crs).frame
    assert_two_projects(result)
    assert abs(result["lon_wgs84"].iloc[0] - QJL[0]) < 1e-5


# ---- formats and encodings -------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(encoding):
    result = check(CSV.encode(encoding), "projects.csv").frame
    assert list(result["项目名称"]) == ["钱江路站", "世纪城"]
    assert_two_projects(result)


def test_declared_encoding_and_given_columns():
    text = "名称;东;北\n钱江路站;{0};{1}\n世纪城;{2};{3}\n".format(*QJL, *SJC).replace(";", ",")
    result = check(text.encode("gbk"), "p.txt", lon="东", lat="北", encoding="gbk").frame
    assert_two_projects(result)


def test_excel(tmp_path):
    frame = pd.DataFrame({"项目": ["钱江路站", "世纪城"], "lon": [QJL[0], SJC[0]], "lat": [QJL[1], SJC[1]]})
    frame.to_excel(tmp_path / "p.xlsx", index=False)
    assert_two_projects(check(tmp_path / "p.xlsx").frame)


def points_frame(crs=4326):
    frame = gpd.GeoDataFrame({"项目": ["钱江路站", "世纪城"]}, geometry=[Point(*QJL), Point(*SJC)],
                             crs=4326)
    return frame.to_crs(crs)


def test_geojson(tmp_path):
    points_frame().to_file(tmp_path / "p.geojson", driver="GeoJSON")
    assert_two_projects(check(tmp_path / "p.geojson").frame)


def test_geopackage_uses_its_own_crs(tmp_path):
    points_frame(4549).to_file(tmp_path / "p.gpkg", driver="GPKG")
    result = check(tmp_path / "p.gpkg").frame
    assert_two_projects(result)


def test_geopackage_with_two_layers_reads_both(tmp_path):
    points_frame().to_file(tmp_path / "p.gpkg", layer="projects", driver="GPKG")
    points_frame().iloc[:1].to_file(tmp_path / "p.gpkg", layer="other", driver="GPKG")
    result = check(tmp_path / "p.gpkg")
    assert "read all 2 layers ('projects', 'other'); the column 'layer' names each row's" in result.notes
    assert result.table["layer"].tolist() == ["projects", "projects", "other"]
    assert_two_projects(result.frame)
    assert result.table["district"].iloc[2] == "上城区"


def test_kml(tmp_path):
    points_frame().rename(columns={"项目": "Name"}).to_file(tmp_path / "p.kml", driver="KML")
    result = check(tmp_path / "p.kml").frame
    assert_two_projects(result)


def zipped_shapefile(tmp_path, encoding="utf-8", prj=True, cpg=True):
    folder = tmp_path / "shp"
    folder.mkdir()
    points_frame(4549).to_file(folder / "p.shp", encoding=encoding)
    if not prj:
        (folder / "p.prj").unlink()
    if cpg:
        (folder / "p.cpg").write_text(encoding.upper().replace("-", ""))
    else:
        (folder / "p.cpg").unlink(missing_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for file in folder.iterdir():
            z.write(file, f"data/{file.name}")
    return buffer.getvalue()


def test_zipped_shapefile_with_prj_and_gbk_cpg(tmp_path):
    result = check(zipped_shapefile(tmp_path, "gbk"), "p.zip").frame
    assert list(result["项目"]) == ["钱江路站", "世纪城"]
    assert_two_projects(result)


def test_zipped_shapefile_with_declared_encoding(tmp_path):
    result = check(zipped_shapefile(tmp_path, "gbk", cpg=False), "p.zip", encoding="gbk").frame
    assert list(result["项目"]) == ["钱江路站", "世纪城"]


def test_shapefile_without_prj_asks_for_the_crs(tmp_path):
    data = zipped_shapefile(tmp_path, prj=False)
    with pytest.raises(InputError, match="does not declare its coordinate system"):
        check(data, "p.zip")
    assert_two_projects(check(data, "p.zip", crs="EPSG:4549").frame)


# ---- bad rows ---------------------------------------------------------------------------------

def test_every_bad_row_is_kept_with_a_problem():
    text = ("name,lon,lat\n"
            f"ok,{QJL[0]},{QJL[1]}\n"
            "missing,,\n"
            "half,120.2,\n"
            "word,abc,30.2\n"
            f"swapped,{QJL[1]},{QJL[0]}\n"
            "shanghai,121.47,31.23\n"
            "<img src=x onerror=alert(1)>,120.2,30.25\n")
    result = check(text.encode(), "p.csv").frame
    assert list(result["name"]) == ["ok", "missing", "half", "word", "swapped", "shanghai",
                                    "<img src=x onerror=alert(1)>"]
    p = list(result["problem"])
    assert p[0] == "" and p[6] == ""
    assert "lon is empty" in p[1] and "lat is empty" in p[1]
    assert "lat is empty" in p[2]
    assert "'abc' is not a number" in p[3]
    assert "look swapped" in p[4]
    assert "outside Zhejiang" in p[5]
    assert (result.loc[1:5, "city"] == "").all()


def test_input_columns_named_like_output_columns_are_kept():
    text = f"name,lon,lat,city,problem\na,{QJL[0]},{QJL[1]},input city,input note\n"
    result = check(text.encode(), "p.csv").frame
    assert result["city_input"].iloc[0] == "input city" and result["city"].iloc[0] == "杭州市"
    assert result["problem_input"].iloc[0] == "input note" and result["problem"].iloc[0] == ""


def test_invalid_polygon_is_repaired_and_reported(tmp_path):
    bowtie = Polygon([(120.20, 30.25), (120.22, 30.27), (120.22, 30.25), (120.20, 30.27)])
    frame = gpd.GeoDataFrame({"name": ["bowtie"]}, geometry=[bowtie], crs=4326)
    (tmp_path / "p.geojson").write_text(frame.to_json(), encoding="utf-8")
    result = check(tmp_path / "p.geojson")
    assert "repaired" in result.frame["problem"].iloc[0]
    assert any("repaired 1 invalid" in n for n in result.notes)
    assert result.frame.geometry.iloc[0].is_valid and result.frame["city"].iloc[0].startswith("杭州市")


# ---- bad files --------------------------------------------------------------------------------

@pytest.mark.parametrize("data, name, message", [
    (b"", "p.csv", "empty"),
    (b"   \n ", "p.csv", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), "p.csv", "not a table"),
    (b"\xd0\xcf\x11\xe0" + bytes(100), "p.xls", "old .xls"),
    (b"a\x00b\x00c" * 50, "p.csv", "binary"),
    (b"PK\x03\x04 broken", "p.zip", "damaged zip"),
    (b'{"type": "FeatureCollection", "features": [', "p.geojson", "cannot be read"),
    ("名称,备注\n甲,乙\n".encode(), "p.csv", "no longitude column"),
    (b"\xff\xfe\xfa" * 40, "p.csv", "neither UTF-8 nor GBK"),
])
def test_bad_files_are_refused_with_a_reason(data, name, message):
    with pytest.raises(InputError, match=message):
        check(data, name)


def test_oversized_file_is_refused():
    with pytest.raises(InputError, match="more than the 1,000 allowed"):
        read_input(b"x" * 1001, "big.csv", max_bytes=1000)


def test_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("p.shp", b"\x00" * (50 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200_000
    with pytest.raises(InputError, match="zip bomb"):
        check(buffer.getvalue(), "bomb.zip")


@pytest.mark.parametrize("member", ["../evil.shp", "/etc/evil.shp", "a/../../evil.shp", "C:/evil.shp",
                                    "c:/evil.shp", "..\\evil.shp", "a\\..\\..\\evil.shp"])
def test_archive_paths_that_climb_out_are_refused(member):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(member, b"x")
    with pytest.raises(InputError, match="climbs out"):
        check(buffer.getvalue(), "p.zip")


def test_a_file_that_is_not_what_it_claims():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(InputError, match="no Shapefile"):
        check(buffer.getvalue(), "p.xlsx")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), name=st.sampled_from(
    ["p.csv", "p.xlsx", "p.geojson", "p.zip", "p.gpkg", "p.kml", "p.txt", "p"]))
def test_importer_never_raises_anything_but_input_error(data, name):
    try:
        check(data, name)
    except InputError:
        pass


@settings(max_examples=150, deadline=None)
@given(prefix=st.sampled_from([b"PK\x03\x04", b"SQLite format 3\x00", b"{", b"<kml>", b"lon,lat\n"]),
       rest=st.binary(max_size=500))
def test_importer_survives_files_that_start_like_real_ones(prefix, rest):
    try:
        check(prefix + rest, "p.dat")
    except InputError:
        pass


# ---- border rule, lines and polygons -----------------------------------------------------------

def two_squares():
    zones = gpd.GeoDataFrame({"kind": ["district", "district"], "name": ["A", "B"]},
                             geometry=[box(120.0, 30.0, 120.1, 30.1), box(120.1, 30.0, 120.2, 30.1)],
                             crs=4326)
    return ZoneIndex(zones)


def test_a_point_on_a_border_gets_both_zones():
    index = two_squares()
    got = index.query([120.1, 120.05, 120.15, 120.3], [30.05, 30.05, 30.05, 30.05])["district"]
    assert list(got) == ["A;B", "A", "B", ""]


def test_points_on_the_outer_edges_of_a_zone_get_it():
    # The box test before the exact one must keep its edges: west, east, south, north, corners.
    index = two_squares()
    lon = [120.0, 120.2, 120.05, 120.15, 120.0, 120.2, 119.9999, 120.2001]
    lat = [30.05, 30.05, 30.0, 30.1, 30.0, 30.1, 30.05, 30.05]
    assert list(index.query(lon, lat)["district"]) == ["A", "B", "A", "B", "A", "B", "", ""]


def test_a_real_border_point_between_two_districts():
    from layers.load import load_layer

    districts = load_layer("districts").located.set_index("name_zh").geometry
    shared = districts["上城区"].boundary.intersection(districts["滨江区"].boundary)
    vertex = np.asarray(shared.geoms[0].coords if hasattr(shared, "geoms") else shared.coords)[0]
    from layers.zones import zone_index

    district = zone_index().query([vertex[0]], [vertex[1]])["district"][0]
    assert set(district.split(";")) >= {"上城区", "滨江区"}


def test_polygons_and_lines_get_shares():
    index = two_squares()
    shapes = gpd.GeoSeries([box(120.05, 30.02, 120.15, 30.08),
                            LineString([(120.02, 30.05), (120.18, 30.05)]),
                            box(120.01, 30.01, 120.02, 30.02)], crs=4326)
    got = list(zones_of_shapes(shapes, index)["district"])
    assert got == ["A (50%);B (50%)", "A (50%);B (50%)", "A (100%)"]


def test_polygon_projects_in_the_plan_zones(tmp_path):
    frame = gpd.GeoDataFrame({"name": ["across the river"]},
                             geometry=[LineString([QJL, SJC])], crs=4326)
    frame.to_file(tmp_path / "line.geojson", driver="GeoJSON")
    row = check(tmp_path / "line.geojson").frame.iloc[0]
    assert "上城区" in row["district"] and "萧山区" in row["district"] and "%" in row["district"]
    assert row["city"] == "杭州市 (100%)" and row["problem"] == ""


# ---- one result, three ways in -----------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".geojson", ".gpkg"])
def test_command_line_writes_each_format_and_matches_python(tmp_path, suffix):
    source = tmp_path / "p.csv"
    source.write_text("项目名称,经度,纬度\n钱江路站,{0},{1}\n空,,\n世纪城,{2},{3}\n".format(*QJL, *SJC),
                      encoding="gbk")
    out = tmp_path / f"out{suffix}"
    done = subprocess.run([sys.executable, "-m", "layers.zonecheck", str(source), "-o", str(out),
                           "--encoding", "gbk"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    expected = check(source, encoding="gbk").frame
    if suffix == ".csv":
        got = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    elif suffix == ".xlsx":
        got = pd.read_excel(out, dtype=str, keep_default_na=False)
    else:
        got = gpd.read_file(out)
    assert list(got["项目名称"]) == ["钱江路站", "空", "世纪城"]
    assert list(got["district"].fillna("")) == list(expected["district"])
    assert list(got["problem"].fillna("")) == list(expected["problem"])


def test_command_line_error_is_a_message_not_a_traceback(tmp_path):
    (tmp_path / "p.csv").write_bytes(b"")
    done = subprocess.run([sys.executable, "-m", "layers.zonecheck", str(tmp_path / "p.csv"), "-o",
                           str(tmp_path / "o.csv")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.startswith("error: p.csv: the file is empty")
    assert "Traceback" not in done.stderr


def test_unknown_crs_and_output_are_refused(tmp_path):
    with pytest.raises(InputError, match="Unknown coordinate system"):
        check(CSV.encode(), "p.csv", crs="EPSG:999999")
    with pytest.raises(ValueError, match="must end in"):
        write_output(check(CSV.encode(), "p.csv").frame, tmp_path / "out.txt")
