"""The plan's targets, tasks and Annex 5 items as tables for a reader, in one language: the
headers and the plan's short words (comparators, units, responsible units, references) in
Chinese or in English (layers/english.py)."""

from __future__ import annotations

import pandas as pd

from layers.english import (COMPARATORS, NUMERALS, UNITS, VALUE_TEXT, amount_en, provenance_zh, ref_en,
                            scope_en, sections_en, units_en)
from layers.plan import split_ids
from layers.registry import BY_ID, GROUPS


def targets_table(targets: pd.DataFrame, lang: str) -> pd.DataFrame:
    value = targets["value"].where(targets["value"] != "", targets["value_text"])
    period = targets["period"].where(targets["period"] != "", targets["year"])
    if lang != "en":
        return pd.DataFrame({
            "指标": targets["indicator_zh"],
            "范围": targets["scope_zh"].where(targets["scope_zh"] != "", "—"),
            "目标": targets["comparator_zh"] + " " + value + " " + targets["unit_zh"],
            "年份/期间": period,
            "责任单位": targets["responsible_units"], "出处": targets["ref"]})
    amounts = [amount_en(v, u) if v else VALUE_TEXT[text]
               for v, u, text in zip(targets["value"], targets["unit_zh"], targets["value_text"])]
    return pd.DataFrame({
        "Indicator": targets["indicator_en"],
        "Scope": [scope_en(c, z) for c, z in zip(targets["scope"], targets["scope_zh"])],
        "Target": [f"{COMPARATORS[c]} {a}".strip() for c, a in zip(targets["comparator_zh"], amounts)],
        "Year / period": period.replace({"五年内": "within five years"}),
        "Responsible units": targets["responsible_units"].map(units_en),
        "Plan reference": targets["ref"].map(ref_en)})


def tasks_table(tasks: pd.DataFrame, lang: str) -> pd.DataFrame:
    if lang != "en":
        return pd.DataFrame({"编号": tasks["id"], "任务": tasks["title_zh"],
                             "责任单位": tasks["responsible_units"]})
    return pd.DataFrame({"No.": tasks["id"].map(ref_en), "Task": tasks["title_en"],
                         "Responsible units": tasks["responsible_units"].map(units_en)})


def projects_table(projects: pd.DataFrame, lang: str) -> pd.DataFrame:
    if lang != "en":
        return pd.DataFrame({"编号": projects["id"], "类别": projects["type_zh"],
                             "名称": projects["name_zh"],
                             "责任单位": projects["responsible_units"]})
    return pd.DataFrame({"No.": projects["id"], "Kind": projects["type"].str.capitalize(),
                         "Name": projects["name_en"],
                         "Responsible units": projects["responsible_units"].map(units_en)})


# Every column of the data tables (data/*.csv, the layer summary) as a reader sees it.
HEADERS = {
    "id": ("编号", "Id"), "layer": ("图层", "Layer"), "name_zh": ("名称", "Name (Chinese)"),
    "name_en": ("—", "Name"), "city": ("城市", "City"), "positioning_zh": ("定位", "—"),
    "positioning_en": ("—", "Positioning (translated)"), "extent_zh": ("范围（规划原文）", "—"),
    "ref": ("出处", "Plan reference"), "members": ("成员城市", "Member cities"),
    "targets": ("目标", "Targets"), "tasks": ("任务", "Tasks"), "projects": ("项目", "Projects"),
    "row": ("附件4 行", "Annex 4 row"), "scope": ("—", "Scope"), "scope_zh": ("范围", "—"),
    "indicator_zh": ("指标", "—"), "indicator_en": ("—", "Indicator"),
    "comparator_zh": ("比较", "Comparator"), "value": ("数值", "Value"),
    "unit_zh": ("单位", "Unit"), "value_text": ("文字目标", "Worded target"),
    "year": ("年份", "Year"), "period": ("期间", "Period"),
    "responsible_units": ("责任单位", "Responsible units"), "quote": ("规划原文", "—"),
    "lead_zh": ("牵头", "—"), "section": ("部分", "Section"), "part": ("节", "Part"),
    "number": ("序号", "Number"), "title_zh": ("任务", "—"), "title_en": ("—", "Task"),
    "type": ("—", "Kind"), "type_zh": ("类别", "—"), "description_zh": ("内容（规划原文）", "—"),
    "kind": ("—", "Kind"), "in_annex6": ("附件6所列", "In Annex 6"), "note": ("—", "Note"),
    "group": ("组", "Group"), "features": ("要素数", "Features"), "located": ("已定位", "Located"),
    "source": ("来源", "Source"), "accuracy": ("精度", "Accuracy"), "license": ("许可", "License"),
    "origin": ("几何文件", "Geometry file"), "warnings": ("提示", "Warnings"),
    "published_km2": ("发布面积（平方千米）", "Published area (km²)"),
    "drawn_km2": ("绘制面积（平方千米）", "Drawn area (km²)"),
    "difference_pct": ("差异（%）", "Difference (%)"), "extent_quote": ("四至（原文）", "—"),
    "cite_zh": ("面积与四至出处", "—"), "cite_en": ("—", "Source of area and boundary"),
    "confidence": ("出处类别", "Kind of source"), "note_zh": ("说明", "—"),
    "note_en": ("—", "Note"),
}


def _each(ids: str, word) -> str:
    return "; ".join(word(x) for x in split_ids(ids))


def _digits(text: str) -> str:
    return "".join(NUMERALS.get(ch, ch) for ch in text)


# What a column's values become in each view.
VALUES = {
    "en": {"id": ref_en, "note": ref_en, "responsible_units": units_en, "ref": ref_en,
           "source": sections_en, "tasks": lambda v: _each(v, ref_en),
           "comparator_zh": COMPARATORS.get, "unit_zh": UNITS.get, "value_text": VALUE_TEXT.get,
           "period": lambda v: {"五年内": "within five years"}.get(v, v), "section": _digits,
           "part": _digits, "layer": lambda v: BY_ID[v].name_en if v in BY_ID else v,
           "group": lambda v: GROUPS.get(v, ("", v))[1]},
    "zh": {"source": provenance_zh, "accuracy": provenance_zh, "license": provenance_zh,
           "confidence": provenance_zh, "layer": lambda v: BY_ID[v].name_zh if v in BY_ID else v,
           "group": lambda v: GROUPS.get(v, (v, ""))[0],
           "origin": lambda v: v.replace("bundled: ", "自带：").replace("configured: ", "配置：")},
}


def for_reader(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A data table as a reader sees it in ``lang``: headers in that language, the columns of
    the other language left out ("—" in HEADERS), and the plan's short words, references,
    units and the geometry's provenance in that language (VALUES)."""
    i = 1 if lang == "en" else 0
    keep = [c for c in frame.columns if HEADERS.get(c, ("", ""))[i] != "—"]
    out = frame[keep].copy()
    for column, word in VALUES["en" if lang == "en" else "zh"].items():
        if column in out:
            out[column] = out[column].map(lambda v, w=word: w(v) if v not in ("", None) else v)
    if lang == "en" and {"scope", "scope_zh"} <= set(frame.columns):  # a code, named in English
        out["scope"] = [scope_en(c, z) for c, z in zip(frame["scope"], frame["scope_zh"])]
    return out.rename(columns={c: HEADERS[c][i] for c in keep if c in HEADERS})
