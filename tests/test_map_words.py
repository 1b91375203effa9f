"""Search, picking and the panel's words: against the plan's names and hand-made cases."""

import pandas as pd
import pytest

from geo.webmap import MapLayer, _style, _symbol
from layers.english import provenance_zh, ref_en, scope_en, sections_en, units_en
from layers.maps import search
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


def test_english_words_of_the_plan():
    assert ref_en("附件4 第1行") == "Annex 4, row 1"
    assert ref_en("三(一)2; 附件5 三1、三2") == "3(1)2; Annex 5 3.1, 3.2"
    assert sections_en("roads of Annex 5 三1, cut to 七甲闸") == "roads of Annex 5 3.1, cut to 七甲闸"
    assert units_en("杭州、宁波市政府") == "Hangzhou Municipal Government; Ningbo Municipal Government"
    assert scope_en("city", "杭州") == "Hangzhou"
    assert scope_en("towns", "金融特色小镇") == "Finance towns"
    assert scope_en("free_trade_zone", "港湾自贸区") == "Harbor free trade zone"
    assert provenance_zh("administrative boundary") == "行政边界"
    assert provenance_zh("CC BY-SA 4.0 (this project); reference points © OpenStreetMap "
                         "contributors (ODbL)") == "CC BY-SA 4.0（本项目）；参考点 © OpenStreetMap 贡献者（ODbL）"
    assert provenance_zh("administrative boundary; ±100 m") == "行政边界; ±100 米"  # joined
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
        "over 9%", "Zhejiang Province", "Annex 4, row 1")
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


def test_scores_of_a_name():
    from layers.maps import _score

    assert [_score("bank", t) for t in ("bank", "Bank of Hangzhou", "Tailong Bank Ltd",
                                       "Tailongbank", "Binjiang", "")] == [0, 1, 2, 3, None, None]
    assert _score("(a)", "x (a) y") == 3  # the query is text, not a pattern
    hits = search("bank").set_index("name_zh")["score"]
    assert hits["杭州银行总部"] == 1 and hits["泰隆银行杭州总部"] == 2
    assert search("zhou", limit=50).set_index("name_en")["score"]["Hangzhou"] == 3
    # Equal scores go in the layers' order: the financial city before the poles.
    assert search("hangzhou")["name_zh"].tolist()[1] == "杭州金融城"


def test_search_follows_an_edit_of_layers_toml(tmp_path, monkeypatch):
    import geopandas as gpd
    import shapely

    from layers.load import load_layer

    cities = load_layer("financial_cities").located[["name_zh", "geometry"]].copy()
    cities.loc[cities["name_zh"] == "杭州金融城", "geometry"] = shapely.box(121.0, 29.0, 121.1, 29.1)
    gpd.GeoDataFrame(cities, crs=4326).to_file(tmp_path / "fc.gpkg", driver="GPKG")
    (tmp_path / "layers.toml").write_text('[layers.financial_cities]\npath = "fc.gpkg"\n')
    before = search("杭州金融城").iloc[0]["bounds"]
    from layers.maps import map_layers

    assert map_layers("annex2")  # filled before the edit: what follows must not reuse it
    monkeypatch.setenv("HARBOR_LAYERS_CONFIG", str(tmp_path / "layers.toml"))
    assert search("杭州金融城").iloc[0]["bounds"] == (121.0, 29.0, 121.1, 29.1) != before

    shown = next(x for x in map_layers("annex2") if x.id == "financial_cities").frame
    box = shown[shown["name_zh"] == "杭州金融城"].total_bounds
    assert tuple(round(v, 3) for v in box) == (121.0, 29.0, 121.1, 29.1)


def test_english_words_for_what_has_none():
    assert units_en("某某局") == "某某局"  # a unit not in data/units.csv keeps its name
    assert scope_en("somewhere", "") == "somewhere"


def test_targets_table_fills_gaps_from_the_plan():
    targets = table("targets")
    worded = targets[targets["value_text"] != ""].iloc[[0]]
    zh, en = targets_table(worded, "zh").iloc[0], targets_table(worded, "en").iloc[0]
    assert worded["value_text"].iloc[0] in zh["目标"]
    assert any(w and w in en["Target"] for w in ("the city's average loan growth", "full coverage",
                                                 "hundred-billion-yuan scale",
                                                 "further consolidated and raised"))
    five = targets[targets["period"] == "五年内"].iloc[[0]]
    assert targets_table(five, "zh").iloc[0]["年份/期间"] == "五年内"
    assert targets_table(five, "en").iloc[0]["Year / period"] == "within five years"
    dated = targets[(targets["period"] == "") & (targets["year"] == "2025")].iloc[[0]]
    assert targets_table(dated, "zh").iloc[0]["年份/期间"] == "2025"
    city = targets[targets["scope_zh"] == "杭州市"].iloc[[0]]
    assert targets_table(city, "en").iloc[0]["Scope"] == "Hangzhou"
    unscoped = targets[targets["scope_zh"] == ""].iloc[[0]]
    assert targets_table(unscoped, "zh").iloc[0]["范围"] == "—"
    assert list(targets_table(dated, "zh").columns) == ["指标", "范围", "目标", "年份/期间", "责任单位",
                                                        "出处"]
    assert list(targets_table(dated, "en").columns) == ["Indicator", "Scope", "Target",
                                                        "Year / period", "Responsible units",
                                                        "Plan reference"]
    row = targets_table(dated, "en").iloc[0]
    assert row["Indicator"] == dated["indicator_en"].iloc[0]
    assert "Municipal Government" in row["Responsible units"] or "Bureau" in row["Responsible units"]


def test_projects_table_columns():
    projects = table("annex5").iloc[:1]
    assert list(projects_table(projects, "zh").columns) == ["编号", "类别", "名称", "责任单位"]
    assert list(projects_table(projects, "en").columns) == ["No.", "Kind", "Name",
                                                            "Responsible units"]
    en = projects_table(projects, "en").iloc[0]
    assert en["Name"] == projects["name_en"].iloc[0] and "Bureau" in en["Responsible units"] or \
        "Provincial" in en["Responsible units"]
    assert projects_table(projects, "zh").iloc[0]["名称"] == "深化农村信用社改革试点省"


def test_map_layers_carry_names_styles_and_picking_in_the_pages_language():
    from layers.maps import map_layers
    from layers.registry import BY_ID

    zh = {layer.id: layer for layer in map_layers("annex2", "zh")}
    en = {layer.id: layer for layer in map_layers("annex2", "en")}
    fc = zh["financial_cities"]
    assert set(fc.frame["label"]) == {"杭州金融城", "钱塘江金融城", "滨江扩展区"}
    assert "Hangzhou Financial City" in set(en["financial_cities"].frame["label"])
    assert fc.frame["feature_id"].tolist() == fc.frame["id"].tolist() == fc.frame["class"].tolist()
    assert set(fc.frame["layer_id"]) == {"financial_cities"}
    assert [c["name"] for c in fc.classes.values()] == ["杭州金融城", "钱塘江金融城", "滨江扩展区"]
    assert en["financial_cities"].classes["qtjjrc"]["name"] == "Qiantang Financial City"
    assert fc.classes["qtjjrc_bj"]["dash"] == "7 5" and fc.classes["qtjjrc"]["color"] == "#1a5276"
    style = BY_ID["riverside_extension"].style
    ext = zh["riverside_extension"]
    assert (ext.name, ext.group, ext.color, ext.fill, ext.fill_opacity, ext.weight, ext.dash,
            ext.radius) == ("拥江扩面", "1", style.color, style.fill, style.fill_opacity,
                            style.weight, "4 3", style.radius)
    core = zh["core_zone"]
    assert (core.fill_opacity, core.properties) == (0.5, ["feature_id", "layer_id"])
    assert en["core_zone"].name == "Core zone"
    assert zh["river"].interactive is False and zh["districts"].interactive is True
    assert {x.id: x.interactive for x in map_layers("annex1")}["province"] is False
    assert core.pick is True and zh["districts"].pick is False
    assert {x["text"] for x in core.labels} == {"钱江新城", "钱江世纪城"}
    assert {x["text"] for x in en["core_zone"].labels} == {"Qianjiang New City",
                                                           "Qianjiang Century City"}
    assert zh["key_projects"].labels[0]["point"] is True


def test_data_tables_read_in_one_language():
    from layers.load import summary
    from layers.tables import for_reader

    tasks = table("tasks")
    zh, en = for_reader(tasks, "zh"), for_reader(tasks, "en")
    assert list(zh.columns) == ["编号", "部分", "节", "序号", "任务", "责任单位", "出处"]
    assert list(en.columns) == ["Id", "Section", "Part", "Number", "Task", "Responsible units",
                                "Plan reference"]
    assert en.iloc[0].tolist()[:4] == ["3(1)1", "3", "1", "1"]
    assert zh.iloc[0]["部分"] == "三" and "杭州市政府" in zh.iloc[0]["责任单位"]
    assert "Hangzhou Municipal Government" in en.iloc[0]["Responsible units"]
    targets = table("targets")
    en_t = for_reader(targets, "en").set_index("Id")
    assert en_t.loc["A4-1-1", ["Comparator", "Value", "Unit", "Year"]].tolist() == [
        "over", "9", "%", "2025"]
    assert "五年内" not in set(en_t["Period"]) and "within five years" in set(en_t["Period"])
    # the scope's code in words: the free trade zone, and a city by its name
    assert en_t.loc["A4-1-5", "Scope"] == "Harbor free trade zone"
    assert en_t.loc["A4-2-1", "Scope"] == "Hangzhou" and "free_trade_zone" not in set(en_t["Scope"])
    worded = targets.loc[targets["value_text"] == "全覆盖", "id"].iloc[0]
    assert en_t.loc[worded, "Worded target"] == "full coverage"
    features = for_reader(table("features"), "en")
    assert "Core zone" in set(features["Layer"]) and "tasks" not in features.columns
    assert "3(1).1" not in " ".join(features["Tasks"]) and "3(1)1" in " ".join(features["Tasks"])
    layers = for_reader(summary(), "zh").set_index("图层")
    assert layers.loc["核心区", "几何文件"] == "自带：data/geo/core_zone.geojson"
    assert (layers.loc["核心区", "组"], layers.loc["浙江省", "组"]) == ("一核", "底图")
    assert "道路 ±50 米" in layers.loc["核心区", "精度"]
    assert "（本项目）" in layers.loc["核心区", "许可"]
    assert "Name" not in for_reader(summary(), "zh").columns  # no English in the Chinese view
    assert for_reader(summary(), "en").set_index("Layer").loc["Core zone", "Accuracy"].startswith(
        "roads ±50 m")


@pytest.mark.parametrize("gcj02", [False, True], ids=["wgs84", "over-amap"])
def test_a_zones_name_stays_off_the_smaller_zones_inside_it(gcj02):
    import shapely

    from geo.crs import transform_geometry, wgs84_to_gcj02
    from layers.load import load_layer
    from layers.maps import map_layers

    labels = {x["text"]: shapely.Point(x["lng"], x["lat"])
              for layer in map_layers("annex2", gcj02=gcj02) for x in layer.labels}
    shown = (lambda g: transform_geometry(g, wgs84_to_gcj02)) if gcj02 else (lambda g: g)
    zones = {n: shown(g) for layer_id in ("core_zone", "financial_cities")
             for n, g in zip(load_layer(layer_id).located["name_zh"],
                             load_layer(layer_id).located.geometry)}
    assert zones["杭州金融城"].contains(labels["杭州金融城"])
    assert not zones["钱江新城"].buffer(0.001).contains(labels["杭州金融城"])
    assert zones["钱江世纪城"].contains(labels["钱江世纪城"])
    assert not zones["钱塘江金融城"].contains(labels["钱江世纪城"])
    assert zones["钱塘江金融城"].contains(labels["钱塘江金融城"])
    # A city's name stays in the city, off the core zone inside Hangzhou.
    layout = {layer.id: layer for layer in map_layers("annex1")}
    cities = dict(zip(load_layer("six_cities").located["name_zh"],
                      load_layer("six_cities").located.geometry))
    for x in layout["six_cities"].labels:
        assert cities[x["text"]].contains(shapely.Point(x["lng"], x["lat"])), x["text"]
    hz = next(x for x in layout["six_cities"].labels if x["text"] == "杭州市")
    assert not zones["钱江新城"].buffer(0.02).contains(shapely.Point(hz["lng"], hz["lat"]))


def test_search_opens_a_feature_of_the_map_shown():
    def first(query, map_id):
        hits = search(query, map_id)
        return tuple(hits.iloc[0][["target_layer", "target_id"]]) if len(hits) else None

    assert first("浙商银行", "annex2") == ("financial_cities", "qtjjrc")
    assert first("浙商银行", "annex1") == ("six_cities", "city_hz")  # no financial cities there
    assert first("上城区", "annex1") == ("six_cities", "city_hz")
    assert first("温州", "annex1") == ("cities", "330300")  # not one of the six: 设区市
    assert first("温州", "annex2") is None  # the core-zone map shows no city
    hit = search("上城区", "annex3").iloc[0]
    assert hit["bounds"] == tuple(search("杭州市", "annex3").iloc[0]["bounds"])


def test_with_amap_on_the_map_draws_shifted_and_reads_clicks_back_in_wgs84():
    import shapely

    from layers.maps import from_display, to_display

    qjl = shapely.Point(120.2082401, 30.2580532)
    shown = to_display(qjl, True)
    metres = ((shown.x - qjl.x) * 96_200, (shown.y - qjl.y) * 111_000)
    assert 300 < (metres[0] ** 2 + metres[1] ** 2) ** 0.5 < 700  # GCJ-02's 300–600 m offset
    lon, lat = from_display(shown.x, shown.y, True)
    assert abs(lon - qjl.x) < 1e-7 and abs(lat - qjl.y) < 1e-7
    assert to_display(qjl, False) is qjl and from_display(1.0, 2.0, False) == (1.0, 2.0)


def test_a_town_drawn_as_an_area_is_its_symbol_on_the_provincial_maps():
    # 南湖基金小镇 is a disc of its published 2.04 km² (data/extents.csv): too small to see on
    # the whole province, so drawn there as the towns' point symbol, with its name; its data,
    # and so the zone check, keep the area.
    from layers.load import load_layer
    from layers.maps import map_layers

    area = load_layer("finance_towns").frame.set_index("name_zh").geometry["南湖基金小镇"]
    assert area.geom_type == "Polygon"
    for map_id in ("annex1", "annex3"):
        towns = {layer.id: layer for layer in map_layers(map_id)}["finance_towns"]
        shown = towns.frame.set_index("name_zh").geometry["南湖基金小镇"]
        assert shown.geom_type == "Point" and area.contains(shown), map_id
        label = next(x for x in towns.labels if x["text"] == "南湖基金小镇")
        assert label["minZoom"] == 0  # named as a point is, from the opening view


def test_a_sources_address_is_a_link_to_exactly_that_address():
    # The panel's source text is Markdown-escaped; a web address in it must stay a working link,
    # ending where the address ends (not at the full-width bracket after it), with no backslashes.
    from pages.common import plain

    text = "杭州网“钱江新城”专题页，http://z.hangzhou.com.cn/2015/hzxsjwh/qjxc/index.htm（约2015年）; a_b"
    assert plain(text) == ("杭州网“钱江新城”专题页，[http://z\\.hangzhou\\.com\\.cn/2015/hzxsjwh/qjxc/"
                           "index\\.htm](http://z.hangzhou.com.cn/2015/hzxsjwh/qjxc/index.htm)（约2015年）; a\\_b")
    # hostile text cannot make a link of its own, nor a target that is not the web address
    hostile = "see http://x.example/](javascript:alert(1)) *b*"
    assert plain(hostile) == ("see [http://x\\.example/](http://x.example/)\\]\\(javascript:alert\\(1\\)\\) "
                              "\\*b\\*")


def test_the_zone_check_map_shows_every_zone_the_check_reports_as_core_zone():
    # The check's 核心区/拥江扩面 column counts the riverside extension (layers/zones.py): its map
    # draws that layer under the core zone, with the financial cities.
    import geopandas as gpd
    from shapely.geometry import Point

    from layers.maps import result_layers

    frame = gpd.GeoDataFrame({"名称": ["a"]}, geometry=[Point(120.2, 30.25)], crs=4326)
    ids = [layer.id for layer in result_layers(frame, pd.Series(["core_zone"]))]
    assert ids[:5] == ["province", "cities", "riverside_extension", "core_zone", "financial_cities"]


@pytest.mark.parametrize("value, unit, words", [
    ("1500", "亿美元", "150 billion US$"),  # 1500 × 10⁸ = 1.5 × 10¹¹
    ("3700", "亿元", "370 billion yuan"), ("500", "亿元", "50 billion yuan"),
    ("1", "万家", "10,000 firms"), ("4", "万亿元", "4 trillion yuan"), ("9", "%", "9%"),
    ("800", "家", "800 firms"), ("10", "个", "10"),
])
def test_amounts_in_english_read_as_english_numbers(value, unit, words):
    from layers.english import amount_en

    assert amount_en(value, unit) == words
