"""The plan's zones as one table for the zone index: the answer to "where does this fall?".

Kinds, in the order they are reported: city, district, core_zone (the core zone and its
riverside-extension parts), financial_city (杭州金融城 or 钱塘江金融城; the 滨江扩展区 counts as
钱塘江金融城, whose extension it is), town (finance towns). Belts are not geometry here: the
plan defines a belt by its member cities, so a point is in a belt when its city is a member
(see :func:`belts_of`). The corridors on the map are schematic.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from functools import lru_cache
from pathlib import Path

import geo.zoneindex
from geo.zoneindex import ZoneIndex
from layers.load import config_key, config_path, load_layer
from layers.plan import CITIES_OF_HARBOR, DATA, table

KINDS = ("city", "district", "core_zone", "financial_city", "town")
# A town drawn as a point (no published extent found, data/extents.csv) counts as a disc of
# this radius around it; a town drawn as an area counts as that area.
TOWN_RADIUS_M = 1000
EXTENSION_OF = {"滨江扩展区": "钱塘江金融城"}


def _kind(frame, kind: str, names=None):
    import geopandas as gpd

    from geo.crs import WGS84

    out = gpd.GeoDataFrame({"kind": kind, "name": names if names is not None else frame["name_zh"]},
                           geometry=frame.geometry.values, crs=WGS84)
    return out


def zone_table():
    """Every zone, WGS84, with columns kind and name; follows changes of layers.toml."""
    return _zone_table(config_key())


_installed: list[ZoneIndex] = []  # an index sent to this process (a cluster's worker)


def zone_index() -> ZoneIndex:
    """The spatial index over :func:`zone_table`: built once per state of the layers and kept
    on disk (:func:`index_file`), so that a run loads it in milliseconds instead of reading
    the layers and building it (about 2 s). In a cluster's worker, the index the client sent
    (:func:`install_index`)."""
    return _installed[0] if _installed else _zone_index(sources_key())


def install_index(index: ZoneIndex) -> None:
    """Use ``index`` in this process from now on: a worker checks with the client's index,
    whatever its own files."""
    if not _installed or _installed[0] is not index:
        _installed[:] = [index]


def sources_key() -> str:
    """What the zones are made of, as a hash: every file of data/ (path, size, time), the text
    of layers.toml and the files it names (with a Shapefile's side files), and the code that
    builds the index. Any change to one of them gives another key, so another index."""
    files = [*DATA.rglob("*"), Path(geo.zoneindex.__file__), Path(__file__)]
    digest = hashlib.sha256()
    config = config_path()
    if config.is_file():
        digest.update(config.read_bytes())
        try:
            entries = tomllib.loads(config.read_text("utf-8")).get("layers", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            entries = {}  # the layers fall back to the bundled files, which are hashed
        for entry in entries.values():
            named = Path(str(entry.get("path", ""))) if isinstance(entry, dict) else None
            if named and str(named) not in ("", "."):
                named = named if named.is_absolute() else config.parent / named
                files += [named, *named.parent.glob(named.stem + ".*")]
    for file in sorted(set(files)):
        if file.is_file():
            stat = file.stat()
            digest.update(f"{file}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:20]


def cache_dir() -> Path:
    """Where the zone index is kept: $HARBOR_CACHE_DIR, else the user's cache folder."""
    from platformdirs import user_cache_dir

    return Path(os.environ.get("HARBOR_CACHE_DIR") or user_cache_dir("qiantang-harbor",
                                                                     appauthor=False))


def index_file(key: str | None = None) -> Path:
    """The file of the zone index for the layers as they are (or as of ``key``)."""
    return cache_dir() / f"zone-index-{key or sources_key()}.npz"


@lru_cache(maxsize=2)
def _zone_index(key: str) -> ZoneIndex:
    path = index_file(key)
    try:
        return ZoneIndex.load(path)
    except (OSError, ValueError, KeyError):  # none yet, or of another format, or damaged
        pass
    index = ZoneIndex(zone_table())
    _keep(path, index.save, "zone-index-*.npz")
    return index


def layer_shape(layer_id: str):
    """The union of a layer's located geometries (WGS84), kept on disk beside the zone index:
    a run reads it in a millisecond instead of reading the layer."""
    return _layer_shape(layer_id, sources_key())


@lru_cache(maxsize=8)
def _layer_shape(layer_id: str, key: str):
    import shapely

    path = cache_dir() / f"shape-{layer_id}-{key}.wkb"
    try:
        return shapely.from_wkb(path.read_bytes())
    except (OSError, shapely.errors.GEOSException):
        pass
    geoms = load_layer(layer_id).located.geometry
    shape = geoms.iloc[0] if len(geoms) == 1 else shapely.union_all(geoms.values)
    _keep(path, lambda part: Path(part).write_bytes(shapely.to_wkb(shape)),
          f"shape-{layer_id}-*.wkb")
    return shape


def _keep(path: Path, write, older: str) -> None:
    """Write a file of the cache whole, then rename it (a reader never sees half a file), and
    remove the files of earlier states of the layers (``older``: their pattern)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f"{path.stem}.{os.getpid()}.part{path.suffix}")
        write(part)
        os.replace(part, path)
        for old in path.parent.glob(older):
            if old != path and ".part" not in old.name:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a folder that cannot be written: used from memory


@lru_cache(maxsize=4)
def _zone_table(_config):
    import geopandas as gpd
    import pandas as pd

    from geo.crs import METRIC, WGS84

    parts = [
        _kind(load_layer("cities").located, "city"),
        _kind(load_layer("districts").located, "district"),
        _kind(load_layer("core_zone").located, "core_zone"),
        _kind(load_layer("riverside_extension").located, "core_zone"),
    ]
    financial = load_layer("financial_cities").located
    parts.append(_kind(financial, "financial_city",
                       financial["name_zh"].map(lambda n: EXTENSION_OF.get(n, n))))
    towns = load_layer("finance_towns").located
    points = towns.geom_type == "Point"
    areas = towns.geometry.where(~points, towns.to_crs(METRIC).buffer(TOWN_RADIUS_M).to_crs(WGS84))
    parts.append(gpd.GeoDataFrame({"kind": "town", "name": towns["name_zh"].values},
                                  geometry=areas.values, crs=WGS84))
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=WGS84)


@lru_cache(maxsize=1)
def _belt_members() -> dict[str, list[str]]:
    f = table("features")
    belts = f[f["layer"] == "belts"]
    return {row["name_zh"]: row["members"].split(";") for _, row in belts.iterrows()}


def belts_of(city: str) -> list[str]:
    """The belts whose member cities include ``city`` (附件3, 三(三))."""
    return [belt for belt, members in _belt_members().items() if city in members]


def in_harbor(city: str) -> bool:
    """True for the six harbor cities of Annex 4, row 1."""
    return city in CITIES_OF_HARBOR


@lru_cache(maxsize=4)
def _english(_config) -> dict[str, str]:
    names = {}
    for layer_id in ("cities", "districts", "core_zone", "riverside_extension",
                     "financial_cities", "finance_towns", "belts"):
        frame = load_layer(layer_id).frame
        names.update(zip(frame["name_zh"], frame["name_en"]))
    return names


def english_name(name_zh: str) -> str:
    """The English name of a zone, or the Chinese one when it has none."""
    return _english(config_key()).get(name_zh) or name_zh


def zones_at(lon: float, lat: float) -> dict[str, list[str]]:
    """Every zone at one point, by kind, belts included; empty lists where none."""
    found: dict[str, list[str]] = {kind: [] for kind in (*KINDS, "belts")}
    for kind, name in zone_index().at(lon, lat):
        if name not in found[kind]:
            found[kind].append(name)
    for city in found["city"]:
        found["belts"] += [b for b in belts_of(city) if b not in found["belts"]]
    return found
