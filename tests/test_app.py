"""Every page of the Streamlit app runs, in both languages (streamlit.testing.v1)."""

import pytest
from streamlit.testing.v1 import AppTest

PAGES = {
    "layout": ("钱塘江金融港湾（2021-2025）功能布局图", "Layout map"),
    "core-zone": ("钱塘江金融港湾核心区拥江扩面示意图", "Core zone and its riverside extension"),
    "radiation": ("钱塘江金融港湾辐射带动区示意图", "Radiation area"),
    "zone-check": ("项目落区核查", "Zone check"),
    "data": ("数据与来源", "Data and sources"),
}


def run(page: str, lang: str = "zh") -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.query_params["page"] = page
    if lang == "en":
        at.query_params["lang"] = "en"
    return at.run()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_runs(page, lang):
    at = run(page, lang)
    assert not at.exception
    assert not at.error
    assert at.title[0].value == PAGES[page][0 if lang == "zh" else 1]


def test_map_page_shows_the_panel_of_a_feature():
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.query_params["page"] = "core-zone"
    at.query_params["sel"] = "financial_cities:hzjrc"
    at.run()
    assert at.subheader[0].value == "杭州金融城"
    text = " ".join(m.value for m in at.markdown)
    assert "三官塘路" in text  # the boundary wording of Annex 5
    tables = [table.value for table in at.table]
    assert len(tables) == 2  # tasks and projects, every column shown
    assert list(tables[0].reset_index().columns) == ["编号", "任务", "责任单位", "状态（目标监测）"]
    assert "杭州市政府" in " ".join(tables[0]["责任单位"])
    assert set(tables[0]["状态（目标监测）"]) == {"无数据"}  # nothing recorded in the test's store


def test_search_box_finds_and_opens_a_feature():
    at = run("core-zone")
    at.text_input(key="search-annex2").input("Hangzhou Financial").run()
    assert not at.exception
    assert "杭州金融城" in " ".join(str(o) for o in at.get("button_group")[0].proto.options)


def test_selection_of_another_page_is_not_shown():
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.query_params["page"] = "layout"
    at.query_params["sel"] = "financial_cities:hzjrc"  # a feature of the core-zone map only
    at.run()
    assert not at.subheader


def test_data_page_lists_every_layer_with_provenance():
    at = run("data")
    layers = at.dataframe[0].value
    assert len(layers) == 14  # the registry's layers, the reference layer of published extents too
    assert (layers["来源"] != "").all() and (layers["许可"] != "").all()
    assert "行政边界" in set(layers["精度"])
    assert "浙江省" in set(layers["图层"]) and "名称" not in layers  # not the same name twice
    english = run("data", "en").dataframe[0].value  # the English name, then the Chinese one
    assert "浙江省" in set(english["Name (Chinese)"]) and "浙江省" not in set(english["Layer"])
    assert at.get("download_button")
    areas = at.dataframe[1].value.set_index("名称")  # published area beside the area drawn
    assert areas.loc["钱江世纪城", "发布面积（平方千米）"] == "22"  # 萧山日报 2012: 22余平方公里
    assert abs(int(areas.loc["钱江新城", "差异（%）"])) <= 15
    # none published: said, not left blank or shown as "None"
    assert areas.loc["钱塘江金融城", "发布面积（平方千米）"] == "未发布"
    assert areas.loc["运河财富小镇", "绘制面积（平方千米）"] == "点，无面积"
    assert "萧山日报" in areas.loc["钱江世纪城", "面积与四至出处"]


def test_an_edit_of_layers_toml_reaches_every_view_without_a_restart(tmp_path, monkeypatch):
    import geopandas as gpd
    import shapely

    from layers.load import load_layer
    from layers.zones import english_name, zones_at

    toml = tmp_path / "layers.toml"
    monkeypatch.setenv("HARBOR_LAYERS_CONFIG", str(toml))
    at = run("data")
    assert "配置" not in " ".join(at.dataframe[0].value["几何文件"])
    zip_before = at.get("download_button")[0].proto.url
    assert zones_at(121.05, 29.05)["financial_city"] == []

    cities = load_layer("financial_cities").located[["name_zh", "geometry"]].copy()
    cities.loc[cities["name_zh"] == "杭州金融城", "geometry"] = shapely.box(121.0, 29.0, 121.1, 29.1)
    gpd.GeoDataFrame(cities, crs=4326).to_file(tmp_path / "fc.gpkg", driver="GPKG")
    toml.write_text('[layers.financial_cities]\npath = "fc.gpkg"\nsource = "测试官方边界"\n')

    at = run("data")
    layers = at.dataframe[0].value.set_index("图层")
    assert layers.loc["金融城", "几何文件"].startswith("配置：")
    assert "测试官方边界" in layers.loc["金融城", "来源"]
    assert at.get("download_button")[0].proto.url != zip_before  # a new dataset file
    assert zones_at(121.05, 29.05)["financial_city"] == ["杭州金融城"]  # the zone check
    assert english_name("杭州金融城") == "Hangzhou Financial City"
    at = run("core-zone")  # the map page builds with the new layer
    assert not at.exception
