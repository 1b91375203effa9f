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
the header is put back where it is by its line, with its cells as far as they go, no zones and
a problem naming the line.
"""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from geo.batches import (BATCH_ROWS, TableReader, TableWriter, ahead, as_text, conform, one_line,
                         output_kind, parts, wgs84_geo_metadata, write_part)
from geo.crs import WGS84
from geo.importer import InputError, Table, declared_by_columns, locate
from layers.datum import DatumHint
from layers.wording import zh

GEOMETRY_KIND = "geoparquet"
HINT_ROWS = 20_000  # the datum hint looks at the first rows of a large table


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


def check_table(table: pa.Table, settings: Settings):
    """One batch: the input's columns as read, then the added ones (named for ``lang``).
    Returns (the output table, the :class:`layers.zonecheck.Result` of the batch)."""
    from layers.zonecheck import ADDED, _kept_names, check_located, headed

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
    kept = [c for c in table.column_names if c != settings.geometry]  # GeoParquet's stays
    renamed = [_kept_names(kept).get(c, c) for c in table.column_names]
    names = headed(renamed, settings.lang)
    added = result.added.columns
    columns = list(table.columns)
    if settings.geometry:  # in WGS84, as every output of the check (see wgs84_geo_metadata)
        import shapely

        at = table.column_names.index(settings.geometry)
        columns[at] = pa.array(shapely.to_wkb(result.located.geometry.values), pa.binary())
    out = pa.Table.from_arrays([*columns, *added],
                               names=[*renamed, *(names.get(c, c) for c in ADDED)])
    return out, result


def _mark_malformed(table: pa.Table, malformed, width: int, lang: str) -> pa.Table:
    """Rows the CSV reader could not take (more or fewer cells than the header; their cells
    put back as far as they go): no place, no zones, and a problem naming the line."""
    rows = np.array([at for at, _, _ in malformed])
    mask = np.zeros(table.num_rows, bool)
    mask[rows] = True
    columns = list(table.columns)
    for j in range(width, table.num_columns):
        if j == table.num_columns - 1:  # the problem
            problems = columns[j].to_pylist()
            for at, line, cells in malformed:
                message = (f"line {line} has {cells} cells where the header has {width} names; a "
                           "separator inside a name or an address? Put that text in double quotes")
                problems[at] = zh(message) if lang == "zh" else message
            columns[j] = pa.array(problems, columns[j].type)
        else:  # no zones: "" as in any row without them; no coordinates
            empty = "" if pa.types.is_string(columns[j].type) else None
            columns[j] = pc.if_else(pa.array(mask), pa.scalar(empty, columns[j].type), columns[j])
    return pa.Table.from_arrays(columns, schema=table.schema)


class SafeWriter(TableWriter):
    """A TableWriter whose CSV is safe to open in Excel: text that starts like a formula gets a
    leading "'" (geo.zonecheck.csv_safe); :attr:`notes` says how many cells, and where."""

    def __init__(self, path, metadata: dict | None = None):
        super().__init__(path, metadata)
        self._quoted: list[np.ndarray] = []
        self._count = self._names = 0

    def write(self, table: pa.Table, name: str | None = None, first: int = 0) -> None:
        if self.kind == "csv":
            from geo.zonecheck import csv_safe

            table, rows, names = csv_safe(as_text(table))
            self._quoted.append(rows[:10] + first)
            self._count += len(rows)
            self._names = names
        super().write(table, name)

    @property
    def notes(self) -> list[str]:
        from geo.zonecheck import quoted_note

        rows = np.concatenate(self._quoted)[:10] if self._quoted else np.empty(0, np.intp)
        return quoted_note(rows, self._names, self._count)


@dataclass
class Checked:
    """A batch checked: its output table and its counts (and the datum hint of the first)."""

    table: pa.Table
    problems: int
    foot: int
    hint: DatumHint | None = None


def check_batch(table: pa.Table, settings: Settings, malformed=(), hint: bool = False) -> Checked:
    """One batch as it is written: checked (:func:`check_table`), its malformed CSV rows marked,
    counted, and with ``hint`` the datum hint of its first HINT_ROWS rows."""
    from layers.datum import datum_hint
    from layers.zonecheck import ADDED

    out, result = check_table(table, settings)
    problems = result.problems
    if malformed:
        out = _mark_malformed(out, malformed, table.num_columns, settings.lang)
        problems += sum(not result.added["problem"][at].as_py() for at, _, _ in malformed)
    found = None
    if hint:  # the first rows tell, as in a list
        lon, lat = (result.added[c][:HINT_ROWS].to_numpy(zero_copy_only=False) for c in ADDED[:2])
        found = datum_hint(lon, lat, result.located.frame.iloc[:HINT_ROWS])
    return Checked(out, problems, result.foot, found)


def _declared(reader: TableReader) -> Table:
    """The table's coordinate system as its column names declare it (百度经度, lng_gcj02), with
    the note saying so; none for GeoParquet (its metadata declares it)."""
    names = reader.layout.names if reader.kind == "csv" else (
        [] if reader.geometry else reader.schema.names)
    return declared_by_columns(Table(pd.DataFrame(columns=names), reader.kind))


def _clear(output) -> None:
    """An output folder's parts of an earlier run, and a half-made folder of parts beside an
    output file, removed before a run: nothing old mixes into the new result."""
    output = Path(output)
    if output_kind(output) == "folder":
        for old in [*output.glob("part-*.parquet"), *output.glob(".part-*.part")]:
            old.unlink(missing_ok=True)
    else:
        shutil.rmtree(_parts_folder(output), ignore_errors=True)


def _parts_folder(output: Path) -> Path:
    return output.with_name(f".{output.name}.parts")


def _empty_output(reader: TableReader, settings: Settings) -> pa.Table:
    """The output of no rows (a header-only CSV, Parquet without rows): its columns, no rows."""
    schema = (pa.schema([(n, pa.string()) for n in reader.layout.names]) if reader.kind == "csv"
              else reader.schema)
    return check_batch(schema.empty_table(), settings).table


def check_file(source, output, crs: str | None = None, lon: str | None = None,
               lat: str | None = None, encoding: str | None = None,
               header_row: int | None = None, lang: str = "en", progress=None,
               batch_rows: int = BATCH_ROWS) -> Summary:
    """Check a CSV or Parquet/GeoParquet file (or folder of parts) into ``output``: .csv,
    .parquet, or a folder of Parquet parts. ``progress(done, rows, seconds)`` is called after
    every batch (``done`` from 0 to 1). Raises InputError when the input cannot be read at all."""
    from layers.zonecheck import _read_as_wgs84

    start = time.perf_counter()
    reader = TableReader(source, encoding=encoding, header_row=header_row, batch_rows=batch_rows)
    summary = Summary(Path(output), notes=list(reader.notes))
    declared = _declared(reader)
    summary.notes += declared.notes
    crs = crs or declared.crs
    settings = Settings(crs, lon, lat, lang, reader.geometry, reader.crs)
    hint_wanted = reader.geometry is None and _read_as_wgs84(declared, crs)
    _clear(output)
    writer = SafeWriter(output, wgs84_geo_metadata(reader.schema_metadata))
    pending = None
    with writer, ThreadPoolExecutor(1) as pool:  # a batch is written while the next is checked
        for batch in ahead(reader):
            checked = check_batch(batch.table, settings, batch.malformed,
                                  batch.first == 0 and hint_wanted)
            if pending is not None:
                pending.result()
            pending = pool.submit(writer.write, checked.table, f"part-{batch.first:012d}",
                                  batch.first)
            summary.rows += checked.table.num_rows
            summary.problems += checked.problems
            summary.foot += checked.foot
            if checked.hint is not None:
                summary.hint = checked.hint
                summary.hint_rows = checked.hint.rows + (reader.layout.header_row + 1
                                                         if reader.kind == "csv" else 1)
            if progress:
                progress(reader.done(summary.rows), summary.rows, time.perf_counter() - start)
        if pending is not None:
            pending.result()
        if writer.rows == 0 and not reader.problems:  # no rows: the columns all the same
            writer.write(_empty_output(reader, settings))
    if progress and summary.rows:
        progress(1.0, summary.rows, time.perf_counter() - start)
    summary.unread = list(reader.problems)
    summary.notes += writer.notes
    if lang == "zh":
        summary.notes = [zh(note) for note in summary.notes]
    summary.seconds = time.perf_counter() - start
    return summary


# ---- on a Dask cluster ------------------------------------------------------------------------

@dataclass(frozen=True)
class Shared:
    """What every task of a run needs, sent to each worker once: the zone index, the settings,
    the output folder."""

    index: object  # geo.zoneindex.ZoneIndex
    settings: Settings
    folder: str
    hint_wanted: bool
    schema: pa.Schema  # the first part's: every part is read in it (geo.batches.conform)


def check_part(part, shared: Shared) -> dict:
    """One partition on a worker: read where it is, checked batch by batch with the client's
    zone index, written as one part of the output folder."""
    from layers.zones import install_index

    install_index(shared.index)
    table = conform(part.read(), shared.schema)
    outs, problems, foot, hint = [], 0, 0, None
    for start in range(0, max(table.num_rows, 1), BATCH_ROWS):
        checked = check_batch(table.slice(start, BATCH_ROWS), shared.settings,
                              hint=part.first == 0 and start == 0 and shared.hint_wanted)
        outs.append(checked.table)
        problems += checked.problems
        foot += checked.foot
        hint = hint or checked.hint
    write_part(pa.concat_tables(outs), Path(shared.folder), part.name)
    return {"rows": table.num_rows, "problems": problems, "foot": foot, "hint": hint}


def check_on_cluster(source, output, crs: str | None = None, lon: str | None = None,
                     lat: str | None = None, lang: str = "en", scheduler: str | None = None,
                     workers: int | None = None, progress=None) -> Summary:
    """Check a Parquet file or folder of parts on a Dask cluster (the scheduler at
    ``scheduler``, or ``workers`` local processes) into ``output``: a folder of Parquet parts,
    one per input partition, or one .parquet or .csv file made from them at the end."""
    from geo.distributed import cluster, partitions, run
    from layers.zones import zone_index

    start = time.perf_counter()
    source = Path(source)
    if not (source.is_dir() or source.suffix.lower() in (".parquet", ".geoparquet", ".parq")):
        raise InputError(f"{source.name}: a cluster reads Parquet (a file, or a folder of parts on "
                         "storage every worker reads); write the table as Parquet first, e.g. "
                         "with -o table.parquet")
    found, unread = partitions(source)
    if not found:
        raise InputError(f"{source.name}: no readable Parquet file"
                         + "".join(f"; {name}: {why}" for name, why in unread))
    reader = TableReader(found[0].file)  # its schema: a geometry column, its CRS
    declared = _declared(reader)
    crs = crs or declared.crs
    settings = Settings(crs, lon, lat, lang, reader.geometry, reader.crs)
    kind = output_kind(output)
    _clear(output)
    folder = Path(output) if kind == "folder" else _parts_folder(Path(output))
    folder.mkdir(parents=True, exist_ok=True)
    from layers.zonecheck import _read_as_wgs84

    shared = Shared(zone_index(), settings, str(folder.resolve()),
                    reader.geometry is None and _read_as_wgs84(declared, crs), reader.schema)
    summary = Summary(Path(output), notes=list(declared.notes), unread=list(unread))
    total = sum(p.rows for p in found)

    def shown(part, outcome) -> None:
        if progress and not isinstance(outcome, Exception):
            summary.rows += outcome["rows"]
            progress(summary.rows / total if total else 1.0, summary.rows,
                     time.perf_counter() - start)

    try:
        with cluster(scheduler, workers) as client:
            for part, outcome in run(client, check_part, found, shared, shown):
                if isinstance(outcome, Exception):
                    rows = f"rows {part.first + 1:,}-{part.first + part.rows:,} of the input"
                    summary.unread.append((f"{Path(part.file).name} ({rows})",
                                           f"could not be checked ({one_line(outcome)}); "
                                           "its rows are not in the output"))
                    continue
                if not progress:
                    summary.rows += outcome["rows"]
                summary.problems += outcome["problems"]
                summary.foot += outcome["foot"]
                summary.hint = summary.hint or outcome["hint"]
        if summary.hint is not None:
            summary.hint_rows = summary.hint.rows + 1
        if kind != "folder" and summary.rows:  # one file, from the parts in order
            with SafeWriter(output, wgs84_geo_metadata(reader.schema_metadata)) as writer:
                done = 0
                for file in parts(folder):
                    for batch in pq.ParquetFile(file, pre_buffer=False).iter_batches(
                            batch_size=BATCH_ROWS):
                        writer.write(pa.Table.from_batches([batch]), first=done)
                        done += batch.num_rows
            summary.notes += writer.notes
    finally:
        if kind != "folder":
            shutil.rmtree(folder, ignore_errors=True)
    if lang == "zh":
        summary.notes = [zh(note) for note in summary.notes]
    summary.seconds = time.perf_counter() - start
    return summary
