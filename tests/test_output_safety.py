"""The zone check's output is safe to open in Excel: text that starts like a formula is never
run (OWASP CSV injection), control characters do not crash the XLSX writer, numbers stay
numbers. Each file is read back with an independent reader (openpyxl, the csv module, bytes)
and compared cell by cell with values written out literally here."""

import csv
import io
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from openpyxl import load_workbook
from shapely.geometry import Point

from geo.zonecheck import clean_for_excel, write_output
from layers.zonecheck import check

TEXT = ['=HYPERLINK("http://x","click")', "+1+1", "-1+1", "@SUM(A1)", "\tTAB", "\rCR",
        "钱江路站", "", None, "a\x01b", "-12.5", "#N/A"]
NOTE = ["=1+1", "plain", None, "@x", "-", "+86 571", "ok", "x\x1fy\x0bz", "-cmd|' /C calc'!A0",
        "+", "=", "text"]
NUMBER = [-0.5, 120.2, -1e-7, 0.0, np.nan, 30.25, -120.5, 1.0, 2.5, -3.0, 4.0, 5.0]


def table() -> pd.DataFrame:
    return pd.DataFrame({"text": pd.array(TEXT, dtype="str"),       # pandas' text dtype
                         "note": np.array(NOTE, dtype=object),       # object, like the added columns
                         "lon_wgs84": np.array(NUMBER, dtype=float)})


def sheet_cells(path: Path) -> list[list[tuple]]:
    sheet = load_workbook(path).worksheets[0]
    return [[(cell.data_type, cell.value) for cell in row] for row in sheet.iter_rows()]


def csv_rows(path: Path) -> list[list[str]]:
    body = path.read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_xlsx_writes_every_text_cell_as_text_exactly(tmp_path):
    written = write_output(table(), tmp_path / "out.xlsx")
    # An empty cell ("" and None alike) is not written at all: openpyxl reads it as ("n", None).
    empty = ("n", None)
    assert sheet_cells(written) == [
        [("s", "text"), ("s", "note"), ("s", "lon_wgs84")],
        [("s", '=HYPERLINK("http://x","click")'), ("s", "=1+1"), ("n", -0.5)],
        [("s", "+1+1"), ("s", "plain"), ("n", 120.2)],
        [("s", "-1+1"), empty, ("n", -1e-7)],
        [("s", "@SUM(A1)"), ("s", "@x"), ("n", 0)],
        [("s", "\tTAB"), ("s", "-"), empty],
        # A carriage return is written as the line feed XML would read it as (openpyxl, Excel):
        [("s", "\nCR"), ("s", "+86 571"), ("n", 30.25)],
        [("s", "钱江路站"), ("s", "ok"), ("n", -120.5)],
        [empty, ("s", "xyz"), ("n", 1)],
        [empty, ("s", "-cmd|' /C calc'!A0"), ("n", 2.5)],
        [("s", "ab"), ("s", "+"), ("n", -3)],
        [("n", -12.5), ("s", "="), ("n", 4)],  # text that Excel shows as this number
        [("s", "#N/A"), ("s", "text"), ("n", 5)],
    ]
    assert written.notes == ("removed control characters from 2 cells (rows 9, 11)",)


def test_xlsx_writes_numbers_typed_as_text_as_numbers_and_ids_as_text(tmp_path):
    # Input cells are text as typed; in the sheet, those that a number cell would show the same
    # become numbers (a SUM over them works); any other spelling stays text, exactly.
    typed = ["25", "-12.5", "120.2082401", "0", "0.5", "-0.5", "99999999999",  # numbers
             "007", "120.50", "1e5", "+3", "-0", "1,000", " 12", "12 ", "3301061990010112",
             "123456789012", "330102800101123", "1234567890.12",  # Excel would show 1.23457E+11
             "1.", ".5", "０１２", "12a", "", "NA"]
    written = write_output(pd.DataFrame({"typed": pd.array(typed, dtype="str"),
                                         "object": np.array(typed, dtype=object)}),
                           tmp_path / "out.xlsx")
    numbers = [("n", 25), ("n", -12.5), ("n", 120.2082401), ("n", 0), ("n", 0.5), ("n", -0.5),
               ("n", 99999999999)]
    text = [("s", v) if v else ("n", None) for v in typed[7:]]  # "": no cell
    expected = [[cell, cell] for cell in numbers + text]
    assert sheet_cells(written)[1:] == expected
    cells = load_workbook(written).worksheets[0]
    assert cells["A2"].value + cells["A3"].value == 12.5 and isinstance(cells["A2"].value, int)


def test_csv_quotes_text_that_starts_like_a_formula(tmp_path):
    written = write_output(table(), tmp_path / "out.csv")
    assert csv_rows(written) == [
        ["text", "note", "lon_wgs84"],
        ['\'=HYPERLINK("http://x","click")', "'=1+1", "-0.5"],
        ["'+1+1", "plain", "120.2"],
        ["'-1+1", "", "-1e-7"],
        ["'@SUM(A1)", "'@x", "0"],
        ["'\tTAB", "'-", ""],
        ["'\rCR", "'+86 571", "30.25"],
        ["钱江路站", "ok", "-120.5"],
        ["", "x\x1fy\x0bz", "1"],   # CSV holds control characters: left as they are
        ["", "'-cmd|' /C calc'!A0", "2.5"],
        ["a\x01b", "'+", "-3"],
        ["-12.5", "'=", "4"],       # text that is wholly a number runs nothing: not quoted
        ["#N/A", "text", "5"],
    ]
    lines = written.read_bytes().decode("utf-8-sig").split("\n")
    # Numbers are written unquoted and unprefixed; "" and None stay apart ("" quoted, None bare).
    assert lines[1] == '"\'=HYPERLINK(""http://x"",""click"")","\'=1+1",-0.5'
    assert lines[3] == '"\'-1+1",,-1e-7'
    assert lines[8] == '"",' + '"x\x1fy\x0bz",1' and lines[9].startswith(",")
    assert written.notes == (
        "put ' before 13 cells that start like a formula (= + - @), so that Excel shows them "
        "as text (rows 2, 3, 4, 5, 6, 7, 10, 11, 12)",)


def test_returns_the_path_with_notes(tmp_path):
    written = write_output(pd.DataFrame({"a": ["x"], "b": [1.5]}), tmp_path / "sub" / "out.csv")
    assert isinstance(written, Path) and written == tmp_path / "sub" / "out.csv"
    assert written.notes == () and written.name == "out.csv" and written.read_bytes()
    assert (written.parent / "x").notes == ()  # derived paths are paths without notes


@pytest.mark.parametrize("code", [c for c in range(32) if chr(c) not in "\t\n\r"])
def test_every_control_character_is_removed_from_xlsx(tmp_path, code):
    char = chr(code)
    frame = pd.DataFrame({f"h{char}": [f"a{char}b", "=x" + char, 3.5]})
    written = write_output(frame, tmp_path / "out.xlsx")
    assert sheet_cells(written) == [[("s", "h")], [("s", "ab")], [("s", "=x")], [("n", 3.5)]]
    assert written.notes == ("removed control characters from 3 cells (rows 2, 3; the header)",)


def test_clean_for_excel_leaves_its_input_alone():
    frame = pd.DataFrame({"a": ["x\x01", "y"], "n": [1, 2]})
    cleaned, notes = clean_for_excel(frame)
    assert list(frame["a"]) == ["x\x01", "y"] and list(cleaned["a"]) == ["x", "y"]
    assert list(cleaned["n"]) == [1, 2] and notes == ["removed control characters from 1 cell (row 2)"]
    untouched, notes = clean_for_excel(pd.DataFrame({"a": ["x"], "n": [1]}))
    assert notes == [] and list(untouched["a"]) == ["x"]


def test_headers_and_categories_are_guarded(tmp_path):
    frame = pd.DataFrame({"=cmd": pd.Categorical(["=1+1", "a", "=1+1"]), "-1": [1, 2, 3]})
    csv_out = write_output(frame, tmp_path / "out.csv")
    assert csv_rows(csv_out) == [["'=cmd", "-1"], ["'=1+1", "1"], ["a", "2"], ["'=1+1", "3"]]
    assert csv_out.notes == ("put ' before 3 cells that start like a formula (= + - @), so that "
                             "Excel shows them as text (rows 2, 4; the header)",)
    assert sheet_cells(write_output(frame, tmp_path / "out.xlsx")) == [
        [("s", "=cmd"), ("s", "-1")], [("s", "=1+1"), ("n", 1)], [("s", "a"), ("n", 2)],
        [("s", "=1+1"), ("n", 3)]]


def test_long_lists_of_rows_are_cut_short(tmp_path):
    frame = pd.DataFrame({"a": ["=1"] * 12 + ["b"]})
    assert write_output(frame, tmp_path / "out.csv").notes == (
        "put ' before 12 cells that start like a formula (= + - @), so that Excel shows them as "
        "text (rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …)",)


def test_geojson_is_written_as_it_is(tmp_path):
    frame = gpd.GeoDataFrame({"name": ["=1+1", "-2"]}, geometry=[Point(120.2, 30.2)] * 2,
                             crs=4326)
    written = write_output(frame, tmp_path / "out.geojson")
    names = [f["properties"]["name"] for f in json.loads(written.read_text())["features"]]
    assert names == ["=1+1", "-2"] and written.notes == ()


def test_zone_check_with_a_control_character_writes_xlsx(tmp_path):
    text = "项目名称,经度,纬度\n钱江\x01路站,120.2082401,30.2580532\n=1+1,-120.5,30\n"
    result = check(text.encode(), "p.csv")
    written = result.write(tmp_path / "out.xlsx")  # the callers' way in: Result.write
    assert written == tmp_path / "out.xlsx"
    assert written.notes == ("removed control characters from 1 cell (row 2)",)
    rows = sheet_cells(written)
    assert rows[1][:3] == [("s", "钱江路站"), ("n", 120.2082401), ("n", 30.2580532)]
    assert rows[2][:3] == [("s", "=1+1"), ("n", -120.5), ("n", 30)]
    lines = csv_rows(result.write(tmp_path / "out.csv"))
    assert lines[1][:3] == ["钱江\x01路站", "120.2082401", "30.2580532"]
    assert lines[2][:3] == ["'=1+1", "-120.5", "30"]


def test_sliced_chunked_and_numeric_object_columns(tmp_path):
    """Arrow layouts met in practice: a slice (offset into the buffers), a chunked column of
    32-bit strings, an object column of numbers only, and a column of missing values only."""
    sliced = pd.Series(["x", "=a", "b", "-1", "@c", ""], dtype="str").iloc[1:].reset_index(drop=True)
    chunked = pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array([["=a", "b"], ["c", "+d", None]])))
    frame = pd.DataFrame({"sliced": sliced, "chunked": chunked,
                          "numbers": np.array([1, -2, 3, -4.5, 5], dtype=object),
                          "none": np.array([None] * 5, dtype=object)})
    written = write_output(frame, tmp_path / "out.csv")
    assert csv_rows(written) == [["sliced", "chunked", "numbers", "none"],
                                 ["'=a", "'=a", "1", ""], ["b", "b", "-2", ""], ["-1", "c", "3", ""],
                                 ["'@c", "'+d", "-4.5", ""], ["", "", "5", ""]]
    assert written.notes == ("put ' before 4 cells that start like a formula (= + - @), so that "
                             "Excel shows them as text (rows 2, 5)",)


def test_a_column_of_numbers_text_and_missing_values_writes_missing_as_empty(tmp_path):
    import csv

    table = pd.DataFrame({"mixed": pd.Series([1.5, "甲", None, float("nan")], dtype=object)})
    path = write_output(table, tmp_path / "m.csv")
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows == [["mixed"], ["1.5"], ["甲"], [""], [""]]


def test_xlsx_sheet_holds_no_formula_and_other_types_keep_their_kind(tmp_path):
    import datetime as dt
    import zipfile

    frame = pd.DataFrame({"text": ["{=1+1}", '=HYPERLINK("http://x","y")', "http://x", "1e5"],
                          "n": pd.array([1, None, -3, 4], dtype="Int64"),
                          "x": [0.5, np.inf, np.nan, -np.inf], "ok": [True, False, True, False],
                          "when": pd.to_datetime(["2024-01-05T10:00Z", None, "2024-02-01T00:00Z",
                                                  "2024-03-01T08:30Z"])})
    written = write_output(frame, tmp_path / "out.xlsx")
    with zipfile.ZipFile(written) as book:
        assert b"<f" not in book.read("xl/worksheets/sheet1.xml")  # no formula anywhere
    empty = ("n", None)
    assert sheet_cells(written)[1:] == [
        [("s", "{=1+1}"), ("n", 1), ("n", 0.5), ("b", True), ("d", dt.datetime(2024, 1, 5, 10))],
        [("s", '=HYPERLINK("http://x","y")'), empty, ("s", "inf"), ("b", False), empty],
        [("s", "http://x"), ("n", -3), empty, ("b", True), ("d", dt.datetime(2024, 2, 1))],
        [("s", "1e5"), ("n", 4), ("s", "-inf"), ("b", False), ("d", dt.datetime(2024, 3, 1, 8, 30))],
    ]


def test_exactly_ten_rows_are_listed_in_full(tmp_path):
    assert write_output(pd.DataFrame({"a": ["=1"] * 10}), tmp_path / "ten.csv").notes == (
        "put ' before 10 cells that start like a formula (= + - @), so that Excel shows them as "
        "text (rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)",)


def test_an_empty_cell_or_a_null_is_never_taken_for_a_formula(tmp_path):
    # Arrow keeps each string's start in a buffer: an empty cell (or a null) starts where the
    # next cell does, so "its first byte" would be the next cell's "=".
    arrow = pd.Series(pd.arrays.ArrowExtensionArray(pa.array(["a", "", "=x", None, "=y"])))
    written = write_output(pd.DataFrame({"a": arrow}), tmp_path / "e.csv")
    assert csv_rows(written)[1:] == [["a"], [""], ["'=x"], [], ["'=y"]]  # null: a bare line
    assert written.notes[0].endswith("(rows 4, 6)")
    # A null whose slot still holds bytes ("=b"): Arrow allows it; it is written empty, unquoted.
    nulled = pa.Array.from_buffers(pa.string(), 2, [
        pa.py_buffer(bytes([0b01])), pa.py_buffer(np.array([0, 2, 4], np.int32).tobytes()),
        pa.py_buffer(b"=a=b")])
    written = write_output(pd.DataFrame({"a": pd.Series(pd.arrays.ArrowExtensionArray(nulled))}),
                           tmp_path / "n.csv")
    assert csv_rows(written)[1:] == [["'=a"], []]
    assert written.notes[0].startswith("put ' before 1 cell that") and written.notes[0].endswith("(row 2)")


def test_a_string_view_column_is_quoted_too(tmp_path):
    view = pd.Series(pd.arrays.ArrowExtensionArray(pa.array(["=a", "b", "-1"], pa.string_view())))
    assert csv_rows(write_output(pd.DataFrame({"v": view}), tmp_path / "v.csv"))[1:] == [
        ["'=a"], ["b"], ["-1"]]


def test_a_table_without_rows_writes_its_header(tmp_path):
    empty = pd.DataFrame({"名称": pd.Series([], dtype="str"), "=x": pd.Series([], dtype=float)})
    written = write_output(empty, tmp_path / "e.csv")
    assert csv_rows(written) == [["名称", "'=x"]]
    assert written.notes == ("put ' before 1 cell that starts like a formula (= + - @), so that "
                             "Excel shows it as text (the header)",)
    assert sheet_cells(write_output(empty, tmp_path / "e.xlsx")) == [[("s", "名称"), ("s", "=x")]]


def test_xlsx_odd_python_values_and_the_header_as_pandas_wrote_them(tmp_path):
    from decimal import Decimal

    frame = pd.DataFrame({"odd": np.array([np.int64(5), Decimal("1.5"), pd.Timedelta(hours=1)],
                                          dtype=object)})
    written = write_output(frame, tmp_path / "odd.xlsx")
    assert sheet_cells(written)[1:] == [[("n", 5)], [("s", "1.5")], [("s", "0 days 01:00:00")]]
    sheet = load_workbook(written).worksheets[0]
    head = sheet["A1"]
    assert sheet.title == "Sheet1"  # pandas' name: a planner's macro may look for it
    assert head.font.b and head.border.left.style == "thin" and head.border.bottom.style == "thin"
    assert (head.alignment.horizontal, head.alignment.vertical) == ("center", "top")
