"""The layer registry, the links to targets/tasks/projects, and replacing a layer by an
official file through layers.toml."""

import geopandas as gpd

import layers.load as load
from layers.links import links_for
from layers.plan import table
from layers.registry import GROUPS, LAYERS, MAPS, layers_for_map


def test_registry_is_complete_and_consistent():
    assert len({layer.id for layer in LAYERS}) == len(LAYERS)
    for layer in LAYERS:
        assert layer.group in GROUPS and (load.GEO / layer.file).exists()
        assert set(layer.maps) <= set(MAPS)
    assert {layer.group for layer in LAYERS} == set(GROUPS)
    plan_layers = {layer.id for layer in LAYERS if layer.plan_layer}
    assert plan_layers == set(table("features")["layer"])
    for map_id in MAPS:
        assert any(layer.plan_layer for layer in layers_for_map(map_id))


def test_every_plan_feature_is_located_or_says_why():
    for layer in LAYERS:
        frame = load.load_layer(layer.id).frame
        missing = frame[frame.geometry.isna()]
        assert (missing["accuracy"] == "no geometry").all()
        if layer.id != "key_projects":
            assert missing.empty, (layer.id, list(missing["name_zh"]))


def test_hangzhou_is_tied_to_annex4_row2_and_its_tasks():
    links = links_for("six_cities", "city_hz")
    assert {"A4-2-1", "A4-2-2", "A4-2-3", "A4-2-4"} <= set(links.targets["id"])
    assert "A4-3-1" not in set(links.targets["id"])
    assert list(links.tasks["id"]) == ["三(四)1"]
    assert {"J1", "J2"} <= set(links.projects["id"])


def test_each_town_is_tied_to_row8():
    for town in table("features").query("layer == 'finance_towns'")["id"]:
        assert set(links_for("finance_towns", town).targets["id"]) == {"A4-8-1", "A4-8-2"}


def test_core_zone_is_tied_to_section_3_1():
    tasks = links_for("core_zone", "qjxc").tasks["id"]
    assert list(tasks) == ["三(一)1", "三(一)2", "三(一)3", "三(一)4", "三(一)5"]


def test_nantaihu_carries_its_annex4_targets():
    targets = links_for("major_projects", "mp_nth").targets
    assert list(targets["value"]) == ["20", "50", "1"]


def test_official_file_replaces_a_layer(tmp_path, monkeypatch):
    # An "official" file: our own boundaries, in CGCS2000 Gauss-Kruger (EPSG:4549), with the
    # names in a field of its own and a feature the plan does not have.
    bundled = load.load_layer("financial_cities").located
    official = bundled[["name_zh", "geometry"]].rename(columns={"name_zh": "NAME"}).to_crs(4549)
    extra = gpd.GeoDataFrame({"NAME": ["某片区"]}, geometry=[official.geometry.iloc[0]], crs=4549)
    official = gpd.GeoDataFrame(
        __import__("pandas").concat([official, extra], ignore_index=True), crs=4549)
    official.to_file(tmp_path / "jrc.gpkg", layer="boundary", driver="GPKG")
    (tmp_path / "layers.toml").write_text(
        '[layers.financial_cities]\npath = "jrc.gpkg"\nlayer = "boundary"\nname_field = "NAME"\n'
        'source = "杭州市规划和自然资源局 (test)"\naccuracy = "official boundary"\n',
        encoding="utf-8")
    monkeypatch.setenv("HARBOR_LAYERS_CONFIG", str(tmp_path / "layers.toml"))
    data = load.load_layer("financial_cities")
    assert data.origin.startswith("configured:") and "jrc.gpkg" in data.origin
    assert set(data.frame["source"]) == {"杭州市规划和自然资源局 (test)"}
    assert any("某片区" in w for w in data.warnings)
    moved = data.frame.set_index("name_zh").geometry
    for _, f in bundled.iterrows():
        assert moved[f["name_zh"]].symmetric_difference(f.geometry).area < 1e-9
    summary = load.summary().set_index("layer")
    assert summary.loc["financial_cities", "origin"].startswith("configured:")


def test_official_file_without_crs_is_reported_and_the_bundled_layer_kept(tmp_path, monkeypatch):
    frame = load.load_layer("core_zone").located[["name_zh", "geometry"]].to_crs(4549)
    frame.to_file(tmp_path / "core.shp", encoding="utf-8")
    (tmp_path / "core.prj").unlink()
    (tmp_path / "layers.toml").write_text('[layers.core_zone]\npath = "core.shp"\n', encoding="utf-8")
    monkeypatch.setenv("HARBOR_LAYERS_CONFIG", str(tmp_path / "layers.toml"))
    data = load.load_layer("core_zone")  # the app keeps running on the bundled geometry
    assert data.origin.startswith("bundled:")
    assert any("declares no coordinate system" in w for w in data.warnings)
    (tmp_path / "layers.toml").write_text(
        '[layers.core_zone]\npath = "core.shp"\ncrs = "EPSG:4549"\n', encoding="utf-8")
    data = load.load_layer("core_zone")
    assert data.located.geometry.contains(
        __import__("shapely").geometry.Point(120.2082401, 30.2580532)).any()


def test_broken_config_keeps_the_bundled_layers(tmp_path, monkeypatch):
    (tmp_path / "layers.toml").write_text("[layers.core_zone\npath = ", encoding="utf-8")
    monkeypatch.setenv("HARBOR_LAYERS_CONFIG", str(tmp_path / "layers.toml"))
    data = load.load_layer("core_zone")
    assert data.origin.startswith("bundled:") and "cannot be read" in data.warnings[0]
