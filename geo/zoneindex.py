"""Which zones contain these points: one index over every zone, built once, reused.

Knows nothing of the plan: zones are rows of a table with a ``kind`` (the output column they
fill, e.g. "district"), a ``name`` and a geometry.

Two levels. A **grid** over the zones' extent answers most points by array lookup: each of its
cells that no zone border crosses holds the combination of zones that covers all of it (a
code into :attr:`ZoneIndex.combos`); a cell that a border crosses holds ``BORDER``, and only
its points go to the **exact test**: each zone's prepared geometry (GEOS builds an indexed
point-in-area locator for it) against the points inside its bounding box, vectorised
(shapely.intersects_xy). On this 2-core machine the grid answers some 50 million points a
second; about 2 % of the points of a province fall in border cells.

Why a cell marked clean is clean: each zone's border is cut into pieces no longer than half a
cell, the cell of every piece's end is marked with its eight neighbours, so every point of a
border lies at least three quarters of a cell inside the marked area; a point in a clean cell is
then at least that far from any border, and has the zones of its cell. A row of clean cells
between two marked ones lies in one set of zones, so one exact test of its first cell labels it.

Border rule: zones are closed sets. A point exactly on a border belongs to every zone whose
border it touches, so a point on the line between two districts gets both names, joined by
";" in the order of the zone table. Nothing is dropped and no side is chosen silently.

The index saves to one ``.npz`` file and loads from it without building anything
(:meth:`ZoneIndex.save`, :meth:`ZoneIndex.load`), and pickles the same way for a cluster's
workers.
"""

from __future__ import annotations

import numpy as np
import shapely

SEPARATOR = ";"
BORDER = -1  # a grid cell that a border crosses: its points get the exact test
FORMAT = 1  # of the saved file; a file of another format is rebuilt
CELLS = 24_000_000  # about: a grid of 48 MB (int16), cells of some 100 m over Zhejiang
BLOCK = 1 << 16  # points looked up at a time


class Codes:
    """Each point's combination of zones: ``codes[i]`` indexes :attr:`combos`, a table of
    zone indices (padded with -1), whose first rows are the grid's."""

    def __init__(self, codes: np.ndarray, combos: np.ndarray, index: ZoneIndex):
        self.codes, self.combos, self._index = codes, combos, index

    def names(self, kind: str) -> np.ndarray:
        """The names of the zones of ``kind`` at each point ("" for none; ";" between two)."""
        return self.distinct(kind)[self.codes]

    def distinct(self, kind: str) -> np.ndarray:
        """The names of the zones of ``kind`` of each combination: ``codes`` index it."""
        return self._index._combo_names(self.combos, kind)


class ZoneIndex:
    def __init__(self, zones, cells: int = CELLS):
        """``zones``: a (Geo)DataFrame with columns kind and name and a geometry; rows without
        a geometry are left out."""
        geoms = np.asarray(zones.geometry.values, dtype=object)
        keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        self._setup(np.asarray(zones["kind"], dtype=object)[keep],
                    np.asarray(zones["name"], dtype=object)[keep], geoms[keep], zones.crs)
        self._build_grid(cells)

    def _setup(self, kinds, names, geoms, crs) -> None:
        self._kind, self._name, self._geoms, self._crs = kinds, names, geoms, crs
        self.kinds = list(dict.fromkeys(kinds))
        shapely.prepare(self._geoms)
        self._bounds = shapely.bounds(self._geoms)
        self._names_of: dict = {}

    @property
    def zones(self):
        """The zones as a GeoDataFrame (kind, name, geometry)."""
        import geopandas as gpd  # only for lines and polygons (geo.zonecheck): not at start-up

        return gpd.GeoDataFrame({"kind": self._kind, "name": self._name}, geometry=self._geoms,
                                crs=self._crs)

    # ---- the exact test --------------------------------------------------------------------

    def pairs(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """(point index, zone index) for every point inside, or on the border of, a zone;
        sorted by point, then by zone. The exact test, for every point."""
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
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        point_idx, zone_idx = np.concatenate(points), np.concatenate(zones)
        order = np.lexsort((zone_idx, point_idx))
        return point_idx[order], zone_idx[order]

    def _exact(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """Each point's combination by the exact test: (codes into the combos returned, combos
        as rows of zone indices padded with -1)."""
        n = len(lon)
        point_idx, zone_idx = self.pairs(lon, lat)
        per_point = np.bincount(point_idx, minlength=n)
        width = max(int(per_point.max(initial=0)), 1)
        rows = np.full((n, width), -1, dtype=np.int64)
        starts = np.cumsum(per_point) - per_point
        rows[point_idx, np.arange(len(point_idx)) - starts[point_idx]] = zone_idx
        bits = int(len(self._geoms) + 1).bit_length()
        if width * bits > 63:  # many zones at one point: rows compared as rows
            combos, codes = np.unique(rows, axis=0, return_inverse=True)
            return codes.reshape(-1), combos
        # Each row as one number (its zones in fixed-width bits): a sort of numbers is much
        # faster than a sort of rows.
        keys = ((rows + 1) << (bits * np.arange(width))).sum(axis=1)
        unique, first, codes = np.unique(keys, return_index=True, return_inverse=True)
        return codes.reshape(-1), rows[first]

    # ---- the grid --------------------------------------------------------------------------

    def _build_grid(self, cells: int) -> None:
        minx, miny = self._bounds[:, :2].min(axis=0)
        maxx, maxy = self._bounds[:, 2:].max(axis=0)
        size = float(np.sqrt((maxx - minx) * (maxy - miny) / cells)) or 1e-3
        # A margin of two cells: its outer ring is never marked, and lies outside every zone.
        self._origin = (minx - 2 * size, miny - 2 * size)
        self._size = size
        nx, ny = int((maxx - minx) / size) + 5, int((maxy - miny) / size) + 5
        marked = np.zeros((ny, nx), dtype=bool)
        # A polygon's coordinates are those of its rings: its border (a line's or a point's, the
        # zone itself).
        xy = shapely.get_coordinates(shapely.segmentize(self._geoms, size / 2))
        cell = self._cell(xy[:, 0], xy[:, 1], (ny, nx))
        iy, ix = np.divmod(cell, nx)
        for dy in (-1, 0, 1):  # each piece's cell and its eight neighbours
            for dx in (-1, 0, 1):
                marked[iy + dy, ix + dx] = True
        # Runs of clean cells along each row: one exact test at the first cell of each.
        clean = ~marked.ravel()
        before = np.r_[False, clean[:-1]]
        before[::nx] = False  # a run does not go on from the end of the row above
        starts = np.flatnonzero(clean & ~before)
        run = np.cumsum(clean & ~before) - 1
        x = self._origin[0] + (starts % nx + 0.5) * size
        y = self._origin[1] + (starts // nx + 0.5) * size
        codes, combos = self._exact(x, y)
        if len(combos) > np.iinfo(np.int16).max:
            raise ValueError("too many combinations of zones for the grid")
        grid = np.full(ny * nx, BORDER, dtype=np.int16)
        grid[clean] = codes[run[clean]]
        self._grid, self._combos = grid.reshape(ny, nx), combos

    def _cell(self, lon, lat, shape) -> np.ndarray:
        """Each point's cell in a grid of ``shape`` (rows, columns), as a flat index. A point
        beyond the grid, or NaN, gets a cell of the grid's outer ring, which lies outside every
        zone (fmax and fmin take NaN to the other value)."""
        ny, nx = shape
        with np.errstate(over="ignore", invalid="ignore"):  # 1e308 and inf: the outer ring
            fx = np.asarray(lon, dtype=float) - self._origin[0]
            fx /= self._size
            fy = np.asarray(lat, dtype=float) - self._origin[1]
            fy /= self._size
            np.fmin(np.fmax(fx, 0, out=fx), nx - 1, out=fx)
            np.fmin(np.fmax(fy, 0, out=fy), ny - 1, out=fy)
        return fy.astype(np.intp) * nx + fx.astype(np.intp)

    # ---- answers ---------------------------------------------------------------------------

    def lookup(self, lon, lat) -> Codes:
        """Each point's combination of zones: by the grid, and by the exact test in the cells
        that a border crosses. Points that are NaN, or beyond the grid, are in no zone."""
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        codes = np.empty(len(lon), dtype=np.int32)
        flat = self._grid.ravel()
        for start in range(0, len(lon), BLOCK):  # blocks that stay in the processor's cache
            part = slice(start, start + BLOCK)
            codes[part] = flat.take(self._cell(lon[part], lat[part], self._grid.shape))
        border = np.flatnonzero(codes == BORDER)
        combos = self._combos
        if len(border):
            exact, found = self._exact(lon[border], lat[border])
            width = max(combos.shape[1], found.shape[1])
            combos = np.vstack([np.pad(combos, ((0, 0), (0, width - combos.shape[1])),
                                       constant_values=-1),
                                np.pad(found, ((0, 0), (0, width - found.shape[1])),
                                       constant_values=-1)])
            codes[border] = len(self._combos) + exact
        return Codes(codes, combos, self)

    def _combo_names(self, combos: np.ndarray, kind: str) -> np.ndarray:
        """For each combination, the names of its zones of ``kind``, joined by ";" (those of
        the grid's own combinations worked out once)."""
        if kind not in self._names_of:
            self._names_of[kind] = self._names_for(self._combos, kind)
        base = self._names_of[kind]
        if len(combos) == len(base):
            return base
        return np.concatenate([base, self._names_for(combos[len(base):], kind)])

    def _names_for(self, combos: np.ndarray, kind: str) -> np.ndarray:
        of_kind = self._kind == kind
        names = [SEPARATOR.join(self._name[zones[of_kind[zones]]])
                 for zones in (row[row >= 0] for row in combos)]
        return np.array(names, dtype=object)

    def query(self, lon, lat) -> dict[str, np.ndarray]:
        """The names of the zones of each kind at each point (object arrays; "" when none)."""
        found = self.lookup(lon, lat)
        return {kind: found.names(kind) for kind in self.kinds}

    def zone_names(self, kind: str) -> list[str]:
        """The names of the zones of ``kind``, in the order of the zone table."""
        return [str(name) for k, name in zip(self._kind, self._name) if k == kind]

    def at(self, lon: float, lat: float) -> list[tuple[str, str]]:
        """(kind, name) of every zone at one point, in the order of the zone table."""
        _, zone_idx = self.pairs([lon], [lat])
        return [(self._kind[i], self._name[i]) for i in zone_idx]

    # ---- saved and loaded ------------------------------------------------------------------

    def save(self, path) -> None:
        """Everything the index needs, in one .npz file (no pickles in it)."""
        np.savez(path, format=FORMAT, kind=self._kind.astype(str), name=self._name.astype(str),
                 wkb=np.array(shapely.to_wkb(self._geoms), dtype=object).astype(bytes),
                 crs=str(self._crs.to_string() if hasattr(self._crs, "to_string") else self._crs or ""),
                 grid=self._grid, combos=self._combos, origin=np.array(self._origin),
                 size=self._size)

    @classmethod
    def load(cls, path) -> ZoneIndex:
        """The index saved at ``path``; ValueError if it is not one of this format."""
        with np.load(path, allow_pickle=False) as saved:
            if int(saved["format"]) != FORMAT:
                raise ValueError(f"{path}: a zone index of another format")
            index = cls.__new__(cls)
            wkb = list(saved["wkb"])
            index._setup(saved["kind"].astype(object), saved["name"].astype(object),
                         shapely.from_wkb(wkb), str(saved["crs"]) or None)
            index._grid, index._combos = saved["grid"], saved["combos"]
            index._origin, index._size = tuple(saved["origin"]), float(saved["size"])
        return index

    def __getstate__(self):  # pickled for a cluster's workers: geometry as WKB
        state = dict(self.__dict__)
        state["_geoms"] = shapely.to_wkb(self._geoms)
        state.pop("_names_of", None)
        state.pop("_bounds", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._geoms = shapely.from_wkb(self._geoms)
        shapely.prepare(self._geoms)
        self._bounds = shapely.bounds(self._geoms)
        self._names_of = {}
