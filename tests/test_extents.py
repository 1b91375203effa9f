"""The table of published against drawn areas (layers/extents.py): every zone of the zone
layers, its published figure and sources as data/extents.csv gives them, its drawn area measured
independently (on the ellipsoid, pyproj.Geod), and the difference."""

import pandas as pd
import pytest
from pyproj import Geod

from conftest import ROOT
from layers.extents import ZONE_LAYERS, area_table, area_table_for_reader
from layers.load import load_layer

PUBLISHED = pd.read_csv(ROOT / "data" / "extents.csv", dtype=str, keep_default_na=False)


def geodesic_km2(geom) -> float:
    return abs(Geod(ellps="WGS84").geometry_area_perimeter(geom)[0]) / 1e6


@pytest.fixture
def table():
    return area_table()


def test_every_feature_of_the_zone_layers_has_one_row_in_layer_order(table):
    expected = [(layer, name) for layer in ZONE_LAYERS for name in load_layer(layer).frame["name_zh"]]
    assert list(zip(table["layer"], table["name_zh"])) == expected
    assert len(expected) == 20


@pytest.mark.parametrize("row", PUBLISHED.to_dict("records"),
                         ids=[f"{r['layer']}-{i}" for i, r in enumerate(PUBLISHED.to_dict("records"))])
def test_a_zone_carries_its_published_figures_and_sources(table, row):
    mine = table[(table["layer"] == row["layer"]) & (table["name_zh"] == row["name_zh"])]
    assert len(mine) == 1
    mine = mine.iloc[0]
    for column in ("extent_quote", "cite_zh", "cite_en", "confidence", "note_zh", "note_en"):
        assert mine[column] == row[column], column
    feature = load_layer(row["layer"]).frame.set_index("name_zh").loc[row["name_zh"]]
    assert (mine["source"], mine["accuracy"], mine["name_en"]) == (
        feature["source"], feature["accuracy"], feature["name_en"])
    geom = feature.geometry
    if geom.geom_type == "Point":
        assert pd.isna(mine["drawn_km2"]) and pd.isna(mine["difference_pct"])
    else:
        drawn = geodesic_km2(geom)
        assert mine["drawn_km2"] == pytest.approx(drawn, rel=0.005, abs=0.01)
        assert mine["drawn_km2"] == round(mine["drawn_km2"], 2)  # to the hundredth
    if row["area_km2"]:
        assert mine["published_km2"] == float(row["area_km2"])
        if geom.geom_type != "Point":
            by_hand = 100 * (geodesic_km2(geom) - float(row["area_km2"])) / float(row["area_km2"])
            assert abs(mine["difference_pct"] - by_hand) <= 1
            assert mine["difference_pct"] == round(mine["difference_pct"])
    else:
        assert pd.isna(mine["published_km2"]) and pd.isna(mine["difference_pct"])


def test_figures_by_hand(table):
    """Two rows worked out by hand from data/extents.csv and the drawn zones."""
    rows = table.set_index("name_zh")
    # 钱江新城: published 15.8; drawn 16.11 km² (EPSG:4549): (16.11 - 15.8) / 15.8 = +2 %
    assert rows.loc["钱江新城", "published_km2"] == 15.8
    assert rows.loc["钱江新城", "difference_pct"] == 2
    # 望江新城: published 2.23, drawn 2.09: -6 %
    assert rows.loc["望江新城", "difference_pct"] == -6
    # a zone no one published an area for, and a point
    assert pd.isna(rows.loc["钱塘江金融城", "published_km2"]) and rows.loc["钱塘江金融城", "drawn_km2"] > 0
    assert pd.isna(rows.loc["运河财富小镇", "drawn_km2"])


def test_a_feature_not_in_the_published_table_gets_empty_figures_not_an_error(table):
    # 宁波东部新城金融商务区 has no row in data/extents.csv: it is listed, with nothing invented.
    assert "宁波东部新城金融商务区" not in set(PUBLISHED["name_zh"])
    row = table.set_index("name_zh").loc["宁波东部新城金融商务区"]
    assert pd.isna(row["published_km2"]) and row["cite_en"] == "" and row["extent_quote"] == ""


@pytest.mark.parametrize("lang, words", [
    ("zh", {"发布面积（平方千米）": ("未发布", "22", "4.02"), "绘制面积（平方千米）": ("点，无面积", "22.00", "4.14"),
            "差异（%）": ("—", "+0", "+3")}),
    ("en", {"Published area (km²)": ("none published", "22", "4.02"),
            "Drawn area (km²)": ("a point, no area", "22.00", "4.14"), "Difference (%)": ("—", "+0", "+3")}),
])
def test_for_a_reader_the_figures_are_text_and_an_empty_one_is_said(lang, words):
    frame = area_table_for_reader(lang)
    name = "名称" if lang == "zh" else "Name (Chinese)"
    rows = frame.set_index(name)
    for column, (empty, century, cbd) in words.items():
        assert rows.loc["钱江世纪城", column] == century
        assert rows.loc["钱江新城核心区（CBD）", column] == cbd
    empty_published, empty_drawn = (words[c][0] for c in list(words)[:2])
    assert rows.loc["运河财富小镇", list(words)[0]] == empty_published
    assert rows.loc["运河财富小镇", list(words)[1]] == empty_drawn
    assert rows.loc["运河财富小镇", list(words)[2]] == "—"


def test_a_zones_panel_says_its_published_and_drawn_areas():
    from layers.extents import area_sentence

    # 望江新城: 2.23 km² published (上城区 2019), 2.09 drawn, -6 %; by hand as above
    assert area_sentence("riverside_extension", "望江新城", "zh") == "面积：已发布 2.23 平方千米，图上 2.09 平方千米（-6 %）"
    assert area_sentence("riverside_extension", "望江新城", "en") == "Area: 2.23 km² published, 2.09 km² drawn (-6 %)"
    assert area_sentence("financial_cities", "钱塘江金融城", "zh") == "面积：图上 7.86 平方千米；未查到已发布的面积"
    assert area_sentence("financial_cities", "钱塘江金融城", "en") == "Area: 7.86 km² drawn; no published area found"
    assert area_sentence("finance_towns", "运河财富小镇", "zh") == ""  # a point
    assert area_sentence("cities", "杭州市", "en") == ""  # not a zone of the table
