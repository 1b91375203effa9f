"""项目落区核查 · Zone check: upload a project list, see every project's zones, download.
The same function as `python -m layers.zonecheck` (layers.zonecheck.check)."""

import tempfile
import time
from pathlib import Path

import shapely
import streamlit as st
from streamlit_folium import st_folium

from geo.importer import InputError, LAT_NAMES, LON_NAMES, find_column, read_input
from geo.webmap import build_map
from layers.load import config_key
from layers.maps import ATTRIBUTION, MAP_TEXTS, groups, result_layers
from layers.zonecheck import categories, check, counts, plan_projects
from pages.common import lang, plain, t

CRS_CHOICES = {
    "wgs84": ("WGS84（GPS、天地图、OpenStreetMap）", "WGS84 (GPS, Tianditu, OpenStreetMap)"),
    "cgcs2000": ("CGCS2000 经纬度（国家 2000 坐标系）", "CGCS2000 longitude/latitude"),
    "gcj02": ("GCJ-02（高德、腾讯地图）", "GCJ-02 (Amap, Tencent)"),
    "bd09": ("BD-09（百度地图）", "BD-09 (Baidu)"),
    "EPSG:4549": ("CGCS2000 3度带 120°E 投影（EPSG:4549）", "CGCS2000 3-degree GK, 120°E (EPSG:4549)"),
    "other": ("其他 EPSG 代码…", "Another EPSG code…"),
}
ENCODINGS = {"auto": ("自动（UTF-8 或 GBK）", "Automatic (UTF-8 or GBK)"), "utf-8": ("UTF-8", "UTF-8"),
             "gbk": ("GBK", "GBK"), "gb18030": ("GB18030", "GB18030"), "big5": ("Big5", "Big5")}
DRAWN_LIMIT = 5000


def ask_crs(declared: str | None) -> str | None:
    if declared:
        st.caption(t(f"文件声明的坐标系：{declared}（将据此转换为 WGS84）。",
                     f"The file declares its coordinate system: {declared} (converted to WGS84)."))
        return None
    st.markdown(t("**坐标系**：文件没有说明坐标所用的坐标系，请选择。",
                  "**Coordinate system**: the file does not say which one its coordinates use; choose."))
    st.caption(t("高德、腾讯（GCJ-02）和百度（BD-09）的坐标经过加偏，与 WGS84 相差约 300–600 米；选错会把项目"
                 "放到邻近的区域。", "Amap and Tencent (GCJ-02) and Baidu (BD-09) coordinates are "
                 "deliberately offset, 300–600 m from WGS84; the wrong choice puts projects in a "
                 "neighbouring zone."))
    choice = st.selectbox(t("坐标系", "Coordinate system"), list(CRS_CHOICES), index=None,
                          format_func=lambda c: t(*CRS_CHOICES[c]), key="zc-crs",
                          placeholder=t("请选择…", "Choose…"))
    if choice == "other":
        code = st.text_input("EPSG", placeholder="EPSG:4549", key="zc-epsg").strip()
        return code or None
    return choice


def read_upload(upload):
    enc = st.selectbox(t("文本编码", "Text encoding"), list(ENCODINGS), key="zc-enc",
                       format_func=lambda e: t(*ENCODINGS[e]))
    try:
        return read_input(upload.getvalue(), upload.name, None if enc == "auto" else enc)
    except InputError as err:
        st.error(t("无法使用此文件：", "This file cannot be used: ") + str(err))
        st.stop()


def columns_for(table):
    if table.geometry is not None:
        return None, None
    columns = list(table.frame.columns)
    lon0, lat0 = find_column(columns, LON_NAMES), find_column(columns, LAT_NAMES)
    left, right = st.columns(2)
    lon = left.selectbox(t("经度（X）列", "Longitude (x) column"), columns, key="zc-lon",
                         index=columns.index(lon0) if lon0 in columns else None)
    lat = right.selectbox(t("纬度（Y）列", "Latitude (y) column"), columns, key="zc-lat",
                          index=columns.index(lat0) if lat0 in columns else None)
    return lon, lat


@st.cache_data(show_spinner=False, max_entries=4)
def run_check(data: bytes, name: str, encoding, crs, lon, lat, config: tuple):
    """check() of an upload, once per state of layers.toml (``config``, from config_key)."""
    start = time.perf_counter()
    result = check(data, name, crs=crs, lon=lon, lat=lat, encoding=encoding)
    return result, time.perf_counter() - start


@st.cache_data(show_spinner=False, max_entries=2)
def run_plan_projects(config: tuple):
    return check(plan_projects())


def download_buttons(result, stem: str) -> None:
    cols = st.columns(4)
    for col, suffix, mime in zip(cols, (".csv", ".xlsx", ".geojson", ".gpkg"),
                                 ("text/csv", "application/vnd.openxmlformats-officedocument."
                                  "spreadsheetml.sheet", "application/geo+json",
                                  "application/geopackage+sqlite3")):
        with tempfile.TemporaryDirectory() as tmp:
            try:
                path = result.write(Path(tmp) / f"{stem}{suffix}")
            except ValueError as err:
                col.caption(str(err))
                continue
            col.download_button(suffix[1:].upper(), path.read_bytes(), file_name=path.name,
                                mime=mime, key=f"dl-{stem}{suffix}")


st.title(t("项目落区核查", "Zone check"))
st.caption(t("上传项目清单（CSV、Excel、GeoJSON、压缩的 Shapefile、GeoPackage 或 KML），查看每个项目所在的市、"
             "县区、核心区、金融城、特色带与金融特色小镇，并下载结果。与命令行 python -m layers.zonecheck 结果相同。",
             "Upload a project list (CSV, Excel, GeoJSON, zipped Shapefile, GeoPackage or KML) to see "
             "each project's city, district, core zone, financial city, belts and finance town, and "
             "download the result. The same result as python -m layers.zonecheck."))
upload = st.file_uploader(t("项目清单", "Project list"), key="zc-upload",
                          type=["csv", "txt", "xlsx", "geojson", "json", "zip", "gpkg", "kml"])
if upload is None:
    st.info(t("未上传文件：下面是规划本身已定位的项目（附件5）的核查结果。",
              "No file uploaded: below, the plan's own located projects (Annex 5), checked."))
    result, seconds, stem = run_plan_projects(config_key()), None, "plan_projects_zones"
else:
    table = read_upload(upload)
    crs = ask_crs(table.crs)
    lon, lat = columns_for(table)
    if table.geometry is None and crs is None:
        st.stop()
    if table.geometry is not None and table.crs is None and crs is None:
        st.stop()
    enc = st.session_state.get("zc-enc", "auto")
    with st.spinner(t(f"正在核查 {len(table.frame):,} 行…", f"Checking {len(table.frame):,} rows…")):
        try:
            result, seconds = run_check(upload.getvalue(), upload.name,
                                        None if enc == "auto" else enc, crs, lon, lat,
                                        config_key())
        except InputError as err:
            st.error(t("无法核查：", "Cannot check: ") + str(err))
            st.stop()
    stem = f"{Path(upload.name).stem}_zones"

frame = result.frame
tab = result.table
problems = int((tab["problem"] != "").sum())
cols = st.columns(4)
cols[0].metric(t("项目", "Projects"), f"{len(tab):,}")
cols[1].metric(t("位于核心区/拥江扩面", "In the core zone"), f"{int((tab['core_zone'] != '').sum()):,}")
cols[2].metric(t("位于港湾六城", "In the six harbor cities"), f"{int(tab['in_harbor'].sum()):,}")
cols[3].metric(t("有问题的行", "Rows with a problem"), f"{problems:,}")
for note in result.notes:
    st.caption(plain(note))
if seconds is not None:
    st.caption(t(f"用时 {seconds:.1f} 秒。", f"Took {seconds:.1f} s."))
if problems:
    st.warning(t(f"{problems:,} 行有问题，已保留在结果中，见 problem 列。",
                 f"{problems:,} rows have a problem; they are kept, see the problem column."))

category = categories(tab)
located = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
if len(located):
    minx, miny, maxx, maxy = located.total_bounds
    pad = max(maxx - minx, maxy - miny) * 0.1 + 0.01
    box = (minx - pad, miny - pad, maxx + pad, maxy + pad)
else:
    box = (118.0, 27.0, 123.3, 31.3)
if len(frame) > DRAWN_LIMIT:
    st.caption(t(f"地图只画出前 {DRAWN_LIMIT:,} 个项目；表格与下载包含全部。",
                 f"The map draws the first {DRAWN_LIMIT:,} projects; the table and downloads hold all."))
fmap = build_map(result_layers(frame, category, lang(), DRAWN_LIMIT), box,
                 groups(lang()) + [("result", t("核查结果", "Result"))], MAP_TEXTS[lang()],
                 height=560, draw=True, attribution=ATTRIBUTION[lang()])
drawn = st_folium(fmap, height=560, use_container_width=True,
                  returned_objects=["last_active_drawing"], key=f"zc-map-{lang()}-{stem}")
# The polygon drawn with the pen tool (a click on a project returns that point instead).
drawing = (drawn or {}).get("last_active_drawing") or {}
if (drawing.get("geometry") or {}).get("type") == "Polygon":
    st.session_state[f"zc-polygon-{stem}"] = drawing
polygon = st.session_state.get(f"zc-polygon-{stem}")
if polygon:
    shape = shapely.geometry.shape(polygon["geometry"])
    inside = frame.geometry.intersects(shape).fillna(False).to_numpy()
    st.subheader(t(f"多边形内的项目：{int(inside.sum()):,}", f"Projects inside the polygon: {int(inside.sum()):,}"))
    st.dataframe(tab[inside], hide_index=True, width="stretch", key="zc-selected")
else:
    st.caption(t("用地图左侧的画笔工具画一个多边形，即可选出其中的项目（双击结束）。",
                 "Draw a polygon with the pen tool on the left of the map to select the projects "
                 "inside it (double-click to finish)."))

st.subheader(t("结果", "Result"))
st.dataframe(tab, hide_index=True, width="stretch", key="zc-table")
download_buttons(result, stem)
per_zone, per_city = counts(tab, t("（省外或无坐标）", "(outside Zhejiang or no coordinates)"))
left, right = st.columns(2)
left.markdown(f"**{t('按区域计数', 'Projects per zone')}**")
left.dataframe(per_zone, hide_index=True, width="stretch")
right.markdown(f"**{t('按城市计数', 'Projects per city')}**")
right.dataframe(per_city, hide_index=True, width="stretch")
