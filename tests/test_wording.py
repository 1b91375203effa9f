"""Every sentence the zone check writes (row problems, notes, refusals of geo/importer.py,
geo/crs.py, geo/zonecheck.py and layers/zonecheck.py) reads in Chinese through
layers.wording.zh: each is made to happen for real here, from a bad input, and its English is
checked to be fully translated. Inputs carry user text that is not English (清单.csv, 经度,
名称), so that English left in the translation cannot hide among it."""

import io
import re
import zipfile

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import GeometryCollection, Point, Polygon

import geo.importer as importer
from geo.crs import normalize_crs, to_wgs84
from geo.importer import EncodingUnsure, InputError, Table, locate, read_input
from geo.zonecheck import write_output
from layers import zonecheck
from layers.wording import untranslated, zh

NAME = "清单.csv"
# Names a Chinese sentence keeps as they are: formats, codecs, options, coordinate systems.
TECHNICAL = re.compile(r"GB18030|GBK|Big5|HKSCS|UTF-8|CSV|Excel|GeoJSON|Shapefile|GeoPackage|KML|PDF|"
                       r"GeoParquet|Parquet|WKB|"
                       r"\.(?:xlsx|xls|csv|geojson|gpkg|shp|prj|cpg|parquet)\b|CRC|EPSG|wgs84|cgcs2000|"
                       r"gcj02|bd09|lon/lng/x|lat/y|--encoding", re.I)
LATIN = re.compile(r"[A-Za-z]{3,}")
HAN = re.compile(r"[\u4e00-\u9fff]")


def chinese(sentence: str, *carried: str) -> str:
    """``sentence`` in Chinese: every clause translated, the user and technical text
    ``carried`` over as it is, and no English word left in the rest."""
    assert untranslated(sentence) == [], sentence
    text = zh(sentence)
    rest = text
    for kept in sorted(filter(None, carried), key=len, reverse=True):
        assert kept in text, (kept, text)
        rest = rest.replace(kept, "")
    rest = TECHNICAL.sub("", rest)
    assert not LATIN.search(rest), (sentence, text)
    assert HAN.search(rest), (sentence, text)  # the sentence's own words, not only user text
    assert ": " not in rest and "; " not in rest, text
    return text


def refusal(call, *args, **kwargs) -> tuple[str, str]:
    """The English sentence of the InputError ``call`` raises, and the library's error text it
    carries (its cause), if any."""
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)
    cause = info.value.__cause__
    return str(info.value), "" if cause is None else str(cause)


def zipped(members: dict, method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def workbook(*sheets: tuple[str, list]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


TABLE = "名称,经度,纬度\n钱江新城,120.2082,30.2581\n".encode()


# ---- refusals: what the file is ---------------------------------------------------------------

@pytest.mark.parametrize("data, name, carried", [
    (b"   \r\n", NAME, ()),  # read_input
    (b"\xef\xbb\xbf \n", NAME, ()),  # _read_csv: nothing but a BOM
    (b"\xd0\xcf\x11\xe0" + bytes(200), "清单.xls", ()),
    (b"%PDF-1.7\n" + bytes(range(256)), "规划.pdf", ()),
    (b"\x01\x02\x00\x03" * 50, "清单.dat", ()),
    (b"PK\x03\x04" + b"\xee" * 100, "清单.zip", ()),
    (zipped({"说明.txt": "无"}), "清单.zip", ()),
    (zipped({"../项目.shp": b"1"}), "清单.zip", ("“../项目.shp”",)),
    (zipped({"项目.txt": bytes(1_000_000)}), "清单.zip", ("1,000,000",)),
])
def test_files_that_cannot_be_used(data, name, carried):
    sentence, cause = refusal(read_input, data, name)
    chinese(sentence, name, cause, *carried)


def test_file_not_found_and_too_large(tmp_path):
    sentence, _ = refusal(read_input, tmp_path / NAME)
    assert chinese(sentence, NAME) == "清单.csv：找不到文件。"
    (tmp_path / NAME).write_bytes(TABLE)
    for source in (tmp_path / NAME, TABLE):  # a path, and bytes
        sentence, _ = refusal(read_input, source, NAME, max_bytes=10)
        assert chinese(sentence, NAME) == (f"清单.csv：文件有 {len(TABLE)} 字节，超过了 10 字节的上限；"
                                           "请把清单拆分成几个文件。")


def test_too_many_members(monkeypatch):
    monkeypatch.setattr(importer, "MAX_MEMBERS", 2)
    sentence, _ = refusal(read_input, zipped({"甲.txt": "1", "乙.txt": "2", "丙.txt": "3"}), "清单.zip")
    assert chinese(sentence, "清单.zip") == "清单.zip：压缩包内有 3 个文件；最多只能有 2 个。"


def test_an_archive_that_unpacks_to_more_than_it_declares(monkeypatch):
    monkeypatch.setattr(importer, "_check_archive", lambda archive, filename, size: archive.infolist())
    monkeypatch.setattr(importer, "MAX_UNZIPPED", 100)
    sentence, _ = refusal(read_input, zipped({"项目.shp": bytes(1000)}), "清单.zip")
    assert chinese(sentence, "清单.zip") == "清单.zip：解压后超过 100 字节，疑为压缩炸弹或文件过大，已拒绝。"


def test_damaged_members():
    data = bytearray(zipped({"项目.shp": b"A" * 100, "项目.dbf": b"B"}, zipfile.ZIP_STORED))
    data[data.index(b"A" * 100)] = ord("C")  # a bad CRC
    sentence, _ = refusal(read_input, bytes(data), "清单.zip")
    assert chinese(sentence, "清单.zip", "项目.shp") == ("清单.zip：压缩包已损坏：其中的文件 项目.shp 未通过 CRC 校验；"
                                                        "请重新打包。")
    data = bytearray(zipped({"说明.txt": b"x", "项目.shp": b"A" * 100}, zipfile.ZIP_STORED))
    second = data.index(b"PK\x03\x04", 4)
    data[second + 2:second + 4] = b"\x09\x09"  # a damaged local header
    sentence, cause = refusal(read_input, bytes(data), "清单.zip")
    chinese(sentence, "清单.zip", "项目.shp", cause)
    data = bytearray(zipped({"项目.shp": bytes(range(256)) * 50}))
    start = data.index("项目.shp".encode()) + len("项目.shp".encode())
    data[start:start + 20] = b"\xff" * 20  # damaged compressed data
    sentence, cause = refusal(read_input, bytes(data), "清单.zip")
    assert "without a password" in sentence
    assert chinese(sentence, "清单.zip", "项目.shp", cause).endswith("请重新打包，不要设置密码。")


@pytest.mark.parametrize("data, name", [
    (b"{ \xe9\xa1\xb9\xe7\x9b\xae", "清单.geojson"),
    (b"<kml>\xe9\xa1\xb9\xe7\x9b\xae", "清单.kml"),
    (b"SQLite format 3\x00" + bytes(200), "清单.gpkg"),
    (zipped({"项目.shp": b"\xe9\xa1\xb9" * 40}), "清单.zip"),
    (zipped({"[Content_Types].xml": "坏", "xl/workbook.xml": "坏"}), "清单.xlsx"),
])
def test_spatial_files_and_workbooks_that_cannot_be_read(data, name):
    sentence, cause = refusal(read_input, data, name)
    assert cause
    chinese(sentence, name, cause)


# ---- text encodings -----------------------------------------------------------------------------

def test_encodings():
    sentence, _ = refusal(read_input, TABLE, NAME, encoding="码表甲")
    assert chinese(sentence, NAME, "码表甲") == "清单.csv：“码表甲”不是可识别的编码名称。"
    sentence, _ = refusal(read_input, TABLE, NAME, encoding="ascii")
    assert chinese(sentence, NAME, "ascii") == "清单.csv：无法按 ascii 编码读取（出错的字节位置：0）；请检查编码。"
    lines = ("名称,经度,纬度\n" + "杭州市上城区钱江新城项目,120.2,30.25\n" * 3000).encode("gb18030")
    sentence, _ = refusal(read_input, lines + b"\xff\xff,1,2\n", NAME)  # beyond what is sampled
    assert chinese(sentence, NAME) == ("清单.csv：文本开头是 GB18030 编码，但后面有不符合该编码的字节；"
                                       "请另存为 UTF-8 编码，或指明文件的编码。")


def test_text_in_no_encoding_known(monkeypatch):
    monkeypatch.setattr("charset_normalizer.from_bytes", lambda data: [])  # it proposes none
    sentence, _ = refusal(read_input, b"a,b\n\xff,1\n", NAME)
    chinese(sentence, NAME)


def test_encoding_unsure_carries_how_the_text_reads():
    with pytest.raises(EncodingUnsure) as info:
        read_input("名称,经度\n杭州,1\n".encode("gb18030"), NAME)
    sentence = str(info.value)
    assert info.value.candidates == ["gb18030", "big5"]
    big5 = "名称,经度".encode("gb18030").decode("big5")
    assert chinese(sentence, NAME, "名称,经度", big5) == (
        f"清单.csv：无法确定文本编码：按 GB18030 读为“名称,经度”，按 Big5 读为“{big5}”；"
        "请选择编码（gb18030 或 big5）。")


def test_the_command_line_says_it_in_chinese(tmp_path, capsys):
    (tmp_path / NAME).write_bytes("名称,经度\n杭州,1\n".encode("gb18030"))
    assert zonecheck.main([str(tmp_path / NAME), "-o", str(tmp_path / "结果.csv"), "--lang", "zh"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and all(line.startswith("错误：") for line in lines)
    assert lines[1] == "错误：请用 --encoding 指定编码"
    assert chinese("give it with --encoding") == "请用 --encoding 指定编码"
    rest = TECHNICAL.sub("", lines[0].removeprefix("错误：").replace(NAME, ""))
    assert not LATIN.search(rest) and HAN.search(rest)


# ---- tables: the header row, cells ------------------------------------------------------------

def test_header_rows():
    for row in (0, 2.5):
        sentence, _ = refusal(read_input, TABLE, NAME, header_row=row)
        chinese(sentence, NAME)
    sentence, _ = refusal(read_input, TABLE, NAME, header_row=9)
    assert chinese(sentence, NAME) == "清单.csv：没有第 9 行；表格只有 2 行。"
    sentence, _ = refusal(read_input, workbook(("项目", [["名称", "经度"], ["甲", 1]])), "清单.xlsx",
                          header_row="2")
    chinese(sentence, "清单.xlsx")


def test_ragged_and_broken_csv():
    sentence, _ = refusal(read_input, "名称,经度,纬度\n甲,120,30,5\n乙,120,30\n".encode(), NAME)
    assert chinese(sentence, NAME) == "清单.csv：有些行的单元格比第 1 行（表头）的列名多；请检查表头行。"
    sentence, cause = refusal(read_input, '名称,经度,纬度\n"甲,120,30\n'.encode(), NAME)
    assert chinese(sentence, NAME, cause) == f"清单.csv：无法作为 CSV 表格读取（{cause}）。"


def test_notes_of_tables():
    notes = read_input("项目清单\n名称,经度,纬度\n甲,120.2,30.2\n乙,120.3,30.3\n".encode("gb18030"),
                       NAME).notes
    assert [chinese(n) for n in notes] == ["按 GB18030 编码读取", "表头在第 2 行"]
    rows = [["钱塘江金融港湾项目"], ["名称", "经度", "纬度", "合计"]]
    rows += [["甲", 120.2, 30.25, f"=B{i}+C{i}"] for i in range(3, 15)]  # no cached results
    notes = read_input(workbook(("封面", rows), ("附表", [])), "清单.xlsx").notes
    assert len(notes) == 3
    assert [chinese(n, *carried) for n, carried in zip(notes, [["封面"], [], []])] == [
        "工作簿有 2 个工作表；已读取第一个：“封面”", "表头在第 2 行",
        "第 3、4、5、6、7、8、9、10、11、12 等行的公式没有保存计算结果，已按空值读取"
        "（此工作簿不是由 Excel 保存的：请用 Excel 打开并保存）"]


def test_notes_of_a_workbook_whose_list_is_not_its_first_sheet_and_of_columns_named_for_baidu():
    notes = read_input(workbook(("填表说明", [["请填写"]]), ("项目表", [["名称", "百度经度", "百度纬度"],
                                                                   ["甲", 120.2, 30.2]])), "清单.xlsx").notes
    assert [chinese(n, *c) for n, c in zip(notes, [["项目表"], ["百度经度", "百度纬度"]])] == [
        "工作簿有 2 个工作表；已读取第一个有坐标列的可见工作表：“项目表”",
        "列名“百度经度”、“百度纬度”表明坐标为 bd09：已按 bd09 读取（如不是，请另选坐标系）"]
    notes = read_input(workbook(("说明", [["请填写"]]), ("表", [["名称"]])), "清单.xlsx").notes
    assert chinese(notes[0], "说明") == "工作簿有 2 个工作表；已读取第一个：“说明”"


# ---- spatial files --------------------------------------------------------------------------------

def test_a_shapefile_without_prj_and_cpg(tmp_path):
    frame = gpd.GeoDataFrame({"名称": ["钱江新城项目", "钱江世纪城项目"]},
                             geometry=[Point(120.2, 30.25), Point(120.24, 30.24)])
    frame.to_file(tmp_path / "项目.shp", encoding="GBK")
    dbf = bytearray((tmp_path / "项目.dbf").read_bytes())
    dbf[29] = 0  # no language driver either
    (tmp_path / "项目.dbf").write_bytes(dbf)
    data = zipped({p.name: p.read_bytes() for p in tmp_path.iterdir()
                   if p.suffix in (".shp", ".shx", ".dbf")})
    table = read_input(data, "项目.zip")
    assert [chinese(n) for n in table.notes] == ["没有 .cpg 文件：属性文本已按 GB18030 编码读取",
                                                 "没有 .prj 文件：未声明坐标系"]
    sentence, _ = refusal(locate, table)
    assert chinese(sentence) == "文件未声明坐标系；请选择一个（wgs84、cgcs2000、gcj02、bd09 或 EPSG:n）。"


def test_a_geopackage_of_two_layers_with_invalid_and_empty_geometries(tmp_path):
    bowtie = Polygon([(120.2, 30.2), (120.3, 30.3), (120.3, 30.2), (120.2, 30.3)])
    frame = gpd.GeoDataFrame({"名称": ["甲", "乙", "丙"]},
                             geometry=[bowtie, GeometryCollection(), Point(120.2, 30.25)], crs=4326)
    frame.to_file(tmp_path / "项目.gpkg", layer="图层一")
    frame.to_file(tmp_path / "项目.gpkg", layer="图层二")
    frame.to_crs(4549).to_file(tmp_path / "项目.gpkg", layer="图层三")
    pyogrio.write_dataframe(pd.DataFrame({"说明": ["附表"]}), tmp_path / "项目.gpkg", layer="说明表")
    result = zonecheck.check(tmp_path / "项目.gpkg")
    carried = [["说明表"], ["图层一", "图层二", "图层三", "layer"], ["图层一", "图层三"], []]
    assert [chinese(n, *c) for n, c in zip(result.notes, carried)] == [
        "没有几何图形的图层未读取：“说明表”",
        "已读取全部 3 个图层（“图层一”、“图层二”、“图层三”）；“layer”列注明每行所在的图层",
        "图层“图层三”已转换到图层“图层一”的坐标系",
        "已修复 3 个无效的几何图形（第 1、4、7 行）"]
    problems = result.table["problem"].tolist()
    assert [chinese(p) for p in problems[:2]] == ["几何图形无效，已自动修复", "此行没有几何图形"]
    zh_result = zonecheck.check(tmp_path / "项目.gpkg", lang="zh")
    assert zh_result.table["problem"].tolist() == [zh(p) for p in problems]
    assert zh_result.notes == [zh(n) for n in result.notes]


def test_a_kml_whose_field_names_cannot_be_read(tmp_path):
    from test_importer import KML_DATA

    twice = KML_DATA.replace("<name>萧山区</name>", "<name>上城区</name>")
    (tmp_path / "项目.kml").write_text(twice, encoding="utf-8")
    notes = read_input(tmp_path / "项目.kml").notes
    assert chinese(notes[-1], "______") == "非拉丁字母的字段名无法读出：其值在“______”列中"


def test_a_geopackage_of_tables_only(tmp_path):
    pyogrio.write_dataframe(pd.DataFrame({"说明": ["附表"]}), tmp_path / "附表.gpkg", layer="说明表")
    sentence, _ = refusal(read_input, tmp_path / "附表.gpkg")
    assert chinese(sentence, "附表.gpkg") == "附表.gpkg：文件的图层中没有点、线或面；请把项目存为带几何图形的图层。"
    pyogrio.write_dataframe(pd.DataFrame({"名称": ["甲"], "经度": [120.2], "纬度": [30.2]}),
                            tmp_path / "坐标表.gpkg", layer="项目表")
    assert [chinese(n, "项目表") for n in read_input(tmp_path / "坐标表.gpkg").notes] == [
        "已按坐标列读取没有几何图形的表“项目表”"]


def test_a_spatial_file_without_a_coordinate_system():
    with pytest.raises(ValueError) as info:
        to_wgs84(gpd.GeoDataFrame({"名称": ["甲"]}, geometry=[Point(120.2, 30.25)]))
    assert chinese(str(info.value)) == "未声明坐标系；请指定一个（wgs84、cgcs2000、gcj02、bd09 或 EPSG:n）"


# ---- coordinates: columns, systems, rows ----------------------------------------------------------

def test_coordinate_columns():
    table = Table(pd.DataFrame({"名称": ["甲"], "东西": ["120.2"], "南北": ["30.2"]}), "csv")
    for given in ({}, {"lon": "东西"}):
        sentence, _ = refusal(locate, table, **given)
        chinese(sentence, "名称, 东西, 南北")
    sentence, _ = refusal(locate, table, lon="东西", lat="高程")
    assert chinese(sentence, "高程", "名称, 东西, 南北") == "没有“高程”列；现有的列：名称, 东西, 南北。"
    sentence, _ = refusal(locate, table)
    assert zh(sentence) == ("未找到经度列；请将经度、纬度列分别命名为 lon/lng/x/经度 和 lat/y/纬度，"
                            "或指定坐标列（现有的列：名称, 东西, 南北）。")


def test_coordinate_systems():
    table = Table(pd.DataFrame({"名称": ["甲"], "经度": ["120.2"], "纬度": ["30.2"]}), "csv")
    sentence, _ = refusal(locate, table, crs="坐标系甲")
    assert chinese(sentence, "坐标系甲") == ("无法识别坐标系“坐标系甲”：请使用 wgs84、cgcs2000、gcj02、bd09 或 "
                                         "EPSG:n")
    proj = "+proj=tmerc +lon_0=121 +ellps=GRS80"
    with pytest.raises(ValueError) as info:
        normalize_crs(proj)
    assert chinese(str(info.value), proj) == f"坐标系“{proj}”没有 EPSG 代码；请以 EPSG:n 的形式给出"
    spatial = Table(pd.DataFrame({"名称": ["甲"]}), "geojson", geometry=gpd.GeoSeries([Point(1, 2)]))
    with pytest.raises(ValueError) as info:  # a spatial file: not an InputError (see the report)
        locate(spatial, crs="坐标系乙")
    chinese(str(info.value), "坐标系乙")


def test_row_problems():
    text = ("名称,经度,纬度\n"
            "空,,30.25\n"
            "文字,东经一百二十度,北纬三十度\n"
            "引号,东经'120,30.25\n"
            "省外,10,10\n"
            "颠倒,30.25,120.2\n"
            "无穷,inf,30.25\n"
            "好,120.2082,30.2581\n")
    en = zonecheck.check(text.encode(), NAME, lang="en").table["problem"].tolist()
    carried = [[], ["东经一百二十度", "北纬三十度"], ["东经'120"], [], [], [], []]
    got = [chinese(p, *c) if p else "" for p, c in zip(en, carried)]
    assert got == ["经度 为空；请填写或更正坐标",
                   "经度 的值“东经一百二十度”不是数字；纬度 的值“北纬三十度”不是数字；请填写或更正坐标",
                   "经度 的值“东经'120”不是数字；请填写或更正坐标",
                   "(10, 10) 在浙江省外；请检查坐标及其坐标系",
                   "经纬度似乎填反了：(120.2, 30.25) 在浙江省内；请交换这两列",
                   "坐标不是有限数值（无穷大，或超出坐标系的范围）；请更正",
                   ""]
    assert '"东经\'120"' in en[2]  # repr() quoted it with double quotes
    assert zonecheck.check(text.encode(), NAME, lang="zh").table["problem"].tolist() == got
    notes = zonecheck.check(text.encode(), NAME, lang="en").notes
    assert [chinese(n) for n in notes] == ["按 UTF-8 编码读取"]


def test_a_total_or_a_note_of_the_sheet():
    text = "名称,经度,纬度\n钱江新城,120.2082,30.2581\n合计,,\n注：坐标为 WGS84,,\n"
    en = zonecheck.check(text.encode(), NAME, lang="en").table["problem"].tolist()
    assert [chinese(p, c) for p, c in zip(en[1:], ["合计", "注：坐标为 WGS84"])] == [
        "“合计”像是表格的合计行或注释，不是项目：未计入统计",
        "“注：坐标为 WGS84”像是表格的合计行或注释，不是项目：未计入统计"]
    assert zonecheck.check(text.encode(), NAME, lang="zh").table["problem"].tolist()[1:] == [
        zh(p) for p in en[1:]]


# ---- the output ---------------------------------------------------------------------------------

def test_output_refusals(tmp_path):
    with pytest.raises(ValueError) as info:
        write_output(pd.DataFrame({"名称": ["甲"]}), tmp_path / "结果.txt")
    assert chinese(str(info.value), "结果.txt") == "结果.txt：输出文件的扩展名须为 .csv、.xlsx、.geojson、.gpkg、.parquet 之一"
    with pytest.raises(ValueError) as info:  # no constant to lower: a sheet's row limit
        write_output(pd.DataFrame({"名称": np.zeros(1_048_576)}), tmp_path / "结果.xlsx")
    assert chinese(str(info.value)) == "1,048,576 行超出了 Excel 工作表的容量；请改为输出 .csv 文件"
    wide = pd.DataFrame([range(16_384)], columns=[f"c{i}" for i in range(16_384)])
    write_output(wide, tmp_path / "宽.xlsx")  # column XFD, the last one: it fits
    with pytest.raises(ValueError) as info:
        write_output(wide.assign(one_more=1), tmp_path / "宽.xlsx")
    assert chinese(str(info.value)) == "16,385 列超出了 Excel 工作表的容量；请改为输出 .csv 文件"


@pytest.mark.filterwarnings("ignore")
def test_output_notes(tmp_path):
    frame = pd.DataFrame({"名\x01称": ["=甲", "乙\x02", "丙" * 40_000, "-1+1"], "-值": ["1", "2", "3", "4"]})
    xlsx = write_output(frame, tmp_path / "结果.xlsx").notes
    assert [chinese(n) for n in xlsx] == ["已删除 2 个单元格中的控制字符（第 3 行；表头）",
                                          "已将 1 个单元格截短为 Excel 单元格上限 32,767 个字符（第 4 行）"]
    csv = write_output(frame, tmp_path / "结果.csv").notes
    assert [chinese(n) for n in csv] == ["3 个单元格以公式符号（= + - @）开头，已在其前加上 '，使 Excel 将其显示为"
                                         "文本（第 2、5 行；表头）"]
    many = pd.DataFrame({"名称": [f"={i}" for i in range(12)] + ["甲\x03"] * 12})
    notes = [*write_output(many, tmp_path / "多.csv").notes, *write_output(many, tmp_path / "多.xlsx").notes]
    assert [chinese(n) for n in notes] == [
        "12 个单元格以公式符号（= + - @）开头，已在其前加上 '，使 Excel 将其显示为文本"
        "（第 2、3、4、5、6、7、8、9、10、11 等行）",
        "已删除 12 个单元格中的控制字符（第 14、15、16、17、18、19、20、21、22、23 等行）"]
    one = write_output(pd.DataFrame({"名称": ["=甲"]}), tmp_path / "一.csv").notes
    assert [chinese(n) for n in one] == ["1 个单元格以公式符号（= + - @）开头，已在其前加上 '，使 Excel 将其显示为"
                                         "文本（第 2 行）"]


# ---- zh and untranslated themselves ------------------------------------------------------------

def test_a_clause_no_pattern_knows_stays_and_is_listed():
    sentence = "清单.csv: something new; fill in or correct the coordinates"
    assert zh(sentence) == "清单.csv: something new；请填写或更正坐标"
    assert untranslated(sentence) == ["清单.csv: something new"]
    assert untranslated("") == [""] and zh("") == ""


def test_user_text_holding_a_clause_separator_is_carried_over():
    sentence = "经度 '东经; 一百二十' is not a number; fill in or correct the coordinates"
    assert untranslated(sentence) == []
    assert zh(sentence) == "经度 的值“东经; 一百二十”不是数字；请填写或更正坐标"
    sentence = "清单; 副本.csv: the file is empty."
    assert zh(sentence) == "清单; 副本.csv：文件是空的。"


# ---- large tables, Parquet, a cluster ------------------------------------------------------------

def test_the_sentences_of_large_tables_and_clusters_read_in_chinese(tmp_path):
    from geo.batches import TableReader, output_kind
    from layers.batchcheck import check_on_cluster
    from layers.zonecheck import Progress

    (tmp_path / "清单.parquet").write_bytes(b"PAR1 broken PAR1")
    sentence, cause = refusal(read_input, tmp_path / "清单.parquet")
    chinese(sentence, "清单.parquet", cause)
    (tmp_path / "分片").mkdir()
    sentence, _ = refusal(TableReader, tmp_path / "分片")
    chinese(sentence, "分片")
    (tmp_path / "分片" / "part-0.parquet").write_bytes(b"PAR1 broken PAR1")
    sentence, _ = refusal(TableReader, tmp_path / "分片")
    library = sentence.split("not a readable Parquet file (", 1)[1][:-3]  # pyarrow's own words
    chinese(sentence, "分片", "part-0.parquet", library)
    with pytest.raises(ValueError) as info:
        output_kind(tmp_path / "结果.xlsx")
    chinese(str(info.value), "结果.xlsx")
    (tmp_path / NAME).write_text("经度,纬度\n120.2,30.2\n", "utf-8")
    sentence, _ = refusal(check_on_cluster, tmp_path / NAME, tmp_path / "结果", workers=1)
    chinese(sentence, NAME, "table.parquet")
    chinese("part-0.parquet could not be read (IOError: 出错); its rows are not in the output",
            "part-0.parquet", "IOError: 出错")
    chinese("line 154 has 4 cells where the header has 3 names; a separator inside a name or an "
            "address? Put that text in double quotes")
    shown = io.StringIO()
    Progress(zh, shown, after=0)(0.5, 1_250_000, 10.0)
    assert shown.getvalue() == "已完成 1,250,000 行，每秒 125,000 行，50%，约剩 10 秒\n"
