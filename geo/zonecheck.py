"""Zone check machinery: zones of each row (points, lines, polygons), and the output files.

Knows nothing of the plan's names: it works with any :class:`geo.zoneindex.ZoneIndex`. The
plan's zone check (its columns, belts, harbor cities, and the command line
``python -m layers.zonecheck``) is layers.zonecheck.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import shapely

from geo.crs import METRIC
from geo.zoneindex import SEPARATOR, ZoneIndex

if TYPE_CHECKING:  # imported where used: not at start-up (0.13 s)
    import geopandas as gpd

FORMATS = (".csv", ".xlsx", ".geojson", ".gpkg", ".parquet")


LINES, POLYGONS = 1, 2  # dimension of a geometry's parts (points: 0)


def single_parts(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    """Geometries as the zone check takes them: a multi-part geometry of one part is that part
    (a QGIS or ArcGIS export writes every point as a MultiPoint); a collection keeps the parts
    of its highest dimension (polygons over lines over points), as one geometry."""
    import geopandas as gpd

    values = np.array(geoms.values)
    kinds = shapely.get_type_id(values)
    for i in np.flatnonzero(kinds >= 4):  # Multi* (4-6) and collections (7): the rare rows
        geom = values[i]
        if geom.is_empty:
            continue
        parts = list(geom.geoms)
        if kinds[i] == 7:  # not empty: so some part is not
            parts = [p for part in parts for p in getattr(part, "geoms", [part]) if not p.is_empty]
            top = max(shapely.get_dimensions(parts))
            parts = [p for p in parts if shapely.get_dimensions(p) == top]
            if len(parts) > 1:
                values[i] = shapely.union_all(parts)  # a multi-part geometry of that dimension
                continue
        if len(parts) == 1:
            values[i] = parts[0]
    return gpd.GeoSeries(values, index=geoms.index, crs=geoms.crs)


def zones_of_shapes(geoms: gpd.GeoSeries, index: ZoneIndex) -> pd.DataFrame:
    """For lines, polygons and points of several parts: every zone they overlap, with the
    share of their area (polygons), length (lines) or parts (points) inside it, e.g.
    "上城区 (62%);滨江区 (38%)" ("<1%" below half a percent; slivers under 0.05% are left out
    as noise of the drawing), zones in the order of the zone table. Shares are computed
    in CGCS2000 Gauss-Kruger (EPSG:4549), all shapes at once (vectorised GEOS)."""
    out = {kind: np.full(len(geoms), "", dtype=object) for kind in index.kinds}
    shapes = np.asarray(geoms.to_crs(METRIC).values)
    metric_zones = np.asarray(index.zones.to_crs(METRIC).geometry.values)
    rows, zones = shapely.STRtree(metric_zones).query(shapes, predicate="intersects")  # None, empty: none
    if not len(rows):
        return pd.DataFrame(out)
    dims = shapely.get_dimensions(shapes[rows])

    def measure(values, dim):
        return np.where(dim == POLYGONS, shapely.area(values),
                        np.where(dim == LINES, shapely.length(values),
                                 shapely.get_num_geometries(values)))

    total = measure(shapes[rows], dims)
    # A shape wholly inside a zone (the usual case for a district or a city) needs no
    # intersection: its share there is all of it. Only the shapes a border crosses are cut.
    shapely.prepare(metric_zones)
    inside = shapely.contains_properly(metric_zones[zones], shapes[rows])
    part = total.copy()
    cut = ~inside
    part[cut] = measure(shapely.intersection(shapes[rows][cut], metric_zones[zones][cut]), dims[cut])
    # A shape of no size (a line from a point to itself) is where it is: wholly in each zone
    # it touches, as a point is.
    share = np.divide(part, total, out=np.ones_like(part), where=total > 0)
    found = pd.DataFrame({"row": rows, "zone": zones, "share": share})
    found = found[found["share"] > 0.0005].sort_values(["row", "zone"])
    found["kind"] = index.zones["kind"].to_numpy()[found["zone"]]
    found["text"] = [f"{name} ({'<1%' if s < 0.005 else format(s, '.0%')})" for name, s in
                     zip(index.zones["name"].to_numpy()[found["zone"]], found["share"])]
    for (kind, row), texts in found.groupby(["kind", "row"], sort=False)["text"]:
        out[kind][row] = SEPARATOR.join(texts)
    return pd.DataFrame(out)


def _arrow(column: pd.Series) -> pa.Array:
    try:
        return pa.array(column, from_pandas=True)  # Arrow-backed columns pass without a copy
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # mixed types in one column: write them as text
        return pa.array(column.map(lambda v: "" if v is None or v != v else str(v)).to_numpy(),
                        pa.string())  # None and NaN: an empty cell, not "nan"


# ---- safe to open in Excel ------------------------------------------------------------------------

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell that starts with one of these may run as a formula in Excel or another
spreadsheet (OWASP, CSV injection)."""
_LEAD_BYTES = np.zeros(256, bool)  # by a cell's first byte (all are ASCII)
_LEAD_BYTES[[ord(lead) for lead in FORMULA_LEADS]] = True
# Text that is wholly a plain number ("-12.5", "+3", "-1e-5") starts with - or + but runs
# nothing: it is left unquoted in CSV, so that numbers kept as text stay numbers in Excel.
_PLAIN_NUMBER = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"  # C0 controls but tab, LF, CR: XML forbids them
EXCEL_CELL_CHARS = 32_767


class Written(type(Path())):  # PosixPath or WindowsPath: Path itself is final before 3.12
    """The path of a written file (a pathlib.Path), with ``notes``: what was changed in the
    cells so that Excel opens the file safely, e.g. "removed control characters from 3 cells
    (rows 2, 5, 9)". Row numbers are the sheet's: the header is row 1, the first data row 2."""

    notes: tuple[str, ...] = ()


def _cells(n: int) -> str:
    return f"{n:,} cell{'s' if n != 1 else ''}"


def _sheet_rows(positions, limit: int = 10) -> str:
    rows = sorted(set(int(i) + 2 for i in positions))
    listed = ", ".join(map(str, rows[:limit])) + (", …" if len(rows) > limit else "")
    return f"row{'s' if len(rows) > 1 else ''} {listed}"


def _text(values: pd.Series) -> pd.Series | None:
    """The column if it may hold text (str, object or categorical), as a column with ``.str``;
    None for numbers, booleans, dates and columns without a single string."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    if not (values.dtype == object or pd.api.types.is_string_dtype(values.dtype)):
        return None
    try:
        values.str  # noqa: B018 - object columns of numbers only have no .str
    except AttributeError:
        return None
    return values


def _chunks(values: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    return values.chunks if isinstance(values, pa.ChunkedArray) else [values]


def _first_bytes(chunk: pa.Array) -> np.ndarray:
    """The first byte of each string of an Arrow string array (0 where empty), read from its
    buffers without a copy: a few milliseconds for a million strings, where pyarrow.compute
    (binary_slice and is_in) takes about 25."""
    data = chunk.buffers()[2]
    if data is None or data.size == 0 or len(chunk) == 0:
        return np.zeros(len(chunk), np.uint8)
    width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(chunk.buffers()[1], width)[chunk.offset:chunk.offset + len(chunk) + 1]
    first = np.frombuffer(data, np.uint8).take(offsets[:-1], mode="clip")
    filled = offsets[1:] > offsets[:-1]
    if chunk.null_count:
        filled &= chunk.is_valid().to_numpy(zero_copy_only=False)
    return first * filled  # 0 for empty strings and nulls


def _quote_formulas(values: pa.Array | pa.ChunkedArray) -> tuple[pa.Array | pa.ChunkedArray,
                                                                 np.ndarray]:
    """CSV: put "'" before text cells that start like a formula (OWASP), vectorised.

    OWASP quotes every cell that starts with = + - @ tab or CR. Here text that is wholly a
    plain number ("-12.5", "+86", "-1e-3") is left as it is: it runs nothing, and quoted it
    would open in Excel as the text "'-12.5" instead of the number -12.5 (longitudes kept as
    text in an input column, for instance). Anything else after the sign ("-1+1", "+A1",
    "-cmd|' /C calc'!A0", "+86 571") is quoted. Only string columns are looked at; numbers
    stay numbers. Returns the column and the positions of the quoted cells."""
    none = np.empty(0, np.intp)
    if pa.types.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    if pa.types.is_string_view(values.type):
        values = values.cast(pa.large_string())
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return values, none  # numbers, booleans, dates: never quoted
    chunks = _chunks(values)
    first = np.concatenate([np.empty(0, np.uint8), *(_first_bytes(c) for c in chunks)])
    risky = np.flatnonzero(_LEAD_BYTES[first])
    if len(risky):  # few cells, usually: the rest is done on them alone
        suspects = values.take(pa.array(risky))
        keep = ~pc.match_substring_regex(suspects, _PLAIN_NUMBER).to_numpy(zero_copy_only=False)
        risky, suspects = risky[keep], suspects.filter(pa.array(keep))
    if not len(risky):
        return values, none
    quoted = pc.binary_join_element_wise(pa.scalar("'", values.type), suspects,
                                         pa.scalar("", values.type))
    order = np.arange(len(values))
    order[risky] = len(values) + np.arange(len(risky))
    whole = pa.chunked_array([*chunks, *_chunks(quoted)], values.type)
    return whole.take(pa.array(order)), risky


def _quote_name(name: str) -> str:
    return _quote_formulas(pa.array([name], pa.string()))[0][0].as_py()


def csv_safe(table: pa.Table) -> tuple[pa.Table, np.ndarray, int]:
    """The table as it is safe to write to CSV: text cells and column names that start like a
    formula get a leading "'" (see _quote_formulas). Returns it, the positions of the quoted
    cells (a row once per cell) and how many names were quoted."""
    columns, quoted, names = [], [np.empty(0, np.intp)], []
    for column in table.columns:
        values, rows = _quote_formulas(column)
        columns.append(values)
        quoted.append(rows)
    for name in table.column_names:
        names.append(_quote_name(str(name)))
    renamed = sum(a != str(b) for a, b in zip(names, table.column_names))
    return pa.Table.from_arrays(columns, names=names), np.concatenate(quoted), renamed


def quoted_note(rows: np.ndarray, names: int, total: int | None = None) -> list[str]:
    """The note saying which cells were quoted (rows: their positions in the table, or the first
    of them with ``total`` the count of all)."""
    n = (len(rows) if total is None else total) + names
    if not n:
        return []
    where = ([_sheet_rows(rows)] if len(rows) else []) + (["the header"] if names else [])
    return [f"put ' before {_cells(n)} that start{'s' if n == 1 else ''} like a formula "
            f"(= + - @), so that Excel shows {'it' if n == 1 else 'them'} as text "
            f"({'; '.join(where)})"]


def _csv_columns(table: pd.DataFrame) -> tuple[pa.Table, list[str]]:
    arrow = pa.Table.from_arrays([_arrow(table.iloc[:, j]) for j in range(table.shape[1])],
                                 names=[str(c) for c in table.columns])
    safe, rows, names = csv_safe(arrow)
    return safe, quoted_note(rows, names)


def clean_for_excel(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """What an XLSX cell cannot hold, taken out of the text cells, and notes saying so.

    Control characters (C0 but tab, line feed and carriage return, which XML forbids) are
    removed, in cells and column names. Text longer than Excel's 32,767 characters a cell is
    reported (the writer cuts it).
    The given table is not changed."""
    cleaned, notes = table, []
    control, long = [], []
    for j in range(table.shape[1]):
        values = _text(table.iloc[:, j])
        if values is None:
            continue
        bad = values.str.contains(_CONTROL, regex=True, na=False).to_numpy(bool)
        if bad.any():
            if cleaned is table:
                cleaned = table.copy(deep=False)
            cleaned.isetitem(j, values.where(~bad, values.str.replace(_CONTROL, "", regex=True)))
            control.append(np.flatnonzero(bad))
        too_long = (values.str.len() > EXCEL_CELL_CHARS).to_numpy(bool, na_value=False)
        if too_long.any():
            long.append(np.flatnonzero(too_long))
    names = pd.Series([str(c) for c in table.columns], dtype=object)
    bad_names = names.str.contains(_CONTROL, regex=True).to_numpy(bool)
    if bad_names.any():
        if cleaned is table:
            cleaned = table.copy(deep=False)
        fixed = names.str.replace(_CONTROL, "", regex=True)
        cleaned.columns = [fixed.iat[j] if bad else c
                           for j, (c, bad) in enumerate(zip(table.columns, bad_names))]
    if control or bad_names.any():
        rows = np.concatenate(control) if control else np.empty(0, np.intp)
        where = ([_sheet_rows(rows)] if len(rows) else []) + (
            ["the header"] if bad_names.any() else [])
        notes.append(f"removed control characters from {_cells(len(rows) + int(bad_names.sum()))}"
                     f" ({'; '.join(where)})")
    if long:
        rows = np.concatenate(long)
        notes.append(f"cut {_cells(len(rows))} to Excel's {EXCEL_CELL_CHARS:,} characters "
                     f"({_sheet_rows(rows)})")
    return cleaned, notes


XLSX_OPTIONS = {
    # Text is written as text, never guessed into a formula ("=1+1", "{=A1}"), a number or a link.
    "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
    "constant_memory": True,  # each row goes to disk as it is written: little memory for 1M rows
    # Dates as pandas wrote them; one with a time zone as its clock time there (pandas refused).
    "default_date_format": "yyyy-mm-dd hh:mm:ss", "remove_timezone": True,
}


def _cell(value):
    """A value as an XLSX cell takes it: text, a number, a boolean or a date; infinity as the
    text "inf" (a number cell cannot hold it, pandas wrote it so); anything else as its text."""
    if value is None or isinstance(value, (str, bool, int, dt.date)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, np.generic):
        return _cell(value.item())
    return str(value)


# Text that Excel would show the same as a number cell: no sign but "-", no leading zero ("007",
# an id, stays text), no trailing zero after the point ("120.50" would show "120.5"), no
# exponent, at most 11 digits (in its General format Excel shows a longer number as 3.30102E+14:
# a 12-digit area code or a 15-digit id stays text).
_EXACT_NUMBER = r"(?:-?[1-9][0-9]*|0)(?:\.[0-9]*[1-9])?|-0\.[0-9]*[1-9]"  # not "-0"


def _as_number(text: str):
    return text if sum(c.isdigit() for c in text) > 11 else float(text)  # 25.0 is written "25"


def _xlsx_cells(values: pd.Series) -> list:
    """One column's cells, None for an empty one (None, NaN, NaT, NA and "" alike). Text that is
    a number as Excel would show it ("25", "-12.5", "120.2082401") is written as that number, so
    that sums and sorting work; other text as text (see _EXACT_NUMBER). A carriage
    return is written as a line feed, as XML reads it (XlsxWriter would write "_x000D_", which
    Excel reads as a carriage return but openpyxl, and so this app, as those seven letters)."""
    text = _text(values)
    numbers = np.empty(0, np.intp)
    if text is not None:
        cr = text.str.contains("\r", regex=False, na=False)
        if cr.any():
            values = text.where(~cr, text.str.replace("\r\n?", "\n", regex=True))
        numbers = np.flatnonzero(text.str.fullmatch(_EXACT_NUMBER).to_numpy(bool, na_value=False))
    cells = values.astype(object).where(values.notna(), None).tolist()  # Python scalars
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if not (kind in ("string", "empty") or kind in ("boolean", "integer") and values.dtype != object):
        cells = [_cell(v) for v in cells]  # mixed or odd values: looked at cell by cell
    for i in numbers:
        cells[i] = _as_number(cells[i])
    return cells


def _write_xlsx(table: pd.DataFrame, path: Path, progress=None) -> None:
    """Every text cell as text (see XLSX_OPTIONS): "=1+1" and "#N/A" are shown as typed, not
    run. XlsxWriter, row by row: two to three times faster than pandas' to_excel with openpyxl
    (bench/zonecheck_steps_bench.py). ``progress(done, rows, seconds)`` every 50,000 rows."""
    start = time.perf_counter()
    columns = [_xlsx_cells(table.iloc[:, j]) for j in range(table.shape[1])]
    import xlsxwriter  # only for an XLSX: not at start-up

    with xlsxwriter.Workbook(str(path), XLSX_OPTIONS) as book:
        sheet = book.add_worksheet("Sheet1")
        bold = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "top"})
        for j, name in enumerate(table.columns):  # the header as pandas wrote it
            sheet.write_string(0, j, str(name).replace("\r\n", "\n").replace("\r", "\n"), bold)
        for i, row in enumerate(zip(*columns), start=1):
            sheet.write_row(i, 0, row)  # None: no cell; text through write_string
            if progress and i % 50_000 == 0:
                progress(i / len(table), i, time.perf_counter() - start)


def write_output(frame: pd.DataFrame, path: str | Path, progress=None) -> Written:
    """Write by extension: .csv (UTF-8 with BOM), .xlsx, .parquet (GeoParquet for a
    GeoDataFrame), .geojson or .gpkg (these two need a GeoDataFrame). Returns the path written, with ``notes`` (see :class:`Written`).

    Safe to open in Excel: in CSV, text that starts like a formula gets a leading "'" (OWASP;
    see :func:`_quote_formulas`); in XLSX every text cell is written as text (so "=1+1" is
    shown, not run, and kept exactly) but for text that Excel would show the same as a number
    ("25", "-12.5"), written as that number (:func:`_xlsx_cells`), and control characters,
    which XLSX cannot hold, are removed (:func:`clean_for_excel`). Numbers stay numbers. GeoJSON and GeoPackage are
    written as they are."""
    import geopandas as gpd

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path.name}: the output must end in {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name)) if isinstance(
        frame, gpd.GeoDataFrame) else frame
    notes: list[str] = []
    if suffix == ".csv":
        columns, notes = _csv_columns(table)
        # pyarrow writes a million rows about 8 times faster than pandas' to_csv.
        with open(path, "wb") as out:
            out.write(b"\xef\xbb\xbf")  # BOM: Excel then reads UTF-8
            pacsv.write_csv(columns, out)
    elif suffix == ".xlsx":
        if len(table) > 1_048_575:
            raise ValueError(f"{len(table):,} rows do not fit in an Excel sheet; write .csv instead")
        if table.shape[1] > 16_384:  # XlsxWriter would leave the columns past XFD out, silently
            raise ValueError(f"{table.shape[1]:,} columns do not fit in an Excel sheet; write .csv "
                             "instead")
        table, notes = clean_for_excel(table)
        _write_xlsx(table, path, progress)
    elif suffix == ".parquet":  # GeoParquet when there is a geometry; types kept
        if isinstance(frame, gpd.GeoDataFrame):
            frame.to_parquet(path, index=False)
        else:
            pq.write_table(pa.Table.from_pandas(table, preserve_index=False), path)
    else:
        path.unlink(missing_ok=True)
        frame.to_file(path, driver="GeoJSON" if suffix == ".geojson" else "GPKG")
    written = Written(path)
    written.notes = tuple(notes)
    return written
