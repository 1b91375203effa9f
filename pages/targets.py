"""目标监测 · Targets: every target of the plan with its 2020 baseline, its latest reported value,
progress and status, grouped by harbor, Annex 4 row or city; a target's chart and history;
recording by those signed in; the units' templates and their upload; the evaluation table. The
same functions as `python -m layers.progress`."""

import streamlit as st

from layers import progress
from layers.evaluation import target_rows
from pages.common import lang, t
from pages.targets_parts import (chart, city_map, counts, downloads, grouped_tables, history, record_form,
                                 rules_box, sign_in_box, target_label, template_and_upload)

st.title(t("目标监测与终期评估", "Targets and the final evaluation"))
st.caption(t("计划期 2021—2025 年已结束：每个目标的 2020 年基数、最新报告值、完成进度与状态。应用只带有计划的基数与目标；"
             "没有报告值的目标为“无数据”。",
             "The plan ran 2021-2025: each target with its 2020 baseline, latest reported value, progress "
             "and status. The app ships the plan's baselines and targets only; a target with no reported "
             "value has no data."))
account = sign_in_box()
values = progress.all_values()
rows = target_rows(lang(), values)
counts(rows)
rules_box()
grouped_tables(rows)

st.subheader(t("单个目标", "One target"))
target_id = st.selectbox(t("目标", "Target"), list(progress.targets()), format_func=target_label, key="targets-one")
left, right = st.columns([3, 2])
with left:
    chart(target_id, values)
with right:
    if account:
        record_form(target_id, account, values)
    else:
        st.caption(t("登录后可填报（侧栏）。", "Sign in (sidebar) to record a value."))
with st.expander(t("修改记录", "History of changes")):
    history(target_id, account)

st.subheader(t("分市对比", "The six cities compared"))
city_map(values)

if account and account.role in ("editor", "admin"):
    st.subheader(t("填报模板", "Templates"))
    template_and_upload(account)

st.subheader(t("终期评估表", "The evaluation table"))
downloads()
