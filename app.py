"""钱塘江金融港湾规划图 · Qiantang River Financial Harbor planning map.

    streamlit run app.py        (./scripts/run serves it through serve.py)

Pages are chosen in the sidebar and kept in the URL (?page=...), so that every link, copied or
reloaded, opens at the app's root: no sub-path for Streamlit to probe.
"""

import runpy
from pathlib import Path

import streamlit as st

from geo import assets
from pages.common import language_switch, reset_page_state, set_param, t

PAGES = {  # ?page= value: (file under pages/, Chinese title, English title)
    "layout": ("layout_map.py", "功能布局图", "Layout map"),
    "core-zone": ("core_zone_map.py", "核心区拥江扩面示意图", "Core zone"),
    "radiation": ("radiation_map.py", "辐射带动区示意图", "Radiation area"),
    "present": ("present.py", "演示", "Presentation"),
    "targets": ("targets.py", "目标监测", "Targets"),
    "tasks": ("tasks.py", "任务与事项", "Tasks"),
    "zone-check": ("zone_check.py", "项目落区核查", "Zone check"),
    "data": ("data.py", "数据与来源", "Data and sources"),
}
DEFAULT = "layout"


def page_switch() -> str:
    if "page" not in st.session_state:
        wanted = st.query_params.get("page", DEFAULT)
        st.session_state["page"] = wanted if wanted in PAGES else DEFAULT
    st.sidebar.radio(t("页面", "Page"), list(PAGES), key="page",
                     format_func=lambda p: t(PAGES[p][1], PAGES[p][2]))
    page = st.session_state["page"]
    if st.session_state.get("shown-page", page) != page:
        reset_page_state()  # another page starts from its own defaults, as from its link
        st.session_state["zc-seen"] = False  # the zone check's upload waits for the return
    st.session_state["shown-page"] = page
    set_param("page", None if page == DEFAULT else page)
    return page


def current_page() -> None:
    language_switch()
    page = page_switch()
    runpy.run_path(str(Path(__file__).parent / "pages" / PAGES[page][0]), run_name="__page__")


st.set_page_config(page_title="钱塘江金融港湾 · Financial Harbor", page_icon="🗺️", layout="wide")
assets.install()
# Less empty space above the page's title: the map should get the window's height.
st.html("<style>.stMainBlockContainer{padding-top:2.2rem;padding-bottom:1rem}</style>")
# One entry point, hidden navigation: this also stops Streamlit from listing pages/ itself.
st.navigation([st.Page(current_page, title="钱塘江金融港湾", default=True)], position="hidden").run()
