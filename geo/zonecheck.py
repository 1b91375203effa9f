"""Zone check machinery: zones of each row (points, lines, polygons), and the output files.

Knows nothing of the plan's names: it works with any :class:`geo.zoneindex.ZoneIndex`. The
plan's zone check (its columns, belts, harbor cities, and the command line
``python -m layers.zonecheck``) is layers.zonecheck.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import shapely

from geo.crs import METRIC
from geo.zoneindex import SEPARATOR, ZoneIndex

FORMATS = (".csv", ".xlsx", ".geojson", ".gpkg")


def zones_of_shapes(geoms: gpd.GeoSeries, index: ZoneIndex) -> pd.DataFrame:
    """For lines and polygons: every zone they overlap, with the share of their length (lines)
    or area (polygons) inside it, e.g. "上城区 (62%);滨江区 (38%)". Shares are computed in
    CGCS2000 Gauss-Kruger (EPSG:4549)."""
    out = {kind: np.full(len(geoms), "", dtype=object) for kind in index.kinds}
    metric_zones = index.zones.to_crs(METRIC).geometry.values
    shapes = geoms.to_crs(METRIC).values
    tree = shapely.STRtree(metric_zones)
    for i, shape in enumerate(shapes):
        if shape is None or shape.is_empty:
            continue
        polygonal = shape.geom_type in ("Polygon", "MultiPolygon")
        measure = shapely.area if polygonal else shapely.length
        total = measure(shape)
        if total == 0:
            continue
        found: dict[str, list[str]] = {}
        for z in sorted(tree.query(shape, predicate="intersects")):
            share = measure(shapely.intersection(shape, metric_zones[z])) / total
            if share > 0.0005:
                found.setdefault(index.zones["kind"].iat[z], []).append(
                    f"{index.zones['name'].iat[z]} ({share:.0%})")
        for kind, names in found.items():
            out[kind][i] = SEPARATOR.join(names)
    return pd.DataFrame(out)


def _arrow(column: pd.Series) -> pa.Array:
    try:
        return pa.array(column, from_pandas=True)  # Arrow-backed columns pass without a copy
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # mixed types in one column: write them as text
        return pa.array(column.map(lambda v: "" if v is None else str(v)).to_numpy(), pa.string())


def write_output(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write by extension: .csv (UTF-8 with BOM), .xlsx, .geojson or .gpkg (these two need a
    GeoDataFrame)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path.name}: the output must end in {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name)) if isinstance(
        frame, gpd.GeoDataFrame) else frame
    if suffix == ".csv":
        # pyarrow writes a million rows about 8 times faster than pandas' to_csv.
        with open(path, "wb") as out:
            out.write(b"\xef\xbb\xbf")  # BOM: Excel then reads UTF-8
            pacsv.write_csv(pa.table({str(c): _arrow(table[c]) for c in table.columns}), out)
    elif suffix == ".xlsx":
        if len(table) > 1_048_575:
            raise ValueError(f"{len(table):,} rows do not fit in an Excel sheet; write .csv instead")
        table.to_excel(path, index=False, engine="openpyxl")
    else:
        path.unlink(missing_ok=True)
        frame.to_file(path, driver="GeoJSON" if suffix == ".geojson" else "GPKG")
    return path
