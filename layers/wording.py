"""The zone check in the reader's language: its column headers, its zone kinds, and its
sentences (problems, notes, refusals), which geo/ and layers.zonecheck write in English and a
Chinese reader reads in Chinese. User text inside a sentence (a column's name, a cell's value,
a file name) is carried over as it is."""

from __future__ import annotations

import re

import pandas as pd

from layers.zones import english_name

COLUMNS = {  # the columns the zone check adds, as a reader sees them
    "row_in_file": ("文件中的行", "Row in the file"), "row_no": ("序号", "No."),
    "lon_wgs84": ("经度（WGS84）", "Longitude (WGS84)"), "lat_wgs84": ("纬度（WGS84）", "Latitude (WGS84)"),
    "city": ("设区市", "City"), "district": ("县（市、区）", "District"),
    "in_harbor": ("港湾六城", "In the six harbor cities"),
    "core_zone": ("核心区/拥江扩面", "Core zone / riverside extension"),
    "financial_city": ("金融城", "Financial city"), "belts": ("特色带", "Belts"),
    "town": ("金融特色小镇", "Finance town"), "problem": ("问题", "Problem"),
    "kind": ("类别", "Kind"), "zone": ("区域", "Zone"), "projects": ("项目数", "Projects"),
}
KINDS = {"city": ("设区市", "City"), "district": ("县（市、区）", "District"),
         "core_zone": ("核心区/拥江扩面", "Core zone / riverside extension"),
         "financial_city": ("金融城", "Financial city"), "belts": ("特色带", "Belt"),
         "town": ("金融特色小镇", "Finance town")}
DATUMS = {"gcj02": ("GCJ-02（高德、腾讯）", "GCJ-02 (Amap, Tencent)"), "bd09": ("BD-09（百度）", "BD-09 (Baidu)")}

# ---- the zone check's sentences ------------------------------------------------------------------
# geo/importer.py, geo/crs.py, geo/zonecheck.py and layers/zonecheck.py write their problems, notes
# and refusals in English; CLAUSES gives each clause ("; "-separated) in Chinese. User text (a file
# name, a column's name, a cell's value, a codec name, a library's own error text) is carried over
# by the groups; a text quoted with repr() comes out between Chinese quotes.

F = r"(?P<file>.+): "  # "清单.csv: ..." - a sentence about a file starts with its name
IN = r"\g<file>："  # and keeps it
Q = r"""['"](?P<q>.*)['"]"""  # a text quoted with repr()
CRS_NAMES = r"\(wgs84, cgcs2000, gcj02, bd09 or EPSG:n\)"
CRS_NAMES_ZH = "（wgs84、cgcs2000、gcj02、bd09 或 EPSG:n）"
KINDS_OF_FILE = {"csv": "CSV", "excel": "Excel", "geojson": "GeoJSON", "shapefile": "Shapefile",
                 "gpkg": "GeoPackage", "kml": "KML"}


def _quoted(text: str) -> str:
    """A text as repr() quotes it, between Chinese quotes."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return f"“{text[1:-1]}”"
    return text


def _rows(text: str) -> str:
    """Row numbers: "3, 5, 9" -> "第 3、5、9 行"; "3, 5 ..." or "3, 5, …" (more) -> "第 3、5 等行"."""
    more = text.endswith((" ...", ", …"))
    text = text.removesuffix(" ...").removesuffix(", …").replace(", ", "、")
    return f"第 {text} 等行" if more else f"第 {text} 行"


def _where(text: str) -> str:
    """Where in a written sheet: "rows 2, 5; the header" -> "第 2、5 行；表头"."""
    parts = []
    for part in text.split("; "):
        rows = re.fullmatch(r"rows? (.+)", part)
        parts.append("表头" if part == "the header" else _rows(rows[1]) if rows else part)
    return "；".join(parts)


def _names(text: str) -> str:
    """Names quoted with repr(), joined by ", " -> between Chinese quotes, joined by "、"."""
    return "、".join(_quoted(name) for name in re.findall(r"'[^']*'|\"[^\"]*\"", text))


def _cells(text: str) -> str:
    """ "1 cell", "1,234 cells" -> "1 个单元格", "1,234 个单元格"."""
    return re.sub(r"^(\S+) cells?$", r"\1 个单元格", text)


_READING = re.compile(r"as (\S+) \((.*?)\)(?= or as \S+ \(|$)")


def _readings(m: re.Match) -> str:
    readings = "，".join(f"按 {codec} 读为{_quoted(preview)}"
                        for codec, preview in _READING.findall(m["readings"]))
    return f"{m['file']}：无法确定文本编码：{readings}"


CLAUSES = [
    # rows (first: a million rows may have each its own problem sentence)
    (r"(.+) is empty", r"\1 为空"),
    (r"(.+) '(.*)' is not a number", r"\1 的值“\2”不是数字"),
    (r'(.+) "(.*)" is not a number', r"\1 的值“\2”不是数字"),
    (r"fill in or correct the coordinates", "请填写或更正坐标"),
    (Q + r" looks like a total or a note of the sheet, not a project: left out of the counts",
     r"“\g<q>”像是表格的合计行或注释，不是项目：未计入统计"),
    (r"no geometry in this row", "此行没有几何图形"),
    (r"invalid geometry, repaired", "几何图形无效，已自动修复"),
    (r"\((.+), (.+)\) is outside Zhejiang", r"(\1, \2) 在浙江省外"),
    (r"check the coordinates and their coordinate system", "请检查坐标及其坐标系"),
    (r"\((.+), (.+)\) are not degrees of longitude and latitude", r"(\1, \2) 不是以度为单位的经纬度"),
    (r"they look like metres of a projected system: choose the one the file uses \(e\.g\. EPSG:4549\)",
     "像是投影坐标系的米制坐标：请选择文件所用的坐标系（如 EPSG:4549）"),
    (r"latitude and longitude look swapped: \((.+), (.+)\) would be in Zhejiang",
     r"经纬度似乎填反了：(\1, \2) 在浙江省内"),
    (r"swap the two columns", "请交换这两列"),
    (r"the coordinates are not finite numbers \(infinite, or too large for the coordinate "
     r"system\)", "坐标不是有限数值（无穷大，或超出坐标系的范围）"),
    (r"correct them", "请更正"),

    # the file: what it is (geo/importer.py)
    (F + r"file not found\.", IN + "找不到文件。"),
    (F + r"(?P<size>[\d,]+) bytes is more than the (?P<most>[\d,]+) allowed",
     IN + r"文件有 \g<size> 字节，超过了 \g<most> 字节的上限"),
    (r"split the list\.", "请把清单拆分成几个文件。"),
    (F + r"the file is empty\.", IN + "文件是空的。"),
    (F + r"an old \.xls workbook", IN + "这是旧版 .xls 工作簿"),
    (r"save it as \.xlsx or CSV\.", "请另存为 .xlsx 或 CSV 文件。"),
    (F + r"this is not a table or a spatial file \(it is a PDF, an image or a compressed file "
     r"of another kind\)\.", IN + "这不是表格，也不是空间数据文件（而是 PDF、图片或其他类型的压缩文件）。"),
    (F + r"this is not a text table \(it holds binary data\)",
     IN + "这不是文本表格（其中含有二进制数据）"),
    (r"upload CSV, Excel, GeoJSON, a zipped Shapefile, GeoPackage, KML or Parquet\.",
     "请上传 CSV、Excel、GeoJSON、Shapefile 压缩包、GeoPackage、KML 或 Parquet 文件。"),

    # archives
    (F + r"a damaged zip archive \((?P<err>.*)\)\.", IN + r"压缩包已损坏（\g<err>）。"),
    (F + r"the archive holds (?P<n>[\d,]+) files", IN + r"压缩包内有 \g<n> 个文件"),
    (r"at most (?P<n>[\d,]+)\.", r"最多只能有 \g<n> 个。"),
    (F + r"refused: the archive path " + Q + r" climbs out of its folder\.",
     IN + r"压缩包内的路径“\g<q>”指向所在文件夹之外，已拒绝。"),
    (F + r"refused: it would unpack to (?P<total>[\d,]+) bytes from (?P<size>[\d,]+) "
     r"\(a zip bomb, or far too large\)\.",
     IN + r"解压后将有 \g<total> 字节（压缩包只有 \g<size> 字节），疑为压缩炸弹或文件过大，已拒绝。"),
    (F + r"refused: it unpacks to more than (?P<most>[\d,]+) bytes \(a zip bomb, or far too "
     r"large\)\.", IN + r"解压后超过 \g<most> 字节，疑为压缩炸弹或文件过大，已拒绝。"),
    (F + r"damaged archive: member (?P<member>.+) fails its CRC check",
     IN + r"压缩包已损坏：其中的文件 \g<member> 未通过 CRC 校验"),
    (F + r"damaged archive: member (?P<member>.+) cannot be read \((?P<err>.*)\)",
     IN + r"压缩包已损坏：其中的文件 \g<member> 无法读取（\g<err>）"),
    (F + r"damaged archive: member (?P<member>.+) cannot be unpacked \((?P<err>.*)\)",
     IN + r"压缩包已损坏：其中的文件 \g<member> 无法解压（\g<err>）"),
    (r"make the archive again\.", "请重新打包。"),
    (r"make the archive again, without a password\.", "请重新打包，不要设置密码。"),
    (F + r"the archive holds no Shapefile \(\.shp\) or KML\.",
     IN + "压缩包中没有 Shapefile（.shp）或 KML 文件。"),

    # text encodings
    (F + r"['\"](?P<codec>.*)['\"] is not a known encoding\.",
     IN + r"“\g<codec>”不是可识别的编码名称。"),
    (F + r"cannot be read as (?P<codec>.+) \(byte (?P<at>[\d,]+)\)",
     IN + r"无法按 \g<codec> 编码读取（出错的字节位置：\g<at>）"),
    (r"check the encoding\.", "请检查编码。"),
    (F + r"cannot tell the text encoding: it reads (?P<readings>as \S+ \(.*?\)"
     r"(?: or as \S+ \(.*?\))*)", _readings),
    (r"choose the encoding \((?P<codecs>.+)\)\.",
     lambda m: f"请选择编码（{m['codecs'].replace(' or ', ' 或 ')}）。"),
    (r"give it with --encoding", "请用 --encoding 指定编码"),
    # the command line's own words
    (r"error", "错误"), (r"note", "说明"),
    (r"warning: (\d+) of (\d+) points fall in the river or just off the coast as read, (\d+) "
     r"when read as (\w+): the input looks like (\w+)",
     r"警告：按当前坐标系读取，\2 个点中有 \1 个落在钱塘江中或紧贴海岸线外，按 \4 读取则为 \3 个：输入很可能使用 \5 坐标"),
    (r"warning: (\d+) of (\d+) points lie outside the district that column (.+) names as read, "
     r"(\d+) when read as (\w+): the input looks like (\w+)",
     r"警告：按当前坐标系读取，\2 个点中有 \1 个不在“\3”列所写的区县内，按 \5 读取则为 \4 个：输入很可能使用 \6 坐标"),
    (r"warning: (\d+) of (\d+) points fall in the river or just off the coast as read, (\d+) "
     r"when read as gcj02 and as bd09: the input looks like one of them",
     r"警告：按当前坐标系读取，\2 个点中有 \1 个落在钱塘江中或紧贴海岸线外，按 gcj02 或 bd09 读取均为 \3 个：输入很可能使用二者之一"),
    (r"warning: (\d+) of (\d+) points lie outside the district that column (.+) names as read, "
     r"(\d+) when read as gcj02 and as bd09: the input looks like one of them",
     r"警告：按当前坐标系读取，\2 个点中有 \1 个不在“\3”列所写的区县内，按 gcj02 或 bd09 读取均为 \4 个：输入很可能使用二者之一"),
    (r"ask its source which, and run again with --crs", "请向数据提供方确认是哪一种，再加 --crs 重新运行"),
    (r"if so, run again with --crs (\w+)", r"如是，请加 --crs \1 重新运行"),
    (r"out of place as read: rows (?P<rows>.+)", lambda m: f"按当前坐标系读取不在其位的：{_rows(m['rows'])}"),
    (r"([\d,]+) rows, ([\d,]+) with a problem, ([\d,]+) a total or a note of the sheet, written to "
     r"(.+) in ([\d.]+) s", r"共 \1 行，其中 \2 行有问题，\3 行是表格的合计或注释，已写入 \4，用时 \5 秒"),
    (r"([\d,]+) rows, ([\d,]+) with a problem, written to (.+) in ([\d.]+) s",
     r"共 \1 行，其中 \2 行有问题，已写入 \3，用时 \4 秒"),
    (F + r"the text begins as (?P<codec>.+) but later bytes are not",
     IN + r"文本开头是 \g<codec> 编码，但后面有不符合该编码的字节"),
    (F + r"the text is neither UTF-8 nor GBK/GB18030 nor Big5",
     IN + "文本既不是 UTF-8，也不是 GBK/GB18030 或 Big5 编码"),
    (r"save it as UTF-8 or give its encoding\.", "请另存为 UTF-8 编码，或指明文件的编码。"),
    (r"read as (?P<codec>.+)", r"按 \g<codec> 编码读取"),
    (r"no \.cpg: the attribute text read as (?P<codec>.+)",
     r"没有 .cpg 文件：属性文本已按 \g<codec> 编码读取"),

    # tables: header row, cells
    (F + r"the header row must be a row number from 1 \(got (?P<got>.*)\)\.",
     IN + r"表头行须为从 1 起算的行号（收到的是 \g<got>）。"),
    (F + r"there is no row (?P<row>.+)", IN + r"没有第 \g<row> 行"),
    (r"the table has (?P<n>[\d,]+) rows\.", r"表格只有 \g<n> 行。"),
    (r"header in row (?P<row>\d+)", r"表头在第 \g<row> 行"),
    (r"header in rows (\d+) and (\d+)", r"表头在第 \1、\2 行（两层表头）"),
    (F + r"rows have more cells than the header row (?P<row>\d+) has names",
     IN + r"有些行的单元格比第 \g<row> 行（表头）的列名多"),
    (r"check the header row\.", "请检查表头行。"),
    # large tables in batches, Parquet, a Dask cluster (geo/batches.py, layers/batchcheck.py)
    (r"(?P<file>[^:]+): no readable Parquet file(?: \((?P<why>.*)\))?\.?",
     lambda m: f"{m['file']}：没有可读取的 Parquet 文件" + (f"（{zh(m['why'])}）" if m["why"] else "")),
    (F + r"not a readable Parquet file \((?P<err>.*)\)\.?", IN + r"不是可读取的 Parquet 文件（\g<err>）"),
    (r"(?P<part>\S+) not a readable Parquet file \((?P<err>.*)\)",
     r"\g<part> 不是可读取的 Parquet 文件（\g<err>）"),
    (r"(?P<part>\S+) could not be read after its first (?P<n>[\d,]+) rows \((?P<err>.*)\)",
     r"\g<part> 读完前 \g<n> 行后无法继续读取（\g<err>）"),
    (r"(?P<part>\S+) could not be read \((?P<err>.*)\)", r"\g<part> 无法读取（\g<err>）"),
    (r"its other rows are not in the output", "其余的行不在结果中"),
    (r"(?P<part>\S+) \(rows (?P<a>[\d,]+)-(?P<b>[\d,]+) of the input\) could not be checked "
     r"\((?P<err>.*)\)", r"\g<part>（输入的第 \g<a>-\g<b> 行）无法完成核查（\g<err>）"),
    (r"nothing was written", "没有写出任何结果"),
    (r"(?P<file>.+): cannot be written \((?P<err>.*)\)", r"\g<file>：无法写入（\g<err>）"),
    (r"choose another place", "请换一个位置"),
    (r"cannot reach the Dask scheduler at (?P<at>\S+) \((?P<err>.*)\)",
     r"无法连接 Dask 调度器 \g<at>（\g<err>）"),
    (F + r"a folder of parts is checked in batches", IN + "分片文件夹只能按批核查"),
    (r"write the result to \.csv, \.parquet or a folder", "请把结果写成 .csv、.parquet 或文件夹"),
    (r"(?P<part>.+): its columns differ from the first part's(?P<rest>.*)",
     r"\g<part>：列与第一个分片不同\g<rest>"),
    (r"(?P<part>\S+) could not be checked \((?P<err>.*)\)", r"\g<part> 无法完成核查（\g<err>）"),
    (r"its rows are not in the output", "其中的行不在结果中"),
    (F + r"the folder holds no Parquet files\.", IN + "文件夹中没有 Parquet 文件。"),
    (F + r"its GeoParquet metadata cannot be read \((?P<err>.*)\)\.",
     IN + r"GeoParquet 元数据无法读取（\g<err>）。"),
    (F + r"geometry encoded as (?P<enc>\S+)", IN + r"几何以 \g<enc> 编码"),
    (r"write it as WKB\.", "请以 WKB 编码写出。"),
    (F + r"cannot be read past row (?P<row>[\d,]+) \((?P<err>.*)\)",
     IN + r"读到第 \g<row> 行之后无法继续读取（\g<err>）"),
    (r"check the file's encoding and quoting\.", "请检查文件的编码和引号。"),
    (F + r"a large table is written to \.csv, \.parquet or a folder",
     IN + "大型表格只能写成 .csv、.parquet 或文件夹"),
    (F + r"a cluster reads Parquet \(a file, or a folder of parts on storage every worker "
     r"reads\)", IN + "集群只读取 Parquet（一个文件，或放在每个工作进程都能读取的存储上的分片文件夹）"),
    (r"write the table as Parquet first, e\.g\. with -o table\.parquet",
     "请先把表格写成 Parquet，例如加 -o table.parquet"),
    (r"(?P<rows>[\d,]+) rows done, (?P<rate>[\d,]+) rows/s, (?P<done>\d+%), (?P<left>\d+) s left",
     r"已完成 \g<rows> 行，每秒 \g<rate> 行，\g<done>，约剩 \g<left> 秒"),
    (r"line (?P<line>\d+) has (?P<cells>\d+) cells where the header has (?P<names>\d+) names",
     r"第 \g<line> 行有 \g<cells> 个单元格，而表头有 \g<names> 个列名"),
    (r"a separator inside a name or an address\? Put that text in double quotes",
     "可能是名称或地址中含有分隔符？请给这段文字加上英文双引号"),
    (F + r"line (?P<line>\d+) has (?P<cells>\d+) cells where the header row has (?P<names>\d+) names",
     IN + r"第 \g<line> 行有 \g<cells> 个单元格，而表头只有 \g<names> 个列名"),
    (r"a comma inside a name or an address\? Put that text in double quotes, or save the list as "
     r"\.xlsx\.", "可能是名称或地址中含有逗号？请给这段文字加上英文双引号，或将清单另存为 .xlsx。"),
    (F + r"not a readable CSV table \((?P<err>.*)\)\.", IN + r"无法作为 CSV 表格读取（\g<err>）。"),
    (F + r"no layer of the file has points, lines or polygons",
     IN + "文件的图层中没有点、线或面"),
    (r"save the projects as a layer with geometry\.", "请把项目存为带几何图形的图层。"),
    (F + r"not a readable Excel workbook \((?P<err>.*)\)\.",
     IN + r"无法作为 Excel 工作簿读取（\g<err>）。"),
    (r"the workbook holds (?P<n>[\d,]+) sheets", r"工作簿有 \g<n> 个工作表"),
    (r"read all (?P<n>[\d,]+) layers \((?P<names>.+)\)",
     lambda m: f"已读取全部 {m['n']} 个图层（{_names(m['names'])}）"),
    (r"the column " + Q + r" names each row's", r"“\g<q>”列注明每行所在的图层"),
    (r"field names that are not in Latin letters could not be read: the columns (?P<names>.+) hold "
     r"their values", lambda m: f"非拉丁字母的字段名无法读出：其值在{_names(m['names'])}列中"),
    (r"the columns (?P<names>.+) are named for (?P<datum>\w+): read as (?P=datum) \(choose another "
     r"system if they are not\)", lambda m: f"列名{_names(m['names'].replace(' and ', ', '))}表明坐标为 "
     f"{m['datum']}：已按 {m['datum']} 读取（如不是，请另选坐标系）"),
    (r"read the table " + Q + r", which has no geometry, by its coordinate columns",
     r"已按坐标列读取没有几何图形的表“\g<q>”"),
    (r"layers without geometry not read: (?P<names>.+)",
     lambda m: f"没有几何图形的图层未读取：{_names(m['names'])}"),
    (r"layers (?P<names>.+) brought into the coordinate system of " + Q,
     lambda m: f"图层{_names(m['names'])}已转换到图层“{m['q']}”的坐标系"),
    (r"read the first, " + Q, r"已读取第一个：“\g<q>”"),
    (r"read " + Q + r", the first shown with coordinate columns", r"已读取第一个有坐标列的可见工作表：“\g<q>”"),
    (r"read " + Q + r", the first shown", r"已读取第一个可见的工作表：“\g<q>”"),
    (r"formulas without a saved result, read as empty, in rows (?P<rows>.+) \(the workbook was "
     r"not saved by Excel: open and save it there\)",
     lambda m: f"{_rows(m['rows'])}的公式没有保存计算结果，已按空值读取"
               "（此工作簿不是由 Excel 保存的：请用 Excel 打开并保存）"),

    # spatial files, coordinate systems (geo/importer.py, geo/crs.py)
    (F + r"cannot be read as (?P<kind>csv|excel|geojson|shapefile|gpkg|kml) \((?P<err>.*)\)\.",
     lambda m: f"{m['file']}：无法作为 {KINDS_OF_FILE[m['kind']]} 文件读取（{m['err']}）。"),
    (r"repaired (?P<n>[\d,]+) invalid geometries \(rows (?P<rows>.+)\)",
     lambda m: f"已修复 {m['n']} 个无效的几何图形（{_rows(m['rows'])}）"),
    (r"no \.prj: the coordinate system is not declared", "没有 .prj 文件：未声明坐标系"),
    (r"the file does not declare its coordinate system", "文件未声明坐标系"),
    (r"choose one " + CRS_NAMES + r"\.", f"请选择一个{CRS_NAMES_ZH}。"),
    (r"declares no coordinate system", "未声明坐标系"),
    (r"give one " + CRS_NAMES, f"请指定一个{CRS_NAMES_ZH}"),
    (r"Unknown coordinate system " + Q + r": use wgs84, cgcs2000, gcj02, bd09 or EPSG:n",
     r"无法识别坐标系“\g<q>”：请使用 wgs84、cgcs2000、gcj02、bd09 或 EPSG:n"),
    (r"Coordinate system " + Q + r" has no EPSG code", r"坐标系“\g<q>”没有 EPSG 代码"),
    (r"give one as EPSG:n", "请以 EPSG:n 的形式给出"),

    # coordinate columns (geo/importer.py locate)
    (r"no longitude column found", "未找到经度列"),
    (r"no latitude column found", "未找到纬度列"),
    (r"name it lon/lng/x/经度 and lat/y/纬度, or choose the columns \(they are: (?P<columns>.*)\)\.",
     r"请将经度、纬度列分别命名为 lon/lng/x/经度 和 lat/y/纬度，或指定坐标列（现有的列：\g<columns>）。"),
    (r"no column " + Q, r"没有“\g<q>”列"),
    (r"the columns are: (?P<columns>.*)\.", r"现有的列：\g<columns>。"),

    # the output (geo/zonecheck.py write_output)
    (F + r"the output must end in (?P<formats>.+)",
     lambda m: f"{m['file']}：输出文件的扩展名须为 {m['formats'].replace(', ', '、')} 之一"),
    (r"(?P<n>[\d,]+) rows do not fit in an Excel sheet", r"\g<n> 行超出了 Excel 工作表的容量"),
    (r"(?P<n>[\d,]+) columns do not fit in an Excel sheet", r"\g<n> 列超出了 Excel 工作表的容量"),
    (r"write \.csv instead", "请改为输出 .csv 文件"),
    (r"put ' before (?P<cells>[\d,]+ cells?) that starts? like a formula \(= \+ - @\), so that "
     r"Excel shows (?:them|it) as text \((?P<where>.+)\)",
     lambda m: f"{_cells(m['cells'])}以公式符号（= + - @）开头，已在其前加上 '，使 Excel 将其"
               f"显示为文本（{_where(m['where'])}）"),
    (r"removed control characters from (?P<cells>[\d,]+ cells?) \((?P<where>.+)\)",
     lambda m: f"已删除 {_cells(m['cells'])}中的控制字符（{_where(m['where'])}）"),
    (r"cut (?P<cells>[\d,]+ cells?) to Excel's (?P<most>[\d,]+) characters \((?P<where>.+)\)",
     lambda m: f"已将 {_cells(m['cells'])}截短为 Excel 单元格上限 {m['most']} 个字符"
               f"（{_where(m['where'])}）"),
]
CLAUSES = [(re.compile(f"^{pattern}$", re.S), zh) for pattern, zh in CLAUSES]


def _clause(clause: str) -> str | None:
    for pattern, text in CLAUSES:
        if pattern.match(clause):
            return pattern.sub(text, clause)
    return None


def _translate(sentence) -> tuple[str, list[str]]:
    """The sentence in Chinese, and the clauses no pattern knows. A clause is what lies between
    "; " - or several such pieces, when user text inside a clause holds "; " itself (a cell's
    value, a library's error text, "(rows 2, 5; the header)"): the fewest pieces that match."""
    pieces = str(sentence).split("; ")
    out, unknown, i = [], [], 0
    while i < len(pieces):
        for j in range(i + 1, len(pieces) + 1):
            text = _clause("; ".join(pieces[i:j]))
            if text is not None:
                out.append(text)
                i = j
                break
        else:
            out.append(pieces[i])
            unknown.append(pieces[i])
            i += 1
    return "；".join(out), unknown


def zh(sentence: str) -> str:
    """A sentence of the zone check in Chinese, clause by clause ("; "-separated); a clause
    with no translation stays as it is (tests/test_wording.py writes every sentence the check
    can write and asks :func:`untranslated`)."""
    return _translate(sentence)[0]


def untranslated(sentence: str) -> list[str]:
    """The clauses of ``sentence`` that :func:`zh` leaves in English (no pattern matches)."""
    return _translate(sentence)[1]


def in_language(sentences: pd.Series, lang: str) -> pd.Series:
    """A column of sentences in ``lang``; each distinct sentence translated once."""
    if lang == "en" or not len(sentences):
        return sentences
    values = sentences.astype(object)
    distinct = pd.unique(values[values != ""])
    return values.map({**{s: zh(s) for s in distinct}, "": ""})


def headers(columns, lang: str) -> dict:
    """Column renames for a reader: the check's own columns in ``lang``; the input's as typed."""
    i = 1 if lang == "en" else 0
    return {c: COLUMNS[c][i] for c in columns if c in COLUMNS}


def names_in_english(values: pd.Series) -> pd.Series:
    """Zone columns for an English reader: "上城区 (62%);滨江区 (38%)" as "Shangcheng District
    (上城区) (62%); …" (the plan's name beside its English), each distinct value once."""

    def one(value: str) -> str:
        out = []
        for part in filter(None, str(value).split(";")):
            name, share = (part.split(" (", 1) + [""])[:2]
            english = english_name(name)
            text = f"{english} ({name})" if english != name else name
            out.append(f"{text} ({share}" if share else text)
        return "; ".join(out)

    distinct = pd.unique(values.astype(str))
    return values.astype(str).map({v: one(v) for v in distinct})
