"""任务与事项 · Tasks: every task of 三 and 四 and every Annex 5 item with its status and note,
filtered by responsible unit (Annex 6) and city; the one chosen shown on a map with its places,
its status recorded by those who answer for it. The same store as python -m layers.progress."""

import streamlit as st
from streamlit_folium import st_folium

from layers import progress
from layers.english import ref_en
from layers.evaluation import item_rows
from layers.links import places_of
from layers.maps import places_map
from layers.plan import CITIES_OF_HARBOR
from layers.zones import english_name
from pages.common import in_language, lang, t
from pages.targets_parts import coloured, item_history, sign_in_box, status_form

st.title(t("任务与事项", "Tasks and Annex 5 items"))
st.caption(t("计划三、四的任务与附件5的重大改革、重大平台、重点项目，各有其责任单位、状态与说明。",
             "The tasks of sections 3 and 4 and the reforms, platforms and projects of Annex 5, each "
             "with its responsible units, status and note."))
account = sign_in_box()
statuses = progress.all_statuses()
rows = item_rows(lang(), statuses)
ids = list(progress.items())
units = sorted({u for i in ids for u in progress.units_for(progress.items()[i])})
cities = [*CITIES_OF_HARBOR, "衢州市"]
left, right = st.columns(2)
unit = left.selectbox(t("责任单位", "Responsible unit"), ["", *units], key="tasks-unit",
                      format_func=lambda u: u or t("全部单位", "Every unit"))
city = right.selectbox(t("城市", "City"), ["", *cities], key=in_language("tasks-city"),
                       format_func=lambda c: (english_name(c) if lang() == "en" else c) if c else t("全部城市", "Every city"))
keep = [(not unit or unit in progress.units_for(progress.items()[i])) and
        (not city or city in progress.item_cities(i)) for i in ids]
shown = rows[keep]
st.caption(t(f"{len(shown)} / {len(rows)} 项", f"{len(shown)} of {len(rows)}"))
st.dataframe(coloured(shown), hide_index=True, width="stretch")

chosen = [i for i, k in zip(ids, keep) if k]
if not chosen:
    st.stop()
item_id = st.selectbox(t("查看一项", "One of them"), chosen, key="tasks-one",
                       format_func=lambda i: f"{ref_en(i)} {progress.items()[i]['name_en']}" if lang() == "en"
                       else f"{i} {progress.items()[i]['name_zh']}")
left, right = st.columns([3, 2])
with left:
    fmap = places_map(places_of(item_id), lang())
    if fmap is None:
        st.info(t("计划没有为此项给出地点，地图上没有它的位置。", "The plan gives this one no place: it is not on the map."))
    else:
        st_folium(fmap, height=460, use_container_width=True, returned_objects=[], key=f"tasks-map-{item_id}-{lang()}")
with right:
    if account:
        status_form(item_id, account, statuses)
    else:
        st.caption(t("登录后可填报状态（侧栏）。", "Sign in (sidebar) to record a status."))
with st.expander(t("修改记录", "History of changes")):
    item_history(item_id, account)
