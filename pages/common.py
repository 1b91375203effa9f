"""What every page shares: the language, and the storyboard of a plan map page."""

from __future__ import annotations

import copy
import io
import math
import os
import re

import folium
import pandas as pd
import shapely
import streamlit as st
from streamlit_folium import st_folium

from geo.basemaps import BASEMAPS, tiles
from geo.tiles import TileSourceError, publish
from layers.english import provenance_zh, ref_en, sections_en
from layers.extents import area_sentence
from layers.links import links_for
from layers.load import basemap_config, config_key, load_layer
from layers.maps import bounds, from_display, layer_title, plan_map, search, to_display
from layers.progress import status_texts
from layers.present import PAPERS, print_figure, shown_box, view_sheet
from layers.registry import BY_ID, MAPS, layers_for_map
from layers.tables import projects_table, targets_table, tasks_table
from layers.zones import english_name, zones_at

LANGS = {"zh": "中文", "en": "English"}
MAP_HEIGHT = 600  # before geo/webmap.js fits the map to the window


# ---- language ------------------------------------------------------------------------------

def language_switch() -> None:
    """Sidebar switch; Chinese by default; kept in the URL (?lang=en)."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = "en" if st.query_params.get("lang") == "en" else "zh"
    st.sidebar.radio("语言 / Language", list(LANGS), format_func=LANGS.get, key="lang",
                     horizontal=True, on_change=_relabel)
    set_param("lang", "en" if st.session_state["lang"] == "en" else None)
    in_language("page")  # app.py's list of pages, named in the page's language


# A select box or radio whose options are worded in the page's language (a format_func through
# t()) keeps its choice as a language-free code, but the browser keeps, and sends back, the
# text it showed for it. With a key, the widget is the same in both languages (Streamlit 1.67
# takes the key as its identity): after a switch a select box went on showing its choice in
# the other language until something set its value, and a radio's text, read against the
# options in the new language, could match none of them and fall back to the first (the list
# of pages: a switch on the zone check could open the layout map). The switch sets the value
# of each such widget again, as the code it had before the switch, which makes the page send
# the widget its choice in the new language at once.
FOLLOW_LANGUAGE = "follow-language"


def in_language(key: str) -> str:
    """``key``, the key of a widget whose options are worded in the page's language: noted so
    that the language switch sets its value again (see _relabel)."""
    keys = st.session_state.setdefault(FOLLOW_LANGUAGE, [])
    if key not in keys:
        keys.append(key)
    return key


def _relabel() -> None:
    for key in st.session_state.get(FOLLOW_LANGUAGE, []):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def lang() -> str:
    return st.session_state.get("lang", "zh")


def t(zh: str, en: str) -> str:
    return en if lang() == "en" else zh


def set_param(key: str, value: str | None) -> None:
    """Set (or, with None, remove) a query parameter, writing only when it changes."""
    if value is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


_URL = re.compile(r"https?://[A-Za-z0-9._~:/?#@!$&'*+,;=%-]*[A-Za-z0-9/_#=%-]")


def _escaped(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", text)


def plain(text: str) -> str:
    """Data text for st.markdown: Markdown syntax escaped so that it shows as typed; a web
    address (a source's) is a link to exactly that address, ending where its ASCII ends."""
    text, out, end = str(text), [], 0
    for url in _URL.finditer(text):
        out += [_escaped(text[end:url.start()]), f"[{_escaped(url.group())}]({url.group()})"]
        end = url.end()
    return "".join(out) + _escaped(text[end:])


# ---- basemap -------------------------------------------------------------------------------

BASEMAP_NAMES = {"none": ("无（矢量底图，离线）", "None (vector basemap, offline)"),
                 "tianditu": ("天地图（在线）", "Tianditu (online)"),
                 "osm": ("OpenStreetMap（在线）", "OpenStreetMap (online)"),
                 "amap": ("高德地图（在线，GCJ-02）", "Amap (online, GCJ-02)")}


def _tianditu_token() -> str | None:
    token = os.environ.get("TIANDITU_TOKEN")
    if token:
        return token
    try:
        return st.secrets.get("tianditu", {}).get("token")
    except Exception:  # no secrets file: Streamlit raises on access
        return None


def basemap_choice() -> tuple[dict | None, bool]:
    """Sidebar choice of basemap. Returns the tile settings (None offline) and whether the
    overlays must be shown in GCJ-02."""
    try:
        local = basemap_config()
    except ValueError:
        local = {}  # the map pages already say why layers.toml cannot be read
    names = dict(BASEMAP_NAMES)
    if local.get("path"):
        names = {"none": names["none"], "local": (local.get("name", "本地瓦片（离线）"),
                                                  local.get("name", "Tiles on disk (offline)")),
                 **{k: v for k, v in names.items() if k != "none"}}
    name = st.sidebar.selectbox(t("底图", "Basemap"), list(names), key=in_language("basemap"),
                                format_func=lambda n: t(*names[n]))
    if name == "none":
        return None, False
    if name == "local":
        try:
            url = publish(local["path"])
        except (TileSourceError, OSError) as err:
            st.sidebar.warning(t("layers.toml 的 [basemap] 无法使用：", "layers.toml [basemap] cannot "
                                 "be used: ") + str(err))
            return None, False
        return {"url": url, "attribution": local.get("attribution", ""), "subdomains": "abc",
                "max_zoom": int(local.get("max_zoom", 18))}, False
    st.sidebar.caption(t("在线底图会向地图服务商请求瓦片；会议室无网络时请选“无”。",
                         "An online basemap requests tiles from its provider; choose None "
                         "when there is no network."))
    try:
        spec = tiles(name, _tianditu_token())
    except ValueError:  # the only refusal: 天地图 without its key
        st.sidebar.warning(t("天地图需要密钥：请设置环境变量 TIANDITU_TOKEN，或在 .streamlit/secrets.toml 的 "
                             "[tianditu] 中写入 token。",
                             "Tianditu needs a key: set TIANDITU_TOKEN, or token under [tianditu] "
                             "in .streamlit/secrets.toml."))
        return None, False
    gcj = BASEMAPS[name]["datum"] == "gcj02"
    if gcj:
        st.sidebar.caption(t("高德底图为 GCJ-02 坐标：图层已临时偏移以对齐，存储数据仍为 WGS84。",
                             "Amap is drawn in GCJ-02: the layers are shifted to line up while it "
                             "is on; the stored data stay WGS84."))
    return spec, gcj


# ---- the map page --------------------------------------------------------------------------
# A page's state (selection, last click, a pending fly-to) lives under its map's id, so that
# another page starts from its own defaults; the URL carries the state of the page shown.

def page_state(map_id: str) -> dict:
    return st.session_state.setdefault("map-state", {}).setdefault(map_id, {})


def reset_page_state() -> None:
    """Forget every page's state and its URL parameters: a page opened from the sidebar looks
    exactly as when opened by its own link."""
    st.session_state["map-state"] = {}
    for key in ("map", "view", "box", "layers", "sel", "scene"):
        set_param(key, None)


@st.cache_resource(show_spinner=False, max_entries=24)
def _plan_map(map_id: str, language: str, spec_items: tuple | None, gcj02: bool, config: tuple):
    spec = dict(spec_items) if spec_items else None
    return plan_map(map_id, language, spec, gcj02)


def _selected(map_id: str) -> tuple[str, str] | None:
    state = page_state(map_id)
    if "sel" not in state:
        raw = st.query_params.get("sel", "")
        layer_id, _, feature_id = raw.partition(":")
        ok = layer_id in BY_ID and map_id in BY_ID[layer_id].maps and \
            feature_id in set(load_layer(layer_id).frame["id"])
        state["sel"] = (layer_id, feature_id) if ok else None
    return state["sel"]


def _select(map_id: str, layer_id: str | None, feature_id: str | None = None) -> None:
    """Select a feature (None: nothing); the map writes it to the URL (see _highlight)."""
    state = page_state(map_id)
    state["sel"] = (layer_id, feature_id) if layer_id else None
    state.pop("via", None)


def _view_of(box: tuple[float, float, float, float]) -> tuple[list[float], int]:
    minx, miny, maxx, maxy = box
    span_x, span_y = max(maxx - minx, 1e-6), max(maxy - miny, 1e-6)
    zoom = min(math.log2(800 * 360 / (256 * span_x)), math.log2(600 * 170 / (256 * span_y * 1.2)))
    return [(miny + maxy) / 2, (minx + maxx) / 2], int(max(6, min(15, zoom)))


def _search(map_id: str) -> None:
    query = st.text_input(t("搜索区域、小镇或项目（中文、英文或拼音）",
                            "Search a zone, town or project (Chinese, English or pinyin)"),
                          key=f"search-{map_id}",
                          placeholder=t("输入名称，例如 钱江新城 / Qianjiang / qianjiang",
                                        "Type a name, e.g. 钱江新城 / Qianjiang / qianjiang"))
    # Results go in a slot that is always there, so that the map below keeps its place on the
    # page (and is not drawn anew) when results appear.
    with st.container():
        _results(map_id, query)


def _results(map_id: str, query: str) -> None:
    if not query.strip():
        return
    hits = search(query, map_id)
    if hits.empty:
        st.caption(t("没有找到匹配的名称。", "No name matches."))
        return
    options = {f"{r.layer}:{r.id}": r for r in hits.itertuples()}

    def label(key: str) -> str:
        r = options[key]
        name = r.name_zh if lang() == "zh" else f"{r.name_en} ({r.name_zh})"
        return f"{name} · {layer_title(BY_ID[r.layer], lang())}"

    picked = st.pills(t("搜索结果", "Results"), list(options), format_func=label,
                      key=f"hits-{map_id}-{query}", label_visibility="collapsed")
    state = page_state(map_id)
    if picked and state.get("searched") != (query, picked):
        state["searched"] = (query, picked)
        r = options[picked]
        _select(map_id, r.target_layer, r.target_id)
        if (r.layer, r.id) != (r.target_layer, r.target_id):  # no site of its own on this map
            state["via"] = (r.layer, r.id)
        state["fly"] = _view_of(r.bounds)


def _highlight(selection, clicked, gcj02: bool) -> folium.FeatureGroup:
    """The selection and the last click, drawn over the map (class hm-sel: geo/webmap.js hides
    it when a new pick is outlined, until this group comes back with it). An invisible mark in the group
    tells the map which feature is selected (option harborSel), for the URL: a fragment rerun
    cannot set the URL's parameters without dropping the view that the map keeps there."""
    group = folium.FeatureGroup(name="selection")
    folium.Marker([0, 0], icon=folium.DivIcon(html="", icon_size=(0, 0)), interactive=False,
                  keyboard=False, harbor_sel=":".join(selection) if selection else "-").add_to(group)
    if selection:
        layer_id, feature_id = selection
        frame = load_layer(layer_id).located
        row = frame[frame["id"] == feature_id]
        if len(row):
            geom = to_display(row.geometry.iloc[0], gcj02)
            if geom.geom_type == "Point":
                folium.CircleMarker([geom.y, geom.x], radius=14, color="#f1c40f", weight=4,
                                    fill=False, interactive=False, class_name="hm-sel").add_to(group)
            else:
                folium.GeoJson(geom.__geo_interface__, interactive=False,
                               style_function=lambda _f: {"color": "#f1c40f", "weight": 5,
                                                          "fillOpacity": 0,
                                                          "className": "hm-sel"}).add_to(group)
    if clicked:
        lon, lat = clicked
        point = to_display(shapely.Point(lon, lat), gcj02)
        folium.CircleMarker([point.y, point.x], radius=5, color="#111", weight=2, fill=True,
                            fill_color="#fff", fill_opacity=1, interactive=False).add_to(group)
    return group


def _on_map_event(map_id: str, key: str, gcj02: bool) -> None:
    """A new value from the map, before the fragment reruns: the click's place and the feature
    it picked (geo/webmap.js picks the smallest visible zone under a click and fires a click on
    it, which streamlit-folium returns as last_active_drawing, with every visible zone at that
    point under properties.here)."""
    result = st.session_state.get(key) or {}
    click = result.get("last_clicked")
    state = page_state(map_id)
    if not click:
        return
    lon, lat = from_display(click["lng"], click["lat"], gcj02)
    state["clicked"] = (lon, lat)
    props = (result.get("last_active_drawing") or {}).get("properties") or {}
    token = (props.get("layer_id"), props.get("feature_id"))
    if result.get("last_object_clicked") == click and token[0] in BY_ID and BY_ID[token[0]].plan_layer:
        _select(map_id, *token)
        state["here"] = [tuple(h.split(":", 1)) for h in props.get("here") or []]
    else:  # a click where no zone or point of the plan is shown
        _select(map_id, None)
        state["here"] = []


ZONE_KINDS = {"city": ("设区市", "City"), "district": ("县（市、区）", "District"),
              "core_zone": ("核心区/拥江扩面", "Core zone / riverside extension"),
              "financial_city": ("金融城", "Financial city"), "belts": ("特色带", "Belts"),
              "town": ("金融特色小镇", "Finance town")}


def zones_panel(map_id: str, point: tuple[float, float]) -> None:
    lon, lat = point
    st.markdown(f"**{t('此处的区域', 'Zones at this point')}** "
                f"({lat:.5f}, {lon:.5f})")
    found = zones_at(lon, lat)
    if lang() == "en":
        found = {kind: [english_name(n) for n in names] for kind, names in found.items()}
    joiner = t("、", ", ")
    st.markdown("\n".join(f"- {t(*ZONE_KINDS[kind])}: {plain(joiner.join(names)) if names else '—'}"
                           for kind, names in found.items()))
    st.caption(t("特色带按成员城市划定（三(三)）；地图上的走廊只是示意。",
                 "A belt is defined by its member cities (section 3(3)); the corridors on the map "
                 "are schematic."))
    if not found["city"]:
        st.caption(t("此点不在浙江省内。", "This point is outside Zhejiang."))
    here = page_state(map_id).get("here") or []
    if len(here) > 1:  # the visible zones at the click, smallest first
        names = {f"{layer_id}:{feature_id}": feature_name(layer_id, feature_id)
                 for layer_id, feature_id in here}
        key = f"here-{map_id}-{lat:.6f}-{lon:.6f}"

        def picked() -> None:
            if st.session_state.get(key):
                _select(map_id, *st.session_state[key].split(":", 1))

        st.pills(t("查看此处的其他区域", "Open another zone at this point"), list(names),
                 format_func=names.get, key=key, on_change=picked)


def feature_name(layer_id: str, feature_id: str) -> str:
    frame = load_layer(layer_id).frame.set_index("id")
    if feature_id not in frame.index:
        return feature_id
    row = frame.loc[feature_id]
    return row["name_zh"] if lang() == "zh" else f"{row['name_en']} ({row['name_zh']})"


def _show(frame: pd.DataFrame) -> None:
    """A table with every column in full, wrapped (the panel is narrow)."""
    st.table(frame.set_index(frame.columns[0]))


def feature_panel(layer_id: str, feature_id: str) -> None:
    frame = load_layer(layer_id).frame
    row = frame[frame["id"] == feature_id]
    if row.empty:
        st.info(t("未找到该要素。", "Feature not found."))
        return
    f = row.iloc[0]
    en = lang() == "en"
    st.subheader(f"{f['name_en']} ({f['name_zh']})" if en else f["name_zh"])
    st.caption(layer_title(BY_ID[layer_id], lang()))
    if f["positioning_zh"]:
        if en:
            st.markdown(f"**Positioning** (translated): {plain(f['positioning_en'] or '—')}")
        else:
            st.markdown(f"**定位**：{plain(f['positioning_zh'])}")
    if f["extent_zh"] and not en:
        st.markdown(f"**范围（规划原文）**：{plain(f['extent_zh'])}")
    if f["members"]:
        members = f["members"].split(";")
        if en:
            members = [english_name(m) for m in members]
        st.markdown(f"**{t('成员城市', 'Member cities')}**: {plain('、'.join(members) if not en else ', '.join(members))}")
    source, accuracy, ref = f["source"], f["accuracy"], f["ref"]
    if en:
        ref, source = ref_en(ref), sections_en(source)
    else:
        source, accuracy = provenance_zh(source), provenance_zh(accuracy)
    colon = t("：", ": ")
    said = [(t("出处", "Plan reference"), ref), (t("几何来源", "Geometry source"), source),
            (t("精度", "Accuracy"), accuracy)]  # a district has no plan reference: left out
    st.caption(" · ".join(f"{name}{colon}{plain(value)}" for name, value in said if value))
    area = area_sentence(layer_id, f["name_zh"], lang())
    if area:
        st.caption(plain(area))
    links = links_for(layer_id, feature_id)
    status = t("状态（目标监测）", "Status (Targets page)")
    if len(links.targets):
        st.markdown(f"**{t('目标', 'Targets')}**")
        _show(targets_table(links.targets, lang()).assign(**{status: status_texts(links.targets["id"], lang())}))
    if len(links.tasks):
        st.markdown(f"**{t('任务', 'Tasks')}**")
        _show(tasks_table(links.tasks, lang()).assign(**{status: status_texts(links.tasks["id"], lang())}))
    if len(links.projects):
        st.markdown(f"**{t('重大改革、平台、项目（附件5）', 'Reforms, platforms, projects (Annex 5)')}**")
        _show(projects_table(links.projects, lang()).assign(**{status: status_texts(links.projects["id"], lang())}))
    if not len(links):
        st.caption(t("规划未为该要素列出目标、任务或项目。",
                     "The plan lists no target, task or project for this feature."))


def map_page(map_id: str) -> None:
    """Storyboard of the three map pages: title, search, then the map beside what was
    clicked."""
    title_zh, title_en, annex = MAPS[map_id]
    st.title(t(title_zh, title_en))
    st.caption(t(f"{annex}（据规划正文重建；手绘要素标明来源与精度）",
                 f"{annex.replace('附件', 'Annex ')} (rebuilt from the plan's text; "
                 "hand-drawn features state their source and accuracy)"))
    spec, gcj02 = basemap_choice()
    for layer in layers_for_map(map_id):
        for warning in load_layer(layer.id).warnings:
            st.warning(f"{layer_title(layer, lang())}: {warning}")
    _search(map_id)
    map_and_panel(map_id, spec, gcj02)
    print_panel(map_id)


def _shown_view(map_id: str) -> tuple[list[str], tuple[float, float, float, float]]:
    """The visible layers and the extent of the map as the URL has them (geo/webmap.js keeps
    both there, the extent as shown in this window; a button's rerun sends the URL of the
    moment); the map's own when absent."""
    params = st.query_params
    own = params.get("map") == map_id
    layer_ids = [layer.id for layer in layers_for_map(map_id)]
    if own and params.get("layers") is not None:
        layer_ids = [i for i in params.get("layers").split(",") if i in layer_ids]
    return layer_ids, (shown_box(params.get("box", "")) if own else None) or bounds(map_id)


def print_panel(map_id: str) -> None:
    """The map as shown (its visible layers, its view) as a print page, PNG or PDF."""
    with st.expander(t("打印当前视图（PNG、PDF；A4、A3 横向）", "Print this view (PNG, PDF; A4, A3 landscape)")):
        left, middle, right = st.columns([1, 1, 2])
        kind = left.radio(t("格式", "Format"), ["pdf", "png"], key=f"print-kind-{map_id}", horizontal=True,
                          format_func=lambda k: {"pdf": "PDF", "png": "PNG（200 dpi）"}[k])
        paper = middle.radio(t("纸张", "Paper"), list(PAPERS), key=f"print-paper-{map_id}", horizontal=True)
        if right.button(t("生成打印页", "Make the print page"), key=f"print-make-{map_id}"):
            layer_ids, box = _shown_view(map_id)
            with st.spinner(t("正在绘制…", "Drawing…")):
                out = io.BytesIO()
                print_figure(view_sheet(map_id, layer_ids, box, lang()), paper).savefig(out, format=kind, dpi=200)
            st.download_button(t("下载打印页", "Download the print page"), out.getvalue(),
                               file_name=f"harbor_{map_id}_{lang()}_{paper}.{kind}",
                               mime="application/pdf" if kind == "pdf" else "image/png",
                               key=f"print-download-{map_id}")


@st.fragment
def map_and_panel(map_id: str, spec: dict | None, gcj02: bool) -> None:
    """The map and, beside it, the zones at the last click and the selected feature. A click
    reruns this part only."""
    spec_items = tuple(sorted(spec.items())) if spec else None
    # A copy: st_folium adds the highlight group to the map it is given, and the cached map
    # must stay as built, or its script (and so the component) would change.
    fmap = copy.deepcopy(_plan_map(map_id, lang(), spec_items, gcj02, config_key()))
    state = page_state(map_id)
    selection, clicked = _selected(map_id), state.get("clicked")
    fly = state.get("fly") or (None, None)
    if fly[0]:
        point = to_display(shapely.Point(fly[0][1], fly[0][0]), gcj02)
        fly = ([point.y, point.x], fly[1])
    left, right = st.columns([5, 2])
    key = f"map-{map_id}-{lang()}-{st.session_state.get('basemap', 'none')}"
    with left:
        # render=False: st_folium renders the map it needs itself; the whole page around it
        # (a second render of every layer) is not used by the component.
        st_folium(fmap, height=MAP_HEIGHT, use_container_width=True, key=key, render=False,
                  center=fly[0], zoom=fly[1],
                  feature_group_to_add=_highlight(selection, clicked, gcj02),
                  returned_objects=["last_clicked", "last_object_clicked", "last_active_drawing"],
                  on_change=lambda: _on_map_event(map_id, key, gcj02))
    with right, st.container(height=MAP_HEIGHT + 40, border=False):
        via = state.get("via")
        if selection and via:
            st.info(t(f"“{feature_name(*via)}”在本图上没有单独的位置，下面是包含它的要素。",
                      f"“{feature_name(*via)}” has no place of its own on this map; below is "
                      "the feature that holds it."))
        if selection:
            feature_panel(*selection)
        else:
            st.caption(t("点击地图上的区域或要素，或使用搜索，查看其定位、目标、任务与项目。",
                         "Click a zone or feature on the map, or search, for its positioning, "
                         "targets, tasks and projects."))
        st.divider()
        if clicked:
            zones_panel(map_id, clicked)
        else:
            st.caption(t("点击地图任意位置，列出该处所有区域。",
                         "Click anywhere on the map to list every zone at that point."))


def file_uploader(label_zh: str, label_en: str, key: str, types: list[str]):
    """st.file_uploader in the planner's language. Streamlit writes the uploader's button and its
    limits in English only ("Upload", "200MB per file • CSV"); on the Chinese interface they are
    hidden and written anew in Chinese, the uploader found by its key."""
    upload = st.file_uploader(t(label_zh, label_en), type=types, key=key)
    if lang() == "zh":
        limit = st.get_option("server.maxUploadSize")
        kinds = "、".join(kind.upper() for kind in types)
        box = f".st-key-{key} [data-testid=stFileUploaderDropzone]"
        hide = "visibility:hidden;font-size:0"
        show = "visibility:visible;font-size:14px"
        st.html(f"<style>{box} button p{{{hide}}}{box} button p::after{{content:'上传文件';{show}}}"
                f"{box} [data-testid=stFileUploaderDropzoneInstructions] span{{{hide}}}"
                f"{box} [data-testid=stFileUploaderDropzoneInstructions] span::after"
                f"{{content:'每个文件不超过 {limit} MB · {kinds}';{show}}}</style>")
    return upload
