"""Which zones contain these points: one spatial index over every zone, built once, reused.

Knows nothing of the plan: zones are rows of a GeoDataFrame with a ``kind`` (the output
column they fill, e.g. "district") and a ``name``.

Border rule: zones are closed sets. A point exactly on a border belongs to every zone whose
border it touches, so a point on the line between two districts gets both names, joined by
";" in the order of the zone table. Nothing is dropped and no side is chosen silently.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

SEPARATOR = ";"


class ZoneIndex:
    def __init__(self, zones: gpd.GeoDataFrame):
        zones = zones[zones.geometry.notna() & ~zones.geometry.is_empty].reset_index(drop=True)
        self.zones = zones
        self.kinds = list(dict.fromkeys(zones["kind"]))
        self._geoms = zones.geometry.values
        shapely.prepare(self._geoms)
        self._tree = shapely.STRtree(self._geoms)
        self._kind = zones["kind"].to_numpy()
        self._name = zones["name"].to_numpy()

    def pairs(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """(point index, zone index) for every point inside (or on the border of) a zone."""
        points = shapely.points(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        point_idx, zone_idx = self._tree.query(points, predicate="intersects")
        order = np.lexsort((zone_idx, point_idx))
        return point_idx[order], zone_idx[order]

    def query(self, lon, lat) -> pd.DataFrame:
        """One row per point, one column per kind: the names of the zones, "" when none."""
        n = len(np.atleast_1d(lon))
        point_idx, zone_idx = self.pairs(lon, lat)
        out = {}
        for kind in self.kinds:
            mask = self._kind[zone_idx] == kind
            names = pd.Series(self._name[zone_idx[mask]], index=point_idx[mask])
            joined = names.groupby(level=0, sort=False).agg(SEPARATOR.join)
            column = np.full(n, "", dtype=object)
            column[joined.index.to_numpy()] = joined.to_numpy()
            out[kind] = column
        return pd.DataFrame(out)

    def at(self, lon: float, lat: float) -> list[tuple[str, str]]:
        """(kind, name) of every zone at one point, in the order of the zone table."""
        _, zone_idx = self.pairs([lon], [lat])
        return [(self._kind[i], self._name[i]) for i in zone_idx]
