"""The plan's targets, tasks and Annex 5 items as tables for a reader, in one language: the
headers and the plan's short words (comparators, units, responsible units, references) in
Chinese or in English (layers/english.py)."""

from __future__ import annotations

import pandas as pd

from layers.english import COMPARATORS, UNITS, VALUE_TEXT, ref_en, scope_en, units_en


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
    value_en = targets["value"].where(targets["value"] != "",
                                      targets["value_text"].map(VALUE_TEXT))
    return pd.DataFrame({
        "Indicator": targets["indicator_en"],
        "Scope": [scope_en(c, z) for c, z in zip(targets["scope"], targets["scope_zh"])],
        "Target": targets["comparator_zh"].map(COMPARATORS) + " " + value_en + " " +
        targets["unit_zh"].map(UNITS),
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
