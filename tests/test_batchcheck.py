"""The zone check of large tables, batch by batch: the same rows as a list checked whole, CSV
and Parquet/GeoParquet in and out, bad rows and unreadable parts in the middle, progress."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from shapely.geometry import MultiPoint, Point, box

from geo.batches import TableReader
from layers.batchcheck import check_file
from layers.zonecheck import check

ROOT = Path(__file__).resolve().parents[1]
QJL = (120.2116, 30.2468)  # 钱江新城: 上城区, in the core zone (as in test_zonecheck)


def awkward_rows(n: int = 1_200, seed: int = 5) -> pd.DataFrame:
    """Rows as registries have them: points over the province and beyond, around Hangzhou's
    core, on district vertices; empty, NA, text and full-width coordinates; swapped, metres;
    names that start like formulas."""
    rng = np.random.default_rng(seed)
    lon = np.r_[rng.uniform(118.0, 123.3, n // 2), rng.normal(120.2, 0.05, n - n // 2)]
    lat = np.r_[rng.uniform(27.0, 31.3, n // 2), rng.normal(30.25, 0.04, n - n // 2)]
    lon_text = np.round(lon, 6).astype(str).astype(object)
    lat_text = np.round(lat, 6).astype(str).astype(object)
    odd = {3: ("", ""), 10: ("NA", "30.2"), 17: ("东经120度", "30.2"), 24: ("１２０．２１", "30.25"),
           31: ("30.2468", "120.2116"), 38: ("3345000", "40512000"), 45: ("inf", "30"),
           52: ("120,2116", "30,2468"), 59: (" 120.2116 ", "30.2468")}
    for i, (x, y) in odd.items():
        lon_text[i], lat_text[i] = x, y
    names = np.array([f"项目{i}" for i in range(n)], dtype=object)
    names[[7, 14, 21]] = ["=1+1", "-cmd|' /C calc'!A0", "@SUM(A1)"]
    return pd.DataFrame({"name": names, "lon": lon_text, "lat": lat_text})


def read_back(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_csv_in_batches_is_written_as_the_list_is_checked_whole(tmp_path, lang):
    src = tmp_path / "in.csv"
    awkward_rows().to_csv(src, index=False)
    whole = check(src, lang=lang).write(tmp_path / "whole.csv")
    calls = []
    summary = check_file(src, tmp_path / "batches.csv", lang=lang, batch_rows=100,
                         progress=lambda *a: calls.append(a))
    assert (tmp_path / "batches.csv").read_bytes() == whole.read_bytes()
    assert summary.rows == 1_200 and len(calls) >= 12  # 12 batches, then the end
    assert [rows for _, rows, _ in calls] == sorted(rows for _, rows, _ in calls)
    assert calls[-1][:2] == (1.0, 1_200)
    out = read_back(tmp_path / "batches.csv")
    problem = "问题" if lang == "zh" else "problem"
    assert summary.problems == int((out[problem] != "").sum()) > 250  # half the box is outside
    assert out["name"][7] == "'=1+1" and out["name"][14].startswith("'-cmd")  # safe in Excel
    assert any("put ' before 3 cells" in n or "3 个" in n for n in summary.notes)


def test_a_gbk_sheet_with_title_rows_and_a_broken_row_in_the_middle(tmp_path):
    lines = ["杭州市金融项目清单,,", "填报单位：市金融办,,", "项目名称,经度,纬度"]
    lines += [f"项目{i},120.{2100 + i},30.2468" for i in range(300)]
    lines[3 + 150] = "项目150,120.21,30.24,多出来的一格"  # file line 154: four cells
    src = tmp_path / "gbk.csv"
    src.write_bytes("\n".join(lines).encode("gbk") + b"\n")
    summary = check_file(src, tmp_path / "out.csv", batch_rows=64, lang="zh")
    out = read_back(tmp_path / "out.csv")
    assert summary.rows == 300 and len(out) == 300  # every row ends with an answer or a problem
    assert "按 GBK" in " ".join(summary.notes) or "GB18030" in " ".join(summary.notes)
    assert "表头在第 3 行" in summary.notes
    broken = out[out["项目名称"] == "项目150"]
    assert broken.index.tolist() == [150]  # where it is in the file
    assert broken["问题"].iloc[0].startswith("第 154 行有 4 个单元格，而表头有 3 个列名")
    assert broken["设区市"].iloc[0] == "" and broken["经度（WGS84）"].iloc[0] == ""
    assert (out.loc[out["项目名称"] != "项目150", "县（市、区）"] != "").all()
    assert out["项目名称"].iloc[0] == "项目0" and summary.problems == 1


def test_parquet_in_and_out_keeps_the_types_and_gives_the_same_zones(tmp_path):
    rows = awkward_rows(600)
    typed = pd.DataFrame({"id": np.arange(600, dtype=np.int64), "name": rows["name"],
                          "lon": pd.to_numeric(rows["lon"], errors="coerce"),
                          "lat": pd.to_numeric(rows["lat"], errors="coerce")})
    pq.write_table(pa.Table.from_pandas(typed, preserve_index=False), tmp_path / "in.parquet",
                   row_group_size=100)
    summary = check_file(tmp_path / "in.parquet", tmp_path / "out.parquet", batch_rows=128)
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.schema.field("id").type == pa.int64() and out.schema.field("lon").type == pa.float64()
    assert out.schema.field("in_harbor").type == pa.bool_()
    assert out.num_rows == summary.rows == 600
    typed.to_csv(tmp_path / "same.csv", index=False)
    whole = check(tmp_path / "same.csv").table
    got = out.to_pandas()
    for column in ("city", "district", "core_zone", "financial_city", "belts", "town"):
        assert got[column].tolist() == whole[column].tolist()
    missing = typed["lon"].isna().to_numpy()
    assert (got["problem"][missing] != "").all()
    assert got["problem"][3] == "lon is empty; lat is empty; fill in or correct the coordinates"


def test_geoparquet_from_qgis_in_another_crs_in_and_out(tmp_path):
    import pyproj

    to_4549 = pyproj.Transformer.from_crs(4326, 4549, always_xy=True)
    x, y = to_4549.transform(*QJL)
    shapes = [MultiPoint([Point(x, y)]), Point(x + 20_000, y), box(x - 500, y - 500, x + 500, y + 500),
              None, Point(*to_4549.transform(121.55, 29.87))]
    frame = gpd.GeoDataFrame({"名称": ["甲", "乙", "丙", "丁", "戊"]}, geometry=shapes, crs=4549)
    frame.to_parquet(tmp_path / "in.parquet")
    summary = check_file(tmp_path / "in.parquet", tmp_path / "out.parquet")
    back = gpd.read_parquet(tmp_path / "out.parquet")  # still GeoParquet, now in WGS84
    assert back.crs.to_epsg() == 4326
    assert back.geometry.iloc[0].distance(Point(*QJL)) < 1e-7  # the MultiPoint's one point
    assert back.geometry.iloc[2].geom_type == "Polygon" and back.geometry.iloc[3] is None
    frame.to_file(tmp_path / "same.gpkg")
    whole = check(tmp_path / "same.gpkg").table
    for column in ("city", "district", "core_zone", "problem"):
        assert back[column].tolist() == whole[column].tolist()
    assert back["district"][0] == "上城区"
    assert back["problem"][3] == "no geometry in this row" and summary.problems == 1


def test_a_folder_of_parts_with_a_damaged_part_is_written_but_that_part(tmp_path):
    folder = tmp_path / "registry"
    folder.mkdir()
    for k in range(3):
        part = pd.DataFrame({"id": np.arange(k * 100, k * 100 + 100), "lon": QJL[0], "lat": QJL[1]})
        pq.write_table(pa.Table.from_pandas(part, preserve_index=False),
                       folder / f"part-{k}.parquet")
    (folder / "part-1.parquet").write_bytes(b"PAR1 not really")
    done = subprocess.run([sys.executable, "-m", "layers.zonecheck", str(folder), "-o",
                           str(tmp_path / "out.csv")], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ})
    assert done.returncode == 1
    assert "error: part-1.parquet not a readable Parquet file" in done.stderr
    assert "its rows are not in the output" in done.stderr
    out = read_back(tmp_path / "out.csv")
    assert out["id"].tolist() == [str(i) for i in [*range(100), *range(200, 300)]]
    assert (out["district"] == "上城区").all()


def test_reading_in_batches_stays_in_batches(tmp_path):
    src = tmp_path / "in.csv"
    awkward_rows(5_000).to_csv(src, index=False)
    reader = TableReader(src, batch_rows=1_000)
    sizes = [batch.table.num_rows for batch in reader]
    assert sum(sizes) == 5_000 and max(sizes) <= 1_000 and len(sizes) >= 5
    assert 0.9 < reader.done(5_000) <= 0.99  # an estimate for CSV, never 100 % before the end


def test_five_decimals_are_written_as_arrow_writes_doubles():
    from layers.zonecheck import _five_decimals

    rng = np.random.default_rng(9)
    values = np.r_[rng.uniform(-1e3, 1e3, 20_000), rng.uniform(-1e8, 1e8, 20_000),
                   np.round(rng.uniform(-200, 200, 2_000)),
                   [0.0, -0.0, 1e-6, -1e-6, 5e-6, 1.5e-5, 120.1, 999_999_999.99999, -0.5, 1e20]]
    expected = pc.cast(pa.array(np.round(values, 5)), pa.string()).to_pylist()  # Arrow's own
    assert _five_decimals(values).to_pylist() == expected


def test_a_parquet_upload_is_checked_whole_as_in_batches(tmp_path):
    rows = awkward_rows(400)
    pq.write_table(pa.Table.from_pandas(rows, preserve_index=False), tmp_path / "in.parquet")
    whole = check((tmp_path / "in.parquet").read_bytes(), "清单.parquet")  # as the page reads it
    whole.write(tmp_path / "whole.parquet")
    check_file(tmp_path / "in.parquet", tmp_path / "batches.parquet", batch_rows=64)
    whole, batches = (pq.read_table(tmp_path / name).replace_schema_metadata(None)
                      for name in ("whole.parquet", "batches.parquet"))
    assert whole.schema == batches.schema and whole.equals(batches)
    progress = []
    check((tmp_path / "in.parquet").read_bytes(), "清单.parquet", progress=lambda *a: progress.append(a))
    assert progress[-1][:2] == (1.0, 400)


def run_command(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "layers.zonecheck", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True)


def test_baidu_columns_in_parquet_are_read_as_bd09(tmp_path):
    from geo.crs import wgs84_to_bd09

    x, y = wgs84_to_bd09(np.array([QJL[0]]), np.array([QJL[1]]))
    frame = pd.DataFrame({"项目名称": ["钱江新城"], "百度经度": x, "百度纬度": y})
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp_path / "bd.parquet")
    summary = check_file(tmp_path / "bd.parquet", tmp_path / "out.csv")
    out = read_back(tmp_path / "out.csv")
    assert abs(float(out["lon_wgs84"][0]) - QJL[0]) < 1e-5 and out["district"][0] == "上城区"
    assert any("named for bd09" in note for note in summary.notes)


def test_broken_rows_in_later_blocks_keep_their_place(tmp_path):
    bad = {5, 41_000, 41_001, 77_777, 119_999}
    lines = ["id,lon,lat"] + [f"{i},120.{i % 1000:03d}1,30.21" + (",extra" if i in bad else "")
                              for i in range(120_000)]  # some 3 MB: several blocks of the reader
    (tmp_path / "in.csv").write_text("\n".join(lines) + "\n", "utf-8")
    summary = check_file(tmp_path / "in.csv", tmp_path / "out.csv", batch_rows=1_000)
    out = read_back(tmp_path / "out.csv")
    assert out["id"].tolist() == [str(i) for i in range(120_000)]
    broken = out.index[out["problem"].str.startswith("line ")].tolist()
    assert broken == sorted(bad) and summary.problems == len(bad)
    assert out["problem"][77_777].startswith("line 77779 has 4 cells")
    assert out["city"][77_777] == "" and out["city"][77_776] != ""


def test_parts_in_another_column_order_are_read_by_name_and_a_misfit_part_is_named(tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    first = pd.DataFrame({"id": [1, 2], "lon": [QJL[0]] * 2, "lat": [QJL[1]] * 2})
    pq.write_table(pa.Table.from_pandas(first, preserve_index=False), folder / "a.parquet")
    turned = pd.DataFrame({"lat": [QJL[1]], "id": [3], "lon": [QJL[0]]})
    pq.write_table(pa.Table.from_pandas(turned, preserve_index=False), folder / "b.parquet")
    text = pd.DataFrame({"id": [4], "lon": ["e"], "lat": ["30.2"]})
    pq.write_table(pa.Table.from_pandas(text, preserve_index=False), folder / "c.parquet")
    (folder / "_SUCCESS").write_bytes(b"")  # as Spark leaves it: not a part
    (folder / ".a.parquet.crc").write_bytes(b"x")
    done = run_command(folder, "-o", tmp_path / "out.parquet")
    assert done.returncode == 1
    assert "c.parquet could not be read (its column lon is " in done.stderr
    assert "not double as in the first part" in done.stderr
    out = pq.read_table(tmp_path / "out.parquet").to_pandas()
    assert out["id"].tolist() == [1, 2, 3] and (out["district"] == "上城区").all()


def test_a_second_run_into_the_same_folder_leaves_nothing_of_the_first(tmp_path):
    for rows in (500, 3):
        frame = pd.DataFrame({"lon": [QJL[0]] * rows, "lat": [QJL[1]] * rows})
        frame.to_csv(tmp_path / "in.csv", index=False)
        check_file(tmp_path / "in.csv", tmp_path / "out", batch_rows=100)
    assert len(pq.read_table(tmp_path / "out")) == 3


def test_empty_inputs_write_their_columns_and_bad_ones_say_why(tmp_path):
    (tmp_path / "empty.csv").write_text("名称,经度,纬度\n", "utf-8")
    done = run_command(tmp_path / "empty.csv", "-o", tmp_path / "empty_out.csv")
    assert done.returncode == 0 and "0 rows" in done.stderr
    assert read_back(tmp_path / "empty_out.csv").columns.tolist()[:4] == ["名称", "经度", "纬度",
                                                                          "lon_wgs84"]
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "p.parquet").write_bytes(b"PAR1 broken PAR1")
    done = run_command(tmp_path / "bad", "-o", tmp_path / "bad.csv")
    assert done.returncode == 2 and "error: bad: no readable Parquet file" in done.stderr
    done = run_command(tmp_path / "bad", "-o", tmp_path / "x.xlsx")
    assert done.returncode == 2 and "a folder of parts is checked in batches" in done.stderr
    done = run_command(tmp_path / "empty.csv", "-o", "/proc/x.csv")
    assert done.returncode == 2 and "/proc/x.csv: cannot be written" in done.stderr
    done = run_command(tmp_path / "empty.csv", "-o", tmp_path / "o", "--workers", "0")
    assert done.returncode == 2 and "give 1 or more" in done.stderr


def test_geoparquet_to_csv_writes_its_geometry_as_wkt(tmp_path):
    frame = gpd.GeoDataFrame({"名称": ["甲"]}, geometry=[Point(*QJL)], crs=4326)
    frame.to_parquet(tmp_path / "in.parquet")
    check_file(tmp_path / "in.parquet", tmp_path / "out.csv")
    out = read_back(tmp_path / "out.csv")
    assert out["geometry"][0] == f"POINT ({QJL[0]} {QJL[1]})" and out["district"][0] == "上城区"


def test_a_long_xlsx_shows_its_progress_while_it_is_written(tmp_path):
    awkward_rows(120_000).to_csv(tmp_path / "in.csv", index=False)
    calls = []
    check(tmp_path / "in.csv").write(tmp_path / "out.xlsx", lambda *a: calls.append(a))
    assert [rows for _, rows, _ in calls] == [50_000, 100_000]
    assert calls[0][0] == pytest.approx(50_000 / 120_000)


def test_parts_are_conformed_by_name_and_type_or_refused_with_the_column_named():
    from geo.batches import conform

    first = pa.schema([("id", pa.int64()), ("lon", pa.float64())])
    turned = pa.table({"lon": pa.array([120.2], pa.float32()), "id": [7]})
    got = conform(turned, first)
    assert got.schema == first and got.column("lon").to_pylist() == [pytest.approx(120.2)]
    assert conform(pa.table({"id": [1], "lon": [1.5]}), first).to_pylist() == [{"id": 1, "lon": 1.5}]
    with pytest.raises(ValueError, match="no lon; also x"):
        conform(pa.table({"id": [1], "x": [1.0]}), first)
    with pytest.raises(ValueError, match="its column lon is string, not double"):
        conform(pa.table({"id": [1], "lon": ["e"]}), first)


def test_parquet_progress_is_exact_and_a_part_damaged_midway_says_what_was_read(tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    frame = pd.DataFrame({"id": np.arange(1_000), "lon": QJL[0], "lat": QJL[1]})
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), folder / "a.parquet",
                   row_group_size=400)
    data = bytearray((folder / "a.parquet").read_bytes())
    column = pq.read_metadata(folder / "a.parquet").row_group(2).column(0)
    start = column.dictionary_page_offset or column.data_page_offset  # the chunk, exactly
    data[start:start + column.total_compressed_size] = b"\xff" * column.total_compressed_size
    (folder / "b.parquet").write_bytes(bytes(data))  # its third row group broken
    reader = TableReader(folder, batch_rows=400)
    rows = sum(batch.table.num_rows for batch in reader)
    assert reader.total_rows == 2_000 and reader.done(500) == 0.25 and reader.done(2_000) == 1.0
    assert rows == 1_800
    assert reader.problems == [("b.parquet", pytest.approx(reader.problems[0][1]))]
    assert reader.problems[0][1].startswith("could not be read after its first 800 rows (")
    assert reader.problems[0][1].endswith("); its other rows are not in the output")
    empty = tmp_path / "empty.parquet"
    pq.write_table(pa.table({"lon": pa.array([], pa.float64())}), empty)
    assert TableReader(empty).done(0) == 1.0


def test_a_csv_is_checked_without_importing_geopandas(tmp_path):
    """Start-up kept short for the command on a CSV: geopandas (0.13 s of imports) is loaded
    only where a row has a geometry."""
    (tmp_path / "in.csv").write_text("name,lon,lat\n钱江新城,120.2116,30.2468\n", encoding="utf-8")
    code = ("import sys\nfrom layers.zonecheck import main\n"
            f"main([{str(tmp_path / 'in.csv')!r}, '-o', {str(tmp_path / 'out.csv')!r}])\n"
            "print('geopandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"
    assert "钱江新城" in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    code = code.replace("in.csv", "in.parquet").replace("out.csv", "out.parquet")
    gpd.GeoDataFrame({"name": ["钱江新城"]}, geometry=[Point(120.2116, 30.2468)],
                     crs="EPSG:4326").to_parquet(tmp_path / "in.parquet")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip().splitlines()[-1] == "True"  # a geometry: geopandas is needed
