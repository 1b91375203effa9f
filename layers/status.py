"""A target's status from its reported values: the rules per kind of target (data/status_rules.toml)
and the judgement itself. Pure: values in, status out, no database.

Statuses: met (已完成), nearly (基本完成), not_met (未完成), no_data (无数据)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from layers.plan import DATA

STATUSES = {"met": ("已完成", "Met"), "nearly": ("基本完成", "Nearly met"),
            "not_met": ("未完成", "Not met"), "no_data": ("无数据", "No data")}
# The traffic light of Chinese monitoring dashboards (监测评估预警): green, amber, red, grey.
COLOURS = {"met": "#2e7d32", "nearly": "#f9a825", "not_met": "#c62828", "no_data": "#9e9e9e"}
KINDS = ("over", "reach", "cumulative", "rank", "annual", "qualitative")
FIRST_YEAR, LAST_YEAR = 2021, 2025  # the years a value may be reported for
STRICT = ("超过", "超")  # "超过 X" is more than X; "达到 X", "X 以上" include X


@dataclass(frozen=True)
class Rules:
    nearly: Decimal
    rank_margin: int
    kinds: dict
    text: dict

    def sentence(self, kind: str, lang: str) -> str:
        words = self.text[kind]["en" if lang == "en" else "zh"]
        return words.format(nearly=f"{(self.nearly * 100).normalize():f}%", rank_margin=self.rank_margin)


def rules_path() -> Path:
    return Path(os.environ.get("HARBOR_STATUS_RULES") or DATA / "status_rules.toml")


@lru_cache(maxsize=4)
def _rules(path: str, mtime_ns: int) -> Rules:
    with open(path, "rb") as f:
        raw = tomllib.load(f)
    nearly = Decimal(str(raw.get("nearly", "0.9")))
    if not Decimal(0) < nearly <= Decimal(1):
        raise ValueError(f"{path}: nearly must be a share between 0 and 1, not {nearly}")
    kinds = {str(k): str(v) for k, v in raw.get("kinds", {}).items()}
    bad = [f"{k} = {v}" for k, v in kinds.items() if v not in KINDS]
    if bad:
        raise ValueError(f"{path}: [kinds] {', '.join(bad)}: a kind is one of {', '.join(KINDS)}")
    return Rules(nearly, int(raw.get("rank_margin", 2)), kinds, raw["rules"])


def rules() -> Rules:
    path = rules_path()
    return _rules(str(path), path.stat().st_mtime_ns)


def kind_of(target: dict, config: Rules | None = None) -> str:
    """What kind of target a row of data/targets.csv is, from the plan's wording."""
    config = config or rules()
    if target["id"] in config.kinds:
        return config.kinds[target["id"]]
    comparator = target["comparator_zh"]
    if target["value_text"] or not target["value"]:
        return "qualitative"
    if "前" in comparator and target["unit_zh"] == "名":
        return "rank"
    if comparator.startswith("每年"):
        return "annual"
    if target["period"] and "累计" in target["indicator_zh"] + comparator or target["period"] == "五年内":
        return "cumulative"
    return "over" if comparator.startswith(STRICT) else "reach"


def number(text) -> Decimal | None:
    """A reported value as a decimal; None when there is none or it is not a number."""
    try:
        value = Decimal(str(text).strip().replace(",", ""))  # None and "" are no number either
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@dataclass(frozen=True)
class Judgement:
    status: str
    measure: Decimal | None  # the figure compared with the target (latest, total, mean, rank)
    year: int | None  # the latest year reported
    progress: Decimal | None  # the measure as a share of the target


def judge(target: dict, yearly: dict[int, dict], config: Rules | None = None) -> Judgement:
    """The status of one target from its values by year (records with "value" and, for a
    worded target, "status")."""
    config = config or rules()
    kind = kind_of(target, config)
    years = sorted(y for y, r in yearly.items() if FIRST_YEAR <= y <= LAST_YEAR and r)
    if kind == "qualitative":
        given = [y for y in years if yearly[y].get("status") in STATUSES]
        if not given:
            return Judgement("no_data", None, None, None)
        return Judgement(yearly[given[-1]]["status"], None, given[-1], None)
    numbers = {y: number(yearly[y].get("value")) for y in years}
    numbers = {y: v for y, v in numbers.items() if v is not None}
    if not numbers:
        return Judgement("no_data", None, None, None)
    goal, latest = Decimal(target["value"]), max(numbers)
    if kind == "rank":
        rank = numbers[latest]
        status = "met" if rank <= goal else "nearly" if rank <= goal + config.rank_margin else "not_met"
        return Judgement(status, rank, latest, goal / rank)  # a rank is 1 or more (layers.progress)
    if kind == "annual":
        mean = sum(numbers.values()) / len(numbers)
        every = all(y in numbers and numbers[y] >= goal for y in range(FIRST_YEAR, LAST_YEAR + 1))
        status = "met" if every else "nearly" if mean >= config.nearly * goal else "not_met"
        return Judgement(status, mean, latest, mean / goal)  # every goal of the plan is above 0
    measure = sum(numbers.values()) if kind == "cumulative" else numbers[latest]
    strict = kind == "over" or kind == "cumulative" and target["comparator_zh"].startswith(STRICT)
    done = measure > goal if strict else measure >= goal
    status = "met" if done else "nearly" if measure >= config.nearly * goal else "not_met"
    return Judgement(status, measure, latest, measure / goal)
