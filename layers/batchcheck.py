"""The zone check of a table too large for memory: read, checked and written batch by batch.

Every batch goes through the same functions as a list on the page (geo.importer.locate and
:func:`layers.zonecheck.check_located`), so each row gets the same zones and the same problem
sentence; only a batch's rows are in memory at a time. The input's columns are written as read
(a CSV's as text, a Parquet file's with their types), then the added columns
(layers.zonecheck.ADDED).

    from layers.batchcheck import check_file
    summary = check_file("registry.parquet", "zones/", progress=print)

Differences from a list checked whole, for tables of millions of rows: the foot of a sheet
(notes and sign-offs below the last project) is looked for in each batch; the datum hint
(GCJ-02 or BD-09 read as WGS84) looks at the first HINT_ROWS rows; a CSV row with more or fewer cells than
the header is written after the rows of its batch, with its line and a problem, and its cells
as far as they go.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from geo.batches import TableReader, TableWriter, ahead
from geo.crs import WGS84
from geo.importer import InputError, Table, declared_by_columns, locate
from layers.datum import DatumHint
from layers.wording import zh

GEOMETRY_KIND = "geoparquet"
ADDED_TYPES = {"lon_wgs84": pa.float64(), "lat_wgs84": pa.float64(), "in_harbor": pa.bool_()}
HINT_ROWS = 50_000  # the datum hint looks at the first rows of a large table


@dataclass(frozen=True)
class Settings:
    """How each batch is read: the coordinate system and columns chosen, the language, and
    for GeoParquet its geometry column and CRS."""

    crs: str | None = None
    lon: str | None = None
    lat: str | None = None
    lang: str = "en"
    geometry: str | None = None
    geometry_crs: str | None = None


@dataclass
class Summary:
    """What a run did: rows written, rows with a problem, sheet totals and notes, notes, the
    datum hint (of the first batch), parts that could not be read, seconds."""

    output: Path
    rows: int = 0
    problems: int = 0
    foot: int = 0
    notes: list[str] = field(default_factory=list)
    hint: DatumHint | None = None
    hint_rows: np.ndarray | None = None  # the hint's rows as numbered in the file
    unread: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


def check_table(table: pa.Table, settings: Settings, first_row: int = 0):
    """One batch: the input's columns as read, then the added ones (named for ``lang``).
    Returns (the output table, the :class:`layers.zonecheck.Result` of the batch)."""
    from layers.zonecheck import ADDED, check_located, headed

    if settings.geometry:
        import geopandas as gpd
        import shapely

        wkb = table.column(settings.geometry).to_numpy(zero_copy_only=False)
        geometry = gpd.GeoSeries(shapely.from_wkb(wkb), crs=settings.geometry_crs or WGS84)
        frame = table.drop_columns([settings.geometry]).to_pandas()
        source = Table(frame, GEOMETRY_KIND, geometry=geometry, crs=geometry.crs)
    else:
        source = Table(table.to_pandas(), "csv")
    result = check_located(locate(source, crs=settings.crs, lon=settings.lon, lat=settings.lat),
                           lang=settings.lang)
    renamed = result.table.columns[:table.num_columns]  # as check_located kept them
    names = headed(renamed, settings.lang)
    added = [pa.array(result.table[c], from_pandas=True, type=ADDED_TYPES.get(c, pa.string()))
             for c in ADDED]
    out = pa.Table.from_arrays([*table.columns, *added],
                               names=[*map(str, renamed), *(names.get(c, c) for c in ADDED)])
    return out, result


def _malformed(lines, table: pa.Table, width: int, sep: str, lang: str) -> pa.Table:
    """Rows the CSV reader could not take (more or fewer cells than the header), in the schema
    of ``table`` (a checked batch whose first ``width`` columns are the input's): their cells
    as far as they go, no zones, and a problem naming the line."""
    columns = {j: [None] * len(lines) for j in range(table.num_columns)}
    for i, (line, text) in enumerate(lines):
        cells = text.split(sep)
        for j in range(width):
            columns[j][i] = cells[j] if j < len(cells) else ""
        message = (f"line {line} has {len(cells)} cells where the header has {width} names; "
                   "a separator inside a name or an address? Put that text in double quotes")
        columns[table.num_columns - 1][i] = zh(message) if lang == "zh" else message
    return pa.Table.from_arrays([pa.array(columns[j], type=table.schema.field(j).type)
                                 for j in range(table.num_columns)], schema=table.schema)


def check_file(source, output, crs: str | None = None, lon: str | None = None,
               lat: str | None = None, encoding: str | None = None,
               header_row: int | None = None, lang: str = "en", progress=None) -> Summary:
    """Check a CSV or Parquet/GeoParquet file (or folder of parts) into ``output``: .csv,
    .parquet, or a folder of Parquet parts. ``progress(done, rows, seconds)`` is called after
    every batch (``done`` from 0 to 1). Raises InputError when the input cannot be read at all."""
    from geo.zonecheck import csv_safe, quoted_note
    from layers.datum import datum_hint
    from layers.zonecheck import ADDED, _read_as_wgs84

    start = time.perf_counter()
    reader = TableReader(source, encoding=encoding, header_row=header_row)
    summary = Summary(Path(output), notes=list(reader.notes))
    declared = None
    if reader.kind == "csv":
        declared = declared_by_columns(Table(pd.DataFrame(columns=reader.layout.names), "csv"))
        summary.notes += declared.notes
        crs = crs or declared.crs
    settings = Settings(crs, lon, lat, lang, reader.geometry, reader.crs)
    quoted = {"rows": [], "count": 0, "names": 0}

    def write(table: pa.Table, name: str, first: int) -> None:
        if writer.kind == "csv":  # safe to open in Excel (geo.zonecheck.csv_safe)
            table, rows, names = csv_safe(table)
            quoted["rows"].append(rows[:10] + first)
            quoted["count"] += len(rows)
            quoted["names"] = names
        writer.write(table, name)

    hint_wanted = reader.geometry is None and _read_as_wgs84(
        declared or Table(pd.DataFrame(), "csv"), crs)
    writer = TableWriter(output, reader.schema_metadata)
    pending = None
    with writer, ThreadPoolExecutor(1) as pool:  # a batch is written while the next is checked
        for batch in ahead(reader):
            table, result = check_table(batch.table, settings, batch.first)
            if batch.malformed:
                table = pa.concat_tables([table, _malformed(
                    batch.malformed, table, batch.table.num_columns, reader.layout.sep, lang)])
                summary.problems += len(batch.malformed)
            if pending is not None:
                pending.result()
            pending = pool.submit(write, table, f"part-{batch.first:012d}", batch.first)
            summary.rows += table.num_rows
            summary.problems += result.problems
            summary.foot += result.foot
            if batch.first == 0 and hint_wanted:  # the first rows tell, as in a list
                added = result.table[ADDED[:2]].to_numpy(dtype=float)[:HINT_ROWS]
                summary.hint = datum_hint(added[:, 0], added[:, 1],
                                          result.located.frame.iloc[:HINT_ROWS])
                if summary.hint is not None:
                    summary.hint_rows = summary.hint.rows + (reader.layout.header_row + 1
                                                             if reader.kind == "csv" else 1)
            if progress:
                progress(reader.done(), summary.rows, time.perf_counter() - start)
        if pending is not None:
            pending.result()
    summary.unread = list(reader.problems)
    if quoted["count"] or quoted["names"]:
        rows = np.concatenate(quoted["rows"]) if quoted["rows"] else np.empty(0, np.intp)
        summary.notes += quoted_note(rows[:10], quoted["names"], quoted["count"])
    summary.seconds = time.perf_counter() - start
    return summary
