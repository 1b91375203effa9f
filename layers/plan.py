"""The plan's content: the tables under data/, loaded once and cross-checked.

Tables (all UTF-8 CSV, one fact a row, each with its reference into the plan):
features (zones, towns, projects of the layout), targets, baselines, harbors (the five
"港湾" of 二(三)), tasks, annex5 (reforms, platforms, projects), units.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[1] / "data"
TABLES = ("features", "targets", "baselines", "harbors", "tasks", "annex5", "units", "extents")
# What makes a row of a table unique (default: its id).
KEYS = {"units": ["name_zh"], "extents": ["layer", "name_zh"]}
CITIES_OF_HARBOR = ("杭州市", "宁波市", "湖州市", "嘉兴市", "绍兴市", "舟山市")  # 附件4 第1行


@lru_cache(maxsize=None)
def table(name: str) -> pd.DataFrame:
    """One table of data/, as strings ("" where empty). Treat the result as read-only."""
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; known: {', '.join(TABLES)}")
    return pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8")


def split_ids(text: str) -> list[str]:
    return [part.strip() for part in str(text or "").split(";") if part.strip()]


def units_of(text: str) -> list[str]:
    """Parse a responsible-units text into unit names.

    The plan abbreviates a list of city governments: "杭州、宁波市政府" means 杭州市政府 and
    宁波市政府. Groups are separated by "，", units within a group by "、".
    """
    units: list[str] = []
    for group in re.split(r"[，,]", text or ""):
        names = [n.strip() for n in group.split("、") if n.strip()]
        if names and names[-1].endswith("市政府") and len(names) > 1 and all(
            len(n) <= 3 for n in names[:-1]
        ):
            names = [n if n.endswith("市政府") else f"{n}市政府" for n in names]
        units.extend(names)
    return units


def targets_for(refs) -> pd.DataFrame:
    """Targets named by ids or by Annex 4 rows ("A4-2" means every target of row 2)."""
    targets = table("targets")
    wanted: list[str] = []
    for ref in refs:
        row = re.fullmatch(r"A4-(\d)", ref)
        ids = targets.loc[targets["row"] == row.group(1), "id"] if row else [ref]
        wanted.extend(i for i in ids if i not in wanted)
    return targets.set_index("id").loc[wanted].reset_index() if wanted else targets.iloc[0:0]


def rows_for(table_name: str, ids) -> pd.DataFrame:
    frame = table(table_name)
    ids = list(dict.fromkeys(ids))
    return frame.set_index("id").loc[ids].reset_index() if ids else frame.iloc[0:0]


def check() -> list[str]:
    """Cross-references that do not resolve, as readable sentences (empty when all is well)."""
    problems = []
    target_ids = set(table("targets")["id"])
    rows = set(table("targets")["row"])
    task_ids, project_ids = set(table("tasks")["id"]), set(table("annex5")["id"])
    unit_names = set(table("units")["name_zh"])
    for name in TABLES:
        frame = table(name)
        key = KEYS.get(name, ["id"])
        dupes = [" ".join(row) for row in frame.loc[frame.duplicated(subset=key), key].itertuples(index=False)]
        if dupes:
            problems.append(f"data/{name}.csv: duplicate {' '.join(key)} {dupes}")
    for _, f in table("features").iterrows():
        for ref in split_ids(f["targets"]):
            row = re.fullmatch(r"A4-(\d)", ref)
            if (row and row.group(1) not in rows) or (not row and ref not in target_ids):
                problems.append(f"data/features.csv {f['id']}: unknown target {ref}")
        problems += [f"data/features.csv {f['id']}: unknown task {t}"
                     for t in split_ids(f["tasks"]) if t not in task_ids]
        problems += [f"data/features.csv {f['id']}: unknown project {p}"
                     for p in split_ids(f["projects"]) if p not in project_ids]
    for name in ("tasks", "annex5", "targets"):
        for _, r in table(name).iterrows():
            problems += [f"data/{name}.csv {r['id']}: unit {u} not in data/units.csv"
                         for u in units_of(r["responsible_units"]) if u not in unit_names]
    for _, b in table("baselines").iterrows():
        problems += [f"data/baselines.csv {b['id']}: unknown target {t}"
                     for t in split_ids(b["targets"]) if t not in target_ids]
    for _, h in table("harbors").iterrows():
        problems += [f"data/harbors.csv {h['id']}: unknown target {t}"
                     for t in split_ids(h["targets"]) if t not in target_ids]
    return problems
