"""Load a layer: its geometry (bundled, or an official file named in layers.toml) joined
with its facts from data/features.csv.

layers.toml (at the repository root, or the file named by $HARBOR_LAYERS_CONFIG) replaces a
layer's geometry without any code change:

    [layers.financial_cities]
    path = "/data/official/jrc.gpkg"   # GeoPackage, Shapefile, GeoJSON, ... (relative: to the toml)
    layer = "boundary"                 # optional: layer inside a GeoPackage
    crs = "EPSG:4549"                  # optional when the file declares its CRS
    name_field = "NAME"                # the field holding the plan's Chinese names (default name_zh)
    source = "杭州市规划和自然资源局, 2024"  # shown as the source of every feature
    accuracy = "official boundary"

    [basemap]                          # optional: tiles on disk, served by the app (no network)
    path = "/data/tiles/zhejiang.mbtiles"   # an MBTiles file or an XYZ folder {z}/{x}/{y}.png
    name = "省级政务底图（离线）"             # shown in the basemap choice
    attribution = "© 浙江省测绘与地理信息局"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geo.crs import WGS84
from geo.io import read_vector
from layers.plan import DATA, table
from layers.registry import BY_ID, LAYERS, Layer

if TYPE_CHECKING:  # imported where used: not at start-up (0.13 s)
    import geopandas as gpd

ROOT = DATA.parent
GEO = DATA / "geo"
FACT_COLUMNS = ["id", "name_zh", "name_en", "city", "positioning_zh", "positioning_en",
                "extent_zh", "ref", "members", "targets", "tasks", "projects"]
COLUMNS = ["layer", *FACT_COLUMNS, "source", "accuracy", "license", "geometry"]


@dataclass
class LayerData:
    layer: Layer
    frame: gpd.GeoDataFrame  # one row per feature, WGS84; geometry may be empty (not located)
    origin: str  # "bundled: data/geo/x.geojson" or "configured: /path/to/file"
    warnings: list[str] = field(default_factory=list)

    @property
    def located(self) -> gpd.GeoDataFrame:
        return self.frame[self.frame.geometry.notna() & ~self.frame.geometry.is_empty]


def config_path() -> Path:
    return Path(os.environ.get("HARBOR_LAYERS_CONFIG", ROOT / "layers.toml"))


def config_key() -> tuple[str, int, int]:
    path = config_path()
    if not path.exists():
        return str(path), 0, 0
    stat = path.stat()
    return str(path), stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=8)
def _config(path: str, mtime_ns: int, size: int) -> dict:
    """The whole of layers.toml ({} when there is none)."""
    if not mtime_ns:
        return {}
    with open(path, "rb") as f:
        return tomllib.load(f)


def basemap_config() -> dict:
    """The ``[basemap]`` table of layers.toml, its ``path`` made absolute: tiles on disk (an
    MBTiles file or an XYZ folder) that the app serves as a basemap. {} when none is set;
    raises ValueError (with the reason) when layers.toml cannot be read."""
    config = config_key()
    try:
        entry = dict(_config(*config).get("basemap", {}))
    except (tomllib.TOMLDecodeError, OSError) as err:
        raise ValueError(f"{Path(config[0]).name} cannot be read ({err})") from err
    if entry.get("path"):
        path = Path(entry["path"])
        entry["path"] = path if path.is_absolute() else Path(config[0]).parent / path
    return entry


def _read_bundled(layer: Layer) -> tuple[gpd.GeoDataFrame, str]:
    file = GEO / layer.file
    return read_vector(file), f"bundled: data/{file.relative_to(DATA)}"


def _read_configured(entry: dict, toml: Path) -> tuple[gpd.GeoDataFrame, str]:
    if "path" not in entry:
        raise ValueError("no path given")
    file = Path(entry["path"])
    file = file if file.is_absolute() else toml.parent / file
    gdf = read_vector(file, crs=entry.get("crs"), layer=entry.get("layer"))
    name_field = entry.get("name_field", "name_zh")
    if name_field not in gdf.columns:
        fields = ", ".join(map(str, gdf.columns.drop("geometry")))
        raise ValueError(f"{file.name}: no field {name_field!r} (set name_field); fields are {fields}")
    gdf = gdf.rename(columns={name_field: "name_zh"})
    gdf["source"] = entry.get("source", f"official file {file.name}")
    gdf["accuracy"] = entry.get("accuracy", "as supplied in the official file")
    gdf["license"] = entry.get("license", "as supplied in the official file")
    return gdf, f"configured: {file}"


def _read_geometry(layer: Layer, config: tuple[str, int, int]):
    """The layer's geometry, its origin, and warnings. A configured file that cannot be used
    is reported, and the bundled geometry is used instead: the app keeps running."""
    toml = Path(config[0])
    try:
        entry = _config(*config).get("layers", {}).get(layer.id)
    except (tomllib.TOMLDecodeError, OSError) as err:
        gdf, origin = _read_bundled(layer)
        return gdf, origin, [f"{toml.name} cannot be read ({err}); using the bundled geometry"]
    if not entry:
        return (*_read_bundled(layer), [])
    try:
        return (*_read_configured(entry, toml), [])
    except (ValueError, KeyError) as err:  # SpatialFileError is a ValueError
        gdf, origin = _read_bundled(layer)
        return gdf, origin, [f"{toml.name} [layers.{layer.id}] cannot be used: {err}; "
                             "using the bundled geometry"]


def load_layer(layer_id: str) -> LayerData:
    """The layer's features, facts joined to geometry by the plan's Chinese name.

    Loaded once per layer and per state of layers.toml: editing the file takes effect on the
    next call, with no restart."""
    return _load_layer(layer_id, config_key())


@lru_cache(maxsize=64)
def _load_layer(layer_id: str, config: tuple[str, int, int]) -> LayerData:
    import geopandas as gpd

    layer = BY_ID[layer_id]
    geometry, origin, warnings = _read_geometry(layer, config)
    if not layer.plan_layer:
        frame = geometry.copy()
        frame["layer"] = layer.id
        frame["license"] = frame.get("license", layer.license)
    else:
        facts = table("features")
        facts = facts[facts["layer"] == layer.id]
        geo_cols = ["name_zh", "source", "accuracy", "license", "geometry"]
        keep = geometry[[c for c in geo_cols if c in geometry.columns]].drop_duplicates("name_zh")
        frame = gpd.GeoDataFrame(facts.merge(keep, on="name_zh", how="left"),
                                 geometry="geometry", crs=WGS84)
        missing = frame["geometry"].isna()
        frame.loc[missing, "source"] = (
            "not in the configured file" if origin.startswith("configured") else
            "not located: the plan gives no place for it, and no published address with a "
            "position was found")
        frame.loc[missing, "accuracy"] = "no geometry"
        frame["license"] = frame["license"].fillna(layer.license)
        extra = sorted(set(geometry["name_zh"]) - set(facts["name_zh"]))
        if extra and origin.startswith("configured"):
            warnings.append(f"features not in the plan's data, ignored: {', '.join(map(str, extra))}")
        if missing.any() and origin.startswith("configured"):
            warnings.append("no geometry for: " + ", ".join(frame.loc[missing, "name_zh"]))
    for column in COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame[COLUMNS].fillna({c: "" for c in COLUMNS if c != "geometry"})
    return LayerData(layer, gpd.GeoDataFrame(frame, geometry="geometry", crs=WGS84), origin,
                     warnings)


def load_all() -> list[LayerData]:
    return [load_layer(layer.id) for layer in LAYERS]


def summary() -> pd.DataFrame:
    """One row per layer: name, group, feature count, source, accuracy, license, origin."""
    rows = []
    for data in load_all():
        layer, frame = data.layer, data.frame
        rows.append({
            "layer": layer.id, "name_zh": layer.name_zh, "name_en": layer.name_en,
            "group": layer.group, "features": len(frame), "located": len(data.located),
            "source": "; ".join(sorted(set(frame["source"]))),
            "accuracy": "; ".join(sorted(set(frame["accuracy"]))),
            "license": "; ".join(sorted(set(frame["license"]))),
            "origin": data.origin, "warnings": "; ".join(data.warnings),
        })
    return pd.DataFrame(rows)
