"""Does a point list look shifted? Amap, Tencent (GCJ-02) and Baidu (BD-09) coordinates are
offset 300–600 m from WGS84 on purpose, and a file can say WGS84 when it is not (a GeoJSON is
WGS84 by rule, whatever tool wrote it). Projects are not built in the river or the sea: when
many points as read fall in the Qiantang or just off the coast, and reading them as GCJ-02 or
BD-09 puts most of them on land, the file is probably in that system.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely

from geo.crs import METRIC, WGS84, bd09_to_wgs84, gcj02_to_wgs84
from layers.load import config_key, load_layer

COAST_M = 2000  # "just off the coast": within this distance outside the province
SHIFTS = {"gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}


@dataclass
class DatumHint:
    datum: str  # gcj02 or bd09: the reading that puts the points on land
    points: int  # points considered (placed, near Zhejiang)
    wet_as_read: int  # in the river or just off the coast, as read
    wet_shifted: int  # the same, read as ``datum``


@lru_cache(maxsize=2)
def _water(_config):
    """The Qiantang and a band of sea along the coast, prepared, in WGS84."""
    province = load_layer("province").located.to_crs(METRIC).union_all()
    river = load_layer("river").located.to_crs(METRIC).union_all()
    band = province.buffer(COAST_M).difference(province)
    water = gpd.GeoSeries([shapely.union_all([river, band])], crs=METRIC).to_crs(WGS84).iloc[0]
    shapely.prepare(water)
    return water


def datum_hint(lon: np.ndarray, lat: np.ndarray) -> DatumHint | None:
    """A hint when the points (WGS84, as read) look like GCJ-02 or BD-09, else None."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    lon, lat = lon[ok], lat[ok]
    if not len(lon):
        return None
    water = _water(config_key())
    wet = int(shapely.intersects_xy(water, lon, lat).sum())
    if wet < max(2, 0.1 * len(lon)):
        return None
    best = None
    for datum, shift in SHIFTS.items():
        x, y = shift(lon, lat)
        shifted = int(shapely.intersects_xy(water, np.asarray(x), np.asarray(y)).sum())
        if shifted * 3 <= wet and (best is None or shifted < best.wet_shifted):
            best = DatumHint(datum, len(lon), wet, shifted)
    return best
