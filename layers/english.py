"""The plan's short words in English for the English interface (comparators, units, scopes,
the few worded target values, responsible units, references into the plan), and the geometry's
source and accuracy in Chinese for the Chinese one (data/provenance.csv). Names of places,
zones and projects are not here: they are data (name_en in data/)."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

import pandas as pd

from layers.plan import DATA, table, units_of

COMPARATORS = {"": "", "以上": "at least", "助力": "help reach", "培育": "foster",
               "年均增长": "average annual growth", "引进和培育": "attract and foster",
               "形成": "form", "打造": "build", "提升至以上": "raise to at least",
               "新增": "add", "每年提升": "raise each year by", "超过": "over",
               "超过以上": "over", "跻身全球前": "among the world's top", "达到": "reach",
               "达到以上": "reach at least"}
UNITS = {"": "", "%": "%", "万亿元": "trillion yuan", "万家": "× 10,000 firms",
         "个": "", "个百分点": "percentage points", "亿元": "× 100 million yuan",
         "亿美元": "× 100 million US$", "名": "", "大": "", "家": "firms"}
SCOPES = {"province": "Zhejiang Province", "harbor": "Harbor area", "free_trade_zone":
          "Harbor free trade zone", "city": "City", "site": "Site", "towns": "Finance towns"}
VALUE_TEXT = {"": "", "全市贷款平均增速": "the city's average loan growth",
              "全覆盖": "full coverage", "千亿级": "hundred-billion-yuan scale",
              "进一步巩固提升": "further consolidated and raised"}
# Chinese counts in 亿 (10⁸) and 万 (10⁴) read in English as billions and plain numbers:
# "1500 亿美元" is "150 billion US$", not "1500 × 100 million US$".
SCALED = {"亿元": (Decimal("0.1"), "billion yuan"), "亿美元": (Decimal("0.1"), "billion US$"),
          "万家": (Decimal(10000), "firms")}


def amount_en(value: str, unit_zh: str) -> str:
    """A target's number and unit in English words: ("1500", "亿美元") -> "150 billion US$"."""
    if unit_zh in SCALED and value:
        factor, unit = SCALED[unit_zh]
        number = (Decimal(value) * factor).normalize()
        return f"{number:,f} {unit}"
    return " ".join(p for p in (value, UNITS.get(unit_zh, unit_zh)) if p).replace(" %", "%")


NUMERALS = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7"}


@lru_cache(maxsize=1)
def _unit_names() -> dict[str, str]:
    units = table("units")
    return dict(zip(units["name_zh"], units["name_en"]))


def units_en(text: str) -> str:
    """A responsible-units text of the plan in English, unit by unit (the Chinese name where
    data/units.csv has no English one)."""
    names = _unit_names()
    return "; ".join(names.get(unit, unit) for unit in units_of(text))


def sections_en(text: str) -> str:
    """Item numbers of the plan in digits: 三1 (item 1 of part 三) → 3.1."""
    return re.sub(r"([一二三四五六七])(\d+)", lambda m: f"{NUMERALS[m.group(1)]}.{m.group(2)}", text)


def ref_en(ref: str) -> str:
    """A reference into the plan in English: 附件4 第1行 → Annex 4, row 1; 附件5 三1 → Annex 5
    3.1; 三(一)2 → 3(1)2."""
    out = re.sub(r"附件(\d+)\s*第(\d+)行", r"Annex \1, row \2", str(ref))
    out = sections_en(re.sub(r"附件(\d+)", r"Annex \1", out))
    return re.sub("[一二三四五六七]", lambda m: NUMERALS[m.group(0)], out).replace("、", ", ")


@lru_cache(maxsize=1)
def _place_names() -> dict[str, str]:
    """English names of the plan's places by Chinese name, with and without 市 (杭州 as 杭州市)."""
    features = table("features")
    short = {name.removesuffix("市"): name_en
             for name, name_en in zip(features["name_zh"], features["name_en"])}
    return {**dict(zip(features["name_zh"], features["name_en"])), **short}


def scope_en(code: str, scope_zh: str) -> str:
    """The scope of a target: the English name of its city or site where it has one."""
    return _place_names().get(scope_zh) or SCOPES.get(code, code)


@lru_cache(maxsize=1)
def _provenance() -> dict[str, str]:
    words = pd.read_csv(DATA / "provenance.csv", dtype=str, keep_default_na=False)
    cites = table("extents")  # the citations of the published extents
    cites = cites[cites["cite_en"] != ""]
    return dict(zip(words["en"], words["zh"])) | dict(zip(cites["cite_en"], cites["cite_zh"]))


def provenance_zh(text: str) -> str:
    """A bundled feature's source, accuracy or license in Chinese (data/provenance.csv), also
    where several are joined in one text; a configured official file's own wording is shown as
    given."""
    for en, zh in sorted(_provenance().items(), key=lambda item: -len(item[0])):
        text = text.replace(en, zh)
    return text
