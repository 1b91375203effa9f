"""geo.importer on real files written here: encodings told apart (GB18030/GBK, Big5, UTF-8),
cells as typed whichever CSV parser runs, Excel sheets with title rows, merged cells and
formulas, decimal commas, and damaged or oversized zip archives. Every expected value comes
from the input the test wrote."""

import datetime as dt
import io
import re
import zipfile

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import Point

from geo import importer
from geo.importer import EncodingUnsure, InputError, Table, coordinate_column, locate, read_input

SIMPLIFIED = ["杭州市上城区钱江新城项目", "萧山区钱江世纪城金融中心", "宁波东部新城金融商务区",
              "温州市瓯海区科创园", "嘉兴南湖基金小镇", "湖州市绿色金融改革试验区",
              "绍兴滨海新城产业基地", "金华义乌国际商贸城"]
TRADITIONAL = ["寧波東部新城金融商務區", "杭州市上城區錢江新城項目", "蕭山區錢江世紀城金融中心",
               "溫州市甌海區科創園", "嘉興南湖基金小鎮", "湖州市綠色金融改革試驗區",
               "紹興濱海新城產業基地", "金華義烏國際商貿城"]


def project_list(names, rows, header):
    """A realistic project list: names, coordinates and a remark, ``rows`` rows."""
    lines = [",".join(header)]
    names_out = []
    for i in range(rows):
        name = f"{names[i % len(names)]}{i + 1}期"
        names_out.append(name)
        lines.append(f"{name},{120.1 + i / 1000:.6f},{30.2 + i / 1000:.6f},{header[0][:2]}")
    return "\n".join(lines) + "\n", names_out


# ---- 1. encodings ------------------------------------------------------------------------------

@pytest.mark.parametrize("rows", [2, 3, 45])
@pytest.mark.parametrize("names, header, encoding, note", [
    (TRADITIONAL, ("項目名稱", "經度", "緯度", "備註"), "big5", "read as Big5"),
    (TRADITIONAL, ("項目名稱", "經度", "緯度", "備註"), "cp950", "read as Big5"),
    (SIMPLIFIED, ("项目名称", "经度", "纬度", "备注"), "gbk", "read as GB18030"),
    (SIMPLIFIED, ("项目名称", "经度", "纬度", "备注"), "gb18030", "read as GB18030"),
])
def test_chinese_project_lists_are_read_in_their_encoding(names, header, encoding, note, rows):
    text, expected = project_list(names, rows, header)
    table = read_input(text.encode(encoding), "projects.csv")
    assert list(table.frame.columns) == list(header)
    assert list(table.frame[header[0]]) == expected
    assert note in table.notes
    located = locate(table)
    assert (located.problem == "").all()


@pytest.mark.parametrize("text, encoding", [
    ("名称,经度,纬度\n金华,119.65,29.08\n", "gbk"),   # as Big5: 靡備,冪僅,帠僅 / 踢貌
    ("name,lon,lat\n高雄,120.30,22.62\n", "big5"),    # as GBK: 蔼动
    ("name,lon,lat\n金华,119.65,29.08\n", "gbk"),     # as Big5: 踢貌
])
def test_short_text_that_reads_as_gbk_and_as_big5_asks_for_the_encoding(text, encoding):
    data = text.encode(encoding)
    assert data.decode("gb18030") != data.decode("big5")  # both decode: no way to tell
    with pytest.raises(EncodingUnsure, match="choose the encoding") as caught:
        read_input(data, "p.csv")
    assert set(caught.value.candidates) == {"gb18030", "big5"}
    assert isinstance(caught.value, InputError)
    declared = read_input(data, "p.csv", encoding=encoding)  # the user's choice is used as given
    assert declared.frame.iloc[0, 0] == text.splitlines()[1].split(",")[0]


def test_declared_encoding_is_used_as_given_even_when_detection_would_differ():
    data = "名称,经度,纬度,备注\n金华,119.65,29.08,x\n".encode("gbk")
    table = read_input(data, "p.csv", encoding="big5")
    assert table.frame.iloc[0, 0] == "金华".encode("gbk").decode("big5")
    assert table.notes[0] == "read as Big5"


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_utf8_with_or_without_bom_is_utf8(bom):
    text, names = project_list(TRADITIONAL, 3, ("項目名稱", "經度", "緯度", "備註"))
    table = read_input(bom + text.encode("utf-8"), "p.csv")
    assert list(table.frame["項目名稱"]) == names and table.notes[0] == "read as UTF-8"


def test_big5_lines_far_into_a_large_file_are_found():
    ascii_rows = "".join(f"p{i},120.{i:04d},30.1,x\n" for i in range(20000))  # ~440 KB of ASCII
    tail, names = project_list(TRADITIONAL, 45, ("名", "經度", "緯度", "備註"))
    data = ("name,lon,lat,note\n" + ascii_rows + tail.split("\n", 1)[1]).encode("big5")
    table = read_input(data, "p.csv")
    assert "read as Big5" in table.notes
    assert list(table.frame["name"].iloc[-45:]) == names


# ---- 2. numbers with a decimal comma, full-width digits ---------------------------------------

def test_decimal_comma_full_width_and_ascii():
    lon = ["120，21", "120,21", "１２０．２１", "１２０，２１", " 120.21 ", "120,21,5", "1,234.5"]
    lat = ["30，25", "30,25", "３０．２５", "３０，２５", "30.25", "30.25", "30.25"]
    located = locate(Table(pd.DataFrame({"lon": lon, "lat": lat}, dtype=str), "csv"))
    assert list(located.lon[:5]) == pytest.approx([120.21] * 5)
    assert list(located.lat[:5]) == pytest.approx([30.25] * 5)
    assert list(located.problem[:5]) == [""] * 5
    assert "'120,21,5' is not a number" in located.problem[5]  # not one decimal comma
    assert "'1,234.5' is not a number" in located.problem[6]  # a thousands comma: no coordinate


# ---- 3. cells exactly as typed, whichever CSV parser runs -------------------------------------

AS_TYPED = [["NA", "120.50", "30.2", "null", "007"],
            ["", "120.1", "30.3", "None", "#N/A"],
            ["nan", "120.2", "N/A", "", "-nan"],
            ["NULL", "120.3", "30.4", "NaN", "n/a"]]


def spy_read_csv(monkeypatch):
    """Record which engine read each table (and whether it succeeded)."""
    calls, real = [], pd.read_csv

    def read_csv(*args, **kwargs):
        try:
            frame = real(*args, **kwargs)
        except Exception:
            calls.append((kwargs.get("engine", "c"), "failed"))
            raise
        calls.append((kwargs.get("engine", "c"), "read"))
        return frame

    monkeypatch.setattr(importer.pd, "read_csv", read_csv)
    return calls


def test_csv_cells_come_out_as_typed_on_the_pyarrow_path_and_the_fallback(monkeypatch):
    calls = spy_read_csv(monkeypatch)
    header = "name,lon,lat,note,code\n"
    body = "".join(",".join(f'"{c}"' if c == "NA" and i == 2 else c for i, c in enumerate(row)) + "\n"
                   for row in AS_TYPED)
    fast = read_input((header + body).encode(), "p.csv").frame
    assert calls == [("pyarrow", "read")]
    calls.clear()
    slow = read_input((header + body + "short,120.4\n").encode(), "p.csv").frame  # ragged row
    assert calls == [("pyarrow", "failed"), ("c", "read")]
    assert fast.values.tolist() == AS_TYPED
    pd.testing.assert_frame_equal(slow.iloc[:4], fast)
    assert slow.iloc[4].tolist() == ["short", "120.4", "", "", ""]


def test_na_words_are_not_numbers_but_stay_in_the_row():
    text = "name,lon,lat\nNA,120.2,30.25\nnull,NA,30.25\n"
    located = locate(read_input(text.encode(), "p.csv"))
    assert list(located.frame["name"]) == ["NA", "null"]
    assert located.problem[0] == "" and "'NA' is not a number" in located.problem[1]


# ---- 4. Excel: cells as text, title rows, formulas, the header row ------------------------------

def workbook_bytes(build, cached=None):
    """Save a workbook made by ``build(sheet)``; ``cached`` {cell: value} writes the result Excel
    would have saved with those formula cells (openpyxl saves formulas without one)."""
    book = openpyxl.Workbook()
    build(book.active)
    buffer = io.BytesIO()
    book.save(buffer)
    if not cached:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                for cell, value in cached.items():
                    data, n = re.subn(rb'(<c r="' + cell.encode() + rb'"[^>]*><f>[^<]*</f>)(?:<v\s*/>|<v></v>)',  # <v></v> when lxml is installed
                                      rb"\g<1><v>" + str(value).encode() + rb"</v>", data)
                    assert n == 1, cell
            dst.writestr(item, data)
    return out.getvalue()


def government_sheet(sheet):
    sheet["A1"] = "2024年重点项目清单"
    sheet.merge_cells("A1:F1")
    sheet["A2"] = "填报单位：杭州市上城区发改局"
    sheet["E2"] = "单位：万元"
    sheet.merge_cells("A2:D2")
    sheet.append([])  # row 3 blank
    sheet.append(["项目名称", "经度", "纬度", "投资额", "开工日期", "备注"])  # row 4
    sheet.append(["钱江新城二期", 120.2082401, 30.2580532, 12, dt.datetime(2024, 3, 1), "NA"])
    sheet.append(["世纪城金融中心", 120.2387733, 30.2427619, 120.5, dt.datetime(2024, 3, 1, 8, 30),
                  None])
    sheet.append(["翻倍", 120.21, 30.25, "=D5*2", None, True])
    sheet.append([])  # a blank row between the rows and the note
    sheet.append(["注：坐标为WGS84"])


def test_excel_with_merged_title_rows_blank_row_formula_and_note_below():
    table = read_input(workbook_bytes(government_sheet, cached={"D7": 24}), "清单.xlsx")
    assert list(table.frame.columns) == ["项目名称", "经度", "纬度", "投资额", "开工日期", "备注"]
    assert table.header_row == 4 and "header in row 4" in table.notes
    assert table.frame.values.tolist() == [
        ["钱江新城二期", "120.2082401", "30.2580532", "12", "2024-03-01", "NA"],
        ["世纪城金融中心", "120.2387733", "30.2427619", "120.5", "2024-03-01 08:30:00", ""],
        ["翻倍", "120.21", "30.25", "24", "", "TRUE"],
        ["注：坐标为WGS84", "", "", "", "", ""],
    ]
    located = locate(table)
    assert list(located.problem[:3]) == ["", "", ""] and "a total or a note" in located.problem[3]
    assert not any("formulas without" in n for n in table.notes)


def test_excel_formula_without_a_saved_result_is_noted():
    table = read_input(workbook_bytes(government_sheet), "清单.xlsx")
    assert table.frame["投资额"].iloc[2] == ""
    assert any("formulas without a saved result" in n and "rows 7" in n for n in table.notes)


def test_excel_header_row_given_and_plain_sheet_in_row_1():
    def plain(sheet):
        sheet.append(["名称", "lon", "lat"])
        sheet.append(["甲", 120, 30.5])

    table = read_input(workbook_bytes(plain), "p.xlsx")
    assert table.frame.values.tolist() == [["甲", "120", "30.5"]]
    assert table.header_row == 1 and not any("header" in n for n in table.notes)
    given = read_input(workbook_bytes(government_sheet, cached={"D7": 24}), "p.xlsx", header_row=2)
    assert list(given.frame.columns)[:2] == ["填报单位：杭州市上城区发改局", "Unnamed: 1"]
    assert given.header_row == 2
    with pytest.raises(InputError, match="no row 99"):
        read_input(workbook_bytes(plain), "p.xlsx", header_row=99)


@pytest.mark.parametrize("title", ["2024年重点项目清单,,,\n,,,\n", "2024年重点项目清单\n\n",
                                   "2024年重点项目清单,,,\n填报单位：上城区,,单位：万元,\n"])
def test_csv_with_a_title_above_the_header(title):
    rows = "项目名称,经度,纬度,备注\n钱江新城,120.2082401,30.2580532,NA\n世纪城,120.2387733,30.2427619,\n"
    table = read_input((title + rows).encode("utf-8"), "p.csv")
    assert list(table.frame.columns) == ["项目名称", "经度", "纬度", "备注"]
    assert table.header_row == 3 and "header in row 3" in table.notes
    assert table.frame.values.tolist() == [["钱江新城", "120.2082401", "30.2580532", "NA"],
                                           ["世纪城", "120.2387733", "30.2427619", ""]]
    assert (locate(table).problem == "").all()
    forced = read_input((title + rows).encode("utf-8"), "p.csv", header_row=4)
    assert list(forced.frame.columns) == ["钱江新城", "120.2082401", "30.2580532", "NA"]


def test_csv_whose_first_row_repeats_a_name_keeps_its_header_in_row_1():
    table = read_input("name,name,lon,lat\na,b,120.2,30.2\n".encode(), "p.csv")
    assert list(table.frame.columns) == ["name", "name.1", "lon", "lat"] and table.header_row == 1


@pytest.mark.parametrize("encoding, names, note", [
    ("gbk", ["钱江新城项目", "世纪城金融中心"], "read as GB18030"),
    ("big5", ["寧波東部新城", "金融商務區"], "read as Big5"),
    ("utf-8", ["钱江新城项目", "世纪城金融中心"], "read as UTF-8"),
])
def test_shapefile_without_cpg_has_its_text_encoding_detected(tmp_path, encoding, names, note):
    gpd.GeoDataFrame({"name": names}, geometry=[Point(120.2, 30.25), Point(120.23, 30.24)],
                     crs=4326).to_file(tmp_path / "p.shp", encoding=encoding)
    (tmp_path / "p.cpg").unlink(missing_ok=True)
    assert (tmp_path / "p.dbf").read_bytes()[29] == 0  # no language driver byte either
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for file in tmp_path.glob("p.*"):
            z.write(file, f"data/{file.name}")
    table = read_input(buffer.getvalue(), "p.zip")
    assert list(table.frame["name"]) == names
    assert f"no .cpg: the attribute text {note}" in table.notes


# ---- 5 and 6. zip archives: damaged members, streamed to disk ---------------------------------

def zipped_points(tmp_path, compression=zipfile.ZIP_STORED, extra=None):
    folder = tmp_path / "shp"
    folder.mkdir()
    gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[Point(120.2, 30.25), Point(120.23, 30.24)],
                     crs=4326).to_file(folder / "p.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for file in sorted(folder.iterdir()):
            z.write(file, f"data/{file.name}")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


def flip_byte_in(archive: bytes, member: str) -> bytes:
    """Flip one byte in the middle of ``member``'s (compressed) data."""
    info = zipfile.ZipFile(io.BytesIO(archive)).getinfo(member)
    name_len = int.from_bytes(archive[info.header_offset + 26:info.header_offset + 28], "little")
    extra_len = int.from_bytes(archive[info.header_offset + 28:info.header_offset + 30], "little")
    at = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
    return archive[:at] + bytes([archive[at] ^ 0x55]) + archive[at + 1:]


def test_zip_member_failing_its_crc_check_is_refused_by_name(tmp_path):
    data = flip_byte_in(zipped_points(tmp_path), "data/p.dbf")
    with pytest.raises(InputError, match="damaged archive: member data/p.dbf fails its CRC check"):
        read_input(data, "p.zip")


def test_zip_member_with_corrupt_compressed_data_is_refused_by_name(tmp_path):
    extra = {"data/notes.txt": "".join(f"项目{i} 备注\n" for i in range(5000)).encode()}
    data = flip_byte_in(zipped_points(tmp_path, zipfile.ZIP_DEFLATED, extra), "data/notes.txt")
    with pytest.raises(InputError, match="damaged archive: member data/notes.txt"):
        read_input(data, "p.zip")


def test_zip_members_are_copied_in_chunks(tmp_path, monkeypatch):
    big = np.random.default_rng(1).bytes(3 * 1024 * 1024)  # 3 MiB that do not compress
    data = zipped_points(tmp_path, zipfile.ZIP_DEFLATED, {"data/big.bin": big})
    sizes, real = [], zipfile.ZipExtFile.read

    def read(self, n=-1):
        sizes.append(n)
        return real(self, n)

    monkeypatch.setattr(zipfile.ZipExtFile, "read", read)
    table = read_input(data, "p.zip")
    assert list(table.frame["name"]) == ["a", "b"]
    assert sizes and all(0 < n <= importer.CHUNK for n in sizes)


def test_zip_stream_stops_at_the_unzipped_limit(tmp_path, monkeypatch):
    data = zipped_points(tmp_path, zipfile.ZIP_DEFLATED, {"data/big.bin": b"\x00" * 300_000})
    # the sizes an archive declares are checked first; this is the limit on what it really holds
    monkeypatch.setattr(importer, "_check_archive", lambda archive, filename, size: archive.infolist())
    monkeypatch.setattr(importer, "MAX_UNZIPPED", 200_000)
    with pytest.raises(InputError, match="unpacks to more than 200,000 bytes"):
        read_input(data, "p.zip")


def test_a_bar_inside_values_does_not_make_it_the_separator():
    table = read_input("lon,lat,备注\n120.2,30.25,A|B|C\n120.3,30.26,x\n".encode(), "p.csv")
    assert list(table.frame.columns) == ["lon", "lat", "备注"]
    assert table.frame["备注"].tolist() == ["A|B|C", "x"]
    table = read_input("lon;lat\n120,2;30,25\n".encode(), "p.csv")  # semicolons, decimal commas
    assert list(table.frame.columns) == ["lon", "lat"]


def test_excel_rows_keep_their_number_in_the_sheet_across_blank_rows(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "清单"
    for r, values in ((3, ["名称", "lon", "lat"]), (4, ["甲", 120.2, 30.2]), (7, ["乙", 120.3, 30.3])):
        for c, v in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=v)
    book.save(tmp_path / "p.xlsx")
    table = read_input(tmp_path / "p.xlsx")
    assert table.header_row == 3 and table.row_numbers.tolist() == [4, 7]


def zipped(members: dict[str, bytes], stored: dict[str, bytes] = {}) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in stored.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def test_an_archive_of_2000_files_is_looked_into_and_of_2001_refused():
    # README: "at most 2000" files in an archive.
    many = lambda n: zipped({f"f{i}.txt": b"x" for i in range(n)})  # noqa: E731
    with pytest.raises(InputError, match="no Shapefile"):
        read_input(many(2000), "p.zip")
    with pytest.raises(InputError, match="2,?001 files"):
        read_input(many(2001), "p.zip")


def test_an_archive_unpacking_to_over_200_times_its_size_is_refused_as_a_bomb():
    # README: a zip bomb is a ratio over 200. One member of zeros (deflates ~1000:1), diluted
    # by a stored member of random bytes to reach a ratio of about 250, then about 150.
    zeros = {"a.txt": bytes(2_000_000)}
    rng = np.random.default_rng(1)

    def archive(target: float) -> tuple[bytes, float]:
        lo, hi = 0, 2_000_000
        while hi - lo > 64:  # the stored padding that gives the target ratio
            pad = (lo + hi) // 2
            data = zipped(zeros, {"b.bin": rng.bytes(pad)})
            ratio = (2_000_000 + pad) / len(data)
            lo, hi = (pad, hi) if ratio > target else (lo, pad)
        return data, ratio

    bomb, ratio = archive(250)
    assert 230 < ratio < 270
    with pytest.raises(InputError, match="zip bomb"):
        read_input(bomb, "p.zip")
    fine, ratio = archive(150)
    assert 130 < ratio < 170
    with pytest.raises(InputError, match="no Shapefile"):  # looked into: not taken for a bomb
        read_input(fine, "p.zip")


def test_an_archive_claiming_a_zip_version_python_cannot_read_is_refused():
    # Found by the fuzz test: "version needed to extract" 8.4 in the central directory.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("p.shp", b"x")
    data = bytearray(out.getvalue())
    data[data.rfind(b"PK\x01\x02") + 6] = 84
    with pytest.raises(InputError, match="damaged zip archive"):
        read_input(bytes(data), "p.zip")


def test_a_two_level_header_takes_the_names_of_its_lower_row_under_a_merged_cell(tmp_path):
    # 坐标 merged over 经度 | 纬度, 序号 and 项目名称 merged down over both header rows.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "重点项目清单"
    sheet.merge_cells("A1:E1")
    for col, name in (("A", "序号"), ("B", "项目名称"), ("C", "坐标"), ("E", "备注")):
        sheet[f"{col}2"] = name
    sheet.merge_cells("C2:D2")
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet["C3"], sheet["D3"] = "经度", "纬度"
    sheet.append([1, "钱江路站项目", 120.2082401, 30.2580532, "NA"])
    sheet.append([2, "世纪城项目", 120.2387733, 30.2427619, ""])
    book.save(tmp_path / "p.xlsx")
    table = read_input(tmp_path / "p.xlsx")
    assert list(table.frame.columns) == ["序号", "项目名称", "经度", "纬度", "备注"]
    assert table.frame["项目名称"].tolist() == ["钱江路站项目", "世纪城项目"]
    assert table.row_numbers.tolist() == [4, 5] and "header in rows 2 and 3" in table.notes


def form_sheet(sheet):
    """A government form: a file number, a merged title, a line of the form (填报单位：, 联系人：,
    联系电话：, each label and value in its own cell), a two-level header (坐标 over 经度 | 纬度,
    the others merged down), two projects, a total and a note."""
    sheet["A1"] = "附件2"
    sheet["A2"] = "2024年度钱塘江金融港湾重点项目汇总表"
    sheet.merge_cells("A2:G2")
    for col, value in zip("ABDEFG", ["填报单位：", "杭州市上城区发改局", "联系人：", "张三", "联系电话：",
                                      "0571-87000000"]):
        sheet[f"{col}3"] = value
    for col, value in zip("ABCDFG", ["序号", "项目名称", "所在区", "坐标", "投资额（亿元）", "备注"]):
        sheet[f"{col}4"] = value
    sheet.merge_cells("D4:E4")
    for col in "ABCFG":
        sheet.merge_cells(f"{col}4:{col}5")
    sheet["D5"], sheet["E5"] = "经度", "纬度"
    sheet.append([1, "钱江新城二期", "上城区", 120.2082401, 30.2580532, 12, "NA"])
    sheet.append([2, "世纪城金融中心", "萧山区", 120.2387733, 30.2427619, 120.5, None])
    sheet.append(["合计", None, None, None, None, 132.5, None])
    sheet.append(["注：坐标为WGS84。"])
    sheet.merge_cells("A9:G9")


def test_a_form_with_its_lines_above_a_two_level_header_and_a_total_and_note_below():
    table = read_input(workbook_bytes(form_sheet), "汇总表.xlsx")
    assert list(table.frame.columns) == ["序号", "项目名称", "所在区", "经度", "纬度", "投资额（亿元）", "备注"]
    assert table.header_row == 4 and "header in rows 4 and 5" in table.notes
    assert table.row_numbers.tolist() == [6, 7, 8, 9]
    located = locate(table)
    assert located.problem.tolist() == [
        "", "",
        "'合计' looks like a total or a note of the sheet, not a project: left out of the counts",
        "'注：坐标为WGS84。' looks like a total or a note of the sheet, not a project: left out of "
        "the counts"]
    assert located.not_project.tolist() == [False, False, True, True]


@pytest.mark.parametrize("first, total", [
    ("合计", True), ("合 计", True), ("总计（亿元）", True), ("小计：", True), ("注1：单位为亿元", True),
    ("备注:", True), ("填表人：李四", True), ("Total", True), ("notes: WGS84", True),
    ("注册中心项目", False), ("总计划项目", False), ("说明书印刷厂", False), ("钱江新城", False),
    ("", False)])
def test_a_row_without_coordinates_is_a_total_or_note_by_its_first_cell(first, total):
    # The first filled cell counts: a 序号 column is often left empty on the total's row.
    text = f"序号,名称,经度,纬度,投资\n1,钱江新城,120.2082401,30.2580532,1\n,{first},,,2\n"
    located = locate(read_input(text.encode(), "p.csv"))
    assert located.not_project.tolist() == [False, total]
    assert ("not a project" in located.problem[1]) is total
    if not total:
        assert "fill in or correct the coordinates" in located.problem[1]


def test_the_foot_of_a_form_sign_off_lines_and_numbered_notes_are_not_projects():
    # What a government form puts below its table; 审核人 lands in the 经度 column.
    text = ("序号,项目名称,经度,纬度,投资\n"
            "1,钱江新城,120.2082401,30.2580532,1\n"
            "2,缺坐标的项目,,,2\n"               # a project without coordinates: stays one
            "3,世纪城,120.2387733,30.2427619,3\n"
            ",合计,,,6\n"
            "注：,,,,\n"
            "1.投资单位为亿元,,,,\n"
            "2.坐标为WGS84,,,,\n"
            "填表人：李四,,审核人：王五,,填报日期：2025年1月\n"
            "单位负责人：,赵六,,,\n")
    located = locate(read_input(text.encode(), "p.csv"))
    assert located.not_project.tolist() == [False, False, False] + [True] * 6
    assert "fill in or correct the coordinates" in located.problem[1]
    assert all("looks like a total or a note" in p for p in located.problem[3:])
    assert located.problem[7].startswith("'填表人：李四' looks like")


def test_a_list_without_any_coordinates_has_no_foot_but_its_totals():
    text = "项目名称,经度,纬度\n钱江新城：二期,,\n合计,,\n"
    located = locate(read_input(text.encode(), "p.csv"))
    assert located.not_project.tolist() == [False, True]


def test_a_row_with_one_coordinate_is_a_project_whatever_its_first_cell():
    located = locate(read_input("名称,经度,纬度\n合计,120.2,\n".encode(), "p.csv"))
    assert located.not_project.tolist() == [False] and "纬度 is empty" in located.problem[0]


def test_a_csv_form_line_of_many_cells_above_the_header_is_passed_over():
    text = ("填报单位：,上城区发改局,联系人：,张三,电话：\n"
            "序号,项目名称,lng,lat,备注\n1,钱江新城,120.2082401,30.2580532,\n")
    table = read_input(text.encode(), "p.csv")
    assert table.header_row == 2 and list(table.frame.columns) == ["序号", "项目名称", "lng", "lat", "备注"]


@pytest.mark.parametrize("form", ["填报单位：,上城区发改局,联系人：,张三", "填报单位：杭州,上城区发改局,联系人,张三",
                                  "Unit:,Shangcheng,Contact:,Zhang"])
def test_without_coordinate_names_a_form_line_is_still_passed_over(form):
    text = f"{form}\n序号,项目名称,甲值,乙值\n1,钱江新城,1,2\n"  # no column named as coordinates
    assert read_input(text.encode(), "p.csv").header_row == 2


def test_the_row_naming_the_coordinates_is_the_header_below_a_row_that_looks_like_one():
    # No colon, text in every cell, as wide as the table: only the coordinate names tell.
    text = "填报单位,杭州市发改局,填报日期,2024年5月\n名称,经度,纬度,备注\n钱江新城,120.2,30.25,\n"
    table = read_input(text.encode(), "p.csv")
    assert table.header_row == 2 and list(table.frame.columns) == ["名称", "经度", "纬度", "备注"]


def test_a_csv_with_a_two_level_header_takes_the_lower_row_and_places_every_row():
    text = "序号,项目名称,坐标,,备注\n,,经度,纬度,\n1,钱江新城,120.2082401,30.2580532,\n"
    table = read_input(text.encode(), "p.csv")
    assert table.header_row == 2 and list(table.frame.columns)[2:4] == ["经度", "纬度"]
    assert table.frame["经度"].tolist() == ["120.2082401"] and (locate(table).problem == "").all()


def test_an_empty_sheet_is_refused_with_what_to_do(tmp_path):
    openpyxl.Workbook().save(tmp_path / "空.xlsx")
    with pytest.raises(InputError, match="no longitude column found"):
        locate(read_input(tmp_path / "空.xlsx"))


def test_a_two_level_header_of_two_names_over_the_coordinates(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"] = "项目名称", "坐标"
    sheet.merge_cells("B1:C1")
    sheet.merge_cells("A1:A2")
    sheet["B2"], sheet["C2"] = "经度", "纬度"
    sheet.append(["钱江新城", 120.2082401, 30.2580532])
    book.save(tmp_path / "p.xlsx")
    table = read_input(tmp_path / "p.xlsx")
    assert list(table.frame.columns) == ["项目名称", "经度", "纬度"] and table.header_row == 1
    assert table.notes == ["header in rows 1 and 2"] and table.row_numbers.tolist() == [3]


def test_a_long_note_is_named_by_its_first_twenty_characters():
    note = "注：本表坐标均为 WGS84 经纬度，由各区发改局填报，市发改委汇总"
    located = locate(read_input(f"名称,经度,纬度\n钱江新城,120.2,30.2\n{note},,\n".encode(), "p.csv"))
    assert located.problem[1].startswith("'注：本表坐标均为 WGS84 经纬度，由…' looks like a total")
    twenty = "注：本表坐标均为 WGS84 经纬度，由"
    assert len(twenty) == 20
    located = locate(read_input(f"名称,经度,纬度\n钱江新城,120.2,30.2\n{twenty},,\n".encode(), "p.csv"))
    assert located.problem[1].startswith(f"'{twenty}' looks like a total")  # not cut


def test_a_merged_title_over_a_header_is_not_taken_for_an_upper_header_row(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "重点项目清单"
    sheet.merge_cells("A1:C1")
    sheet.append(["项目名称", "经度", "纬度"])
    sheet.append(["钱江新城", 120.2082401, 30.2580532])
    book.save(tmp_path / "p.xlsx")
    table = read_input(tmp_path / "p.xlsx")
    assert table.header_row == 2 and table.notes == ["header in row 2"]


def test_a_first_data_row_of_text_is_not_taken_for_a_second_header_row(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["名称", "类别", "备注"])
    sheet.append(["甲", "银行", "说明"])
    book.save(tmp_path / "p.xlsx")
    table = read_input(tmp_path / "p.xlsx")
    assert list(table.frame.columns) == ["名称", "类别", "备注"] and len(table.frame) == 1


# ---- GeoJSON with a number beyond a double: that row has a problem, the file is read -----------

SQUARE = [[120.2377733, 30.2417619], [120.2397733, 30.2417619], [120.2397733, 30.2437619],
          [120.2377733, 30.2437619], [120.2377733, 30.2417619]]  # around 钱江世纪城站, 萧山区


def feature_collection(bad: str, crs: str = "") -> bytes:
    """Three features as a person or a script might type them: a point at 钱江路站, a point
    whose longitude is ``bad`` (typed as it is: 1e400, Infinity, NaN), a square in 萧山区."""
    crs_member = f'"crs": {{"type": "name", "properties": {{"name": "{crs}"}}}},\n' if crs else ""
    return ('{"type": "FeatureCollection",\n' + crs_member + '"features": [\n'
            '{"type": "Feature", "properties": {"名称": "钱江路站", "编号": 1, "面积": 2.50},'
            ' "geometry": {"type": "Point", "coordinates": [120.2082401, 30.2580532]}},\n'
            '{"type": "Feature", "properties": {"名称": "坏点", "编号": 2, "面积": null},'
            f' "geometry": {{"type": "Point", "coordinates": [{bad}, 30.2]}}}},\n'
            '{"type": "Feature", "properties": {"名称": "世纪城", "编号": 3, "面积": 1e3},'
            f' "geometry": {{"type": "Polygon", "coordinates": [{SQUARE}]}}}}\n]}}\n').encode()


@pytest.mark.parametrize("bad", ["1e400", "-1e400", "1E+400", "Infinity", "-Infinity", "NaN"])
def test_a_geojson_coordinate_beyond_a_double_leaves_the_other_features_as_gdal_reads_them(bad):
    table = read_input(feature_collection(bad), "p.geojson")
    fine = read_input(feature_collection("120.1"), "p.geojson")  # GDAL reads this one directly
    pd.testing.assert_frame_equal(table.frame, fine.frame)  # the properties as GDAL types them
    assert table.frame["名称"].tolist() == ["钱江路站", "坏点", "世纪城"]
    assert table.crs == fine.crs == "EPSG:4326"  # GeoJSON: WGS84 by rule
    assert table.geometry.iloc[0].equals(fine.geometry.iloc[0])
    assert table.geometry.iloc[2].equals(fine.geometry.iloc[2])
    bounds = shapely.bounds(table.geometry.iloc[1])
    assert not np.isfinite(bounds[0]) and bounds[1] == 30.2


def test_the_retried_geojson_keeps_its_legacy_crs_member():
    # A "crs" member (GeoJSON 2008) still says the coordinate system when GDAL reads it again.
    text = feature_collection("1e400", crs="urn:ogc:def:crs:EPSG::4549")
    assert read_input(text, "p.geojson").crs == "EPSG:4549"
    assert read_input(feature_collection("120.1", crs="urn:ogc:def:crs:EPSG::4549"),
                      "p.geojson").crs == "EPSG:4549"


def test_a_geojson_that_is_not_json_is_still_refused():
    with pytest.raises(InputError, match="cannot be read as geojson"):
        read_input(feature_collection("1e400")[:-20], "p.geojson")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # GDAL: "Non closed ring detected"
def test_a_ring_left_open_is_closed_and_a_ring_of_nan_is_a_row_without_geometry():
    fine = feature_collection("120.1")
    square = read_input(fine, "p.geojson").geometry.iloc[2]
    left_open = fine.replace(str(SQUARE).encode(), str(SQUARE[:-1]).encode())
    assert read_input(left_open, "p.geojson").geometry.iloc[2].equals(square)
    nan = str(SQUARE).replace("120.2377733", "NaN")  # NaN != NaN: a ring that cannot close
    table = read_input(fine.replace(str(SQUARE).encode(), nan.encode()), "p.geojson")
    assert table.geometry.iloc[2] is None and table.geometry.iloc[0] is not None


@pytest.mark.parametrize("bad", ["1e400", "Infinity", "NaN"])
def test_zone_check_of_a_geojson_with_a_coordinate_beyond_a_double(bad):
    from layers.zonecheck import NOT_FINITE, check

    rows = check(feature_collection(bad), "p.geojson").table
    assert rows["名称"].tolist() == ["钱江路站", "坏点", "世纪城"]
    assert rows["district"].tolist() == ["上城区", "", "萧山区 (100%)"]
    assert rows["problem"].tolist() == ["", NOT_FINITE, ""]


def test_a_stray_comma_is_refused_with_its_line_and_the_mend():
    from layers.wording import zh

    data = "重点项目清单\n项目名称,经度,纬度\n钱江路站,120.2082401,30.2580532\n项目A,B期,120.1622,30.2583\n"
    with pytest.raises(InputError) as refused:
        read_input(data.encode("utf-8"), "清单.csv")
    said = str(refused.value)
    assert said == ("清单.csv: line 4 has 4 cells where the header row has 3 names; a comma inside "
                    "a name or an address? Put that text in double quotes, or save the list as .xlsx.")
    assert zh(said) == ("清单.csv：第 4 行有 4 个单元格，而表头只有 3 个列名；可能是名称或地址中含有逗号？"
                        "请给这段文字加上英文双引号，或将清单另存为 .xlsx。")


def test_an_excel_sheet_drops_formatted_empty_columns_and_keeps_a_value_without_a_name():
    # Government sheets carry borders well past their last column: those cells are not columns.
    # A value under no name is kept (nothing lost), with the columns up to it.
    import openpyxl
    from openpyxl.styles import Border, Side

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["名称", "经度", "纬度"], ["甲", 120.2082401, 30.2580532], ["乙", 120.2387733, 30.2427619]):
        sheet.append(row)
    thin = Side(style="thin")
    for r in range(1, 6):
        for c in range(4, 9):
            sheet.cell(row=r, column=c).border = Border(left=thin, right=thin, top=thin, bottom=thin)
    data = io.BytesIO()
    book.save(data)
    table = read_input(data.getvalue(), "p.xlsx")
    assert list(table.frame.columns) == ["名称", "经度", "纬度"]
    assert table.frame.values.tolist() == [["甲", "120.2082401", "30.2580532"],
                                           ["乙", "120.2387733", "30.2427619"]]
    sheet.cell(row=3, column=6).value = "备注无列名"
    data = io.BytesIO()
    book.save(data)
    table = read_input(data.getvalue(), "p.xlsx")
    assert list(table.frame.columns) == ["名称", "经度", "纬度", "Unnamed: 3", "Unnamed: 4", "Unnamed: 5"]
    assert table.frame.iloc[1].tolist() == ["乙", "120.2387733", "30.2427619", "", "", "备注无列名"]
    assert table.frame.iloc[0, 3:].tolist() == ["", "", ""]


def test_excel_cells_as_excel_shows_them():
    # Booleans as Excel writes them, whole numbers without ".0", others as Python writes them.
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["名称", "是", "数", "经度", "纬度"])
    for name, flag, number in (("甲", True, 25.0), ("乙", False, 2.5), ("丙", True, 1e16),
                               ("丁", False, 9999999999999998.0)):
        book.active.append([name, flag, number, 120.2082401, 30.2580532])
    data = io.BytesIO()
    book.save(data)
    frame = read_input(data.getvalue(), "p.xlsx").frame
    assert frame["是"].tolist() == ["TRUE", "FALSE", "TRUE", "FALSE"]
    assert frame["数"].tolist() == ["25", "2.5", "1e+16", "9999999999999998"]


def test_geojson_and_kml_are_wgs84_without_saying_so(tmp_path):
    import json

    feature = {"type": "Feature", "properties": {"名称": "甲"},
               "geometry": {"type": "Point", "coordinates": [120.2082401, 30.2580532]}}
    (tmp_path / "p.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}),
                                        encoding="utf-8")
    assert read_input(tmp_path / "p.geojson").crs == "EPSG:4326"
    (tmp_path / "p.kml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        "<Placemark><name>甲</name><Point><coordinates>120.2082401,30.2580532</coordinates></Point>"
        "</Placemark></Document></kml>", encoding="utf-8")
    assert read_input(tmp_path / "p.kml").crs == "EPSG:4326"


# ---- files of several layers: every layer is read ----------------------------------------------

def test_every_layer_of_a_geopackage_is_read_each_in_its_coordinate_system(tmp_path):
    path = tmp_path / "项目.gpkg"
    qjl = gpd.GeoDataFrame({"名称": ["钱江路站项目"]}, geometry=[Point(120.2082401, 30.2580532)], crs=4326)
    sjc = gpd.GeoDataFrame({"名称": ["世纪城项目"], "投资": [3]},
                           geometry=[Point(120.2387733, 30.2427619)], crs=4326).to_crs(4549)
    qjl.to_file(path, layer="上城区")
    sjc.to_file(path, layer="萧山区")
    pyogrio.write_dataframe(pd.DataFrame({"说明": ["附表"]}), path, layer="说明表")
    sjc.to_crs(3857).to_file(path, layer="萧山区二")
    table = read_input(path)
    assert table.frame["layer"].tolist() == ["上城区", "萧山区", "萧山区二"]
    assert table.frame["名称"].tolist() == ["钱江路站项目", "世纪城项目", "世纪城项目"]
    assert table.notes == ["layers without geometry not read: '说明表'",
                           "read all 3 layers ('上城区', '萧山区', '萧山区二'); the column 'layer' names each "
                           "row's", "layers '萧山区', '萧山区二' brought into the coordinate system of '上城区'"]
    assert table.crs == "EPSG:4326" and table.geometry.crs == "EPSG:4326"
    # 钱江世纪城站 written in EPSG:4549 comes back to its WGS84 place (to 1e-7 degree, ~1 cm)
    assert abs(table.geometry.x[1] - 120.2387733) < 1e-7 and abs(table.geometry.y[1] - 30.2427619) < 1e-7
    from layers.zonecheck import check
    assert check(table).table["district"].tolist() == ["上城区", "萧山区", "萧山区"]


def test_every_folder_of_a_kml_is_read_and_a_layer_column_kept_apart(tmp_path):
    path = tmp_path / "项目.kml"
    gpd.GeoDataFrame({"名称": ["钱江路站项目"], "layer": ["甲"]}, geometry=[Point(120.2082401, 30.2580532)],
                     crs=4326).to_file(path, layer="上城区项目", driver="KML")
    gpd.GeoDataFrame({"名称": ["世纪城项目"], "layer": ["乙"]}, geometry=[Point(120.2387733, 30.2427619)],
                     crs=4326).to_file(path, layer="萧山区项目", driver="KML", mode="a")
    table = read_input(path)
    assert table.frame["layer_name"].tolist() == ["上城区项目", "萧山区项目"]
    assert table.frame["layer"].tolist() == ["甲", "乙"] and list(table.frame.columns)[0] == "layer_name"
    assert table.notes == ["read all 2 layers ('上城区项目', '萧山区项目'); the column 'layer_name' names "
                           "each row's"]


def test_a_geopackage_without_a_layer_of_geometry_is_refused_with_why(tmp_path):
    path = tmp_path / "表.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"说明": ["附表"]}), path, layer="说明表")
    with pytest.raises(InputError) as info:
        read_input(path)
    assert str(info.value) == ("表.gpkg: no layer of the file has points, lines or polygons; save the "
                               "projects as a layer with geometry.")


def test_a_layer_column_beside_a_layer_name_column_names_the_layers_source_layer(tmp_path):
    path = tmp_path / "项目.gpkg"
    for name in ("甲", "乙"):
        gpd.GeoDataFrame({"layer": ["x"], "layer_name": ["y"]}, geometry=[Point(120.2082401, 30.2580532)],
                         crs=4326).to_file(path, layer=name)
    table = read_input(path)
    assert list(table.frame.columns) == ["source_layer", "layer", "layer_name"]
    assert table.frame["source_layer"].tolist() == ["甲", "乙"]


# ---- coordinate columns as forms and desktop GIS name them -------------------------------------

@pytest.mark.parametrize("lon, lat", [
    ("经度（°）", "纬度（°）"), ("经度(E)", "纬度(N)"), ("X坐标", "Y坐标"), ("东经（度）", "北纬（度）"),
    ("中心点经度", "中心点纬度"), ("POINT_X", "POINT_Y"), ("经  度", "纬  度"), ("经度坐标", "纬度坐标"),
    ("坐标X", "坐标Y"), ("经度（WGS84）", "纬度（WGS84）"), ("项目经度", "项目纬度"),
    ("Longitude (WGS84)", "Latitude (WGS84)"), ("ＸＣＯＯＲＤ", "ＹＣＯＯＲＤ"), ("X（度）", "Y（度）"),
    ("x [deg]", "y [deg]"), ("X【WGS84】", "Y【WGS84】")])
def test_coordinate_columns_named_as_forms_and_gis_name_them_are_found(lon, lat):
    text = f"序号,项目名称,{lon},{lat}\n1,钱江新城,120.2082401,30.2580532\n"
    table = read_input(text.encode("utf-8"), "p.csv")
    assert list(table.frame.columns) == ["序号", "项目名称", lon, lat]
    assert (locate(table).problem == "").all()


def test_an_exact_name_wins_and_two_near_names_are_left_for_the_user():
    assert coordinate_column(["经度（WGS84）", "经度", "纬度"], "lon") == "经度"
    assert coordinate_column(["起点经度", "终点经度", "纬度"], "lon") is None
    assert coordinate_column(["经纬度", "名称"], "lon") is None  # one column holding both
    with pytest.raises(InputError, match="no longitude column found"):
        locate(read_input("起点经度,终点经度,纬度\n120.1,120.2,30.2\n".encode(), "p.csv"))
    located = locate(read_input("起点经度,终点经度,纬度\n120.1,120.2,30.2\n".encode(), "p.csv"),
                     lon="终点经度")
    assert located.lon.tolist() == [120.2]


def test_a_geopackage_table_without_geometry_is_read_by_its_coordinate_columns(tmp_path):
    pyogrio.write_dataframe(pd.DataFrame({"名称": ["甲", "乙"], "经度": [120.2082401, None],
                                          "纬度": [30.2580532, None], "编号": [1, 2]}),
                            tmp_path / "表.gpkg", layer="项目表")
    table = read_input(tmp_path / "表.gpkg")
    assert table.geometry is None and table.notes == [
        "read the table '项目表', which has no geometry, by its coordinate columns"]
    assert table.frame.values.tolist() == [["甲", "120.2082401", "30.2580532", "1"], ["乙", "", "", "2"]]
    located = locate(table)
    assert located.problem[0] == "" and "经度 is empty" in located.problem[1]


KML_DATA = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>金融港湾项目</name>
<Folder><name>杭州</name>
 <Folder><name>上城区</name>
  <Placemark><name>钱江路站</name><ExtendedData><Data name="投资"><value>25</value></Data>
   <Data name="单位"><value>上城区发改局</value></Data></ExtendedData>
   <Point><coordinates>120.2082401,30.2580532,0</coordinates></Point></Placemark></Folder>
 <Folder><name>萧山区</name>
  <Placemark><name>钱江世纪城站</name><ExtendedData><Data name="投资"><value>12.5</value></Data>
   </ExtendedData><Point><coordinates>120.2387733,30.2427619,0</coordinates></Point></Placemark>
 </Folder></Folder>
<Placemark><name>根目录点</name><Point><coordinates>120.2082401,30.2580532,0</coordinates></Point>
</Placemark></Document></kml>"""


def test_a_kml_from_google_earth_keeps_its_chinese_field_names_and_every_value(tmp_path):
    # GDAL would name both 投资 and 单位 "______" and keep one of them.
    (tmp_path / "项目.kml").write_text(KML_DATA, encoding="utf-8")
    table = read_input(tmp_path / "项目.kml")
    rows = table.frame[["layer", "Name", "投资", "单位"]].values.tolist()
    assert rows == [["金融港湾项目", "根目录点", "", ""], ["上城区", "钱江路站", "25", "上城区发改局"],
                    ["萧山区", "钱江世纪城站", "12.5", ""]]
    assert not any(set(c) == {"_"} for c in table.frame.columns)
    assert list(table.frame.columns).count("Name") == 1
    assert table.notes == ["read all 3 layers ('金融港湾项目', '上城区', '萧山区'); the column 'layer' names "
                           "each row's"]  # 杭州 holds only folders


def test_a_kml_whose_folders_share_a_name_says_its_field_names_could_not_be_read(tmp_path):
    twice = KML_DATA.replace("<name>萧山区</name>", "<name>上城区</name>")
    (tmp_path / "项目.kml").write_text(twice, encoding="utf-8")
    table = read_input(tmp_path / "项目.kml")
    assert any(n.startswith("field names that are not in Latin letters could not be read: the "
                            "columns '______'") for n in table.notes)


def test_projects_without_coordinates_below_a_subtotal_or_a_total_stay_projects():
    text = ("序号,项目名称,经度,纬度\n1,钱江新城,120.2082401,30.2580532\n2,世纪城,120.2387733,30.2427619\n"
            ",上城区小计,,\n3,滨江甲,,\n4,滨江乙,,\n,滨江区小计,,\n,合计,,\n5,合计之后的项目,,\n"
            "填表人 李四,,,\n单位（盖章）,,,\n统计截至2025年6月,,,\n")
    located = locate(read_input(text.encode(), "p.csv"))
    assert located.not_project.tolist() == [False, False, True, False, False, True, True, False,
                                            True, True, True]
    assert all("fill in or correct the coordinates" in located.problem[i] for i in (3, 4, 7))


def test_group_headings_lines_of_units_and_column_numbers_are_not_projects():
    text = ("序号,项目名称,经度,纬度,投资\n"
            "栏次 1,2,3,4,5\n".replace("栏次 ", "") +
            ",（°）,（°）,（°）,（万元）\n"
            "一,杭州市,,,\n（一）,金融机构集聚类,,,\n1,钱江新城,120.2082401,30.2580532,3\n"
            "二、,宁波市,,,\n第三部分,其他,,,\n2,缺坐标的项目,,,4\n")
    located = locate(read_input(text.encode(), "p.csv"))
    assert located.not_project.tolist() == [True, True, True, True, False, True, True, False]
    assert "fill in or correct the coordinates" in located.problem[7] and located.problem[4] == ""
    assert located.problem[0].startswith("'1 2 3 …' looks like a total or a note")


def test_a_project_numbered_in_arabic_or_named_like_a_word_is_still_a_project():
    text = "序号,项目名称,经度,纬度\n1,钱江新城,120.2082401,30.2580532\n一号,一号地块,,\n人,人才大厦,,\n"
    located = locate(read_input(text.encode(), "p.csv"))
    assert located.not_project.tolist() == [False, False, False]


def test_the_list_sheet_is_the_first_shown_that_names_coordinates(tmp_path):
    book = openpyxl.Workbook()
    lists = book.active
    lists.title = "下拉选项"
    lists.append(["上城区"])
    lists.append(["萧山区"])
    lists.sheet_state = "hidden"
    book.create_sheet("填表说明").append(["请按 WGS84 填写经纬度"])
    data = book.create_sheet("项目表")
    data.append(["项目名称", "经度", "纬度"])
    data.append(["钱江新城", 120.2082401, 30.2580532])
    book.save(tmp_path / "p.xlsx")
    table = read_input(tmp_path / "p.xlsx")
    assert table.frame.values.tolist() == [["钱江新城", "120.2082401", "30.2580532"]]
    assert table.notes == ["the workbook holds 3 sheets; read '项目表', the first shown with coordinate columns"]
    data.sheet_state = "hidden"  # no shown sheet names coordinates: the first shown is read
    book.save(tmp_path / "q.xlsx")
    assert read_input(tmp_path / "q.xlsx").notes[0] == "the workbook holds 3 sheets; read '填表说明', the first shown"


def test_a_foot_that_starts_right_below_the_last_project_with_a_line_of_a_form():
    # 联系电话：… is a line of a form by its colon alone; what follows it is the foot too.
    text = ("名称,经度,纬度\n钱江新城,120.2082401,30.2580532\n联系电话：0571-87000000,,\n"
            "以上由区发改局汇总,,\n")
    located = locate(read_input(text.encode(), "p.csv"))
    assert located.not_project.tolist() == [False, True, True]
