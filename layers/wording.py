"""The zone check in the reader's language: its column headers, its zone kinds, and its
sentences (problems, notes, refusals), which geo/ and layers.zonecheck write in English and a
Chinese reader reads in Chinese. User text inside a sentence (a column's name, a cell's value,
a file name) is carried over as it is."""

from __future__ import annotations

import re

import pandas as pd

COLUMNS = {  # the columns the zone check adds, as a reader sees them
    "row_in_file": ("文件中的行", "Row in the file"),
    "lon_wgs84": ("经度（WGS84）", "Longitude (WGS84)"), "lat_wgs84": ("纬度（WGS84）", "Latitude (WGS84)"),
    "city": ("设区市", "City"), "district": ("县（市、区）", "District"),
    "in_harbor": ("港湾六城", "In the six harbor cities"),
    "core_zone": ("核心区/拥江扩面", "Core zone / riverside extension"),
    "financial_city": ("金融城", "Financial city"), "belts": ("特色带", "Belts"),
    "town": ("金融特色小镇", "Finance town"), "problem": ("问题", "Problem"),
    "kind": ("类别", "Kind"), "zone": ("区域", "Zone"), "projects": ("项目数", "Projects"),
}
KINDS = {"city": ("设区市", "City"), "district": ("县（市、区）", "District"),
         "core_zone": ("核心区/拥江扩面", "Core zone / riverside extension"),
         "financial_city": ("金融城", "Financial city"), "belts": ("特色带", "Belt"),
         "town": ("金融特色小镇", "Finance town")}
DATUMS = {"gcj02": ("GCJ-02（高德、腾讯）", "GCJ-02 (Amap, Tencent)"), "bd09": ("BD-09（百度）", "BD-09 (Baidu)")}

# English clause -> Chinese, tried in order; \1... are user text carried over.
CLAUSES = [
    (r"(.+) is empty", r"\1 为空"),
    (r"(.+) '(.*)' is not a number", r"\1 的值“\2”不是数字"),
    (r'(.+) "(.*)" is not a number', r"\1 的值“\2”不是数字"),
    (r"fill in or correct the coordinates", "请填写或更正坐标"),
    (r"no geometry in this row", "此行没有几何图形"),
    (r"invalid geometry, repaired", "几何图形无效，已自动修复"),
    (r"\((.+), (.+)\) is outside Zhejiang", r"(\1, \2) 在浙江省外"),
    (r"check the coordinates and their coordinate system", "请检查坐标及其坐标系"),
    (r"latitude and longitude look swapped: \((.+), (.+)\) would be in Zhejiang",
     r"经纬度似乎填反了：(\1, \2) 在浙江省内"),
    (r"swap the two columns", "请交换这两列"),
    (r"the coordinates are not finite numbers \(infinite, or too large for the coordinate "
     r"system\)", "坐标不是有限数值（无穷大，或超出坐标系的范围）"),
    (r"correct them", "请更正"),
]
CLAUSES = [(re.compile(f"^{pattern}$", re.S), zh) for pattern, zh in CLAUSES]


def zh(sentence: str) -> str:
    """A sentence of the zone check in Chinese, clause by clause ("; "-separated); a clause
    with no translation stays as it is (a test lists the sentences the check can write)."""
    out = []
    for clause in str(sentence).split("; "):
        for pattern, text in CLAUSES:
            if pattern.match(clause):
                clause = pattern.sub(text, clause)
                break
        out.append(clause)
    return "；".join(out)


def in_language(sentences: pd.Series, lang: str) -> pd.Series:
    """A column of sentences in ``lang``; each distinct sentence translated once."""
    if lang == "en" or not len(sentences):
        return sentences
    values = sentences.astype(object)
    distinct = pd.unique(values[values != ""])
    return values.map({**{s: zh(s) for s in distinct}, "": ""})


def headers(columns, lang: str) -> dict:
    """Column renames for a reader: the check's own columns in ``lang``; the input's as typed."""
    i = 1 if lang == "en" else 0
    return {c: COLUMNS[c][i] for c in columns if c in COLUMNS}
