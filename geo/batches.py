"""Tables too large for memory, read and written in batches: CSV (any encoding, title rows
above the header, as geo.importer finds them) and Parquet or GeoParquet (one file, or a folder
of parts as data platforms write them). Knows nothing of the plan.

    reader = TableReader("registry.parquet")    # or a .csv, or a folder of .parquet parts
    with TableWriter("out.csv", reader.schema_metadata) as out:
        for batch in reader:                     # pyarrow Tables of up to BATCH_ROWS rows
            out.write(batch.table)
    reader.problems                              # parts that could not be read, and why

Memory stays bounded by the batch, whatever the file's size.
"""

from __future__ import annotations

import csv
import json
import os
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from geo.importer import InputError, csv_layout

BATCH_ROWS = 250_000
CSV_BLOCK = 64 << 20  # at most, bytes of CSV parsed at a time (else about BATCH_ROWS rows)
HEAD_BYTES = 4 << 20  # the head of a CSV file that its layout is found in
PARQUET = (".parquet", ".geoparquet", ".parq")
STREAMED = (".csv", ".txt", *PARQUET)


@dataclass
class Batch:
    table: pa.Table  # the input's columns as read (a CSV's as text)
    first: int  # the place of its first row in the input, from 0
    # Rows of a CSV with more or fewer cells than the header: (position, line, cells).
    malformed: list[tuple[int, int, int]] = field(default_factory=list)


def is_streamed(path) -> bool:
    """Whether the file (or folder of parts) is read in batches: CSV and Parquet."""
    path = Path(path)
    return path.is_dir() or path.suffix.lower() in STREAMED


class TableReader:
    """The batches of a table on disk. ``total_rows`` is known for Parquet (from the files'
    footers), ``total_bytes`` always; :meth:`done` says how far the reading has come, from 0 to
    1. ``problems`` lists the parts that could not be read (name, reason): the others are
    read."""

    def __init__(self, path, encoding: str | None = None, header_row: int | None = None,
                 batch_rows: int = BATCH_ROWS):
        self.path = Path(path)
        self.batch_rows = batch_rows
        self.notes: list[str] = []
        self.problems: list[tuple[str, str]] = []
        self.geometry: str | None = None  # GeoParquet: the WKB geometry column
        self.crs: str | None = None  # GeoParquet: its CRS (PROJJSON text); WGS84 when unsaid
        self.schema_metadata: dict | None = None
        self.rows_read = 0
        if not self.path.exists():
            raise InputError(f"{self.path.name}: file not found.")
        if self.path.is_dir() or self.path.suffix.lower() in PARQUET:
            self.kind = "parquet"
            self._open_parquet()
        else:
            self.kind = "csv"
            self._open_csv(encoding, header_row)

    # ---- CSV --------------------------------------------------------------------------------

    def _open_csv(self, encoding, header_row) -> None:
        self.total_bytes = self.path.stat().st_size
        self.total_rows = None
        with open(self.path, "rb") as f:
            head = f.read(HEAD_BYTES)
        if len(head) == HEAD_BYTES:  # cut after the last line end: no half character
            head = head[:max(head.rfind(b"\n"), 0) + 1] or head
        self.layout = csv_layout(head, self.path.name, encoding, header_row)
        self.notes += self.layout.notes
        # Rows are counted as they are read; the whole file's, estimated from its head.
        self._row_bytes = len(head) / max(head.count(b"\n"), 1)

    def _csv_batches(self):
        layout = self.layout
        malformed: list[tuple[int, str]] = []

        def skip(row) -> str:  # a row of another number of cells: kept aside, answered later
            malformed.append((row.number or 0, row.text))
            return "skip"

        names = layout.names
        block = int(min(max(self._row_bytes * self.batch_rows, 1 << 20), CSV_BLOCK))
        source = open(self.path, "rb")
        try:
            reader = pacsv.open_csv(
                source,
                read_options=pacsv.ReadOptions(
                    column_names=names, skip_rows=layout.header_row, block_size=block,
                    encoding="utf8" if layout.encoding in ("utf-8", "utf_8", "utf8") else
                    layout.encoding, use_threads=False),
                parse_options=pacsv.ParseOptions(delimiter=layout.sep, newlines_in_values=True,
                                                 invalid_row_handler=skip),
                convert_options=pacsv.ConvertOptions(
                    column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                    null_values=[], quoted_strings_can_be_null=False))
            pending: list[tuple[int, str]] = []  # rows set aside, not yet at their place
            done = 0  # rows yielded so far, put-back rows included
            while True:
                try:
                    table = pa.Table.from_batches([reader.read_next_batch()])
                except StopIteration:
                    break
                # The reader sets aside rows of the next block too (it parses ahead): each
                # goes back with the block that reaches its place.
                pending += malformed
                malformed.clear()
                here = []
                for row in sorted(pending):
                    if self._place(row[0]) <= done + table.num_rows + len(here):
                        here.append(row)
                pending = [row for row in pending if row not in here]
                done += table.num_rows + len(here)
                yield table, here
            pending += malformed
            if pending:  # the last rows of the file
                yield reader.schema.empty_table(), pending
        except (pa.ArrowInvalid, UnicodeDecodeError) as err:
            raise InputError(f"{self.path.name}: cannot be read past row {self.rows_read:,} "
                             f"({err}); check the file's encoding and quoting.") from err
        finally:
            source.close()

    # ---- Parquet ----------------------------------------------------------------------------

    def _open_parquet(self) -> None:
        files = (sorted(p for p in self.path.rglob("*") if p.is_file() and not p.name.startswith(
            (".", "_"))) if self.path.is_dir() else [self.path])
        if not files:
            raise InputError(f"{self.path.name}: the folder holds no Parquet files.")
        self._files, self.total_rows = [], 0
        schema, unreadable = None, []
        for file in files:
            try:
                meta = pq.read_metadata(file)
            except (pa.ArrowException, OSError) as err:
                unreadable.append(f"{self._name(file)}: not a readable Parquet file ({err})")
                self.problems.append((self._name(file), f"not a readable Parquet file ({err}); "
                                      "its rows are not in the output"))
                continue
            self._files.append(file)
            self.total_rows += meta.num_rows
            schema = schema or pq.read_schema(file)
        if schema is None:
            raise InputError(f"{self.path.name}: no readable Parquet file "
                             f"({'; '.join(unreadable)}).")
        self.total_bytes = sum(f.stat().st_size for f in self._files)
        self.schema = schema
        self.schema_metadata = dict(schema.metadata or {})
        geo = self.schema_metadata.get(b"geo")
        if geo:
            try:
                meta = json.loads(geo)
                self.geometry = meta["primary_column"]
                crs = meta["columns"][self.geometry].get("crs")
                self.crs = json.dumps(crs) if isinstance(crs, dict) else crs
            except (ValueError, KeyError, TypeError) as err:
                raise InputError(f"{self.path.name}: its GeoParquet metadata cannot be read "
                                 f"({err}).") from err
            if meta["columns"][self.geometry].get("encoding", "WKB").upper() != "WKB":
                raise InputError(f"{self.path.name}: geometry encoded as "
                                 f"{meta['columns'][self.geometry]['encoding']}; write it as WKB.")

    def _name(self, file: Path) -> str:
        return str(file.relative_to(self.path)) if self.path.is_dir() else file.name

    def _parquet_batches(self):
        for file in self._files:
            read = 0
            try:
                # pre_buffer off: buffers are not kept for the whole file (memory stays flat)
                for batch in pq.ParquetFile(file, pre_buffer=False).iter_batches(
                        batch_size=self.batch_rows):
                    table = conform(pa.Table.from_batches([batch]), self.schema)
                    read += table.num_rows
                    yield table
            except (pa.ArrowException, OSError, ValueError) as err:
                text = one_line(err)
                self.problems.append((self._name(file), (
                    f"could not be read after its first {read:,} rows ({text}); its other rows "
                    "are not in the output" if read else
                    f"could not be read ({text}); its rows are not in the output")))

    # ---- both -------------------------------------------------------------------------------

    def __iter__(self):
        if self.kind == "csv":
            for table, malformed in self._csv_batches():
                yield from self._cut(*self._put_back(table, malformed))
        else:
            for table in self._parquet_batches():
                yield from self._cut(table, [])

    def _place(self, line: int) -> int:
        """The place (from 0) among the data rows of the row at ``line`` of the file."""
        return line - self.layout.header_row - 1

    def _put_back(self, table: pa.Table, malformed):
        """The rows the CSV reader could not take, put back where they are in the file (by
        their line, assuming no line breaks inside cells above them), their cells as far as
        they go. Returns the table and [(position in it, line, cells)]."""
        placed = []
        for line, text in sorted(malformed):
            cells = next(csv.reader([text], delimiter=self.layout.sep), [])
            row = pa.table({name: [cells[j] if j < len(cells) else ""]
                            for j, name in enumerate(table.column_names)}, schema=table.schema)
            at = min(max(self._place(line) - self.rows_read, 0), table.num_rows)
            table = pa.concat_tables([table.slice(0, at), row, table.slice(at)])
            placed.append((at, line, len(cells)))
        return table, placed

    def _cut(self, table: pa.Table, malformed):
        for start in range(0, max(table.num_rows, 1), self.batch_rows):
            piece = table.slice(start, self.batch_rows)
            inside = [(at - start, line, cells) for at, line, cells in malformed
                      if start <= at < start + piece.num_rows]
            batch = Batch(piece, self.rows_read, inside)
            self.rows_read += piece.num_rows
            if piece.num_rows:
                yield batch

    def done(self, rows: int) -> float:
        """How much of the input ``rows`` rows are, from 0 to 1: exact for Parquet (its
        footers count the rows), estimated for CSV from the length of its first lines."""
        if self.total_rows is not None:
            return min(rows / self.total_rows, 1.0) if self.total_rows else 1.0
        return min(rows * self._row_bytes / self.total_bytes, 0.99) if self.total_bytes else 0.0


# ---- writing --------------------------------------------------------------------------------

def output_kind(path) -> str:
    """"csv", "parquet" (one file) or "folder" (a folder of Parquet parts: a path without a
    suffix, or an existing folder)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if path.is_dir() or not suffix:
        return "folder"
    if suffix == ".csv":
        return "csv"
    if suffix in PARQUET:
        return "parquet"
    raise ValueError(f"{path.name}: a large table is written to .csv, .parquet or a folder")


class TableWriter:
    """Batches to a CSV file (UTF-8 with BOM, for Excel), one Parquet file, or a folder of
    Parquet parts (one per :meth:`write` call, named by ``part``). Written whole, then renamed:
    a reader never sees half a file."""

    def __init__(self, path, metadata: dict | None = None):
        self.path = Path(path)
        self.kind = output_kind(self.path)
        self.metadata = metadata
        self.rows = 0
        self._sink = self._writer = None
        self._schema: pa.Schema | None = None
        self._parts = 0
        if self.kind == "folder":
            self.path.mkdir(parents=True, exist_ok=True)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.part")

    def write(self, table: pa.Table, name: str | None = None) -> None:
        if self.metadata:
            table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                                   **self.metadata})
        if self.kind == "csv":
            if self._sink is None:
                self._sink = open(self._temp, "wb")
                self._sink.write(b"\xef\xbb\xbf")  # BOM: Excel then reads UTF-8
                pacsv.write_csv(table, self._sink)
            else:
                pacsv.write_csv(table, self._sink, pacsv.WriteOptions(include_header=False))
        elif self.kind == "parquet":
            if self._writer is None:
                self._schema = table.schema
                self._writer = pq.ParquetWriter(self._temp, self._schema)
            self._writer.write_table(conform(table, self._schema))
        else:
            write_part(table, self.path, name or f"part-{self._parts:05d}")
        self._parts += 1
        self.rows += table.num_rows

    def close(self) -> None:
        if self._sink is not None:
            self._sink.close()
        if self._writer is not None:
            self._writer.close()
        if self.kind != "folder" and self._temp.exists():
            os.replace(self._temp, self.path)

    def abandon(self) -> None:
        for handle in (self._sink, self._writer):
            if handle is not None:
                handle.close()
        self._temp.unlink(missing_ok=True)

    def __enter__(self):
        return self

    def __exit__(self, kind, *_):
        self.close() if kind is None else self.abandon()


def write_part(table: pa.Table, folder: Path, name: str) -> Path:
    """One part of a folder of Parquet files, written whole then renamed (a task run twice, as
    a cluster does when a worker is lost, writes the same file twice, harmlessly)."""
    target = Path(folder) / f"{name}.parquet"
    temp = target.with_name(f".{target.name}.{os.getpid()}.{id(table)}.part")
    pq.write_table(table, temp)
    os.replace(temp, target)
    return target


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """A part's rows in the first part's schema: columns found by name, in its order, cast to
    its types; ValueError naming the columns when they differ or a value does not fit."""
    if table.schema.equals(schema, check_metadata=False):
        return table
    names = set(table.column_names)
    missing = [f.name for f in schema if f.name not in names]
    extra = [n for n in table.column_names if n not in schema.names]
    if missing or extra:
        raise ValueError("its columns differ from the first part's"
                         + (f": no {', '.join(missing)}" if missing else "")
                         + (f"{';' if missing else ':'} also {', '.join(extra)}" if extra else ""))
    columns = []
    for wanted in schema:
        column = table.column(wanted.name)
        try:
            columns.append(column if column.type == wanted.type else column.cast(wanted.type))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as err:
            raise ValueError(f"its column {wanted.name} is {column.type}, not {wanted.type} as "
                             f"in the first part ({err})") from err
    return pa.Table.from_arrays(columns, schema=schema.remove_metadata()).replace_schema_metadata(
        schema.metadata)


def one_line(err: Exception, most: int = 300) -> str:
    """An error's message on one line, as a planner can read it (a library's can run on)."""
    text = " ".join(str(err).split())
    return text if len(text) <= most else text[:most] + "…"


def wgs84_geo_metadata(metadata: dict | None) -> dict | None:
    """A GeoParquet file's schema metadata with its geometry column said to be in WGS84 (as
    the geometry written is); other metadata as it was."""
    if not metadata or b"geo" not in metadata:
        return metadata
    from pyproj import CRS

    geo = json.loads(metadata[b"geo"])
    column = geo["columns"][geo["primary_column"]]
    column["crs"] = CRS.from_epsg(4326).to_json_dict()
    column["geometry_types"] = []  # any: a MultiPoint of one point may be written as that point
    column.pop("bbox", None)
    column.pop("covering", None)
    return {**metadata, b"geo": json.dumps(geo).encode()}


def as_text(table: pa.Table) -> pa.Table:
    """Columns that CSV cannot hold, as text: geometry (WKB) as WKT, other bytes as hex, lists,
    structs and maps as JSON."""
    import shapely

    columns = []
    for column in table.columns:
        kind = column.type
        if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
            values = column.to_pylist()
            try:
                text = shapely.to_wkt(shapely.from_wkb(values), rounding_precision=-1)
            except shapely.errors.GEOSException:  # not geometry: bytes as hex
                text = [None if v is None else v.hex() for v in values]
            column = pa.array(text, pa.string())
        elif pa.types.is_nested(kind):
            column = pa.array([None if v is None else json.dumps(v, ensure_ascii=False,
                                                                   default=str)
                               for v in column.to_pylist()], pa.string())
        columns.append(column)
    return pa.Table.from_arrays(columns, names=table.column_names)


def parts(path) -> list[Path]:
    """The Parquet files of a folder of parts, in order."""
    return sorted(p for p in Path(path).glob("*.parquet"))


def ahead(items, depth: int = 1):
    """The items of an iterator, each made in a background thread while the one before is used
    (pyarrow parses and writes without holding Python's lock, so reading, checking and writing
    overlap on two cores). At most ``depth`` items wait: memory stays bounded."""
    done = object()
    waiting: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce():
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        waiting.put((item, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            waiting.put((done, None))
        except BaseException as err:  # noqa: BLE001 - raised again in the consumer
            waiting.put((done, err))

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    try:
        while True:
            item, err = waiting.get()
            if item is done:
                if err is not None:
                    raise err
                return
            yield item
    finally:
        stop.set()
