"""Reading spatial files: any format GDAL reads (GeoPackage, Shapefile, GeoJSON, ...)."""

from __future__ import annotations

from pathlib import Path

import shapely

from geo.crs import to_wgs84

class SpatialFileError(ValueError):
    """A spatial file that cannot be used, with a message saying what to fix."""


def read_vector(path: str | Path, crs: str | None = None, layer: str | None = None):
    """Read a vector file into a WGS84 GeoDataFrame, with invalid geometries repaired.

    ``crs`` is required when the file does not declare its coordinate system, and overrides
    the file's own when given. Raises :class:`SpatialFileError` with a readable message.
    """
    import geopandas as gpd

    path = Path(path)
    if not path.exists():
        raise SpatialFileError(f"{path}: file not found")
    try:
        gdf = gpd.read_file(path, layer=layer)
    except Exception as err:  # GDAL reports many kinds of broken files
        raise SpatialFileError(f"{path.name}: cannot be read as a spatial file ({err})") from err
    try:
        gdf = to_wgs84(gdf, crs)
    except ValueError as err:
        raise SpatialFileError(f"{path.name}: {err}") from err
    invalid = ~gdf.geometry.is_valid & gdf.geometry.notna()
    if invalid.any():
        gdf.loc[invalid, gdf.geometry.name] = shapely.make_valid(gdf.geometry[invalid].values)
    return gdf
