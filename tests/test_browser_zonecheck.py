"""The zone check as a planner meets it in Chromium: an Excel sheet with a merged title row, an
Amap GeoJSON stamped WGS84 (spotted, then corrected on the page), rows with a problem first, in
both languages, whose choices a language switch words anew and keeps; the page's download equals
the command line's."""

import re
import subprocess
import sys

import geopandas as gpd
import numpy as np
import openpyxl
from shapely.geometry import Point

from conftest import ARTIFACTS, download, settled
from geo.crs import wgs84_to_gcj02
from layers.load import ROOT
from test_datum import riverside_sites
from test_importer import form_sheet

QJL = (120.2082401, 30.2580532)  # 钱江路站: 上城区 钱江新城
SJC = (120.2387733, 30.2427619)  # 钱江世纪城站: 萧山区 钱江世纪城


def government_sheet(path):
    """As a provincial office sends it: a merged title, a blank row, then the table."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.merge_cells("A1:D1")
    sheet["A1"] = "2025年钱塘江金融港湾重点项目清单"
    sheet.append([])
    sheet.append(["序号", "项目名称", "经度", "纬度"])
    for row in ([1, "钱江路站项目", *QJL], [2, "缺坐标的项目", None, None], [3, "世纪城项目", *SJC]):
        sheet.append(row)
    book.save(path)


def upload(page, app_url, path, lang=""):
    page.goto(f"{app_url}/?page=zone-check{lang}")
    page.locator("input[type=file]").wait_for(state="attached", timeout=60000)
    page.get_by_text(re.compile("规划本身已定位的项目|plan's own located projects")).wait_for(timeout=60000)
    page.locator("input[type=file]").set_input_files(str(path))


def choose_crs(page, name):
    settled(page)  # a rerun under way would close the list as it opens
    page.get_by_role("combobox", name=re.compile("坐标系|Coordinate system")).click()
    page.get_by_role("option", name=re.compile("^" + re.escape(name))).click()


def test_an_excel_sheet_with_a_title_row_is_checked_and_downloads_as_the_command_writes(
        app_url, page, tmp_path):
    source = tmp_path / "重点项目.xlsx"
    government_sheet(source)
    cli = tmp_path / "cli.csv"
    subprocess.run([sys.executable, "-m", "layers.zonecheck", str(source), "-o", str(cli),
                    "--crs", "wgs84", "--lang", "zh"], cwd=ROOT, check=True, capture_output=True)
    upload(page, app_url, source)
    choose_crs(page, "WGS84")
    page.get_by_text("1 行有问题：已保留在结果中，排在表格最前").wait_for(timeout=60000)
    page.get_by_text("表头在第 3 行").wait_for(timeout=10000)
    downloaded = tmp_path / "page.csv"
    download(page, "CSV").save_as(downloaded)
    # Both equal a fixed file, checked by hand (钱江路站 in 上城区/钱江新城/杭州金融城, 钱江世纪城站
    # in 萧山区/钱江世纪城/钱塘江金融城; 杭州 in the G60 and G92 belts, 三(三)1-2).
    expected = (ROOT / "tests" / "expected" / "government_sheet_zones.csv").read_bytes()
    assert cli.read_bytes() == expected
    assert downloaded.read_bytes() == expected
    page.screenshot(path=str(ARTIFACTS / "zone-check-excel-title.png"))


def test_an_amap_geojson_stamped_wgs84_is_spotted_and_corrected_on_the_page(app_url, page, tmp_path):
    lon, lat, gx, gy = riverside_sites(wgs84_to_gcj02)
    source = tmp_path / "高德导出.geojson"
    gpd.GeoDataFrame({"名称": [f"项目{i}" for i in range(len(lon))]},
                     geometry=[Point(a, b) for a, b in zip(gx, gy)], crs=4326).to_file(source)
    upload(page, app_url, source)
    hint = page.get_by_text(re.compile(r"文件很可能使用 GCJ-02"))
    hint.wait_for(timeout=60000)
    alerts = " ".join(page.locator("[data-testid=stAlert]").all_inner_texts())
    assert f"有 {len(lon)} 个落在钱塘江中或紧贴海岸线外（序号 1、2、3、4、5、6、7、8、9、10 等）；" in alerts
    choose_crs(page, "GCJ-02")  # override what the file declares
    page.wait_for_function("!document.body.innerText.includes('文件很可能使用')", timeout=30000)
    out = tmp_path / "fixed.csv"
    download(page, "CSV").save_as(out)
    import pandas as pd

    fixed = pd.read_csv(out, encoding="utf-8-sig")
    assert np.abs(fixed["经度（WGS84）"] - lon).max() < 1e-6  # the sites where they really are
    assert np.abs(fixed["纬度（WGS84）"] - lat).max() < 1e-6


def test_in_english_the_zone_check_speaks_english(app_url, page, tmp_path):
    source = tmp_path / "projects.xlsx"
    government_sheet(source)
    upload(page, app_url, source, "&lang=en")
    choose_crs(page, "WGS84")
    page.get_by_text("1 row has a problem: it is kept, listed first").wait_for(timeout=60000)
    page.get_by_text("header in row 3").wait_for(timeout=10000)
    body = page.locator("[data-testid=stMain]").inner_text()
    assert "有问题" not in body and "读取" not in body and "坐标系" not in body


def test_a_list_with_columns_named_like_the_result_shows_its_table(app_url, page, tmp_path):
    # A Chinese list often has its own 设区市 and 问题 columns, and a re-checked result has
    # problem and problem_input: the page shows every column, none overwritten.
    source = tmp_path / "自带列.csv"
    source.write_text("项目名称,设区市,问题,problem,problem_input,经度,纬度\n"
                      f"钱江路站项目,杭州,无,旧,更旧,{QJL[0]},{QJL[1]}\n"
                      "错位项目,杭州,无,,,30.25,120.21\n", encoding="utf-8")
    upload(page, app_url, source)
    choose_crs(page, "WGS84")
    page.get_by_text("1 行有问题：已保留在结果中，排在表格最前").wait_for(timeout=60000)
    page.get_by_role("button", name="CSV", exact=True).wait_for(timeout=30000)
    assert page.locator("[data-testid=stException]").count() == 0
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.wait_for(timeout=30000)
    grid.hover()  # the table's toolbar shows: without its own CSV, which would not quote "=..."
    page.wait_for_timeout(500)
    assert page.locator("[data-testid=stElementToolbar]").count() >= 1
    assert page.get_by_role("button", name=re.compile("Download", re.I)).count() == 0
    page.screenshot(path=str(ARTIFACTS / "zone-check-own-columns.png"))


def test_the_uploaded_list_is_still_there_after_a_look_at_a_map(app_url, page, tmp_path):
    source = tmp_path / "重点项目.xlsx"
    government_sheet(source)
    upload(page, app_url, source)
    choose_crs(page, "WGS84")
    page.get_by_text("1 行有问题：已保留在结果中").wait_for(timeout=60000)
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text("核心区拥江扩面示意图", exact=True).click()
    page.locator("iframe[title*='st_folium']").wait_for(timeout=60000)
    sidebar.get_by_text("项目落区核查", exact=True).click()
    page.get_by_text("仍在核查上次上传的文件：重点项目.xlsx").wait_for(timeout=60000)
    page.get_by_text("1 行有问题：已保留在结果中").wait_for(timeout=60000)  # WGS84 still chosen
    page.get_by_role("button", name="清除此文件").click()
    page.get_by_text("规划本身已定位的项目").wait_for(timeout=60000)


def shown_choice(page, label) -> str:
    """The text a select box shows for its choice."""
    return page.get_by_role("combobox", name=label, exact=True).input_value()


def test_a_language_switch_words_the_choices_anew_and_keeps_them(app_url, page, tmp_path):
    # The select boxes keep a code (gcj02, auto) and show it through the page's language: a
    # switch shows each choice in the new language at once, still chosen.
    source = tmp_path / "points.csv"
    source.write_text("name,lon,lat\nWest Lake,120.21,30.25\n", encoding="utf-8")
    upload(page, app_url, source)
    choose_crs(page, "GCJ-02")
    page.get_by_text("有问题的行").wait_for(timeout=60000)  # checked as GCJ-02
    assert shown_choice(page, "坐标系") == "GCJ-02（高德、腾讯地图）"
    assert shown_choice(page, "文本编码") == "自动识别"
    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    page.get_by_role("combobox", name="Coordinate system", exact=True).wait_for(timeout=60000)
    settled(page)
    page.screenshot(path=str(ARTIFACTS / "zone-check-language-switch.png"), full_page=True)
    assert shown_choice(page, "Coordinate system") == "GCJ-02 (Amap, Tencent)"
    assert shown_choice(page, "Text encoding") == "Detect"
    assert shown_choice(page, "Longitude (x) column") == "lon"
    assert shown_choice(page, "Latitude (y) column") == "lat"
    page.get_by_text("Rows with a problem").wait_for(timeout=60000)  # still checked, as GCJ-02
    page.get_by_role("combobox", name="Coordinate system", exact=True).click()
    options = page.get_by_role("option").all_inner_texts()
    assert "GCJ-02 (Amap, Tencent)" in options and not any("高德" in o for o in options)
    page.get_by_role("option", name="GCJ-02 (Amap, Tencent)").click()  # closed, as it was
    settled(page)
    assert shown_choice(page, "Coordinate system") == "GCJ-02 (Amap, Tencent)"
    page.locator("[data-testid=stSidebar]").get_by_text("中文", exact=True).click()
    page.get_by_role("combobox", name="坐标系", exact=True).wait_for(timeout=60000)
    settled(page)
    assert shown_choice(page, "坐标系") == "GCJ-02（高德、腾讯地图）"
    assert shown_choice(page, "文本编码") == "自动识别"


def test_a_form_with_a_two_level_header_and_a_total_below_counts_its_projects(app_url, page, tmp_path):
    source = tmp_path / "汇总表.xlsx"
    book = openpyxl.Workbook()
    form_sheet(book.active)
    book.save(source)
    upload(page, app_url, source)
    choose_crs(page, "WGS84")
    page.get_by_text("另有 2 行是表格的合计、注释或签字行，不计为项目").wait_for(timeout=60000)
    page.get_by_text("表头在第 4、5 行（两层表头）").wait_for(timeout=10000)
    metrics = page.locator("[data-testid=stMetric]").all_inner_texts()
    assert [m.split() for m in metrics] == [["项目", "2"], ["位于核心区/拥江扩面", "2"], ["位于港湾六城", "2"],
                                            ["有问题的行", "0"]]
    assert page.get_by_text("行有问题").count() == 0  # no warning: every project is placed


def test_a_list_with_baidu_columns_is_read_as_bd09_without_asking(app_url, page, tmp_path):
    import prcoords  # test-only: an independent BD-09 implementation

    rows = []
    for name, (lon, lat) in (("钱江路站项目", QJL), ("世纪城项目", SJC)):
        blat, blon = prcoords.wgs_bd((lat, lon))
        rows.append(f"{name},{blon:.7f},{blat:.7f}")
    source = tmp_path / "百度坐标.csv"
    source.write_text("项目名称,百度经度,百度纬度\n" + "\n".join(rows) + "\n", encoding="utf-8")
    upload(page, app_url, source)
    page.get_by_text("列名“百度经度”、“百度纬度”表明坐标为 bd09").wait_for(timeout=60000)
    settled(page)
    assert shown_choice(page, "坐标系") == "列名所示的坐标系（BD-09（百度））"
    metrics = [m.split() for m in page.locator("[data-testid=stMetric]").all_inner_texts()]
    assert metrics == [["项目", "2"], ["位于核心区/拥江扩面", "2"], ["位于港湾六城", "2"], ["有问题的行", "0"]]


def test_a_geoparquet_after_a_csv_reads_in_its_own_crs_and_downloads_as_parquet(
        app_url, page, tmp_path):
    # A planner checks a CSV (choosing WGS84), then a GeoParquet from QGIS in EPSG:4549: the
    # second file is read in the system it declares, not in the one chosen for the first.
    import pyarrow.parquet as pq
    import pyproj

    table = tmp_path / "清单.csv"
    table.write_text(f"名称,经度,纬度\n钱江路站,{QJL[0]},{QJL[1]}\n", "utf-8")
    upload(page, app_url, table)
    choose_crs(page, "WGS84")
    page.get_by_text("位于核心区/拥江扩面").wait_for(timeout=60000)
    to_4549 = pyproj.Transformer.from_crs(4326, 4549, always_xy=True)
    sites = gpd.GeoDataFrame({"名称": ["钱江路站", "世纪城站"]},
                             geometry=[Point(*to_4549.transform(*QJL)),
                                       Point(*to_4549.transform(*SJC))], crs=4549)
    sites.to_parquet(tmp_path / "站点.parquet")
    page.locator("input[type=file]").set_input_files(str(tmp_path / "站点.parquet"))
    page.get_by_text("站点.parquet").first.wait_for(timeout=60000)
    settled(page)
    page.get_by_text("读取与核查用时").wait_for(timeout=60000)
    assert shown_choice(page, "坐标系") == "文件声明的坐标系（EPSG:4549）"
    assert page.get_by_text("不是以度为单位的经纬度").count() == 0
    download(page, "PARQUET").save_as(tmp_path / "page.parquet")
    got = gpd.read_parquet(tmp_path / "page.parquet")
    assert got.crs.to_epsg() == 4326 and got["县（市、区）"].tolist() == ["上城区", "萧山区"]
    assert abs(got.geometry.iloc[0].x - QJL[0]) < 1e-6
    assert pq.read_schema(tmp_path / "page.parquet").field("名称").type in ("string", "large_string")
    page.screenshot(path=str(ARTIFACTS / "zone-check-geoparquet.png"))


UPLOADER_WORDS = """() => {
  const box = document.querySelector('[data-testid=stFileUploader]');
  const after = sel => getComputedStyle(box.querySelector(sel), '::after').content;
  return [box.innerText, after('button p'), after('[data-testid=stFileUploaderDropzoneInstructions] span')];
}"""


def test_the_uploader_speaks_the_planners_language(app_url, page):
    """Streamlit writes its uploader's button and limits in English only: the Chinese page
    shows them in Chinese (and the upload limit of the server), the English page as they are."""
    page.goto(f"{app_url}/?page=zone-check")
    page.wait_for_selector("[data-testid=stFileUploaderDropzone]", timeout=120_000)
    shown, button, limits = page.evaluate(UPLOADER_WORDS)
    assert "Upload" not in shown and "per file" not in shown, shown
    assert button == '"上传文件"'
    assert limits == '"每个文件不超过 200 MB · CSV、TXT、XLSX、GEOJSON、JSON、ZIP、GPKG、KML、PARQUET"'
    page.locator("[data-testid=stFileUploader]").screenshot(path=ARTIFACTS / "uploader-zh.png")
    page.goto(f"{app_url}/?page=zone-check&lang=en")
    page.wait_for_selector("[data-testid=stFileUploaderDropzone]", timeout=120_000)
    page.wait_for_timeout(500)
    shown, button, limits = page.evaluate(UPLOADER_WORDS)
    assert "Upload" in shown and "200MB per file" in shown and button == limits == "none"
