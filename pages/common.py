"""What every page shares: the language, and the storyboard of a plan map page."""

from __future__ import annotations

import html
import re

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.webmap import build_map
from layers.links import links_for
from layers.load import load_layer
from layers.maps import bounds, layer_title, map_layers
from layers.registry import MAPS, layers_for_map

LANGS = {"zh": "中文", "en": "English"}


def language_switch() -> None:
    """Sidebar switch; Chinese by default; kept in the URL (?lang=en)."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = "en" if st.query_params.get("lang") == "en" else "zh"
    st.sidebar.radio("语言 / Language", list(LANGS), format_func=LANGS.get, key="lang",
                     horizontal=True)
    if st.session_state["lang"] == "en":
        st.query_params["lang"] = "en"
    elif "lang" in st.query_params:
        del st.query_params["lang"]


def lang() -> str:
    return st.session_state.get("lang", "zh")


def t(zh: str, en: str) -> str:
    return en if lang() == "en" else zh


def plain(text: str) -> str:
    """Data text for st.markdown: Markdown syntax escaped so that it shows as typed."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", str(text))


@st.cache_resource(show_spinner=False)
def _plan_map(map_id: str, language: str):
    return build_map(map_layers(map_id, language), bounds(map_id), height=620)


def _legend(map_id: str) -> None:
    items = []
    for layer in layers_for_map(map_id):
        s = layer.style
        fill = s.fill or "transparent"
        points = (load_layer(layer.id).located.geom_type == "Point").all()
        shape = "50%" if points else "2px"
        border = "dashed" if s.dash else "solid"
        items.append(
            f'<span style="display:inline-flex;align-items:center;margin:0 14px 4px 0">'
            f'<span style="width:14px;height:14px;border:2px {border} {s.color};background:{fill};'
            f'border-radius:{shape};margin-right:6px;display:inline-block"></span>'
            f"{html.escape(layer_title(layer, lang()))}</span>")
    st.markdown(f'<div class="legend">{"".join(items)}</div>', unsafe_allow_html=True)


def _feature_options(map_id: str) -> dict[str, tuple[str, str]]:
    options = {}
    for layer in layers_for_map(map_id):
        if not layer.plan_layer:
            continue
        for _, f in load_layer(layer.id).frame.iterrows():
            name = f["name_en"] if lang() == "en" else f["name_zh"]
            options[f"{layer_title(layer, lang())} — {name}"] = (layer.id, f["id"])
    return options


def _targets_table(targets: pd.DataFrame) -> pd.DataFrame:
    value = targets["value"].where(targets["value"] != "", targets["value_text"])
    return pd.DataFrame({
        t("指标", "Indicator"): targets["indicator_zh"] if lang() == "zh" else targets["indicator_en"],
        t("范围", "Scope"): targets["scope_zh"].where(targets["scope_zh"] != "", targets["scope"]),
        t("比较", "Comparator"): targets["comparator_zh"],
        t("目标值", "Value"): value,
        t("单位", "Unit"): targets["unit_zh"],
        t("年份/期间", "Year / period"): targets["period"].where(targets["period"] != "",
                                                              targets["year"]),
        t("责任单位", "Responsible units"): targets["responsible_units"],
        t("出处", "Plan reference"): targets["ref"],
    })


def feature_panel(layer_id: str, feature_id: str) -> None:
    frame = load_layer(layer_id).frame
    row = frame[frame["id"] == feature_id]
    if row.empty:
        st.info(t("未找到该要素。", "Feature not found."))
        return
    f = row.iloc[0]
    st.subheader(f["name_zh"] if lang() == "zh" else f"{f['name_en']} ({f['name_zh']})")
    if f["positioning_zh"]:
        st.markdown(f"**{t('定位', 'Positioning')}**: {plain(f['positioning_zh'])}")
        if lang() == "en" and f["positioning_en"]:
            st.caption(plain(f["positioning_en"]) + " (translation)")
    if f["extent_zh"]:
        st.markdown(f"**{t('范围（规划原文）', 'Extent (plan wording)')}**: {plain(f['extent_zh'])}")
    st.caption(f"{t('出处', 'Plan reference')}: {plain(f['ref'])} · {t('几何来源', 'Geometry source')}: "
               f"{plain(f['source'])} · {t('精度', 'Accuracy')}: {plain(f['accuracy'])}")
    links = links_for(layer_id, feature_id)
    if len(links.targets):
        st.markdown(f"**{t('目标（附件4等）', 'Targets (Annex 4 and others)')}**")
        st.dataframe(_targets_table(links.targets), hide_index=True, width="stretch")
    if len(links.tasks):
        st.markdown(f"**{t('任务', 'Tasks')}**")
        st.dataframe(links.tasks[["id", "title_zh" if lang() == "zh" else "title_en",
                                  "responsible_units"]], hide_index=True, width="stretch")
    if len(links.projects):
        st.markdown(f"**{t('重大改革、平台、项目（附件5）', 'Reforms, platforms, projects (Annex 5)')}**")
        st.dataframe(links.projects[["id", "type_zh", "name_zh" if lang() == "zh" else "name_en",
                                     "responsible_units"]], hide_index=True, width="stretch")
    if not len(links):
        st.caption(t("规划未为该要素列出目标、任务或项目。",
                     "The plan lists no target, task or project for this feature."))


def map_page(map_id: str) -> None:
    """Storyboard of the three map pages: title, map, legend, details of a feature."""
    title_zh, title_en, annex = MAPS[map_id]
    st.title(t(title_zh, title_en))
    st.caption(t(f"{annex}（据规划正文重建；手绘要素标明来源与精度）",
                 f"{annex.replace('附件', 'Annex ')} (rebuilt from the plan's text; "
                 "hand-drawn features state their source and accuracy)"))
    for layer in layers_for_map(map_id):
        for warning in load_layer(layer.id).warnings:
            st.warning(f"{layer_title(layer, lang())}: {warning}")
    with st.spinner(t("正在绘制地图…", "Drawing the map…")):
        fmap = _plan_map(map_id, lang())
    clicked = st_folium(fmap, height=620, use_container_width=True, key=f"map-{map_id}-{lang()}",
                        returned_objects=["last_active_drawing"])
    _legend(map_id)
    options = _feature_options(map_id)
    ids = list(options.values())
    picked = ((clicked or {}).get("last_active_drawing") or {}).get("properties", {})
    default = 0
    for i, (layer_id, feature_id) in enumerate(ids):
        if feature_id == picked.get("feature_id"):
            default = i
    choice = st.selectbox(t("要素详情（点击地图或在此选择）", "Feature details (click the map or pick here)"),
                          list(options), index=default, key=f"pick-{map_id}-{default}")
    layer_id, feature_id = options[choice]
    feature_panel(layer_id, feature_id)
