"""The layer registry, the links to targets/tasks/projects, and replacing a layer by an
official file through layers.toml."""

import json

import geopandas as gpd
import pytest
import shapely

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
        assert missing["source"].str.contains("no published address with a position").all()
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


def official_file(tmp_path, names, drop=()):
    """An "official" replacement for a layer, written in EPSG:4549 with the names in a field
    NAME: each feature a small square in the sea east of Zhoushan, where no bundled feature
    is, so that the bundled geometry can never pass for it."""
    squares = {name: shapely.box(123.0 + 0.01 * i, 28.0, 123.005 + 0.01 * i, 28.005)
               for i, name in enumerate(names)}
    kept = [n for n in names if n not in drop]
    frame = gpd.GeoDataFrame({"NAME": kept}, geometry=[squares[n] for n in kept], crs=4326)
    frame.to_crs(4549).to_file(tmp_path / "official.gpkg", layer="boundary", driver="GPKG")
    return squares


def configure(tmp_path, monkeypatch, layer_id, **entry):
    lines = [f"[layers.{layer_id}]"] + [f"{key} = {json.dumps(value, ensure_ascii=False)}"
                                         for key, value in entry.items()]
    (tmp_path / "layers.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("HARBOR_LAYERS_CONFIG", str(tmp_path / "layers.toml"))


OFFICIAL = {"path": "official.gpkg", "layer": "boundary", "name_field": "NAME",
            "source": "浙江省自然资源厅 (test)", "accuracy": "official boundary (test)"}


@pytest.mark.parametrize("layer_id", ["core_zone", "financial_cities", "finance_towns", "river"])
def test_load_layer_returns_the_configured_file_not_the_bundled_one(tmp_path, monkeypatch, layer_id):
    bundled = load.load_layer(layer_id).located.set_index("name_zh").geometry
    names = list(bundled.index)
    squares = official_file(tmp_path, names)
    configure(tmp_path, monkeypatch, layer_id, **OFFICIAL)
    data = load.load_layer(layer_id)
    assert data.origin == f"configured: {tmp_path / 'official.gpkg'}"
    assert data.warnings == []
    got = data.frame.set_index("name_zh")
    assert sorted(got.index) == sorted(names)
    for name, square in squares.items():
        assert got.geometry[name].hausdorff_distance(square) < 1e-7, name  # the file's square...
        assert got.geometry[name].hausdorff_distance(bundled[name]) > 0.1, name  # ...not ours
    assert set(got["source"]) == {OFFICIAL["source"]}
    assert set(got["accuracy"]) == {OFFICIAL["accuracy"]}
    row = load.summary().set_index("layer").loc[layer_id]
    assert row["origin"] == data.origin and row["source"] == OFFICIAL["source"]


def test_a_feature_missing_from_the_configured_file_is_reported_not_taken_from_the_bundled_one(
        tmp_path, monkeypatch):
    official_file(tmp_path, ["钱江新城", "钱江世纪城"], drop=["钱江世纪城"])
    configure(tmp_path, monkeypatch, "core_zone", **OFFICIAL)
    data = load.load_layer("core_zone")
    assert data.origin.startswith("configured:")
    assert data.warnings == ["no geometry for: 钱江世纪城"]
    frame = data.frame.set_index("name_zh")
    assert frame.geometry["钱江世纪城"] is None and frame.loc["钱江世纪城", "accuracy"] == "no geometry"
    assert frame.loc["钱江世纪城", "source"] == "not in the configured file"  # not "not located"


@pytest.mark.parametrize("change, reason", [
    ({"path": "nowhere.gpkg"}, "file not found"),
    ({"path": "broken.gpkg"}, "cannot be read as a spatial file"),
    ({"name_field": "NAME_ZH"}, "no field 'NAME_ZH'"),
    ({"crs": "mars"}, "Unknown coordinate system"),
    ({"path": None}, "no path given"),
], ids=["missing", "corrupt", "name-field", "crs", "no-path"])
def test_an_unusable_configured_file_is_reported_not_silently_replaced(tmp_path, monkeypatch,
                                                                        change, reason):
    official_file(tmp_path, list(load.load_layer("financial_cities").frame["name_zh"]))
    (tmp_path / "broken.gpkg").write_bytes(b"SQLite format 3\0 but not really")
    entry = {k: v for k, v in {**OFFICIAL, **change}.items() if v is not None}
    configure(tmp_path, monkeypatch, "financial_cities", **entry)
    data = load.load_layer("financial_cities")
    assert data.origin.startswith("bundled:")  # the app keeps running...
    assert len(data.warnings) == 1  # ...and says why, where the map pages and data page show it
    assert "[layers.financial_cities] cannot be used" in data.warnings[0]
    assert reason in data.warnings[0] and "using the bundled geometry" in data.warnings[0]
    assert load.summary().set_index("layer").loc["financial_cities", "warnings"] == data.warnings[0]
