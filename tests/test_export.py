"""python -m layers.export writes a GeoPackage of every layer and Excel-ready CSV tables."""

import subprocess
import sys
import zipfile
import io

import geopandas as gpd
import pandas as pd
import pyogrio

from layers.export import dataset_zip
from layers.load import ROOT
from layers.plan import table
from layers.registry import LAYERS


def test_export_command_writes_every_layer_and_table(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "layers.export", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    layers = dict(pyogrio.list_layers(out / "qiantang_harbor.gpkg"))
    assert set(layers) == {layer.id for layer in LAYERS}
    for layer in LAYERS:
        frame = gpd.read_file(out / "qiantang_harbor.gpkg", layer=layer.id)
        assert frame.crs.to_epsg() == 4326
        for column in ("name_zh", "name_en", "source", "accuracy"):
            assert frame[column].fillna("").ne("").all(), (layer.id, column)
    towns = gpd.read_file(out / "qiantang_harbor.gpkg", layer="finance_towns")
    assert "鄞州四明金融小镇" in set(towns["name_zh"])
    for name, source in (("targets", "targets"), ("tasks", "tasks"), ("projects", "annex5"),
                         ("units", "units")):
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name  # BOM: Excel reads UTF-8
        frame = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str,
                            keep_default_na=False)
        assert frame.equals(table(source)), name
    areas = pd.read_csv(out / "zone_areas.csv", encoding="utf-8-sig").set_index("name_zh")
    # the published figures of data/extents.csv beside the drawn ones, with their sources
    assert areas.loc["钱江新城核心区（CBD）", "published_km2"] == 4.02
    assert areas.loc["钱江新城", "drawn_km2"] > 0 and "z.hangzhou.com.cn" in areas.loc["钱江新城", "cite_en"]
    assert pd.isna(areas.loc["钱塘江金融城", "published_km2"])  # none published: none invented
    assert areas.loc["钱江新城", "confidence_zh"] == "政府或官方新闻网站"  # and in Chinese beside
    assert areas.loc["钱江新城", "source_zh"].startswith("按已发布的四至（一期）绘制")
    assert areas.loc["钱江新城", "accuracy_zh"].startswith("道路 ±50 米")


def test_download_zip_holds_the_same_files():
    names = zipfile.ZipFile(io.BytesIO(dataset_zip())).namelist()
    assert sorted(names) == sorted(["qiantang_harbor.gpkg", "targets.csv", "baselines.csv",
                                    "harbors.csv", "tasks.csv", "projects.csv", "units.csv",
                                    "zone_areas.csv"])
