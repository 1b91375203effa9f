"""``python -m layers.zonecheck`` as a planner runs it: each option does what its help says, the
exit status tells success from refusal, and what it prints is in the language asked. Called in
this process (``main``), so that a mutation test sees the command's own code."""

import csv
import re
import time

import geopandas as gpd
import pytest
from pyproj import Transformer

from layers.zonecheck import ADDED, main

QJL = (120.2082401, 30.2580532)  # 钱江路站: 杭州市 上城区 钱江新城 (a published station site)


def rows_of(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().err


def test_output_is_required_and_the_language_is_en_or_zh(tmp_path, capsys):
    (tmp_path / "p.csv").write_text(f"name,lon,lat\na,{QJL[0]},{QJL[1]}\n", encoding="utf-8")
    for argv in ([tmp_path / "p.csv"], [tmp_path / "p.csv", "-o", tmp_path / "o.csv", "--lang", "fr"]):
        with pytest.raises(SystemExit) as refused:
            main([str(a) for a in argv])
        assert refused.value.code == 2
    assert not (tmp_path / "o.csv").exists()


def test_english_by_default_with_the_real_counts_and_time(tmp_path, capsys):
    (tmp_path / "p.csv").write_text(f"name,lon,lat\na,{QJL[0]},{QJL[1]}\nb,,\nc,{QJL[0]},{QJL[1]}\n",
                                    encoding="utf-8")
    start = time.perf_counter()
    code, said = run(capsys, tmp_path / "p.csv", "-o", tmp_path / "o.csv")
    took = time.perf_counter() - start
    assert code == 0
    assert said.startswith("note: read as UTF-8")
    summary = re.search(r"3 rows, 1 with a problem, written to (.+) in ([\d.]+) s", said)
    assert summary and summary[1] == str(tmp_path / "o.csv")
    assert float(summary[2]) <= took + 0.05  # the time it took, not another clock's reading
    assert [r["district"] for r in rows_of(tmp_path / "o.csv")] == ["上城区", "", "上城区"]


def test_crs_reads_projected_coordinates(tmp_path, capsys):
    # 钱江路站 in CGCS2000 / 3-degree Gauss-Kruger CM 120E, by pyproj (not the code under test).
    x, y = Transformer.from_crs(4326, 4549, always_xy=True).transform(*QJL)
    (tmp_path / "p.csv").write_text(f"name,x,y\na,{x:.3f},{y:.3f}\n", encoding="utf-8")
    code, said = run(capsys, tmp_path / "p.csv", "-o", tmp_path / "o.csv", "--lon", "x", "--lat", "y",
                     "--crs", "EPSG:4549")
    assert code == 0, said
    row = rows_of(tmp_path / "o.csv")[0]
    assert (row["district"], row["core_zone"], row["problem"]) == ("上城区", "钱江新城", "")
    assert abs(float(row["lon_wgs84"]) - QJL[0]) < 1e-6 and abs(float(row["lat_wgs84"]) - QJL[1]) < 1e-6
    # Without --crs the same numbers are read as degrees: a problem, not a silent answer.
    code, said = run(capsys, tmp_path / "p.csv", "-o", tmp_path / "o.csv", "--lon", "x", "--lat", "y")
    row = rows_of(tmp_path / "o.csv")[0]
    assert code == 0 and row["problem"] == (
        f"({x:.3f}, {y:.3f}) are not degrees of longitude and latitude; they look like metres of "
        "a projected system: choose the one the file uses (e.g. EPSG:4549)")
    assert row["lon_wgs84"] == row["lat_wgs84"] == ""  # metres are not written as degrees
    run(capsys, tmp_path / "p.csv", "-o", tmp_path / "o.csv", "--lon", "x", "--lat", "y", "--lang", "zh")
    assert rows_of(tmp_path / "o.csv")[0]["问题"] == (
        f"({x:.3f}, {y:.3f}) 不是以度为单位的经纬度；像是投影坐标系的米制坐标：请选择文件所用的坐标系（如 EPSG:4549）")


def test_lon_and_lat_name_the_columns_each(tmp_path, capsys):
    # Columns the names cannot find; the first number column is latitude, the second longitude.
    (tmp_path / "p.csv").write_text(f"name,b,a\na,{QJL[1]},{QJL[0]}\n", encoding="utf-8")
    code, said = run(capsys, tmp_path / "p.csv", "-o", tmp_path / "o.csv")
    assert code == 2 and said.startswith("error: ") and "longitude" in said
    code, said = run(capsys, tmp_path / "p.csv", "-o", tmp_path / "o.csv", "--lon", "a", "--lat", "b")
    assert code == 0, said
    assert rows_of(tmp_path / "o.csv")[0]["district"] == "上城区"


def test_an_unsure_encoding_is_refused_until_given(tmp_path, capsys):
    # Reads as GBK and as Big5 (tests/test_importer.py): the command does not guess.
    (tmp_path / "p.csv").write_bytes("name,lon,lat\n高雄,120.30,22.62\n".encode("big5"))
    code, said = run(capsys, tmp_path / "p.csv", "-o", tmp_path / "o.csv")
    assert code == 2
    assert said.startswith("error: ") and said.rstrip().endswith("error: give it with --encoding")
    assert not (tmp_path / "o.csv").exists()
    code, said = run(capsys, tmp_path / "p.csv", "-o", tmp_path / "o.csv", "--encoding", "big5")
    assert code == 0, said
    assert rows_of(tmp_path / "o.csv")[0]["name"] == "高雄"


def test_header_row_picks_the_row_of_column_names(tmp_path, capsys):
    text = f"重点项目清单,,\n名称,经度,纬度\n甲,{QJL[0]},{QJL[1]}\n"
    (tmp_path / "p.csv").write_text(text, encoding="utf-8")
    code, said = run(capsys, tmp_path / "p.csv", "-o", tmp_path / "o.csv")  # found: row 2
    assert code == 0 and rows_of(tmp_path / "o.csv")[0]["district"] == "上城区"
    code, said = run(capsys, tmp_path / "p.csv", "-o", tmp_path / "o.csv", "--header-row", "1")
    assert code == 2 and said.startswith("error: ")  # the title taken for the header, as asked
    code, said = run(capsys, tmp_path / "p.csv", "-o", tmp_path / "o.csv", "--header-row", "2")
    assert code == 0 and rows_of(tmp_path / "o.csv")[0]["名称"] == "甲"


def test_in_chinese_the_separator_and_words_are_chinese(tmp_path, capsys):
    (tmp_path / "q.csv").write_text("", encoding="utf-8")
    code, said = run(capsys, tmp_path / "q.csv", "-o", tmp_path / "o.csv", "--lang", "zh")
    assert code == 2 and said.startswith("错误：") and ": " not in said
    code, said = run(capsys, tmp_path / "q.csv", "-o", tmp_path / "o.csv")
    assert code == 2 and said.startswith("error: ") and not re.search(r"[\u4e00-\u9fff]", said)


def test_the_language_asked_is_the_language_of_the_result_file_too(tmp_path, capsys):
    (tmp_path / "p.csv").write_text(f"name,lon,lat\na,{QJL[0]},{QJL[1]}\nb,,\n", encoding="utf-8")
    code, _ = run(capsys, tmp_path / "p.csv", "-o", tmp_path / "zh.csv", "--lang", "zh")
    zh_rows = rows_of(tmp_path / "zh.csv")
    assert code == 0 and zh_rows[1]["问题"] == "lon 为空；lat 为空；请填写或更正坐标"
    assert list(zh_rows[0]) == ["name", "lon", "lat", "经度（WGS84）", "纬度（WGS84）", "设区市", "县（市、区）",
                                "港湾六城", "核心区/拥江扩面", "金融城", "特色带", "金融特色小镇", "问题"]
    code, said = run(capsys, tmp_path / "p.csv", "-o", tmp_path / "en.csv", "--lang", "en")
    assert code == 0 and said.startswith("note: ")
    assert rows_of(tmp_path / "en.csv")[1]["problem"] == "lon is empty; lat is empty; fill in or correct the coordinates"
    assert list(rows_of(tmp_path / "en.csv")[0])[3:] == ADDED  # the English names: a stable schema


def test_a_chinese_result_keeps_an_input_column_named_like_a_chinese_header(tmp_path, capsys):
    (tmp_path / "p.csv").write_text(f"名称,设区市,问题,lon,lat\na,杭州,旧,{QJL[0]},{QJL[1]}\n", encoding="utf-8")
    code, _ = run(capsys, tmp_path / "p.csv", "-o", tmp_path / "zh.gpkg", "--lang", "zh")
    written = gpd.read_file(tmp_path / "zh.gpkg")
    assert code == 0 and list(written.columns)[:3] == ["名称", "设区市", "问题"]
    row = written.iloc[0]
    assert (row["设区市"], row["问题"], row["设区市（核查）"], row["问题（核查）"]) == ("杭州", "旧", "杭州市", "")
    assert row["县（市、区）"] == "上城区" and row.geometry.x == pytest.approx(QJL[0])


def test_the_summary_tells_the_totals_and_notes_apart_from_the_problems(tmp_path, capsys):
    (tmp_path / "p.csv").write_text(f"name,lon,lat\na,{QJL[0]},{QJL[1]}\nb,,\n合计,,\n注：单位亿元,,\n",
                                    encoding="utf-8")
    code, said = run(capsys, tmp_path / "p.csv", "-o", tmp_path / "o.csv")
    assert code == 0 and "4 rows, 1 with a problem, 2 a total or a note of the sheet, written to" in said
    code, said = run(capsys, tmp_path / "p.csv", "-o", tmp_path / "o.csv", "--lang", "zh")
    assert "共 4 行，其中 1 行有问题，2 行是表格的合计或注释，已写入" in said
    rows = rows_of(tmp_path / "o.csv")
    assert [r["港湾六城"] for r in rows] == ["true", "", "", ""]  # not "false" where nothing is known


@pytest.mark.parametrize("lon_name, lat_name, datum, shift", [
    ("百度经度", "百度纬度", "bd09", "wgs_bd"), ("经度(GCJ02)", "纬度(GCJ02)", "gcj02", "wgs_gcj"),
    ("高德经度", "高德纬度", "gcj02", "wgs_gcj"), ("lng_bd09", "lat_bd09", "bd09", "wgs_bd")])
def test_columns_named_for_baidu_or_amap_are_read_in_that_system(tmp_path, capsys, lon_name, lat_name,
                                                                  datum, shift):
    import prcoords  # test-only: an independent GCJ-02/BD-09 implementation

    lat, lon = getattr(prcoords, shift)((QJL[1], QJL[0]))
    (tmp_path / "p.csv").write_text(f"名称,{lon_name},{lat_name}\n钱江路站,{lon:.7f},{lat:.7f}\n", encoding="utf-8")
    code, said = run(capsys, tmp_path / "p.csv", "-o", tmp_path / "o.csv")
    row = rows_of(tmp_path / "o.csv")[0]
    assert code == 0 and f"are named for {datum}: read as {datum}" in said
    assert abs(float(row["lon_wgs84"]) - QJL[0]) < 2e-6 and abs(float(row["lat_wgs84"]) - QJL[1]) < 2e-6
    assert (row["district"], row["core_zone"]) == ("上城区", "钱江新城")
    run(capsys, tmp_path / "p.csv", "-o", tmp_path / "w.csv", "--crs", "wgs84")  # the user says otherwise
    assert abs(float(rows_of(tmp_path / "w.csv")[0]["lon_wgs84"]) - lon) < 1e-6


def test_degree_columns_are_taken_before_x_y_columns_of_metres(tmp_path, capsys):
    (tmp_path / "p.csv").write_text(f"名称,X,Y,经度,纬度\n钱江路站,520040.1,3348738.1,{QJL[0]},{QJL[1]}\n",
                                    encoding="utf-8")
    code, _ = run(capsys, tmp_path / "p.csv", "-o", tmp_path / "o.csv")
    row = rows_of(tmp_path / "o.csv")[0]
    assert code == 0 and row["problem"] == "" and row["district"] == "上城区"
