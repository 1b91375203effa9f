"""The parts of the zone-check page (pages/zone_check.py): how the file is read, the check
(once per upload and reading), and the result as a reader sees it, in the page's language."""

from __future__ import annotations

import functools
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from geo.importer import EncodingUnsure, InputError, coordinate_column, read_input
from layers.load import config_key
from layers.wording import COLUMNS, DATUMS, KINDS, headers, names_in_english, zh
from layers.zonecheck import ADDED, check, counts, plan_projects
from pages.common import in_language, lang, plain, t

DRAWN_LIMIT = 5000
CHOICES = ("zc-enc", "zc-header", "zc-crs", "zc-epsg", "zc-lon", "zc-lat", "zc-enc-pick")
PROBLEM = COLUMNS["problem"]
CRS_CHOICES = {
    "wgs84": ("WGS84（GPS、天地图、OpenStreetMap）", "WGS84 (GPS, Tianditu, OpenStreetMap)"),
    "cgcs2000": ("CGCS2000 经纬度（国家 2000 坐标系）", "CGCS2000 longitude/latitude"),
    "gcj02": ("GCJ-02（高德、腾讯地图）", "GCJ-02 (Amap, Tencent)"),
    "bd09": ("BD-09（百度地图）", "BD-09 (Baidu)"),
    "EPSG:4549": ("CGCS2000 3度带 120°E 投影（EPSG:4549）", "CGCS2000 3-degree GK, 120°E (EPSG:4549)"),
    "other": ("其他 EPSG 代码…", "Another EPSG code…"),
}
ENCODINGS = {"auto": ("自动识别", "Detect"), "utf-8": ("UTF-8", "UTF-8"), "gbk": ("GBK", "GBK"),
             "gb18030": ("GB18030", "GB18030"), "big5": ("Big5（繁体）", "Big5 (traditional)")}


def text(sentence: str) -> str:
    """A sentence of the check (English from geo/) in the page's language, shown as typed."""
    return plain(zh(sentence) if lang() == "zh" else sentence)


# ---- the upload, kept across pages ------------------------------------------------------------
# Streamlit forgets a file uploader's file when its page is left; a planner who looks at a map
# and comes back finds the list still there (the same bytes, read and checked as before).

@dataclass(frozen=True)
class Kept:
    name: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    def getvalue(self) -> bytes:
        return self.data


def kept_upload(upload):
    """The upload, or the one kept from before the page was left; None when the user removed
    it (on this page) or never gave one."""
    if upload is not None:
        previous = st.session_state.get("zc-kept")
        if previous is None or (previous.name, previous.size) != (upload.name, upload.size) \
                or previous.getvalue() != upload.getvalue():
            for key in (*CHOICES, "zc-choices"):  # another file: its own reading, from defaults
                st.session_state.pop(key, None)
            st.session_state["zc-fresh"] = True  # see _crs
            st.session_state["zc-kept"] = Kept(upload.name, upload.getvalue())
        st.session_state["zc-seen"] = True
        st.session_state.pop("zc-restored", None)
        return st.session_state["zc-kept"]  # the same bytes on every run: read once
    kept = st.session_state.get("zc-kept")
    if kept is not None and not st.session_state.get("zc-seen", False):  # back from another page
        st.session_state["zc-seen"] = True
        st.session_state["zc-restored"] = True
        for key, value in st.session_state.get("zc-choices", {}).items():  # as they were
            if value is not None:
                st.session_state[key] = value
    if kept is not None and st.session_state.get("zc-restored"):
        st.caption(t(f"仍在核查上次上传的文件：{plain(kept.name)}（上传新文件即可替换）。",
                     f"Still checking the file uploaded before: {plain(kept.name)} (upload another "
                     "to replace it)."))
        if st.button(t("清除此文件", "Remove this file"), key="zc-forget"):
            forget_upload()
            st.rerun()
        return kept
    st.session_state.pop("zc-kept", None)  # removed on this page: forgotten
    return None


def forget_upload() -> None:
    for key in ("zc-kept", "zc-restored"):
        st.session_state.pop(key, None)

# ---- reading --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reading:
    encoding: str | None = None
    header_row: int | None = None
    crs: str | None = None
    lon: str | None = None
    lat: str | None = None


def in_session(slot: str, key: tuple, make, keep: int = 2):
    """``make()`` once per ``key`` in this session: kept in its session state (the last
    ``keep`` keys), so that a planner's file and its result are theirs alone, are not pushed
    out by another planner's, and go when the session ends. Not copied per rerun."""
    store = st.session_state.setdefault(slot, {})
    if key not in store:
        value = make()  # an error is raised, and nothing kept
        while len(store) >= keep:
            store.pop(next(iter(store)))
        store[key] = value
    return store[key]


def _read(data: bytes, name: str, encoding: str | None, header_row: int | None):
    """The upload read once per reading; (table, seconds)."""
    def read():
        start = time.perf_counter()
        table = read_input(data, name, encoding, header_row=header_row)
        return table, time.perf_counter() - start

    return in_session("zc-read", (data, name, encoding, header_row), read)


def _encoding() -> str | None:
    enc = st.selectbox(t("文本编码", "Text encoding"), list(ENCODINGS), key=in_language("zc-enc"),
                       format_func=lambda e: t(*ENCODINGS[e]))
    return None if enc == "auto" else enc


def _sample_line(data: bytes, encoding: str) -> str:
    """The first line with non-ASCII text, as it reads in ``encoding``."""
    for line in data[:65536].splitlines():
        if any(b > 127 for b in line):
            return line.decode(encoding, errors="replace")[:60]
    return ""


def _ask_encoding(data: bytes, candidates: list[str]) -> str:
    """The text reads as more than one encoding: the user picks the one that reads right."""
    st.warning(t("无法确定文件的文本编码。请选择文字显示正确的一项：",
                 "The text encoding cannot be told for sure. Choose the one whose text reads right:"))
    choice = st.radio(t("文本编码", "Text encoding"), candidates, index=None, key="zc-enc-pick",
                      format_func=lambda c: f"{c}：{plain(_sample_line(data, c))}")  # as text
    if choice is None:
        st.stop()
    return choice


def _header_row() -> int | None:
    row = st.number_input(t("表头所在行（0 = 自动识别）", "Header row (0 = detect)"),
                          min_value=0, max_value=50, value=0, step=1, key="zc-header",
                          help=t("表格上方有标题行时，表头不在第 1 行；自动识别会跳过标题行。",
                                 "A sheet with a title above its table has its header below row "
                                 "1; detection skips title rows."))
    return row or None


def _refuse(err: InputError) -> None:
    st.error(t("无法核查：", "Cannot check: ") + text(str(err)))
    st.stop()


def _crs(declared: str | None, by_names: bool = False) -> str | None:
    """The coordinate system chosen; None for the one the file declares (a table's: by the
    names of its coordinate columns, 百度经度), or when none is chosen yet."""
    options = list(CRS_CHOICES)
    if declared:
        options = ["declared"] + options
    shown = t(*DATUMS[declared]) if declared in DATUMS else declared
    names = {"declared": (f"列名所示的坐标系（{shown}）", f"As the column names say ({shown})") if by_names
             else (f"文件声明的坐标系（{shown}）", f"As the file declares ({shown})"), **CRS_CHOICES}
    if st.session_state.pop("zc-fresh", False):  # a new file: the box shows its default, not
        st.session_state["zc-crs"] = "declared" if declared else None  # the last file's choice
    if not declared:
        st.markdown(t("**坐标系**：文件没有说明坐标所用的坐标系，请选择。",
                      "**Coordinate system**: the file does not say which one its coordinates use; "
                      "choose."))
    choice = st.selectbox(t("坐标系", "Coordinate system"), options, key=in_language("zc-crs"),
                          index=0 if declared else None, format_func=lambda c: t(*names[c]),
                          placeholder=t("请选择…", "Choose…"),
                          help=t("高德、腾讯（GCJ-02）和百度（BD-09）的坐标经过加偏，与 WGS84 相差约 300–600 米；"
                                 "选错会把项目放到邻近的区域。文件声明的坐标系也可能有误（GeoJSON 按规定写作 "
                                 "WGS84，但高德工具导出的实为 GCJ-02），可在此更正。",
                                 "Amap and Tencent (GCJ-02) and Baidu (BD-09) coordinates are "
                                 "offset 300–600 m from WGS84 on purpose; the wrong choice puts "
                                 "projects in a neighbouring zone. A declared system can be wrong "
                                 "too (a GeoJSON says WGS84 by rule, but one from an Amap tool is "
                                 "GCJ-02): correct it here."))
    if choice == "other":
        return st.text_input("EPSG", placeholder="EPSG:4549", key="zc-epsg").strip() or None
    return None if choice == "declared" else choice


def _columns(frame: pd.DataFrame) -> tuple[str | None, str | None]:
    columns = list(frame.columns)
    lon0, lat0 = coordinate_column(columns, "lon"), coordinate_column(columns, "lat")
    left, right = st.columns(2)
    lon = left.selectbox(t("经度（X）列", "Longitude (x) column"), columns, key="zc-lon",
                         index=columns.index(lon0) if lon0 in columns else None,
                         placeholder=t("请选择…", "Choose…"))
    lat = right.selectbox(t("纬度（Y）列", "Latitude (y) column"), columns, key="zc-lat",
                          index=columns.index(lat0) if lat0 in columns else None,
                          placeholder=t("请选择…", "Choose…"))
    return lon, lat


def ask_reading(upload) -> Reading | None:
    """How to read the upload: asks what the file does not say, and stops until answered."""
    if upload is None:
        return None
    suffix = Path(upload.name).suffix.lower()
    left, right = st.columns(2)
    with left:  # text, or a Shapefile's .dbf
        encoding = _encoding() if suffix in (".csv", ".txt", ".zip") else None
    with right:  # a table's header may sit below a title
        header_row = _header_row() if suffix in (".csv", ".txt", ".xlsx") else None
    try:
        table, _ = _read(upload.getvalue(), upload.name, encoding, header_row)
    except EncodingUnsure as err:
        encoding = _ask_encoding(upload.getvalue(), err.candidates)
        try:
            table, _ = _read(upload.getvalue(), upload.name, encoding, header_row)
        except InputError as err:
            _refuse(err)
    except InputError as err:
        _refuse(err)
    crs = _crs(table.crs, by_names=table.geometry is None)
    lon, lat = _columns(table.frame) if table.geometry is None else (None, None)
    st.session_state["zc-choices"] = {key: st.session_state.get(key) for key in CHOICES}
    if table.geometry is None and (lon is None or lat is None):
        missing = [name for name, chosen in ((t("经度", "longitude"), lon), (t("纬度", "latitude"), lat))
                   if chosen is None]
        st.info(t(f"未能从列名认出{'和'.join(missing)}列：请在上方选择。",
                  f"No {' and '.join(missing)} column recognised by its name: choose it above."))
    if table.geometry is None and ((crs is None and table.crs is None) or lon is None or lat is None):
        st.stop()
    return Reading(encoding, header_row, crs, lon, lat)


# ---- the check ------------------------------------------------------------------------------

def _check(data: bytes, name: str, reading: Reading, language: str, config: tuple, progress):
    """The check of an upload, once per reading, language and state of layers.toml;
    ``progress`` is told how far it has come."""
    def run():
        table, read_seconds = _read(data, name, reading.encoding, reading.header_row)
        start = time.perf_counter()
        result = check(table, crs=reading.crs, lon=reading.lon, lat=reading.lat, lang=language,
                       progress=progress)
        return result, read_seconds + time.perf_counter() - start

    return in_session("zc-checked", (data, name, reading, language, config), run)


@st.cache_resource(show_spinner=False, max_entries=2)
def _plan_projects(language: str, config: tuple):
    return check(plan_projects(language), lang=language)


def outcome(upload, reading: Reading | None):
    """(result, seconds, file stem) of the upload, or of the plan's own projects."""
    if upload is None:
        return _plan_projects(lang(), config_key()), None, "plan_projects_zones"
    size = f"{upload.size:,} bytes"
    bar = None

    def shown(done: float, rows: int, seconds: float) -> None:
        nonlocal bar
        if done >= 1.0 and bar is None:
            return  # a short list: no bar
        left = seconds * (1 - done) / done if done > 0 else 0
        words = t(f"已核查 {rows:,} 行（{done:.0%}），约剩 {left:.0f} 秒",
                  f"{rows:,} rows checked ({done:.0%}), about {left:.0f} s left")
        bar = bar or st.progress(0.0)
        bar.progress(done, text=words)

    with st.spinner(t(f"正在读取并核查（{size}）…", f"Reading and checking ({size})…")):
        try:
            result, seconds = _check(upload.getvalue(), upload.name, reading, lang(), config_key(),
                                     shown)
        except InputError as err:
            _refuse(err)
    if bar is not None:
        bar.empty()
    return result, seconds, f"{Path(upload.name).stem}_zones"


def say_hint(result) -> None:
    """The warning that the points look like GCJ-02 or BD-09, naming the rows out of place."""
    hint = result.hint
    if hint is None:
        return
    numbers = [f"{n:,}" for n in result.numbers(hint.rows[:10])]
    more = len(hint.rows) > 10
    if result.rows is not None:  # a table: the rows as the file shows them
        rows = t(f"（文件中的第 {'、'.join(numbers)}{' 等' if more else ' '}行）",
                 f" (rows {', '.join(numbers)}{', …' if more else ''} in the file)")
    else:  # features, by their number in the table below
        rows = t(f"（序号 {'、'.join(numbers)}{' 等' if more else ''}）",
                 f" (No. {', '.join(numbers)}{', …' if more else ''})")
    datum = t(*DATUMS[hint.datum])
    if hint.by == "water":
        zh = "落在钱塘江中或紧贴海岸线外"
        en = "fall in the Qiantang or just off the coast"
    else:
        zh = f"不在文件“{plain(hint.column)}”列所写的区县内"
        en = f"lie outside the district that the file's column “{plain(hint.column)}” names"
    found = t(f"按当前坐标系读取，{hint.points:,} 个点中有 {hint.off_as_read:,} 个{zh}{rows}；",
              f"As read, {hint.off_as_read:,} of {hint.points:,} points {en}{rows}; ")
    if hint.tied:  # as many in place read as GCJ-02 as read as BD-09: say so, do not guess
        gcj, bd = t(*DATUMS["gcj02"]), t(*DATUMS["bd09"])
        st.warning(found + t(f"按 {gcj}或 {bd}读取都只有 {hint.off_shifted:,} 个。文件很可能使用二者之一："
                             "请向数据提供方确认是哪一种，再在上方“坐标系”中选择。",
                             f"read as {gcj} or as {bd}, {hint.off_shifted:,} do. The file probably "
                             "uses one of them: ask its source which, then choose it under "
                             "Coordinate system above."))
    else:
        st.warning(found + t(f"若按 {datum}读取，只有 {hint.off_shifted:,} 个。文件很可能使用 {datum}坐标："
                             "请在上方“坐标系”中选择它。",
                             f"read as {datum}, {hint.off_shifted:,} do. The file probably uses "
                             f"{datum}: choose it under Coordinate system above."))


# ---- the result as a reader sees it -----------------------------------------------------------

def for_reader(result, rows: np.ndarray | None = None) -> pd.DataFrame:
    """The result table for the page: the row's place in the file and its problem first, rows
    with a problem first, the check's columns in the page's language."""
    table = result.table  # rows: their number in the file when known, else their order
    number = "row_in_file" if result.rows is not None else "row_no"
    shown = table.assign(**{number: result.rows if result.rows is not None else
                            np.arange(1, len(table) + 1)})
    shown["in_harbor"] = shown["in_harbor"].map({True: t("是", "yes"), False: t("否", "no")}).fillna("")
    if lang() == "en":  # the plan's names with their English beside them
        for column in ("city", "district", "core_zone", "financial_city", "belts", "town"):
            shown[column] = names_in_english(shown[column])
    for column in ("lon_wgs84", "lat_wgs84"):  # no "None" where a row has no place
        shown[column] = shown[column].map(
            lambda v: "" if not np.isfinite(v) else f"{v:.7f}".rstrip("0").rstrip("."))
    if rows is not None:
        shown = shown[rows]
    order = [number, "problem"] + [c for c in shown.columns if c not in (number, "problem")]
    shown = shown[order].iloc[np.argsort(shown["problem"].to_numpy() == "", kind="stable")]
    renames = headers([number, *ADDED], lang())
    inputs = set(shown.columns) - set(renames)
    for column in inputs & set(table.columns):  # an empty text cell shows empty, not "None"
        if pd.api.types.is_object_dtype(shown[column]) or pd.api.types.is_string_dtype(shown[column]):
            shown[column] = shown[column].astype(object).where(shown[column].notna(), "")
    mark = t("（核查）", " (check)")  # an input column may already be called 设区市 or City
    return shown.rename(columns={c: f"{n}{mark}" if n in inputs else n for c, n in renames.items()})


def columns_shown() -> dict:
    """The problem column wide enough to read its sentence."""
    return {t(*PROBLEM): st.column_config.TextColumn(width="large"),
            t(*PROBLEM) + t("（核查）", " (check)"): st.column_config.TextColumn(width="large")}


def result_box(frame) -> tuple[float, float, float, float]:
    """The view of the result map: the rows placed in Zhejiang (a row with swapped coordinates
    would zoom the map out to the world), else every placed row, else the province."""
    located = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if (located["city"] != "").any():
        located = located[located["city"] != ""]
    if not len(located):
        return (118.0, 27.0, 123.3, 31.3)
    minx, miny, maxx, maxy = located.total_bounds
    pad = max(maxx - minx, maxy - miny) * 0.1 + 0.01
    return (minx - pad, miny - pad, maxx + pad, maxy + pad)


class _Files:
    """The downloads of one result, each built the first time it is asked for; kept with the
    result in its planner's session (Streamlit calls a deferred download outside the session,
    and again on every click)."""

    def __init__(self, result, stem: str):
        self.result, self.stem, self.made = result, stem, {}

    def __call__(self, suffix: str) -> bytes:
        if suffix not in self.made:
            with tempfile.TemporaryDirectory() as tmp:
                self.made[suffix] = self.result.write(Path(tmp) / f"{self.stem}{suffix}").read_bytes()
        return self.made[suffix]


def download_buttons(result, stem: str) -> None:
    """One button per format; a file is built when its button is pressed, once per result."""
    formats = {".csv": "text/csv",
               ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               ".geojson": "application/geo+json", ".gpkg": "application/geopackage+sqlite3",
               ".parquet": "application/vnd.apache.parquet"}
    if len(result.table) > 1_048_575:
        formats.pop(".xlsx")
        st.caption(t("行数超过 Excel 工作表上限，不提供 XLSX。", "Too many rows for an Excel sheet: no XLSX."))
    files = in_session("zc-files", (id(result), stem), lambda: _Files(result, stem), keep=1)
    for col, (suffix, mime) in zip(st.columns(len(formats)), formats.items()):
        col.download_button(suffix[1:].upper(), functools.partial(files, suffix),
                            file_name=f"{stem}{suffix}", mime=mime, key=f"dl-{stem}{suffix}",
                            on_click="ignore")


def counts_tables(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    per_zone, per_city = counts(table, t("（省外或无坐标）", "(outside Zhejiang or no coordinates)"))
    i = 1 if lang() == "en" else 0
    per_zone["kind"] = per_zone["kind"].map(lambda k: KINDS[k][i])
    if lang() == "en":
        per_zone["zone"] = names_in_english(per_zone["zone"])
        per_city["city"] = names_in_english(per_city["city"])
    return (per_zone.rename(columns=headers(per_zone.columns, lang())),
            per_city.rename(columns=headers(per_city.columns, lang())))
