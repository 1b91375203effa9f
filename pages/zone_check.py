"""项目落区核查 · Zone check: upload a project list, see every project's zones, download.
The same function as `python -m layers.zonecheck` (layers.zonecheck.check)."""

import shapely
import streamlit as st
from streamlit_folium import st_folium

from geo.webmap import build_map
from layers.maps import ATTRIBUTION, MAP_TEXTS, groups, result_layers
from layers.zonecheck import categories
from pages.common import file_uploader, lang, t
from pages.zone_check_parts import (DRAWN_LIMIT, ask_reading, columns_shown, counts_tables,
                                    download_buttons, for_reader, kept_upload, outcome, result_box,
                                    say_hint, text)

st.title(t("项目落区核查", "Zone check"))
st.caption(t("上传项目清单（CSV、Excel、GeoJSON、压缩的 Shapefile、GeoPackage、KML 或 Parquet），查看每个项目所在的市、"
             "县区、核心区、金融城、特色带与金融特色小镇，并下载结果。与命令行 python -m layers.zonecheck "
             "--lang zh 结果相同。",
             "Upload a project list (CSV, Excel, GeoJSON, zipped Shapefile, GeoPackage, KML or Parquet) to see "
             "each project's city, district, core zone, financial city, belts and finance town, and "
             "download the result. The same result as python -m layers.zonecheck."))
upload = kept_upload(file_uploader("项目清单", "Project list", "zc-upload",
                                  ["csv", "txt", "xlsx", "geojson", "json", "zip", "gpkg", "kml",
                                   "parquet"]))
if upload is None:
    st.info(t("未上传文件：下面是规划本身已定位的项目（附件5）的核查结果。",
              "No file uploaded: below, the plan's own located projects (Annex 5), checked."))
reading = ask_reading(upload)  # encoding, header row, coordinate system, columns: asks or stops
result, seconds, stem = outcome(upload, reading)

tab = result.table
problems, foot = result.problems, result.foot  # among projects; totals and notes of a sheet
cols = st.columns(4)
cols[0].metric(t("项目", "Projects"), f"{int(result.projects.sum()):,}")
cols[1].metric(t("位于核心区/拥江扩面", "In the core zone"), f"{int((tab['core_zone'] != '').sum()):,}")
cols[2].metric(t("位于港湾六城", "In the six harbor cities"), f"{int(tab['in_harbor'].sum()):,}")
cols[3].metric(t("有问题的行", "Rows with a problem"), f"{problems:,}")
say_hint(result)
for note in result.notes:
    st.caption(text(note))
if seconds is not None:
    st.caption(t(f"读取与核查用时 {seconds:.2f} 秒。", f"Reading and checking took {seconds:.2f} s."))
if foot:
    st.caption(t(f"另有 {foot:,} 行是表格的合计、注释或签字行，不计为项目（列在表格最前，见“问题”列）。",
                 f"{foot:,} more row{'s are' if foot > 1 else ' is'} a total, a note or a sign-off "
                 "line of the sheet, not counted as projects (listed first in the table; see the "
                 "Problem column)."))
if problems:
    st.warning(t(f"{problems:,} 行有问题：已保留在结果中，排在表格最前，原因见“问题”列。",
                 (f"{problems:,} rows have a problem: they are kept, listed first in the table, "
                  "with the reason in the Problem column." if problems > 1 else
                  "1 row has a problem: it is kept, listed first in the table, with the reason "
                  "in the Problem column.")))

frame = result.frame
if len(frame) > DRAWN_LIMIT:
    st.caption(t(f"地图只画出前 {DRAWN_LIMIT:,} 个项目；表格与下载包含全部。",
                 f"The map draws the first {DRAWN_LIMIT:,} projects; the table and downloads hold all."))
key = f"zc-polygon-{stem}"
polygon = st.session_state.get(key)
selection = shapely.geometry.shape(polygon["geometry"]) if polygon else None
fmap = build_map(result_layers(frame, categories(tab), lang(), DRAWN_LIMIT, selection),
                 result_box(frame), groups(lang()) + [("result", t("核查结果", "Result"))],
                 MAP_TEXTS[lang()], height=560, draw=True, attribution=ATTRIBUTION[lang()])
drawn = st_folium(fmap, height=560, use_container_width=True,
                  returned_objects=["last_active_drawing"], key=f"zc-map-{lang()}-{stem}")
# The polygon drawn with the pen tool (a click on a project returns that point instead); it
# stays on the map, as an outline, until it is cleared or another is drawn.
drawing = (drawn or {}).get("last_active_drawing") or {}
if ((drawing.get("geometry") or {}).get("type") == "Polygon"
        and drawing not in (polygon, st.session_state.get(f"{key}-cleared"))):
    st.session_state[key] = drawing
    st.rerun()  # draw it as the selection at once
if polygon:
    inside = frame.geometry.intersects(selection).fillna(False)
    head, button = st.columns([4, 1], vertical_alignment="bottom")
    head.subheader(t(f"多边形内的项目：{int(inside.sum()):,}",
                     f"Projects inside the polygon: {int(inside.sum()):,}"))
    if button.button(t("清除选区", "Clear the selection"), key="zc-clear"):
        st.session_state[f"{key}-cleared"] = st.session_state.pop(key)  # the map still returns it
        st.rerun()
    st.dataframe(for_reader(result, inside.to_numpy()), hide_index=True, width="stretch",
                 key="zc-selected", column_config=columns_shown())
else:
    st.caption(t("用地图左侧的画笔工具画一个多边形，即可选出其中的项目（双击结束）。",
                 "Draw a polygon with the pen tool on the left of the map to select the projects "
                 "inside it (double-click to finish)."))

st.subheader(t("结果", "Result"))
st.dataframe(for_reader(result), hide_index=True, width="stretch", key="zc-table",
             column_config=columns_shown())
download_buttons(result, stem)
per_zone, per_city = counts_tables(tab[result.projects])
left, right = st.columns(2)
left.markdown(f"**{t('按区域计数', 'Projects per zone')}**")
left.dataframe(per_zone, hide_index=True, width="stretch")
right.markdown(f"**{t('按城市计数', 'Projects per city')}**")
right.dataframe(per_city, hide_index=True, width="stretch")
