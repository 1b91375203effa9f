"""数据与来源: every layer with its source, accuracy, feature count and license; each zone's
published area beside the area drawn; the plan's tables; the whole dataset as a download (the
same files as `python -m layers.export`)."""

import streamlit as st

from layers.export import dataset_zip
from layers.extents import area_table_for_reader
from layers.load import config_key, summary
from layers.plan import check, table
from layers.tables import for_reader
from pages.common import lang, t


@st.cache_data(show_spinner=False, max_entries=2)
def _zip(config: tuple) -> bytes:
    """The dataset as of this state of layers.toml (``config``, from config_key)."""
    return dataset_zip()


st.title(t("数据与来源", "Data and sources"))
st.caption(t("每个图层的来源、精度、要素数与许可；手绘要素可在 layers.toml 中替换为官方边界文件（见 README）。",
             "Every layer's source, accuracy, feature count and license. Hand-drawn layers can be "
             "replaced by an official boundary file in layers.toml (see README)."))

layers = summary()
st.subheader(t("图层", "Layers"))
# In Chinese the layer's name is its Chinese name: one column, not the same text twice.
shown = layers.drop(columns=["name_zh"]) if lang() == "zh" else layers
st.dataframe(for_reader(shown, lang()), hide_index=True, width="stretch")
for _, row in layers[layers["warnings"] != ""].iterrows():
    st.warning(f"{t(row['name_zh'], row['name_en'])}: {row['warnings']}")

st.subheader(t("各区范围：发布面积与绘制面积", "Zones: published area and area drawn"))
st.caption(t("每个区的已发布面积与图上所绘面积（平方千米，按 CGCS2000 3 度带投影计算）及其差异；"
             "差异越大、精度越粗，线条越不可作为边界依据。未发布面积的区写明未发布。",
             "Each zone's published area beside the area drawn on the map (km², measured in the "
             "CGCS2000 3-degree Gauss–Krüger projection) and the difference: the larger it is and "
             "the coarser the accuracy, the less the line can be relied on as a boundary. A zone "
             "with no published area says so."))
st.dataframe(area_table_for_reader(lang()), hide_index=True, width="stretch")

problems = check()
if problems:
    st.error(t("数据交叉引用有误：", "Cross-references in data/ that do not resolve:") +
             "\n\n" + "\n".join(f"- {p}" for p in problems))

st.subheader(t("规划内容", "The plan's content"))
tabs = {
    "targets": t("目标（附件4等）", "Targets (Annex 4 and others)"),
    "baselines": t("2020年基础（一）", "2020 baselines (section 1)"),
    "harbors": t("五个“港湾”（二(三)）", "The five harbors (section 2(3))"),
    "tasks": t("任务（三、四）", "Tasks (sections 3 and 4)"),
    "annex5": t("重大改革、平台、项目（附件5）", "Reforms, platforms, projects (Annex 5)"),
    "units": t("责任单位（附件6）", "Units (Annex 6)"),
    "features": t("布局要素", "Layout features"),
}
for tab, name in zip(st.tabs([f"{label} ({len(table(n))})" for n, label in tabs.items()]), tabs):
    with tab:
        frame = table(name).drop(columns=["id"]) if name == "features" else table(name)  # ids: internal
        st.dataframe(for_reader(frame, lang()), hide_index=True, width="stretch")

st.subheader(t("下载", "Download"))
with st.spinner(t("正在打包数据…", "Packing the dataset…")):
    payload = _zip(config_key())
st.download_button(
    t("下载全部数据（GeoPackage + CSV，ZIP）", "Download the whole dataset (GeoPackage + CSV, ZIP)"),
    payload, file_name="qiantang_harbor_dataset.zip", mime="application/zip")
st.caption(t("GeoPackage 可直接在 QGIS/ArcGIS 中打开；CSV 为带 BOM 的 UTF-8，Excel 可直接打开。",
             "The GeoPackage opens in QGIS or ArcGIS; the CSV files are UTF-8 with BOM, so Excel "
             "opens them."))
