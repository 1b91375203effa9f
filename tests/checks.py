"""Checks of data/ against the plan text, as functions that return the problems they find,
so that tests can show both that the data passes and that a wrong fact is caught."""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from plan_text import PLAN, in_plan, squash

YEARS = {"2021", "2025"}


def annex4_rows() -> dict[str, tuple[str, str]]:
    """Annex 4 as {row: (target text, responsible units)}, read from the plan text."""
    raw = PLAN.read_text(encoding="utf-8")
    body = raw[raw.index("关键量化指标"):raw.index("重大改革、平台、项目清单")]
    rows = {}
    for line in body.splitlines():
        m = re.match(r"\s*(\d)\t(.+)\t(.+)$", line)
        if m:
            rows[m.group(1)] = (squash(m.group(2)), squash(m.group(3)))
    return rows


def numbers(text: str) -> Counter:
    found = re.findall(r"\d+(?:\.\d+)?", squash(text))
    return Counter(n for n in found if n not in YEARS)


def target_problems(targets: pd.DataFrame) -> list[str]:
    problems = []
    rows = annex4_rows()
    for _, r in targets.iterrows():
        where = f"target {r['id']}"
        if not in_plan(r["quote"]):
            problems.append(f"{where}: quote not in the plan: {r['quote']}")
        if r["value"] and not re.search(rf"(?<![\d.]){re.escape(r['value'])}(?![\d.])",
                                        squash(r["quote"])):
            problems.append(f"{where}: value {r['value']} is not the number in its quote")
        if r["unit_zh"] and r["unit_zh"] not in squash(r["quote"]):
            problems.append(f"{where}: unit {r['unit_zh']} not in its quote")
        # The comparator in its quote or its Annex 4 row ("提升至…以上" around the number).
        context = squash(r["quote"]) + (rows[r["row"]][0] if r["row"] else "")
        comparator = r["comparator_zh"]
        pieces = [comparator[:-2], "以上"] if len(comparator) > 2 and comparator.endswith("以上") \
            else [comparator]
        if comparator and not all(squash(piece) in context for piece in pieces):
            problems.append(f"{where}: comparator {comparator} not in its quote or row")
        if r["year"] and r["row"] and squash(f"{r['year']}年") not in rows[r["row"]][0]:
            problems.append(f"{where}: year {r['year']} is not its Annex 4 row's")  # 到 2025 年末
        for field in ("indicator_zh", "scope_zh", "value_text"):
            if r[field] and squash(r[field]) not in squash(r["quote"]) and not in_plan(r[field], 1):
                problems.append(f"{where}: {field} {r[field]!r} not in the plan")
        if r["row"]:
            text, units = rows[r["row"]]
            if squash(r["quote"]) not in text:
                problems.append(f"{where}: quote not in Annex 4 row {r['row']}")
            if squash(r["responsible_units"]) != units:
                problems.append(f"{where}: responsible units differ from Annex 4 row {r['row']}")
    for row, (text, _) in rows.items():
        in_data = Counter(v for v in targets.loc[targets["row"] == row, "value"] if v)
        if in_data != numbers(text):
            problems.append(f"Annex 4 row {row}: numbers in the plan {sorted(numbers(text).elements())}"
                            f" but in data {sorted(in_data.elements())}")
    return problems
