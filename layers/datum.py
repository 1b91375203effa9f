"""Does a point list look shifted? Amap, Tencent (GCJ-02) and Baidu (BD-09) coordinates are
offset 300–600 m from WGS84 on purpose, and a file can say WGS84 when it is not (a GeoJSON is
WGS84 by rule, whatever tool wrote it). Projects are not built in the river or the sea: when
many points as read fall in the Qiantang or just off the coast, and reading them as GCJ-02 or
BD-09 puts most of them on land, the file is probably in that system. Most of a list lies on
land, though, where a shift moves a point only across a district border, if at all: when the
list has its own district column (上城区, 萧山…), points outside the district it names as read,
and inside it read as GCJ-02 or BD-09, tell the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely

from geo.crs import bd09_to_wgs84, gcj02_to_wgs84
from geo.zoneindex import SEPARATOR
from layers.zones import layer_shape, sources_key, zone_index

COAST_DEG = 0.02  # "just off the coast": within this of the province (about 2 km here)
SHIFTS = {"gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}


@dataclass
class DatumHint:
    datum: str  # gcj02 or bd09: the reading that puts the points in place
    points: int  # points considered (placed)
    off_as_read: int  # points out of place as read: see ``by``
    off_shifted: int  # the same, read as ``datum``
    by: str = "water"  # "water": in the river or just off the coast; "district": outside
    column: str | None = None  # the district that this column of the list names (by "district")
    tied: bool = False  # GCJ-02 and BD-09 put as many in place: either may be right (datum: the first)
    rows: np.ndarray = field(default_factory=lambda: np.empty(0, np.intp))  # positions (from 0)
    # in the list of the points out of place as read


@lru_cache(maxsize=2)
def _shapes(_key):
    """The province and the Qiantang, prepared (cheap to build, unlike a coastal buffer)."""
    province, river = (layer_shape(name) for name in ("province", "river"))
    shapely.prepare(province)
    shapely.prepare(river)
    return province, river


def _wet(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Which points fall in the Qiantang, or outside the province within COAST_DEG of it."""
    province, river = _shapes(sources_key())
    outside = ~shapely.intersects_xy(province, lon, lat)
    wet = shapely.intersects_xy(river, lon, lat)
    wet[outside] |= shapely.dwithin(province, shapely.points(lon[outside], lat[outside]), COAST_DEG)
    return wet


@lru_cache(maxsize=2)
def _district_names(_key) -> dict[str, str]:
    """Each district as a list may write it: 上城区, or 上城 without its 区/县/市."""
    names = {}
    for name in zone_index().zone_names("district"):
        names[name] = name
        if len(name) > 2:
            names.setdefault(name[:-1], name)
    return names


def _said(value, names: dict[str, str]) -> str | None:
    """The district a cell names (杭州市上城区 too), or None; ``names`` from _district_names."""
    text = str(value).strip()
    return names.get(re.sub(r"^\w{2,3}市(?=\w{2})", "", text))  # 上城区 itself stays as it is


def district_column(frame: pd.DataFrame) -> str | None:
    """The column of the list that names districts (most of its filled cells), if any."""
    best, most = None, 2
    names = _district_names(sources_key())  # once: the key looks at the file system
    for column in frame.columns:
        filled = frame[column].head(2000).dropna().astype(str).str.strip()  # enough to tell
        filled = filled[filled != ""]
        named = int(filled.map(lambda v: _said(v, names)).notna().sum())
        if named > most and named >= 0.8 * len(filled):
            best, most = column, named
    return best


def _astray(said: np.ndarray):
    """Which points lie outside the district the list names for them."""
    def off(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        found = zone_index().query(lon, lat)["district"]
        return np.array([s is not None and s not in f.split(SEPARATOR) for s, f in zip(said, found)],
                        dtype=bool)
    return off


def _hint(lon, lat, off, by: str, column: str | None = None) -> DatumHint | None:
    """The reading that puts at most a third as many points out of place, when enough are."""
    astray = off(lon, lat)
    as_read = int(astray.sum())
    if as_read < max(2, 0.1 * len(lon)):
        return None
    shifted = {datum: int(off(*(np.asarray(v, dtype=float) for v in shift(lon, lat))).sum())
               for datum, shift in SHIFTS.items()}
    least = min(shifted.values())
    if least * 3 > as_read:
        return None
    best = [datum for datum, n in shifted.items() if n == least]
    return DatumHint(best[0], len(lon), as_read, least, by, column, tied=len(best) > 1,
                     rows=np.flatnonzero(astray))


def datum_hint(lon: np.ndarray, lat: np.ndarray, frame: pd.DataFrame | None = None) -> DatumHint | None:
    """A hint when the points (WGS84, as read; NaN where a row is not a placed point) look like
    GCJ-02 or BD-09, else None. ``frame``: the list's own columns, row for row, where a district
    column may be."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        return None
    hint = _hint(lon[ok], lat[ok], _wet, "water")
    column = district_column(frame) if hint is None and frame is not None else None
    if column is not None:
        names = _district_names(sources_key())
        said = np.array([_said(v, names) for v in frame[column].to_numpy()[ok]], dtype=object)
        hint = _hint(lon[ok], lat[ok], _astray(said), "district", column)
    if hint is not None:
        hint.rows = np.flatnonzero(ok)[hint.rows]  # positions in the whole list
    return hint
