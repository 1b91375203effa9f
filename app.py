"""钱塘江金融港湾规划图 · Qiantang River Financial Harbor planning map.

    streamlit run app.py
"""

import streamlit as st

from geo import assets
from pages.common import language_switch, t

st.set_page_config(page_title="钱塘江金融港湾 · Financial Harbor", page_icon="🗺️", layout="wide")
assets.install()
language_switch()

pages = [
    st.Page("pages/layout_map.py", title=t("功能布局图", "Layout map"), default=True),
    st.Page("pages/core_zone_map.py", title=t("核心区拥江扩面示意图", "Core zone"),
            url_path="core-zone"),
    st.Page("pages/radiation_map.py", title=t("辐射带动区示意图", "Radiation area"),
            url_path="radiation"),
    st.Page("pages/data.py", title=t("数据与来源", "Data and sources"), url_path="data"),
]
st.navigation(pages).run()
