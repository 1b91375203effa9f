"""The plan's zone check: for each project, where it falls in the plan's geography.

One output row per input row, in the input's order, the input's columns kept, and these
added: lon_wgs84, lat_wgs84, city, district, in_harbor, core_zone, financial_city, belts, town,
problem. Zone values are the plan's names (data/). A point on a border gets every zone it
touches, joined by ";" (geo.zoneindex). Lines and polygons get every zone they overlap, with
the share of their length or area, e.g. "上城区 (62%);滨江区 (38%)"; their lon/lat is a point
inside them. A point belongs to a belt when its city is one of the belt's member cities.

The page, the command line (python -m geo.zonecheck) and Python all call :func:`check`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import WGS84
from geo.importer import Table, locate, read_input
from geo.zonecheck import zones_of_points, zones_of_shapes
from geo.zoneindex import SEPARATOR
from layers.zones import belts_of, in_harbor, zone_index

ADDED = ["lon_wgs84", "lat_wgs84", "city", "district", "in_harbor", "core_zone",
         "financial_city", "belts", "town", "problem"]
ZHEJIANG_BOX = (118.0, 27.0, 123.3, 31.3)  # lon/lat, a little beyond the province


@dataclass
class Result:
    frame: gpd.GeoDataFrame
    notes: list[str] = field(default_factory=list)


def _names(values: pd.Series) -> pd.Series:
    """Zone names without their shares, for lines and polygons ("上城区 (62%)" -> "上城区")."""
    return values.str.replace(r" \(\d+%\)", "", regex=True)


def _per_city(cities: pd.Series, func) -> pd.Series:
    """Apply ``func`` to each distinct value of the city column only once (fast on 1M rows)."""
    unique = pd.Series(cities.unique())
    return cities.map(dict(zip(unique, unique.map(func))))


def _belts(city_value: str) -> str:
    belts: list[str] = []
    for city in filter(None, city_value.split(SEPARATOR)):
        belts += [b for b in belts_of(city) if b not in belts]
    return SEPARATOR.join(belts)


def _in_box(lon, lat) -> np.ndarray:
    minx, miny, maxx, maxy = ZHEJIANG_BOX
    return (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)


def check_located(located: gpd.GeoDataFrame, notes=None) -> Result:
    """Zones of rows already placed in WGS84 (see geo.importer.locate)."""
    frame = pd.DataFrame(located.drop(columns=[located.geometry.name, "problem"]))
    frame = frame.rename(columns={c: f"{c}_input" for c in frame.columns if c in ADDED})
    geoms = gpd.GeoSeries(located.geometry.values, crs=WGS84)
    problem = located["problem"].to_numpy(dtype=object).copy()
    n = len(frame)
    present = (geoms.notna() & ~geoms.is_empty).to_numpy()
    points = present & (geoms.geom_type == "Point").to_numpy()
    shapes = present & ~points
    lon, lat = np.full(n, np.nan), np.full(n, np.nan)
    lon[points] = shapely.get_x(geoms.values[points])
    lat[points] = shapely.get_y(geoms.values[points])
    if shapes.any():
        inner = shapely.point_on_surface(geoms.values[shapes])
        lon[shapes], lat[shapes] = shapely.get_x(inner), shapely.get_y(inner)
    zones = pd.DataFrame({kind: np.full(n, "", dtype=object) for kind in zone_index().kinds})
    if points.any():
        zones.loc[points] = zones_of_points(lon[points], lat[points], zone_index()).to_numpy()
    if shapes.any():
        zones.loc[shapes] = zones_of_shapes(geoms[shapes], zone_index()).to_numpy()
    city_names = _names(zones["city"])
    outside = present & (city_names == "").to_numpy() & (problem == "")
    swapped = outside & _in_box(lat, lon) & ~_in_box(lon, lat)
    problem[swapped] = [f"latitude and longitude look swapped: ({y:.5f}, {x:.5f}) would be in "
                        "Zhejiang; swap the two columns" for x, y in zip(lon[swapped], lat[swapped])]
    far = outside & ~swapped
    problem[far] = [f"({x:.5f}, {y:.5f}) is outside Zhejiang; check the coordinates and their "
                    "coordinate system" for x, y in zip(lon[far], lat[far])]
    added = pd.DataFrame({
        "lon_wgs84": np.round(lon, 7), "lat_wgs84": np.round(lat, 7),
        "city": zones["city"], "district": zones["district"],
        "in_harbor": _per_city(city_names, lambda v: any(in_harbor(c) for c in v.split(SEPARATOR))),
        "core_zone": zones["core_zone"], "financial_city": zones["financial_city"],
        "belts": _per_city(city_names, _belts), "town": zones["town"], "problem": problem,
    })
    out = pd.concat([frame.reset_index(drop=True), added], axis=1)
    return Result(gpd.GeoDataFrame(out, geometry=geoms.values, crs=WGS84), list(notes or []))


def check(source: bytes | str | Path | Table, filename: str | None = None, crs: str | None = None,
          lon: str | None = None, lat: str | None = None, encoding: str | None = None) -> Result:
    """Read a project list (bytes, a path, or a Table already read) and check every row."""
    table = source if isinstance(source, Table) else read_input(source, filename, encoding)
    return check_located(locate(table, crs=crs, lon=lon, lat=lat), table.notes)
