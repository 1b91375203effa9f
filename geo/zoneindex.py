"""Which zones contain these points: one index over every zone, built once, reused.

Knows nothing of the plan: zones are rows of a GeoDataFrame with a ``kind`` (the output
column they fill, e.g. "district") and a ``name``.

The index holds each zone's prepared geometry (GEOS builds an indexed point-in-area locator
for it on first use) and its bounding box. A query tests each zone only against the points
inside its box, vectorised (shapely.intersects_xy), so a million points take well under a
second against Zhejiang's 90 districts; an STRtree query of point objects took 28 s.

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
        self._bounds = shapely.bounds(self._geoms)
        self._kind = zones["kind"].to_numpy()
        self._name = zones["name"].to_numpy()

    def pairs(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """(point index, zone index) for every point inside, or on the border of, a zone;
        sorted by point, then by zone."""
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        points, zones = [], []
        for i, (geom, (minx, miny, maxx, maxy)) in enumerate(zip(self._geoms, self._bounds)):
            candidates = np.flatnonzero((lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy))
            if len(candidates):
                hit = candidates[shapely.intersects_xy(geom, lon[candidates], lat[candidates])]
                points.append(hit)
                zones.append(np.full(len(hit), i))
        if not points:
            return np.empty(0, dtype=int), np.empty(0, dtype=int)
        point_idx, zone_idx = np.concatenate(points), np.concatenate(zones)
        order = np.lexsort((zone_idx, point_idx))
        return point_idx[order], zone_idx[order]

    def query(self, lon, lat) -> pd.DataFrame:
        """One row per point, one column per kind: the names of the zones, "" when none."""
        n = len(np.atleast_1d(lon))
        point_idx, zone_idx = self.pairs(lon, lat)
        out = {}
        for kind in self.kinds:
            mask = self._kind[zone_idx] == kind
            column = np.full(n, "", dtype=object)
            pts, names = point_idx[mask], self._name[zone_idx[mask]]
            if len(pts):
                first = np.r_[True, pts[1:] != pts[:-1]]
                column[pts[first]] = names[first]
                for p, name in zip(pts[~first], names[~first]):  # rare: borders, overlaps
                    column[p] = f"{column[p]}{SEPARATOR}{name}"
            out[kind] = pd.Series(column, dtype=object)  # object: no costly string inference
        return pd.DataFrame(out)

    def at(self, lon: float, lat: float) -> list[tuple[str, str]]:
        """(kind, name) of every zone at one point, in the order of the zone table."""
        _, zone_idx = self.pairs([lon], [lat])
        return [(self._kind[i], self._name[i]) for i in zone_idx]
