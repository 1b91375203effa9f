"""The parts of the targets page (pages/targets.py): the sign-in, the status tables, a target's
chart and history, the form that records a value, the template and its upload, the downloads.
Each calls layers.progress, layers.templates or layers.evaluation: no rule is decided here."""

from __future__ import annotations

import datetime as dt
import io

import altair as alt
import pandas as pd
import streamlit as st

from layers import accounts, progress
from layers.english import UNITS
from layers.evaluation import write_report
from layers.plan import table
from layers.progress_words import COLUMNS, message, word
from layers.status import COLOURS, FIRST_YEAR, KINDS as KIND_CODES, LAST_YEAR, STATUSES, rules
from layers.templates import apply_upload, read_upload, write_template
from layers.zones import english_name
from pages.common import file_uploader, in_language, lang, plain, t

TASK_STATUSES = progress.TASK_STATUSES
ROLES = {"viewer": ("查看", "viewer"), "editor": ("填报", "editor"), "admin": ("管理员", "administrator")}


def status_word(code: str) -> str:
    return word(STATUSES, code, lang())


def refusal(err: progress.Refused) -> None:
    for code, details in err.problems:
        st.error(message(code, details, lang()))


# ---- who is signed in -------------------------------------------------------------------------

def signed_in() -> accounts.Account | None:
    return st.session_state.get("account")


def sign_in_box() -> accounts.Account | None:
    """The sidebar's sign-in (viewing needs none; recording does), and on the page what the
    last save or undo did (it reran the page)."""
    if saved := st.session_state.pop("targets-saved", None):
        st.success(saved)
    account = signed_in()
    with st.sidebar:
        if account:
            units = "、".join(account.units) if account.units else t("全部", "all")
            role = word(ROLES, account.role, lang())
            st.caption(t(f"已登录：{account.name}（{role}，{units}）",
                         f"Signed in: {account.name} ({role}; units: {units})"))
            if st.button(t("退出登录", "Sign out"), key="sign-out"):
                st.session_state.pop("account", None)
                st.rerun()
            return account
        with st.form("sign-in", border=True):
            st.caption(t("查看无需登录；填报需登录。", "Viewing needs no account; recording needs one."))
            user = st.text_input(t("用户名", "User name"), key="sign-in-user")
            password = st.text_input(t("密码", "Password"), type="password", key="sign-in-password")
            if st.form_submit_button(t("登录", "Sign in")):
                try:
                    st.session_state["account"] = accounts.sign_in(user.strip(), password)
                    st.rerun()
                except accounts.SignInError as err:
                    st.error(t(f"尝试次数过多：请 {err.wait} 分钟后再试。", f"Too many attempts: try again in "
                               f"{err.wait} minutes.") if err.wait else
                             t("用户名或密码不正确。", "Wrong user name or password."))
    return None


# ---- the status tables ---------------------------------------------------------------------

def counts(rows: pd.DataFrame) -> None:
    column = word(COLUMNS, "status", lang())
    cells = st.columns(len(STATUSES))
    for cell, code in zip(cells, STATUSES):
        n = int((rows[column] == status_word(code)).sum())
        cell.markdown(f"<div style='border-left:.5em solid {COLOURS[code]};padding-left:.6em'>"
                      f"<div style='font-size:.9em'>{status_word(code)}</div>"
                      f"<div style='font-size:1.8em;font-weight:600'>{n}</div></div>",
                      unsafe_allow_html=True)  # constant words and a count: no user text


def coloured(frame: pd.DataFrame):
    column = word(COLUMNS, "status", lang())
    colour = {status_word(c): COLOURS[c] for c in STATUSES}
    return frame.style.map(lambda v: f"background-color:{colour.get(v, '')};color:white;font-weight:600"
                           if v in colour else "", subset=[column])


GROUPS = {"harbor": ("按港湾（二(三)）", "By harbor (2(3))"), "row": ("按附件4 行", "By Annex 4 row"),
          "city": ("按城市", "By city")}
SHOWN = ("id", "indicator", "target", "status", "measure", "year", "progress", "kind", "baseline", "units")


def grouped_tables(rows: pd.DataFrame) -> None:
    by = st.radio(t("分组", "Group"), list(GROUPS), horizontal=True, key=in_language("targets-group"),
                  format_func=lambda g: t(*GROUPS[g]))
    column = word(COLUMNS, by, lang())
    names = {"indicator": ("指标", "Indicator"), "target": ("目标", "Target"), "units": ("责任单位", "Responsible units")}
    shown = [word(names, c, lang()) if c in names else word(COLUMNS, c, lang()) for c in SHOWN]
    groups = list(rows.groupby(column, sort=False))
    for value, part in sorted(groups, key=lambda g: g[0] == ""):  # the ungrouped last
        heading = value or {"harbor": t("其他目标（附件4、附件5）", "Other targets (Annex 4, Annex 5)"),
                            "row": t("不在附件4 的目标（二(三)、附件5）", "Targets outside Annex 4 (2(3), Annex 5)"),
                            "city": t("全省、港湾或多个城市的目标", "Targets of the province, the harbor or several cities")}[by]
        if by == "row" and value:
            heading = t(f"附件4 第 {value} 行", f"Annex 4, row {value}")
        st.markdown(f"**{plain(heading)}**")
        st.dataframe(coloured(part[shown]), hide_index=True, width="stretch", column_config={
            shown[1]: st.column_config.TextColumn(width="large"),
            shown[2]: st.column_config.TextColumn(width="medium"),
            word(COLUMNS, "status", lang()): st.column_config.TextColumn(width="small"),
            shown[-1]: st.column_config.TextColumn(width="large")})





def rules_box() -> None:
    config = rules()
    with st.expander(t("状态的判定规则（可在 data/status_rules.toml 中调整）",
                       "How a status is decided (adjustable in data/status_rules.toml)")):
        for kind in (*KIND_CODES, "none"):
            st.markdown(f"- {plain(config.sentence(kind, lang()))}")


# ---- one target: its chart and history -------------------------------------------------------

def target_label(target_id: str) -> str:
    target = progress.targets()[target_id]
    return f"{target_id} {target['indicator_en' if lang() == 'en' else 'indicator_zh']}"


def chart(target_id: str, values: list[dict]) -> None:
    """The reported values 2020-2025 (a total over the period as its running sum) against the
    target; the 2020 baseline where it is in the target's unit."""
    target = progress.targets()[target_id]
    row = next(r for r in progress.status_rows(values) if r.target["id"] == target_id)
    if row.kind == "qualitative":  # a worded target: its status by year, no line to draw
        given = [(y, r) for y, r in sorted(row.yearly.items()) if r.get("status")]
        if not given:
            st.info(t("无数据：尚未报告状态。", "No data: no status has been reported yet."))
            return
        st.dataframe(pd.DataFrame({t("年份", "Year"): [y for y, _ in given],
                                   t("状态", "Status"): [status_word(r["status"]) for _, r in given],
                                   t("说明", "Note"): [r.get("note", "") for _, r in given]}),
                     hide_index=True, width="stretch")
        return
    points = [(y, progress.number(r.get("value"))) for y, r in sorted(row.yearly.items())]
    points = [(y, float(v)) for y, v in points if v is not None]
    if row.kind == "cumulative":
        total, running = 0.0, []
        for y, v in points:
            total += v
            running.append((y, total))
        points = running
    base = progress.baseline_of().get(target_id)
    if base and base["unit_zh"] == target["unit_zh"]:
        points = [(2020, float(base["value"]))] + points
    unit = target["unit_zh"] if lang() == "zh" else (UNITS.get(target["unit_zh"]) or "")
    if not points:
        st.info(t("无数据：尚未报告任何数值。", "No data: no value has been reported yet."))
        return
    frame = pd.DataFrame(points, columns=["year", "value"])
    what = t("期间累计", "Total since 2021") if row.kind == "cumulative" else t("报告值", "Reported value")
    y_title = f"{what}（{unit}）" if unit and lang() == "zh" else f"{what} ({unit})" if unit else what
    line = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("year:O", title=t("年份", "Year"), scale=alt.Scale(domain=list(range(2020, LAST_YEAR + 1)))),
        y=alt.Y("value:Q", title=y_title, scale=alt.Scale(reverse=row.kind == "rank", zero=row.kind != "rank")))
    layers = [line]
    if target["value"]:
        goal = alt.Chart(pd.DataFrame({"goal": [float(target["value"])]})).mark_rule(
            color="#c62828", strokeDash=[6, 4]).encode(y="goal:Q")
        layers.append(goal)
    st.altair_chart(alt.layer(*layers).properties(height=260), width="stretch")
    st.caption(t("红色虚线：2025 年目标。", "Red dashed line: the 2025 target.") if target["value"] else "")


def history(target_id: str, account: accounts.Account | None) -> None:
    """The changes of a target's values, every year and city, with an undo."""
    _changes(target_id, progress.history(target_id), account, progress.targets()[target_id])


def item_history(item_id: str, account: accounts.Account | None) -> None:
    """The changes of a task's or an Annex 5 item's status, with an undo."""
    _changes(item_id, progress.history(item_id), account, progress.items()[item_id])


def _changes(target_id: str, changes: list[dict], account, owner: dict) -> None:
    if not changes:
        st.caption(t("尚无修改记录。", "No change recorded yet."))
        return
    shown = pd.DataFrame([{
        t("编号", "No."): c["id"], t("时间（UTC）", "When (UTC)"): c["at"], t("用户", "User"): c["user"],
        t("年份", "Year"): c["year"], t("城市", "City"): c["place"],
        t("原值", "Old value"): _record_text(c["old"]), t("新值", "New value"): _record_text(c["new"]),
        t("来源", "Source"): (c["new"] or {}).get("source", ""),
        t("撤销", "Undoes"): c["undo_of"] or "", t("上传", "Upload"): c["upload_id"] or ""} for c in changes])
    st.dataframe(shown, hide_index=True, width="stretch")
    if account and account.may_record(progress.units_for(owner)):
        left, right = st.columns([1, 3])
        chosen = left.selectbox(t("撤销第几号修改", "Undo change no."), [c["id"] for c in reversed(changes)],
                                key=f"undo-{target_id}")
        if right.button(t("撤销", "Undo"), key=f"undo-button-{target_id}"):
            try:
                progress.undo(account, chosen)
                st.session_state["targets-saved"] = t(f"已撤销第 {chosen} 号修改（撤销本身也记录在案）。",
                                                      f"Change {chosen} undone (the undo is recorded too).")
                st.rerun()
            except progress.Conflict:
                st.error(t(f"第 {chosen} 号修改之后，该记录又有修改（或它已被撤销）：请撤销最后一次修改。",
                           f"The record was changed after change {chosen} (or it was undone already): "
                           "undo the last change."))
            except progress.Refused as err:
                refusal(err)


def _record_text(record: dict | None) -> str:
    if not record:
        return "—"
    text = record.get("value") or status_word(record.get("status") or "no_data")
    return f"{text}（{record['note']}）" if record.get("note") and not record.get("value") else text


def city_map(values: list[dict]) -> None:
    """The six cities shaded by a target reported per city (its latest value in each)."""
    from streamlit_folium import st_folium

    from layers.maps import choropleth_map

    rows = [r for r in progress.status_rows(values) if r.cities]
    if not rows:
        st.caption(t("尚无分市填报的目标：在“城市”中选择城市即可分市填报港湾、全省范围的目标。",
                     "No target has values per city yet: record a harbor-wide or province-wide target "
                     "for one city by choosing the city."))
        return
    chosen = st.selectbox(t("目标", "Target"), [r.target["id"] for r in rows], format_func=target_label,
                          key="targets-choropleth")
    row = next(r for r in rows if r.target["id"] == chosen)
    latest = {}
    for city, yearly in row.cities.items():
        numbers = {y: progress.number(v.get("value")) for y, v in yearly.items()}
        numbers = {y: v for y, v in numbers.items() if v is not None}
        if numbers:
            latest[city] = (max(numbers), float(numbers[max(numbers)]))
    st.caption("；".join(f"{c} {v:g}（{y}）" for c, (y, v) in latest.items()) if lang() == "zh" else
               "; ".join(f"{english_name(c)} {v:g} ({y})" for c, (y, v) in latest.items()))
    unit = row.target["unit_zh"] if lang() == "zh" else (UNITS.get(row.target["unit_zh"]) or "")
    fmap = choropleth_map({c: v for c, (_, v) in latest.items()}, lang(), unit, target_label(chosen))
    st_folium(fmap, height=480, use_container_width=True, returned_objects=[],
              key=f"targets-choropleth-{chosen}-{lang()}")


# ---- recording one value -----------------------------------------------------------------------

def record_form(target_id: str, account: accounts.Account, values: list[dict]) -> None:
    target = progress.targets()[target_id]
    places = progress.places_for(account, target)
    if not places:
        st.caption(t(f"此目标的责任单位是 {target['responsible_units'] or '—'}，您不能填报。",
                     f"This target is answered for by {target['responsible_units'] or '—'}: you cannot record it."))
        return
    worded = progress.kind_of(target) == "qualitative"
    left, right = st.columns(2)
    year = left.selectbox(t("年份", "Year"), list(range(LAST_YEAR, FIRST_YEAR - 1, -1)), key=f"rec-year-{target_id}")
    place = right.selectbox(t("城市（分市填报）", "City (for a value per city)"), places,
                            key=in_language(f"rec-place-{target_id}"),
                            format_func=lambda c: (english_name(c) if lang() == "en" else c) if c
                            else t("目标本身的范围", "The target's own scope"))
    current = next((v for v in values if v["target_id"] == target_id and v["year"] == year
                    and v["place"] == place), None) or {}
    seen_key = f"rec-seen-{target_id}-{year}-{place}"
    if seen_key not in st.session_state:  # the version this editor saw when the form was shown
        st.session_state[seen_key] = current.get("version")
    # the fields belong to this year, city and version: another one starts from what is stored there
    suffix = f"{target_id}-{year}-{place}-{st.session_state[seen_key]}"
    if current:
        st.caption(t(f"当前：{_record_text(current)}（{current['by']}，{current['at']} UTC）",
                     f"Now: {_record_text(current)} ({current['by']}, {current['at']} UTC)"))
    with st.form(f"record-{suffix}", border=True):
        if worded:
            options = list(TASK_STATUSES)
            status = st.selectbox(t("状态", "Status"), options, format_func=status_word,
                                  index=options.index(current["status"]) if current.get("status") in options else None,
                                  placeholder=t("请选择", "Choose one"), key=in_language(f"rec-status-{suffix}"))
            value = ""
        else:
            unit = target["unit_zh"] if lang() == "zh" else (UNITS.get(target["unit_zh"]) or "")
            value = st.text_input(t(f"报告值（{unit or '数字'}）", f"Reported value ({unit or 'a number'})"),
                                  value=current.get("value") or "", key=f"rec-value-{suffix}")
            status = None
        source = st.text_input(t("来源（出处）", "Source"), value=current.get("source", ""), key=f"rec-source-{suffix}")
        url = st.text_input(t("来源网址", "Source URL"), value=current.get("source_url", ""), key=f"rec-url-{suffix}")
        published = st.text_input(t("发布日期（年-月-日）", "Published (year-month-day)"),
                                  value=current.get("published", ""), key=f"rec-date-{suffix}")
        note = st.text_area(t("说明", "Note"), value=current.get("note", ""), key=f"rec-note-{suffix}")
        if st.form_submit_button(t("保存", "Save")):
            fields = {"value": value, "status": status, "source": source, "source_url": url,
                      "published": published, "note": note}
            try:
                progress.record_value(account, target_id, year, fields, st.session_state[seen_key], place=place)
                st.session_state.pop(seen_key, None)
                st.session_state["targets-saved"] = t(f"已保存 {target_id} {year} 年的数值。",
                                                      f"Saved {target_id} for {year}.")
                st.rerun()
            except progress.Conflict as conflict:
                st.error(message(*progress.conflict_problem(target_id, conflict.current, lang()), lang()))
                st.session_state.pop(seen_key, None)  # shown again with the other's value
            except progress.Refused as err:
                refusal(err)


def status_form(item_id: str, account: accounts.Account, statuses: dict) -> None:
    """The status and note of a task or an Annex 5 item, for one who answers for it."""
    item = progress.items()[item_id]
    if not account.may_record(progress.units_for(item)):
        st.caption(t(f"此项的责任单位是 {item['responsible_units'] or '—'}，您不能填报。",
                     f"This one is answered for by {item['responsible_units'] or '—'}: you cannot record it."))
        return
    current = statuses.get(item_id)
    seen_key = f"status-seen-{item_id}"
    if seen_key not in st.session_state:
        st.session_state[seen_key] = current["version"] if current else None
    with st.form(f"status-{item_id}", border=True):
        options = list(TASK_STATUSES)
        status = st.selectbox(t("状态", "Status"), options, format_func=status_word, key=in_language(f"status-{item_id}"),
                              index=options.index(current["status"]) if current else 0)
        note = st.text_area(t("说明（依据）", "Note (the grounds)"), value=(current or {}).get("note", ""),
                            key=f"status-note-{item_id}")
        if st.form_submit_button(t("保存", "Save")):
            try:
                progress.record_status(account, item_id, {"status": status, "note": note}, st.session_state[seen_key])
                st.session_state.pop(seen_key, None)
                st.session_state["targets-saved"] = t(f"已保存 {item_id} 的状态。", f"Saved the status of {item_id}.")
                st.rerun()
            except progress.Conflict as conflict:
                st.error(message(*progress.conflict_problem(item_id, conflict.current, lang()), lang()))
                st.session_state.pop(seen_key, None)
            except progress.Refused as err:
                refusal(err)


# ---- templates, uploads, downloads ---------------------------------------------------------------

def unit_choice(account: accounts.Account) -> str | None:
    units = list(account.units) if account.role == "editor" else list(table("units")["name_zh"])
    units = [u for u in units if progress.unit_targets(u) or progress.unit_items(u)]
    if not units:
        return None
    return st.selectbox(t("单位", "Unit"), units, key="template-unit")


def template_and_upload(account: accounts.Account) -> None:
    unit = unit_choice(account)
    if unit:
        out = io.BytesIO()
        write_template(unit, out, lang())
        st.download_button(t(f"下载{unit}的填报模板（Excel）", f"Download the template of {unit} (Excel)"),
                           out.getvalue(), file_name=f"harbor_template_{unit}_{dt.date.today()}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="template-download")
    upload = file_uploader("上传填好的模板", "Upload a filled template", "template-upload", ["xlsx"])
    if upload is None:
        return
    checked = read_upload(upload.getvalue(), upload.name, account)
    if checked.problems:
        st.error(t(f"{upload.name}：共 {len(checked.problems)} 处问题，未存入任何内容。请改正后重新上传。",
                   f"{upload.name}: {len(checked.problems)} problems; nothing was stored. Correct them and upload again."))
        st.dataframe(pd.DataFrame({t("问题", "Problem"): [p.text(lang()) for p in checked.problems]}),
                     hide_index=True, width="stretch")
        return
    if not checked.changes:
        st.info(t("文件中没有新的或改动的内容。", "The file has nothing new or changed."))
        return
    st.info(t(f"检查通过：{len(checked.changes)} 处修改，尚未存入。", f"Checked: {len(checked.changes)} changes, not stored yet."))
    if st.button(t("存入", "Store them"), key="template-apply"):
        try:
            upload_id = apply_upload(checked, account)
            st.session_state["targets-saved"] = t(f"已存入 {len(checked.changes)} 处修改（上传编号 {upload_id}）。",
                                                  f"Stored {len(checked.changes)} changes (upload {upload_id}).")
            st.rerun()
        except progress.Refused as err:
            refusal(err)


def downloads() -> None:
    """The evaluation table, made when asked: Excel and Word hold the targets and the tasks;
    CSV is two files, the targets and the tasks and items."""
    import tempfile
    from pathlib import Path

    kinds = {"xlsx": "Excel", "docx": "Word", "csv": "CSV"}
    cols = st.columns(len(kinds))
    stem = f"harbor_evaluation_{lang()}_{dt.date.today()}"
    for col, (suffix, name) in zip(cols, kinds.items()):
        with col:
            if st.button(t(f"生成评估表（{name}）", f"Make the evaluation table ({name})"), key=f"report-{suffix}"):
                with tempfile.TemporaryDirectory() as folder:
                    path = write_report(Path(folder) / f"evaluation.{suffix}", lang())
                    files = [(path.read_bytes(), f"{stem}.{suffix}")]
                    if suffix == "csv":
                        files.append(((path.parent / "evaluation_items.csv").read_bytes(), f"{stem}_items.csv"))
                for n, (data, name_of_file) in enumerate(files):
                    label = t("下载", "Download") if n == 0 else t("下载任务与事项", "Download the tasks and items")
                    st.download_button(label, data, key=f"report-download-{suffix}-{n}", file_name=name_of_file)
