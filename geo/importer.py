"""Read a project list from any common file, safely, into rows with WGS84 geometry.

Formats, recognised by their content (the extension only breaks ties): CSV (UTF-8, UTF-8 with
BOM, GBK/GB18030, or a declared encoding), Excel (.xlsx), GeoJSON, zipped Shapefile (with
.prj; .cpg or a declared encoding), GeoPackage, KML.

Two kinds of trouble, kept apart:
- a file that cannot be used (empty, too large, not what its name claims, a zip bomb, an
  archive path that climbs out of its folder, no coordinate columns) raises
  :class:`InputError` with a sentence saying why and what to do;
- a row that cannot be placed (missing, empty or non-numeric coordinates, no geometry) keeps
  its place in the output with a ``problem`` sentence. Rows are never dropped.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.crs import WGS84, to_wgs84, xy_to_wgs84

MAX_BYTES = 200 * 1024 * 1024  # an upload larger than this is refused
MAX_UNZIPPED = 1024 * 1024 * 1024  # total size inside an archive
MAX_RATIO = 200  # uncompressed / compressed, beyond which an archive is taken for a bomb
MAX_MEMBERS = 2000

LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度", "东经", "lon_wgs84")
LAT_NAMES = ("lat", "latitude", "y", "纬度", "北纬", "lat_wgs84")
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


class InputError(ValueError):
    """A file that cannot be used; the message says why and what to do."""


@dataclass
class Table:
    """What was read: the rows as they are in the file, and their geometry if the format has
    one (WGS84). ``kind`` is "csv", "excel", "geojson", "shapefile", "gpkg" or "kml"."""

    frame: pd.DataFrame
    kind: str
    geometry: gpd.GeoSeries | None = None
    crs: str | None = None  # the file's own CRS, when it declares one
    notes: list[str] = field(default_factory=list)
    repaired: np.ndarray | None = None  # rows whose invalid geometry was repaired


# ---- recognising the content ------------------------------------------------------------------

def _sniff(data: bytes, filename: str) -> str:
    head = data[:4096]
    suffix = Path(filename).suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{filename}: an old .xls workbook; save it as .xlsx or CSV.")
    if head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b")):
        raise InputError(f"{filename}: this is not a table or a spatial file (it is a PDF, an "
                         "image or a compressed file of another kind).")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{") or suffix in (".geojson", ".json"):
        return "geojson"
    if text.startswith(b"<") and re.search(rb"<kml[\s>]", head) or suffix == ".kml":
        return "kml"
    if b"\x00" in head:
        raise InputError(f"{filename}: this is not a text table (it holds binary data); "
                         "upload CSV, Excel, GeoJSON, a zipped Shapefile, GeoPackage or KML.")
    return "csv"


def _check_archive(archive: zipfile.ZipFile, filename: str, size: int) -> list[zipfile.ZipInfo]:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise InputError(f"{filename}: the archive holds {len(members)} files; at most {MAX_MEMBERS}.")
    for m in members:
        path = PurePosixPath(m.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", m.filename):
            raise InputError(f"{filename}: refused: the archive path {m.filename!r} climbs out of "
                             "its folder.")
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED or total > MAX_RATIO * max(size, 1):
        raise InputError(f"{filename}: refused: it would unpack to {total:,} bytes from {size:,} "
                         "(a zip bomb, or far too large).")
    return members


def _decode(data: bytes, filename: str, encoding: str | None) -> tuple[str, str]:
    tries = (encoding,) if encoding else TEXT_ENCODINGS
    for enc in tries:
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    if encoding:
        raise InputError(f"{filename}: cannot be read as {encoding}; check the encoding.")
    raise InputError(f"{filename}: the text is neither UTF-8 nor GBK/GB18030; save it as UTF-8 "
                     "or give its encoding.")


# ---- readers ----------------------------------------------------------------------------------

def _read_csv(data: bytes, filename: str, encoding: str | None) -> Table:
    text, used = _decode(data, filename, encoding)
    if not text.strip():
        raise InputError(f"{filename}: the file is empty.")
    first = text[:4096].split("\n", 1)[0]
    sep = max((",", "\t", ";", "|"), key=first.count)
    utf8 = data if used == "utf-8-sig" else text.encode("utf-8")
    try:
        # pyarrow's reader is about 8 times faster than pandas' own on a million rows.
        frame = pd.read_csv(io.BytesIO(utf8), dtype=str, sep=sep, engine="pyarrow",
                            encoding="utf-8-sig")
    except Exception:  # pyarrow refuses ragged rows and the like: let pandas say what is wrong
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, sep=sep, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
            raise InputError(f"{filename}: not a readable CSV table ({err}).") from err
    frame = frame.fillna("")  # Arrow-backed strings: no Python object per cell
    return Table(frame, "csv", notes=[f"read as {'UTF-8' if used == 'utf-8-sig' else used}"])


def _read_excel(data: bytes, filename: str) -> Table:
    try:
        frame = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False, engine="openpyxl")
    except Exception as err:
        raise InputError(f"{filename}: not a readable Excel workbook ({err}).") from err
    return Table(frame, "excel")


def _read_spatial(path: Path, kind: str, filename: str, encoding: str | None) -> Table:
    try:
        layers = pyogrio.list_layers(path)
        layer = layers[0][0] if len(layers) else None
        gdf = pyogrio.read_dataframe(path, layer=layer, encoding=encoding)
    except Exception as err:
        raise InputError(f"{filename}: cannot be read as {kind} ({err}).") from err
    notes = []
    if len(layers) > 1:
        notes.append(f"the file holds {len(layers)} layers; read the first, {layer!r}")
    declared = gdf.crs.to_string() if gdf.crs is not None else None
    if gdf.crs is None and kind in ("geojson", "kml"):
        gdf = gdf.set_crs(WGS84)  # both formats are WGS84 by definition
        declared = WGS84
    geometry = gdf.geometry
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    invalid = geometry.notna() & ~geometry.is_empty & ~geometry.is_valid
    if invalid.any():
        geometry = geometry.copy()
        geometry[invalid] = shapely.make_valid(geometry[invalid].values)
        notes.append(f"repaired {int(invalid.sum())} invalid geometries (rows "
                     f"{', '.join(str(i + 1) for i in np.flatnonzero(invalid)[:10])})")
    return Table(frame, kind, geometry=gpd.GeoSeries(geometry.values, crs=gdf.crs), crs=declared,
                 notes=notes, repaired=invalid.to_numpy())


def read_input(source: bytes | str | Path, filename: str | None = None,
               encoding: str | None = None, max_bytes: int = MAX_BYTES) -> Table:
    """Read a project list. ``source`` is the file's bytes or its path."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        filename = filename or path.name
        if not path.exists():
            raise InputError(f"{filename}: file not found.")
        if path.stat().st_size > max_bytes:
            raise InputError(f"{filename}: {path.stat().st_size:,} bytes is more than the "
                             f"{max_bytes:,} allowed; split the list.")
        source = path.read_bytes()
    filename = filename or "upload"
    data = bytes(source)
    if len(data) > max_bytes:
        raise InputError(f"{filename}: {len(data):,} bytes is more than the {max_bytes:,} allowed; "
                         "split the list.")
    if not data.strip():
        raise InputError(f"{filename}: the file is empty.")
    kind = _sniff(data, filename)
    if kind == "csv":
        return _read_csv(data, filename, encoding)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        if kind == "zip":
            try:
                archive = zipfile.ZipFile(io.BytesIO(data))
            except zipfile.BadZipFile as err:
                raise InputError(f"{filename}: a damaged zip archive ({err}).") from err
            with archive:
                members = _check_archive(archive, filename, len(data))
                names = [m.filename for m in members]
                if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
                    return _read_excel(data, filename)
                shps = [n for n in names if n.lower().endswith(".shp")]
                kmls = [n for n in names if n.lower().endswith(".kml")]
                if not shps and not kmls:
                    raise InputError(f"{filename}: the archive holds no Shapefile (.shp) or KML.")
                for m in members:
                    if not m.is_dir():
                        target = tmp_path / PurePosixPath(m.filename.replace("\\", "/"))
                        target.parent.mkdir(parents=True, exist_ok=True)
                        with archive.open(m) as src, open(target, "wb") as dst:
                            dst.write(src.read(MAX_UNZIPPED + 1))
            if shps:
                table = _read_spatial(tmp_path / shps[0], "shapefile", filename, encoding)
                if table.crs is None:
                    table.notes.append("no .prj: the coordinate system is not declared")
                return table
            return _read_spatial(tmp_path / kmls[0], "kml", filename, encoding)
        suffix = {"gpkg": ".gpkg", "geojson": ".geojson", "kml": ".kml"}[kind]
        file = tmp_path / f"input{suffix}"
        file.write_bytes(data)
        return _read_spatial(file, kind, filename, encoding)


# ---- coordinates ------------------------------------------------------------------------------

def find_column(columns, names) -> str | None:
    wanted = {n.lower() for n in names}
    for column in columns:
        if str(column).strip().lower() in wanted:
            return column
    return None


def _to_number(values: pd.Series) -> np.ndarray:
    numbers = np.array(pd.to_numeric(values, errors="coerce"), dtype=float)  # a writable copy
    retry = np.isnan(numbers) & (values != "").to_numpy()
    if retry.any():  # stray spaces, full-width digits or commas: clean only those rows
        cleaned = values[retry].astype(str).str.strip().str.normalize("NFKC").str.replace("，", ".")
        numbers[retry] = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float)
    return numbers


@dataclass
class Located:
    """Rows placed in WGS84. Tables keep plain lon/lat arrays (fast: no geometry objects for a
    million points); spatial files keep their geometry. ``problem`` is "" where a row is fine."""

    frame: pd.DataFrame
    problem: np.ndarray
    lon: np.ndarray | None = None
    lat: np.ndarray | None = None
    geometry: gpd.GeoSeries | None = None

    def geoseries(self) -> gpd.GeoSeries:
        if self.geometry is not None:
            return self.geometry
        ok = np.isfinite(self.lon) & np.isfinite(self.lat)
        points = np.full(len(self.lon), None, dtype=object)
        points[ok] = shapely.points(self.lon[ok], self.lat[ok])
        return gpd.GeoSeries(points, crs=WGS84)


def locate(table: Table, crs: str | None = None, lon: str | None = None,
           lat: str | None = None) -> Located:
    """The table's rows placed in WGS84, each with a problem sentence ("" when fine).

    For tables (CSV, Excel) coordinates come from ``lon``/``lat`` or from columns with common
    names, in ``crs`` (default WGS84). Spatial files use their own CRS unless ``crs`` is given;
    a file that declares none needs ``crs``.
    """
    frame = table.frame.reset_index(drop=True)
    frame = frame.rename(columns={"problem": "problem_input"})  # the column this adds
    problem = np.full(len(frame), "", dtype=object)
    if table.geometry is not None:
        geometry = gpd.GeoSeries(table.geometry.values, crs=table.geometry.crs)
        if crs is None and geometry.crs is None:
            raise InputError("the file does not declare its coordinate system; choose one "
                             "(wgs84, cgcs2000, gcj02, bd09 or EPSG:n).")
        empty = geometry.isna() | geometry.is_empty
        problem[empty.to_numpy()] = "no geometry in this row"
        shifted = to_wgs84(gpd.GeoDataFrame(geometry=geometry), crs).geometry
        if table.repaired is not None:
            problem[table.repaired & (problem == "")] = "invalid geometry, repaired"
        return Located(frame, problem, geometry=gpd.GeoSeries(shifted.values, crs=WGS84))
    lon = lon or find_column(frame.columns, LON_NAMES)
    lat = lat or find_column(frame.columns, LAT_NAMES)
    for given, which in ((lon, "longitude"), (lat, "latitude")):
        if given is None:
            raise InputError(f"no {which} column found; name it lon/lng/x/经度 and lat/y/纬度, or "
                             f"choose the columns (they are: {', '.join(map(str, frame.columns))}).")
        if given not in frame.columns:
            raise InputError(f"no column {given!r}; the columns are: "
                             f"{', '.join(map(str, frame.columns))}.")
    x, y = _to_number(frame[lon]), _to_number(frame[lat])
    messages = []
    for values, column in ((x, lon), (y, lat)):
        text = np.full(len(frame), "", dtype=object)
        bad = np.flatnonzero(np.isnan(values))
        raw = frame[column].iloc[bad].to_numpy()
        text[bad] = [f"{column} is empty" if str(v).strip() == "" else
                     f"{column} {str(v).strip()!r} is not a number" for v in raw]
        messages.append(text)
    problem = messages[0]
    for i in np.flatnonzero(messages[1] != ""):  # only rows with a problem cost any time
        problem[i] = f"{problem[i]}; {messages[1][i]}" if problem[i] else messages[1][i]
    for i in np.flatnonzero(problem != ""):
        problem[i] += "; fill in or correct the coordinates"
    try:
        wx, wy = xy_to_wgs84(x, y, crs or "wgs84")
    except ValueError as err:
        raise InputError(str(err)) from err
    return Located(frame, problem, lon=np.asarray(wx, dtype=float), lat=np.asarray(wy, dtype=float))
