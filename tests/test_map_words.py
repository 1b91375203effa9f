"""Search, picking and the panel's words: against the plan's names and hand-made cases."""

import pandas as pd

from geo.webmap import MapLayer, _style, _symbol
from layers.english import provenance_zh, ref_en, scope_en, units_en
from layers.maps import features_at, search
from layers.plan import table
from layers.tables import projects_table, targets_table, tasks_table


def test_search_ranks_exact_then_prefix_then_word_then_anywhere():
    hits = search("hangzhou")
    assert (hits.iloc[0]["layer"], hits.iloc[0]["name_zh"]) == ("six_cities", "杭州市")  # exact
    assert list(hits["score"])[:1] == [0] and list(hits["score"]) == sorted(hits["score"])
    bank = search("bank")
    assert bank.iloc[0]["name_en"] == "Bank of Hangzhou headquarters"  # prefix before words
    assert "滨江扩展区" not in set(bank["name_zh"])
    assert set(search("Bank")["name_zh"]) == set(bank["name_zh"])  # case does not matter
    assert search("nanhu jijin").iloc[0]["name_zh"] == "南湖基金小镇"  # pinyin, spaces ignored
    assert search("钱江").iloc[0]["score"] == 1
    assert search("金融城")["name_zh"].tolist()[:2] == ["杭州金融城", "钱塘江金融城"]
    assert search("").empty and search("zzzz").empty
    assert len(search("区", limit=3)) == 3


def test_search_leads_an_unsited_project_to_what_holds_it():
    row = search("杭州银行总部").iloc[0]
    assert (row["target_layer"], row["target_id"]) == ("financial_cities", "hzjrc")  # 附件5 三1
    row = search("绿色金融大厦").iloc[0]
    assert (row["target_layer"], row["target_id"]) == ("major_projects", "mp_nth")  # 附件5 三4
    row = search("祥符荡").iloc[0]
    assert (row["target_layer"], row["target_id"]) == ("six_cities", "city_jx")  # its city
    ningbo = search("宁波市")
    assert {"poles", "six_cities"} <= set(ningbo["layer"])


def test_features_at_lists_the_zones_at_a_point_smallest_first():
    # 钱江路站 (OSM) lies in 钱江新城 (4.5 km²), inside 杭州金融城 (17 km²), in 杭州市.
    assert features_at("annex2", 120.2082401, 30.2580532) == [
        ("core_zone", "qjxc"), ("financial_cities", "hzjrc")]
    assert features_at("annex1", 120.2082401, 30.2580532)[0] == ("core_zone", "qjxc")
    assert features_at("annex2", 118.0, 25.0) == []


def test_english_words_of_the_plan():
    assert ref_en("附件4 第1行") == "Annex 4, row 1"
    assert ref_en("三(一)2; 附件5 三1、三2") == "3(1)2; Annex 5 31, 32"
    assert units_en("杭州、宁波市政府") == "Hangzhou Municipal Government; Ningbo Municipal Government"
    assert scope_en("city", "杭州") == "Hangzhou"
    assert scope_en("towns", "金融特色小镇") == "Finance towns"
    assert scope_en("free_trade_zone", "港湾自贸区") == "Harbor free trade zone"
    assert provenance_zh("administrative boundary") == "行政边界"
    assert provenance_zh("official file from a user") == "official file from a user"


def test_panel_tables_in_each_language():
    tasks = table("tasks").iloc[:1]
    zh, en = tasks_table(tasks, "zh"), tasks_table(tasks, "en")
    assert list(zh.columns) == ["编号", "任务", "责任单位"]
    assert list(en.columns) == ["No.", "Task", "Responsible units"]
    assert zh.iloc[0].tolist() == ["三(一)1", "增强核心区引领辐射",
                                   "省地方金融监管局、人行杭州中心支行、浙江银保监局、浙江证监局、杭州市政府"]
    assert en.iloc[0]["No."] == "3(1)1" and "Hangzhou Municipal Government" in en.iloc[0][
        "Responsible units"]
    target = table("targets").set_index("id").loc[["A4-1-1"]].reset_index()
    assert targets_table(target, "zh").iloc[0]["目标"] == "超过 9 %"
    row = targets_table(target, "en").iloc[0]
    assert (row["Target"], row["Scope"], row["Plan reference"]) == (
        "over 9 %", "Zhejiang Province", "Annex 4, row 1")
    projects = table("annex5").iloc[:1]
    assert projects_table(projects, "zh").iloc[0]["类别"] == "重大改革"
    assert projects_table(projects, "en").iloc[0]["Kind"] == "Reform"
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in "".join(
        targets_table(table("targets").iloc[:8], "en").columns))


def test_a_class_overrides_its_layers_symbol_and_an_outline_stays_clickable():
    layer = MapLayer("x", "x", "g", pd.DataFrame(), color="#111", fill=None, weight=3, dash="4 3")
    style = _style(_symbol(layer))
    assert style["fill"] is True and style["fillOpacity"] == 0.0  # clickable, clear
    assert style["dashArray"] == "4 3" and style["opacity"] == 0.95
    own = _style(_symbol(layer, {"name": "A", "color": "#222", "fill": "#abc", "fill_opacity": 0.2,
                                 "dash": None}))
    assert (own["color"], own["fillColor"], own["fillOpacity"]) == ("#222", "#abc", 0.2)
    assert "dashArray" not in own
    assert _style(_symbol(MapLayer("y", "y", "g", pd.DataFrame(), color="#1", weight=0)))[
        "opacity"] == 0
