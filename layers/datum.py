"""Does a point list look shifted? Amap, Tencent (GCJ-02) and Baidu (BD-09) coordinates are
offset 300–600 m from WGS84 on purpose, and a file can say WGS84 when it is not (a GeoJSON is
WGS84 by rule, whatever tool wrote it). Projects are not built in the river or the sea: when
many points as read fall in the Qiantang or just off the coast, and reading them as GCJ-02 or
BD-09 puts most of them on land, the file is probably in that system.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely

from geo.crs import bd09_to_wgs84, gcj02_to_wgs84
from layers.load import config_key, load_layer

COAST_DEG = 0.02  # "just off the coast": within this of the province (about 2 km here)
SHIFTS = {"gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}


@dataclass
class DatumHint:
    datum: str  # gcj02 or bd09: the reading that puts the points on land
    points: int  # points considered (placed, near Zhejiang)
    wet_as_read: int  # in the river or just off the coast, as read
    wet_shifted: int  # the same, read as ``datum``


def _one(geoms):
    return geoms.iloc[0] if len(geoms) == 1 else shapely.union_all(geoms.values)


@lru_cache(maxsize=2)
def _shapes(_config):
    """The province and the Qiantang, prepared (cheap to build, unlike a coastal buffer)."""
    province, river = (_one(load_layer(name).located.geometry) for name in ("province", "river"))
    shapely.prepare(province)
    shapely.prepare(river)
    return province, river


def _wet(lon: np.ndarray, lat: np.ndarray) -> int:
    """How many points fall in the Qiantang, or outside the province within COAST_DEG of it."""
    province, river = _shapes(config_key())
    outside = ~shapely.intersects_xy(province, lon, lat)
    near = shapely.dwithin(province, shapely.points(lon[outside], lat[outside]), COAST_DEG)
    return int(shapely.intersects_xy(river, lon, lat).sum() + near.sum())


def datum_hint(lon: np.ndarray, lat: np.ndarray) -> DatumHint | None:
    """A hint when the points (WGS84, as read) look like GCJ-02 or BD-09, else None."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    lon, lat = lon[ok], lat[ok]
    if not len(lon):
        return None
    wet = _wet(lon, lat)
    if wet < max(2, 0.1 * len(lon)):
        return None
    best = None
    for datum, shift in SHIFTS.items():
        x, y = shift(lon, lat)
        shifted = _wet(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        if shifted * 3 <= wet and (best is None or shifted < best.wet_shifted):
            best = DatumHint(datum, len(lon), wet, shifted)
    return best
