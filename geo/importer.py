"""Read a project list from any common file, safely, into rows with WGS84 geometry.

Formats, recognised by their content (the extension only breaks ties): CSV (UTF-8, UTF-8 with
BOM, or else detected among GB18030/GBK, Big5 and what charset-normalizer proposes; or a
declared encoding), Excel (.xlsx), GeoJSON, zipped Shapefile (with .prj; .cpg, a declared
encoding, or else its text detected like a CSV's), GeoPackage, KML.

Cells of tables come out as the text typed in the file: "NA", "null" or an empty cell stay as
they are, Excel numbers read as they show ("12", "120.5"), dates as ISO text. A title above
the header row (merged cells in Excel, a first line of a CSV) is recognised, or the header row
is given (``header_row``, counted from 1 as Excel shows rows).

Two kinds of trouble, kept apart:
- a file that cannot be used (empty, too large, not what its name claims, a zip bomb, a
  damaged archive, an archive path that climbs out of its folder, no coordinate columns)
  raises :class:`InputError` with a sentence saying why and what to do; text whose encoding
  cannot be told raises :class:`EncodingUnsure` (an InputError) with the candidates, for the
  user to choose;
- a row that cannot be placed (missing, empty or non-numeric coordinates, no geometry) keeps
  its place in the output with a ``problem`` sentence. Rows are never dropped.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import math
import re
import tempfile
import unicodedata
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from geo.crs import WGS84, to_wgs84, xy_to_wgs84

if TYPE_CHECKING:  # imported where used: not at start-up (0.13 s)
    import geopandas as gpd

MAX_BYTES = 200 * 1024 * 1024  # an upload larger than this is refused
MAX_UNZIPPED = 1024 * 1024 * 1024  # total size inside an archive
MAX_RATIO = 200  # uncompressed / compressed, beyond which an archive is taken for a bomb
MAX_MEMBERS = 2000
CHUNK = 1024 * 1024  # archive members are copied to disk in pieces of this size
HEADER_SCAN = 20  # the header row is looked for in this many first rows

LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度", "东经", "經度", "東經", "lon_wgs84")
LAT_NAMES = ("lat", "latitude", "y", "纬度", "北纬", "緯度", "北緯", "lat_wgs84")


class InputError(ValueError):
    """A file that cannot be used; the message says why and what to do."""


class EncodingUnsure(InputError):
    """The text reads plausibly in more than one encoding. ``candidates`` are Python codec names,
    the most likely first; the caller asks the user (the page) or requires ``--encoding``."""

    def __init__(self, message: str, candidates: list[str]):
        super().__init__(message)
        self.candidates = candidates


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
    header_row: int | None = None  # tables: the row of the column names, from 1 as Excel shows
    row_numbers: np.ndarray | None = None  # each row's number in the file, when known
    encoding: str | None = None  # CSV: the codec the text was read with


# ---- recognising the content ------------------------------------------------------------------

def _sniff(data: bytes, filename: str) -> str:
    head = data[:4096]
    suffix = Path(filename).suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"PAR1"):  # a damaged one too: told so by the Parquet reader
        return "parquet"
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
                         "upload CSV, Excel, GeoJSON, a zipped Shapefile, GeoPackage, KML or Parquet.")
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


# ---- text encodings ---------------------------------------------------------------------------

SAMPLE_BYTES = 64 * 1024  # the detector looks at up to this much of the lines with non-ASCII bytes
CHINESE = (("gb18030",), ("big5", "cp950", "big5hkscs"))  # families, each read by its first fit
LABELS = {"utf-8": "UTF-8", "gb18030": "GB18030", "gbk": "GBK", "big5": "Big5", "cp950": "cp950",
          "big5hkscs": "Big5-HKSCS"}
# What one character says for "this decoding is right" against "it is GBK read as Big5 or Big5
# read as GBK": log(P(right) / P(wrong)), measured on project lists (place names of Zhejiang,
# common words): a right decoding gives 93% characters of the common set of its script, a
# wrong one about 45%; GBK read as Big5 gives half of Big5's rarer set, Big5 read as GBK 20%
# rare Han characters and 7-36% kana, Greek, box drawing or private-use characters.
W_COMMON = math.log(0.93 / 0.45)
W_RARER = {"simplified": 0.0, "traditional": math.log(0.02 / 0.5)}  # GB2312 / Big5 level 2
W_RARE = math.log(0.01 / 0.2)  # other Han characters
W_ODD = math.log(0.005 / 0.1)  # symbols no project list has: kana, box drawing, private use
SURE = math.log(100)  # a decoding is taken when it is 100 times likelier than any other
_HIGH = re.compile(rb"[\x80-\xff]")


@functools.cache
def _character_sets() -> dict[str, tuple[frozenset, frozenset]]:
    """For each script, its common and its rarer characters, straight from the codecs: GB2312
    level 1 (3,755) and 2 (3,008); Big5's frequent (5,401) and less frequent (7,652) sets."""
    def block(codec: str, leads) -> frozenset:
        found = set()
        for a in leads:
            for b in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
                try:
                    found.add(bytes((a, b)).decode(codec))
                except UnicodeDecodeError:
                    pass
        return frozenset(c for c in found if len(c) == 1 and _is_han(ord(c)))

    return {"simplified": (block("gb2312", range(0xB0, 0xD8)), block("gb2312", range(0xD8, 0xF8))),
            "traditional": (block("big5", range(0xA4, 0xC7)), block("big5", range(0xC9, 0xFA)))}


def _is_han(o: int) -> bool:
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or o >= 0x20000


def _neutral(o: int) -> bool:
    """Latin letters and punctuation, CJK and full-width punctuation, ①, ℃: found in right and
    wrong decodings alike, so they count for neither."""
    return (o < 0x370 or 0x2000 <= o <= 0x218F or 0x2460 <= o <= 0x24FF or 0x3000 <= o <= 0x303F
            or 0xFF01 <= o <= 0xFF5E or 0xFFE0 <= o <= 0xFFE6)


def _chinese_score(text: str) -> float:
    """How much likelier ``text`` is right Chinese than a wrong decoding of it (a log ratio):
    the sum of what each character says (W_*), under the simplified or the traditional script,
    whichever reads it better. Latin text scores 0."""
    counts = {script: [0, 0, 0] for script in W_RARER}  # common, rarer, other Han
    odd = 0
    for ch in text:
        o = ord(ch)
        if _neutral(o):
            continue
        if not _is_han(o):
            odd += 1
            continue
        for script, (common, rarer) in _character_sets().items():
            counts[script][0 if ch in common else 1 if ch in rarer else 2] += 1
    return odd * W_ODD + max(c * W_COMMON + r * W_RARER[script] + h * W_RARE
                             for script, (c, r, h) in counts.items())


def _sample(data: bytes) -> bytes:
    """Whole lines holding non-ASCII bytes, up to SAMPLE_BYTES in all, the last one cut after a
    byte below 0x30 (never inside a multi-byte character in the encodings tried)."""
    parts, size, pos = [], 0, 0
    while size < SAMPLE_BYTES and (m := _HIGH.search(data, pos)):
        i = m.start()
        start = max(data.rfind(b"\n", pos, i), data.rfind(b"\r", pos, i), pos - 1) + 1
        limit = min(len(data), max(start + SAMPLE_BYTES - size, i + 1))
        ends = [e + 1 for e in (data.find(b"\n", i, limit), data.find(b"\r", i, limit)) if e >= 0]
        end = min(ends, default=limit)
        parts.append(data[start:end])
        size += end - start
        pos = end
    sample = b"".join(parts)
    if size >= SAMPLE_BYTES:
        sample = sample[:max(sample.rfind(bytes((b,))) for b in range(0x30)) + 1]
    return sample


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _preview(text: str) -> str:
    line = next((ln for ln in text.splitlines() if not ln.isascii()), text[:40])
    return line.strip()[:30]


def _candidates(sample: bytes) -> list[tuple[str, str]]:
    """Plausible (codec, text of the sample), the most likely first; several when unsure. Each
    reading, of GB18030, of Big5 and of what charset-normalizer proposes, is scored as Chinese;
    readings within SURE of the best are kept (for a Chinese best, only the Chinese ones)."""
    found: dict[str, tuple[str, bool]] = {}  # decoded text -> (codec, a Chinese codec)
    for family in CHINESE:
        for codec in family:  # the first of a family that reads the sample
            text = _strict(sample, codec)
            if text is not None:
                found.setdefault(text, (codec, True))
                break
    names = {c for family in CHINESE for c in family} | {"gbk", "gb2312", "hz"}
    from charset_normalizer import from_bytes  # only for text that is not UTF-8

    for match in from_bytes(sample):
        if not match.encoding.startswith(("utf", "ascii")) and match.encoding not in names:
            found.setdefault(str(match), (match.encoding, False))  # UTF-16/32: NULs, refused before
    ranked = sorted(((codec, text, chinese, _chinese_score(text))
                     for text, (codec, chinese) in found.items()), key=lambda r: -r[3])
    if not ranked:
        return []
    best, best_chinese = ranked[0][3], ranked[0][2]
    return [(codec, text) for codec, text, chinese, score in ranked
            if score > best - SURE and (chinese or not best_chinese)][:4]


def _decode(data: bytes, filename: str, encoding: str | None) -> tuple[str, str]:
    """The text and the codec it was read with: the declared one, else UTF-8 (with or without
    BOM) when the bytes are UTF-8, else the detected one; :class:`EncodingUnsure` when several
    encodings read the text about equally well."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError as err:
            raise InputError(f"{filename}: {encoding!r} is not a known encoding.") from err
        except UnicodeDecodeError as err:
            raise InputError(f"{filename}: cannot be read as {encoding} (byte {err.start:,}); "
                             "check the encoding.") from err
    text = _strict(data, "utf-8-sig")
    if text is not None:
        return text, "utf-8"
    found = _candidates(_sample(data))
    if len(found) > 1:
        codecs = [c for c, _ in found]
        readings = " or ".join(f"as {LABELS.get(c, c)} ({_preview(t)!r})" for c, t in found)
        raise EncodingUnsure(f"{filename}: cannot tell the text encoding: it reads {readings}; "
                             f"choose the encoding ({' or '.join(codecs)}).", codecs)
    if found:
        text = _strict(data, found[0][0])
        if text is not None:
            return text, found[0][0]
        raise InputError(f"{filename}: the text begins as {LABELS.get(found[0][0], found[0][0])} "
                         "but later bytes are not; save it as UTF-8 or give its encoding.")
    raise InputError(f"{filename}: the text is neither UTF-8 nor GBK/GB18030 nor Big5; save it as "
                     "UTF-8 or give its encoding.")


# ---- tables: cells as text, the header row ----------------------------------------------------

SEPARATORS = (",", "\t", ";", "|")


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def _names_coordinates(row: list[str]) -> bool:
    cells = [c.strip() for c in row]
    return coordinate_column(cells, "lon") is not None and coordinate_column(cells, "lat") is not None


def _form_line(cells: list[str]) -> bool:
    """A line of a form above the table: "填报单位：", "联系人：张三", "Unit:"."""
    return any("：" in c or c.endswith(":") for c in cells)


def _upper_header(top: list[str], row: list[str]) -> bool:
    """Whether ``top`` is the upper row of a two-level header over ``row``: names in at least
    two cells (a title has one), no line of a form, and ``row`` fits under it."""
    cells = [c.strip() for c in top if c.strip()]
    return len(cells) >= 2 and not _form_line(cells) and _sub_header(top, row) is not None


def _find_header(rows: list[list[str]], two_level: bool = False) -> int:
    """The row (from 1) of the column names.

    The first of the first HEADER_SCAN rows that names both coordinates (经度 and 纬度, lon and
    lat, ...), or, with ``two_level``, the row above it when that is the upper row of a
    two-level header (坐标 merged over 经度 | 纬度).

    Else, above the header only title rows are passed over: blank rows, lines of a form
    ("填报单位：…", "联系人：张三") and rows with fewer than two cells filled or at most half as
    many as the widest of the first rows (a merged title). The header has at least two cells
    filled, distinct, no more numbers than text, and a row with values below. A table that does
    not start this way has its header in row 1."""
    window = rows[:HEADER_SCAN]
    for i, row in enumerate(window):
        if _names_coordinates(row):
            return i if two_level and i and _upper_header(rows[i - 1], row) else i + 1
    width = max((sum(1 for c in row if c.strip()) for row in window), default=0)
    for i, row in enumerate(window):
        cells = [c.strip() for c in row if c.strip()]
        if len(cells) < 2 or 2 * len(cells) <= width or _form_line(cells):
            continue  # a title, a line of a form, a note, a blank row
        distinct = len(set(cells)) == len(cells)
        texty = 2 * sum(not _is_number(c) for c in cells) >= len(cells)
        below = any(sum(1 for c in r if c.strip()) >= 2 for r in rows[i + 1:i + 1 + HEADER_SCAN])
        return i + 1 if distinct and texty and below else 1
    return 1


def _header_row(rows: list[list[str]], filename: str, given: int | None,
                two_level: bool = False) -> int:
    if given is None:
        return _find_header(rows, two_level)
    if not isinstance(given, (int, np.integer)) or isinstance(given, bool) or given < 1:
        raise InputError(f"{filename}: the header row must be a row number from 1 (got {given!r}).")
    if given > len(rows):
        raise InputError(f"{filename}: there is no row {given}; the table has {len(rows)} rows.")
    return int(given)


def _sub_header(top: list[str], below: list[str]) -> list[str] | None:
    """The second row of a two-level header (坐标 merged over 经度 | 纬度), or None: text only,
    each under an empty cell of the header row (the rest of a merged cell) or under the start of
    a merged group (a name followed by an empty cell), and at least one under an empty cell."""
    filled = [j for j, c in enumerate(below) if c.strip()]
    if not filled or any(_is_number(below[j]) for j in filled):
        return None
    top = top + [""] * (len(below) + 1 - len(top))  # a sheet leaves the end of a merged cell out
    def under_group(j: int) -> bool:
        return top[j] == "" or top[j + 1] == ""
    if not all(under_group(j) for j in filled):
        return None
    if not any(top[j] == "" for j in filled):
        return None
    return below


def _column_names(cells: list[str]) -> list[str]:
    """As pandas names them: an empty name is "Unnamed: i", a repeated one "name.1"."""
    names, used = [], set()
    for i, cell in enumerate(cells):
        base = cell if cell != "" else f"Unnamed: {i}"
        name, k = base, 0
        while name in used:
            k += 1
            name = f"{base}.{k}"
        used.add(name)
        names.append(name)
    return names


def _csv_records(text: str, sep: str, limit: int) -> list[tuple[int, list[str]]]:
    """The first ``limit`` records of CSV text, each with the offset (characters) it starts at."""
    consumed = 0

    def lines():
        nonlocal consumed
        for line in io.StringIO(text, newline=""):
            consumed += len(line)
            yield line

    records, start = [], 0
    try:
        for cells in csv.reader(lines(), delimiter=sep):
            records.append((start, cells))
            start = consumed
            if len(records) >= limit:
                break
    except csv.Error:  # a NUL byte, a huge field: the header is then looked for above it
        pass
    return records


def _separator(lines: list[str]) -> str:
    """The separator that splits the most of the first lines into the same number of cells (a
    title line has one cell; a "|" inside a value does not make "|" the separator)."""
    def score(sep: str) -> tuple[int, int]:
        counts = [len(cells) for cells in csv.reader([line for line in lines if line.strip()],
                                                     delimiter=sep) if len(cells) > 1]
        if not counts:
            return 0, 0
        usual = max(set(counts), key=counts.count)
        return counts.count(usual), usual

    return max(SEPARATORS, key=score)


@dataclass
class CsvLayout:
    """How a CSV file is laid out, as found from its first lines: the text encoding (a Python
    codec), the separator, the row of the column names (from 1), the names as pandas gives
    them, and the notes to say."""

    encoding: str
    sep: str
    header_row: int
    names: list[str]
    notes: list[str]
    offset: int = 0  # characters before the header row
    text: str = ""  # the text read (all of it, or the head given to csv_layout)


def csv_layout(data: bytes, filename: str, encoding: str | None = None,
               header_row: int | None = None) -> CsvLayout:
    """The layout of CSV ``data`` (a whole file, or its head cut at a line end)."""
    text, used = _decode(data, filename, encoding)
    text = text.removeprefix("\ufeff")  # a BOM left by a declared "utf-8": not a character
    if not text.strip():
        raise InputError(f"{filename}: the file is empty.")
    sep = _separator(text[:65536].splitlines()[:HEADER_SCAN])
    head = text[:1 << 22]  # plenty for the first rows; a StringIO of all of it would copy it
    records = _csv_records(head, sep, max(HEADER_SCAN, header_row or 0) + HEADER_SCAN)
    row = _header_row([cells for _, cells in records], filename, header_row)
    notes = [f"read as {LABELS.get(used, used)}"]
    if row != 1:
        notes.append(f"header in row {row}")
    return CsvLayout(used, sep, row, _column_names(records[row - 1][1]), notes,
                     records[row - 1][0] if row > 1 else 0, text)


def _read_csv(data: bytes, filename: str, encoding: str | None,
              header_row: int | None = None) -> Table:
    layout = csv_layout(data, filename, encoding, header_row)
    text, used, sep, row, offset = layout.text, layout.encoding, layout.sep, layout.header_row, \
        layout.offset
    if offset == 0 and used == "utf-8":
        utf8, body = data, text  # as it is: no copy of a large file
    else:
        body = text[offset:]
        utf8 = body.encode("utf-8")
    try:
        # pyarrow's reader is about 8 times faster than pandas' own on a million rows. Every cell
        # as typed: no NA words, no empty cell made missing (keep_default_na=False gives pyarrow
        # null_values=[] and strings_can_be_null=False; dtype=str reads every column as text).
        frame = pd.read_csv(io.BytesIO(utf8), dtype=str, sep=sep, engine="pyarrow",
                            encoding="utf-8-sig", keep_default_na=False)
    except Exception:  # pyarrow refuses ragged rows and the like: let pandas say what is wrong
        try:
            with warnings.catch_warnings():  # more cells than names: refused, not an index
                warnings.simplefilter("error", pd.errors.ParserWarning)
                frame = pd.read_csv(io.StringIO(body), dtype=str, sep=sep, keep_default_na=False,
                                    index_col=False)
        except pd.errors.ParserWarning as err:
            raise InputError(f"{filename}: rows have more cells than the header row "
                             f"{row} has names; check the header row.") from err
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
            ragged = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
            if ragged:  # a comma inside an unquoted name: say where, and how to mend it
                names, line, cells = ragged.groups()
                raise InputError(
                    f"{filename}: line {int(line) + _offset_lines(text, offset)} has {cells} cells "
                    f"where the header row has {names} names; a comma inside a name or an "
                    "address? Put that text in double quotes, or save the list as .xlsx.") from err
            raise InputError(f"{filename}: not a readable CSV table ({err}).") from err
        frame = frame.fillna("")  # the cells missing from short rows
    return Table(frame, "csv", notes=layout.notes, header_row=row, encoding=used,
                 row_numbers=_csv_row_numbers(body, sep, row, len(frame)))


def _read_parquet(data: bytes, filename: str) -> Table:
    """A Parquet file: its columns with their types; a GeoParquet file's geometry in its CRS."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError) as err:
        raise InputError(f"{filename}: not a readable Parquet file ({err}).") from err
    if b"geo" not in (table.schema.metadata or {}):
        return declared_by_columns(Table(table.to_pandas(), "parquet"))
    import geopandas as gpd

    try:
        frame = gpd.GeoDataFrame.from_arrow(table)
    except (ValueError, TypeError, KeyError) as err:
        raise InputError(f"{filename}: its GeoParquet metadata cannot be read ({err}).") from err
    geometry = frame.geometry
    return Table(pd.DataFrame(frame.drop(columns=geometry.name)), "geoparquet",
                 geometry=gpd.GeoSeries(geometry.values, crs=geometry.crs),
                 crs=geometry.crs.to_string() if geometry.crs else None)


def _offset_lines(text: str, offset: int) -> int:
    """The lines of ``text`` before character ``offset`` (the title rows above a header)."""
    return text.count("\n", 0, offset)


def _csv_row_numbers(body: str, sep: str, header_row: int, rows: int) -> np.ndarray | None:
    """Each data row's line in the file (from 1): counted from the header when every line
    after it is one row; else by reading the records (blank lines skipped, cells over lines);
    None when the lines cannot be told (stray carriage returns)."""
    lines = body.count("\n") + (0 if body.endswith("\n") else 1)
    if lines - 1 == rows:
        return np.arange(header_row + 1, header_row + 1 + rows, dtype=np.int64)
    starts, last = [], 0
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=sep)
    try:
        for cells in reader:
            if any(c != "" for c in cells):
                starts.append(last + 1)  # the record's first line in the body
            last = reader.line_num
    except csv.Error:
        return None
    if len(starts) - 1 != rows:  # the parsers disagree on the records: no numbers rather than wrong
        return None
    return np.asarray(starts[1:], dtype=np.int64) + header_row - 1


def _cell_text(value) -> str:
    """An Excel cell as it reads: 12 as "12", 120.5 as "120.5", a date as ISO text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _list_sheet(book) -> tuple:
    """The sheet that holds the list: the first shown (not hidden) whose first rows name both
    coordinates, else the first shown; a hidden sheet of drop-down lists or a 填表说明 sheet in
    front is passed over."""
    shown = [s for s in book.worksheets if s.sheet_state == "visible"] or book.worksheets[:1]
    for sheet in shown:
        head = [[_cell_text(v) for v in r] for r in sheet.iter_rows(max_row=HEADER_SCAN, values_only=True)]
        if any(_names_coordinates(r) for r in head):
            return sheet, "the first shown with coordinate columns"
    return shown[0], "the first shown"


_UNCACHED = re.compile(rb'<c\b[^>]*?\br="[A-Z]+(\d+)"[^>]*>\s*<f\b[^>]*(?:/>|>[^<]*</f>)\s*'
                       rb'(?:<v\s*/>|<v>\s*</v>)?\s*</c>')


def _read_excel(data: bytes, filename: str, header_row: int | None = None) -> Table:
    """The first sheet, cells as text; formulas give the result Excel saved with them."""
    try:
        import openpyxl  # only for a workbook: not at start-up

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet, why = _list_sheet(book)
            sheet.reset_dimensions()  # the <dimension> a file declares may be wrong: read all cells
            rows = [[_cell_text(v) for v in r] for r in sheet.iter_rows(min_row=1, values_only=True)]
            names, title = book.sheetnames, sheet.title
            first = sheet is book.worksheets[0]
            path = getattr(sheet, "_worksheet_path", None)
        finally:
            book.close()
    except Exception as err:
        raise InputError(f"{filename}: not a readable Excel workbook ({err}).") from err
    row = _header_row(rows, filename, header_row, two_level=True)
    top = rows[row - 1] if rows else []
    lower = _sub_header(top, rows[row] if len(rows) > row else [])
    first_data = row + 1 if lower else row  # a two-level header takes two rows
    numbered = [(first_data + 1 + i, r) for i, r in enumerate(rows[first_data:])
                if any(c != "" for c in r)]
    body = [r for _, r in numbered]  # blank rows skipped, as pandas did; their numbers kept
    width = max([len(top)] + [max((i + 1 for i, c in enumerate(r) if c != ""), default=0)
                              for r in body])
    upper = top + [""] * (len(lower or []) - len(top))  # the end of a merged cell left out
    header = [(lower[j] if lower and j < len(lower) and lower[j] else c)
              for j, c in enumerate(upper)] + [""] * width
    while width and header[width - 1] == "" and all(len(r) < width or r[width - 1] == "" for r in body):
        width -= 1  # trailing columns with neither a name nor a value
    columns = _column_names(header[:width])
    cells = [(r + [""] * width)[:width] for r in body]
    frame = pd.DataFrame({name: pd.Series([r[j] for r in cells], dtype="str")
                          for j, name in enumerate(columns)})
    notes = []
    if len(names) > 1:
        notes.append(f"the workbook holds {len(names)} sheets; read the first, {title!r}" if first else
                     f"the workbook holds {len(names)} sheets; read {title!r}, {why}")
    if lower:
        notes.append(f"header in rows {row} and {row + 1}")
    elif row != 1:
        notes.append(f"header in row {row}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book_zip:
            xml = book_zip.read(path) if path else b""
    except (KeyError, zipfile.BadZipFile, OSError):
        xml = b""
    if b"<f" in xml:
        uncached = sorted({int(m.group(1)) for m in _UNCACHED.finditer(xml)})
        if uncached:
            notes.append("formulas without a saved result, read as empty, in rows "
                         f"{', '.join(map(str, uncached[:10]))}{' ...' if len(uncached) > 10 else ''}"
                         " (the workbook was not saved by Excel: open and save it there)")
    return Table(frame, "excel", notes=notes, header_row=row,
                 row_numbers=np.array([n for n, _ in numbered], dtype=np.int64))


# ---- readers ----------------------------------------------------------------------------------

def _respell_numbers(path: Path) -> bool:
    """GDAL refuses a whole GeoJSON file for one number beyond a double (a coordinate written
    1e400); Python's json reads it as infinite, and written back it is Infinity, which GDAL
    reads: that row then gets a problem (coordinates not finite) and the others their zones.
    The file (the upload's temporary copy) is rewritten so; False when it is not JSON."""
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, RecursionError):
        return False
    path.write_text(json.dumps(document), encoding="utf-8")  # \uXXXX escapes: ASCII
    return True


class _NoGeometry(Exception):
    """A file whose layers are all tables without geometry."""


def _read_layers(path: Path, encoding: str | None) -> tuple[gpd.GeoDataFrame, list[str], list[str]]:
    """Every layer with geometry (the folders of a KML, the layers of a GeoPackage), one after
    another, with a column ``layer`` naming each row's when there are several; layers in
    another coordinate system than the first are brought into the first's. Returns the rows,
    the notes, and the names of the layers read, in order."""
    import pyogrio  # only for spatial files: not at start-up

    listed = pyogrio.list_layers(path)
    spatial = [str(name) for name, kind in listed if kind is not None]
    if not spatial:
        raise _NoGeometry([str(name) for name, _ in listed])
    # on_invalid="fix": a ring left open is closed (GDAL reads it so); what cannot be fixed
    # (a ring of NaN) is no geometry, a problem of its row, not of the file.
    frames = [pyogrio.read_dataframe(path, layer=name, encoding=encoding, on_invalid="fix")
              for name in spatial]
    if len(frames) > 1 and any(len(f) for f in frames):  # a KML folder that holds only folders
        spatial, frames = map(list, zip(*[(n, f) for n, f in zip(spatial, frames) if len(f)]))
    notes = []
    without = [str(name) for name, kind in listed if kind is None]
    if without:
        notes.append(f"layers without geometry not read: {', '.join(map(repr, without))}")
    if len(frames) == 1:
        return frames[0], notes, spatial
    crs = frames[0].crs
    moved = [name for name, f in zip(spatial, frames) if f.crs is not None and crs is not None
             and not f.crs.equals(crs)]
    frames = [f.to_crs(crs) if name in moved else f for name, f in zip(spatial, frames)]
    column = next(c for c in ("layer", "layer_name", "source_layer") if all(c not in f for f in frames))
    gdf = pd.concat([f.assign(**{column: name}) for name, f in zip(spatial, frames)],
                    ignore_index=True)
    gdf = gdf[[column, *[c for c in gdf.columns if c != column]]]  # the layer first: still a
    # GeoDataFrame, in the first layer's coordinate system
    notes.append(f"read all {len(spatial)} layers ({', '.join(map(repr, spatial))}); the column "
                 f"{column!r} names each row's")
    if moved:
        notes.append(f"layers {', '.join(map(repr, moved))} brought into the coordinate system "
                     f"of {spatial[0]!r}")
    return gdf, notes, spatial


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _kml_data(path: Path, layers: list[str]) -> dict[str, list[dict[str, str]]] | None:
    """The <ExtendedData><Data name=…> of each layer's placemarks, in order, by the KML's own
    XML: GDAL turns a field name that is not ASCII ("投资", "单位") into underscores, and two such
    names into one column. A layer is a Document or Folder by its <name>, holding the placemarks
    directly under it. None when the layers cannot be told apart by name."""
    import xml.etree.ElementTree as ET  # expat: entity expansion is bounded (no billion laughs)

    containers: dict[str, list] = {}
    for element in ET.parse(path).iter():
        if _local(element.tag) in ("Document", "Folder"):
            name = next((c.text or "" for c in element if _local(c.tag) == "name"), "")
            containers.setdefault(name.strip(), []).append(element)
    if any(len(containers.get(layer, [])) != 1 for layer in layers):
        return None
    data = {}
    for layer in layers:
        data[layer] = [{d.get("name", ""): next((v.text or "" for v in d if _local(v.tag) == "value"), "")
                        for e in placemark if _local(e.tag) == "ExtendedData"
                        for d in e if _local(d.tag) == "Data"}
                       for placemark in containers[layer][0] if _local(placemark.tag) == "Placemark"]
    return data


def _mend_kml_names(path: Path, gdf: gpd.GeoDataFrame, layers: list[str],
                    notes: list[str]) -> gpd.GeoDataFrame:
    """Columns that GDAL named with underscores only put back under their names in the KML."""
    mangled = [c for c in gdf.columns if set(str(c)) == {"_"}]
    if not mangled:
        return gdf
    data = _kml_data(path, layers)
    rows = None if data is None else [row for layer in layers for row in data[layer]]
    if rows is None or len(rows) != len(gdf):
        notes.append("field names that are not in Latin letters could not be read: the columns "
                     f"{', '.join(map(repr, mangled))} hold their values")
        return gdf
    extended = pd.DataFrame(rows, dtype=object).fillna("")
    kept = [c for c in extended.columns if c not in gdf.columns]  # those GDAL read are there
    return gdf.drop(columns=mangled).join(extended[kept])


def _read_spatial(path: Path, kind: str, filename: str, encoding: str | None,
                  retry: bool = True) -> Table:
    import geopandas as gpd

    try:
        gdf, notes, layers = _read_layers(path, encoding)
    except _NoGeometry as tables:
        for name in tables.args[0]:  # a table of the projects with their coordinates in columns
            import pyogrio

            frame = pyogrio.read_dataframe(path, layer=name, encoding=encoding, read_geometry=False)
            if _names_coordinates(list(map(str, frame.columns))):
                text = pd.DataFrame({c: frame[c].map(lambda v: "" if pd.isna(v) else _cell_text(v))
                                     .astype(str) for c in frame.columns})  # cells as text
                return Table(text, kind, notes=[f"read the table {name!r}, which has no geometry, by "
                                                "its coordinate columns"])
        raise InputError(f"{filename}: no layer of the file has points, lines or polygons; save the "
                         "projects as a layer with geometry.") from None
    except Exception as err:
        if retry and kind == "geojson" and _respell_numbers(path):
            return _read_spatial(path, kind, filename, encoding, retry=False)
        raise InputError(f"{filename}: cannot be read as {kind} ({err}).") from err
    if kind == "kml":
        gdf = _mend_kml_names(path, gdf, layers, notes)
    # GDAL gives a GeoJSON or KML file WGS84 itself (both formats are WGS84 by definition).
    declared = gdf.crs.to_string() if gdf.crs is not None else None
    geometry = gdf.geometry
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    finite = np.isfinite(shapely.bounds(geometry.values)).all(axis=1)
    invalid = geometry.notna() & ~geometry.is_empty & finite & ~geometry.is_valid
    if invalid.any():
        geometry = geometry.copy()
        geometry[invalid] = shapely.make_valid(geometry[invalid].values)
        notes.append(f"repaired {int(invalid.sum())} invalid geometries (rows "
                     f"{', '.join(str(i + 1) for i in np.flatnonzero(invalid)[:10])})")
    return Table(frame, kind, geometry=gpd.GeoSeries(geometry.values, crs=gdf.crs), crs=declared,
                 notes=notes, repaired=invalid.to_numpy())


def _extract(archive: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, filename: str,
             budget: int) -> int:
    """Copy one member to ``target`` in CHUNK pieces, at most ``budget`` bytes (the sizes the
    archive declares were checked, this holds whatever it really holds); the bytes written."""
    written = 0
    try:
        with archive.open(member) as src, open(target, "wb") as dst:
            while chunk := src.read(CHUNK):
                written += len(chunk)
                if written > budget:
                    raise InputError(f"{filename}: refused: it unpacks to more than "
                                     f"{MAX_UNZIPPED:,} bytes (a zip bomb, or far too large).")
                dst.write(chunk)
    except InputError:
        raise
    except zipfile.BadZipFile as err:
        if "CRC" in str(err):
            raise InputError(f"{filename}: damaged archive: member {member.filename} fails its "
                             "CRC check; make the archive again.") from err
        raise InputError(f"{filename}: damaged archive: member {member.filename} cannot be read "
                         f"({err}); make the archive again.") from err
    except (zlib.error, EOFError, ValueError, RuntimeError, NotImplementedError) as err:
        # corrupt compressed data, an encrypted member, an unsupported compression method
        raise InputError(f"{filename}: damaged archive: member {member.filename} cannot be "
                         f"unpacked ({err}); make the archive again, without a password.") from err
    return written


def _dbf_encoding(shp: Path, filename: str) -> str | None:
    """The text encoding of a Shapefile's .dbf when neither a .cpg nor the DBF's language driver
    byte gives it (GDAL would read it as Latin-1): detected like a CSV's. None when the .cpg or
    the header says it, or the text is ASCII or cannot be told from Latin-1."""
    siblings = {p.suffix.lower(): p for p in shp.parent.iterdir() if p.stem == shp.stem}
    if ".cpg" in siblings or ".dbf" not in siblings:
        return None
    dbf = siblings[".dbf"].read_bytes()
    if len(dbf) < 32 or dbf[29] != 0:
        return None
    records = dbf[int.from_bytes(dbf[8:10], "little"):]
    if records.isascii():
        return None
    try:
        return _decode(records, filename, None)[1]
    except EncodingUnsure:
        raise
    except InputError:
        return None


def read_input(source: bytes | str | Path, filename: str | None = None,
               encoding: str | None = None, max_bytes: int = MAX_BYTES,
               header_row: int | None = None) -> Table:
    """Read a project list. ``source`` is the file's bytes or its path. ``encoding`` is used as
    given (else detected, see :class:`EncodingUnsure`); ``header_row`` is the row of the column
    names in a CSV or Excel table, from 1 as Excel shows rows (else found)."""
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
        return declared_by_columns(_read_csv(data, filename, encoding, header_row))
    if kind == "parquet":
        return _read_parquet(data, filename)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        if kind == "zip":
            try:
                archive = zipfile.ZipFile(io.BytesIO(data))
            except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError) as err:
                # a broken directory, or one that claims a zip version Python cannot read
                raise InputError(f"{filename}: a damaged zip archive ({err}).") from err
            with archive:
                members = _check_archive(archive, filename, len(data))
                names = [m.filename for m in members]
                if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
                    return declared_by_columns(_read_excel(data, filename, header_row))
                shps = [n for n in names if n.lower().endswith(".shp")]
                kmls = [n for n in names if n.lower().endswith(".kml")]
                if not shps and not kmls:
                    raise InputError(f"{filename}: the archive holds no Shapefile (.shp) or KML.")
                budget = MAX_UNZIPPED
                for m in members:
                    if not m.is_dir():
                        target = tmp_path / PurePosixPath(m.filename.replace("\\", "/"))
                        target.parent.mkdir(parents=True, exist_ok=True)
                        budget -= _extract(archive, m, target, filename, budget)
            if shps:
                shp = tmp_path / PurePosixPath(shps[0].replace("\\", "/"))
                dbf_encoding = None if encoding else _dbf_encoding(shp, filename)
                table = _read_spatial(shp, "shapefile", filename, encoding or dbf_encoding)
                if dbf_encoding:
                    table.notes.append(f"no .cpg: the attribute text read as "
                                       f"{LABELS.get(dbf_encoding, dbf_encoding)}")
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


# Coordinate columns as forms and desktop GIS name them, compared without spaces, case and a
# bracketed unit or system: 经度（°）, 经  度, 东经(E), X坐标, POINT_X, 中心点经度, Longitude (WGS84).
_AXIS_WORDS = {"lon": ("经度", "經度", "东经", "東經", "longitude"),
               "lat": ("纬度", "緯度", "北纬", "北緯", "latitude")}
_AXIS_NAMES = {"lon": {"lon", "lng", "long", "x", "pointx", "xcoord", "xcoordinate", "x坐标", "坐标x",
                       "横坐标"},
               "lat": {"lat", "y", "pointy", "ycoord", "ycoordinate", "y坐标", "坐标y", "纵坐标"}}


_DEGREE_NAMES = {"lon": {"lon", "lng", "long", "longitude"}, "lat": {"lat", "latitude"}}
_SYSTEM_WORDS = re.compile(r"wgs84|cgcs2000|bd09|gcj02|百度|高德|腾讯")


def _bare(name) -> str:
    """A column name as _plain, without the name of a coordinate system (lng_bd09 -> lng)."""
    return _SYSTEM_WORDS.sub("", _plain(name))


def _plain(name) -> str:
    text = unicodedata.normalize("NFKC", str(name)).lower()
    text = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", text)
    return re.sub(r"[\s_\-.:：]", "", text)


def coordinate_column(columns, axis: str) -> str | None:
    """The longitude (``axis`` "lon") or latitude ("lat") column, by its name: first one named
    for degrees (经度, lon, ...: exactly, then the only one whose name, without spaces, case and a
    bracketed unit, holds 经度/纬度 or longitude), then one named x/y (X, POINT_X, X坐标: often
    metres); two names alike at the first level that finds any give None, for the user to choose."""
    names = LON_NAMES if axis == "lon" else LAT_NAMES
    other = "lat" if axis == "lon" else "lon"
    levels = (lambda c: str(c).strip().lower() in names and _plain(c) not in _AXIS_NAMES[axis],
              lambda c: (_bare(c) in _DEGREE_NAMES[axis] or any(w in _plain(c) for w in _AXIS_WORDS[axis])
                         and not any(w in _plain(c) for w in _AXIS_WORDS[other])),
              lambda c: _bare(c) in _AXIS_NAMES[axis])
    for named in levels:
        found = [c for c in columns if named(c)]
        if found:
            return found[0] if len(found) == 1 else None
    return None


# Column names that say the coordinates are Baidu's or Amap's, not WGS84: 百度经度, 经度(GCJ02).
_DATUM_WORDS = {"bd09": ("百度", "baidu", "bd09", "bd-09"),
                "gcj02": ("高德", "腾讯", "amap", "gaode", "gcj02", "gcj-02", "火星")}


def _datum_of_names(*names) -> str | None:
    said = {datum for name in names for datum, words in _DATUM_WORDS.items()
            if any(w in unicodedata.normalize("NFKC", str(name)).lower() for w in words)}
    return said.pop() if len(said) == 1 else None


def declared_by_columns(table: Table) -> Table:
    """A table whose coordinate columns are named for a system (百度经度, 高德纬度, lng_gcj02)
    declares it: read so unless the user says otherwise, and say so."""
    columns = list(table.frame.columns)
    lon, lat = coordinate_column(columns, "lon"), coordinate_column(columns, "lat")
    datum = _datum_of_names(*(c for c in (lon, lat) if c is not None))
    if datum:
        table.crs = datum
        table.notes.append(f"the columns {lon!r} and {lat!r} are named for {datum}: read as {datum} "
                           "(choose another system if they are not)")
    return table


_PLAIN_DECIMAL = r"^-?[0-9]+(?:\.[0-9]*)?$"  # 120.2082401, -12, 30.: read alike by all
_DECIMAL_COMMA = re.compile(r"^([+-]?\d+),(\d+)$")


def _to_number(values: pd.Series) -> np.ndarray:
    try:  # a column of plain numbers (as text or not), as Arrow reads them: fast
        arrow = pa.array(values, from_pandas=True)
        if pa.types.is_string(arrow.type) or pa.types.is_large_string(arrow.type):
            if not pc.all(pc.match_substring_regex(arrow, _PLAIN_DECIMAL)).as_py():
                raise ValueError("not plain decimals")  # "", "inf", " 1", "0x1": as pandas reads
        return np.array(pc.cast(arrow, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
    except (pa.ArrowException, ValueError, TypeError):
        pass
    numbers = np.array(pd.to_numeric(values, errors="coerce"), dtype=float)  # a writable copy
    retry = np.isnan(numbers) & (values != "").to_numpy()
    if retry.any():  # stray spaces, full-width digits or commas: clean only those rows
        # NFKC makes full-width digits, dot, comma and minus ASCII ("１２０．２１", "120，21");
        # then one comma between digits and no dot is a decimal comma ("120,21" is 120.21: a
        # longitude or latitude has no thousands).
        cleaned = (values[retry].astype(str).str.normalize("NFKC").str.strip()
                   .str.replace("\u2212", "-", regex=False)
                   .str.replace(_DECIMAL_COMMA, r"\1.\2", regex=True))
        numbers[retry] = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float)
    return numbers


# Rows of a sheet that are not items of the list, told by their first filled cell when their
# coordinates are not numbers: a total (合计, 小计, 项目合计, Total), a group heading (一, （二）,
# 三、), a line of units under the header ((°), （万元）); and the sheet's foot: a note (注：…,
# 说明), a sign-off (填表人 李四, 单位（盖章）, 审核人：…) or "data as of" line (统计截至…).
_TOTAL = re.compile(r"\s*(?:\S{0,12}(?:合\s*计|总\s*计|小\s*计|共\s*计|累\s*计)|total|subtotal|sum)\s*"
                    r"(?:[:：（(\s]|$)", re.IGNORECASE)
_HEADING = re.compile(r"\s*(?:[一二三四五六七八九十]+[、.．]?|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十\d]+"
                      r"(?:部分|类|批))\s*$")
_UNIT = re.compile(r"\s*[（(][^()（）]{1,12}[)）]\s*$")
_NOTE = re.compile(r"\s*(?:注\s*\d*|备\s*注|说\s*明|填表说明|notes?)\s*(?:[:：（(\s]|$)|\s*(?:(?:单位)?(?:填表|填报|"
                   r"制表|审核|复核|统计|联系|负责|经办)人?|单位|日期|填报日期)\s*(?:[:：（(\s]|$)"
                   r"|.*(?:盖章|签字|签章|截至|截止)", re.IGNORECASE)


def _blank(value) -> bool:
    """An empty cell: "", spaces, or missing (None, NaN, NA) in a typed column."""
    return value is None or value is pd.NA or isinstance(value, float) and math.isnan(value) \
        or str(value).strip() == ""


def _column_numbers(row: pd.Series) -> bool:
    """A row that numbers the columns (栏次: 1, 2, 3, … in order, three or more)."""
    filled = [str(v).strip() for v in row if str(v).strip()]
    return len(filled) >= 3 and filled == [str(i) for i in range(1, len(filled) + 1)]


def _clip(text: str, most: int = 20) -> str:
    return text if len(text) <= most else text[:most] + "…"


def _totals_and_notes(frame: pd.DataFrame, unplaced, tail: int) -> tuple[np.ndarray, list[str]]:
    """The rows that are not items of the list (see _TOTAL, _HEADING, _UNIT, _NOTE), and the
    first filled cell of each. ``unplaced``: the rows whose coordinates are not numbers; each is
    a total, a group heading or a line of units by its first filled cell. ``tail``: the first
    row after the last one with coordinates; from there, the first note, sign-off or line of a
    form (填表人：李四 | 审核人：王五, whatever lands in the coordinate columns) starts the sheet's
    foot, and every row after it belongs to the foot too (注： then 1. …, 2. …). A total starts
    no foot: a project below it without coordinates is still a project."""
    rows = np.asarray(unplaced, dtype=np.intp)
    first = pd.Series("", index=range(len(rows)), dtype=object)
    form = np.zeros(len(rows), bool)
    cells_of = []
    for column in frame.columns:
        cells = frame[column].iloc[rows].astype(str).str.strip().reset_index(drop=True)
        first = first.where(first != "", cells)
        form |= (cells.str.contains("：", regex=False) | cells.str.endswith(":")).to_numpy(bool)
        cells_of.append(cells)
    filled = [c[c != ""] for c in cells_of]
    units = np.ones(len(rows), bool)  # every filled cell a bracketed unit: (°) | （万元）
    for c in filled:
        units[c.index] &= c.str.match(_UNIT).to_numpy(bool)
    units &= first.to_numpy() != ""
    item = (first.str.match(_TOTAL) | first.str.fullmatch(_HEADING)).to_numpy(bool) | units
    in_tail = rows >= tail
    foot = in_tail & (first.str.match(_NOTE).to_numpy(bool) | form)
    if foot.any():
        foot |= in_tail & (rows >= rows[np.argmax(foot)])
    found = item | foot
    return rows[found], first[found].tolist()


@dataclass
class Located:
    """Rows placed in WGS84. Tables keep plain lon/lat arrays (fast: no geometry objects for a
    million points); spatial files keep their geometry. ``problem`` is "" where a row is fine."""

    frame: pd.DataFrame
    problem: np.ndarray
    lon: np.ndarray | None = None
    lat: np.ndarray | None = None
    geometry: gpd.GeoSeries | None = None
    not_project: np.ndarray | None = None  # rows that are a total or a note of the sheet

    def geoseries(self) -> gpd.GeoSeries:
        import geopandas as gpd

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
    problem = np.full(len(frame), "", dtype=object)
    if table.geometry is not None:
        import geopandas as gpd

        geometry = gpd.GeoSeries(table.geometry.values, crs=table.geometry.crs)
        if crs is None and geometry.crs is None:
            raise InputError("the file does not declare its coordinate system; choose one "
                             "(wgs84, cgcs2000, gcj02, bd09 or EPSG:n).")
        empty = geometry.isna() | geometry.is_empty
        problem[empty.to_numpy()] = "no geometry in this row"
        try:
            shifted = to_wgs84(gpd.GeoDataFrame(geometry=geometry), crs).geometry
        except ValueError as err:  # an unknown coordinate system given for the file
            raise InputError(str(err)) from err
        if table.repaired is not None:
            problem[table.repaired & (problem == "")] = "invalid geometry, repaired"
        return Located(frame, problem, geometry=gpd.GeoSeries(shifted.values, crs=WGS84))
    lon = lon or coordinate_column(frame.columns, "lon")
    lat = lat or coordinate_column(frame.columns, "lat")
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
        text[bad] = [f"{column} is empty" if _blank(v) else
                     f"{column} {str(v).strip()!r} is not a number" for v in raw]
        messages.append(text)
    problem = messages[0]
    for i in np.flatnonzero(messages[1] != ""):  # only rows with a problem cost any time
        problem[i] = f"{problem[i]}; {messages[1][i]}" if problem[i] else messages[1][i]
    unplaced = np.isnan(x) & np.isnan(y)
    placed = np.flatnonzero(~unplaced)  # a list without any coordinates has no foot to tell
    totals, firsts = _totals_and_notes(frame, np.flatnonzero(unplaced),
                                       placed[-1] + 1 if len(placed) else len(frame))
    if len(frame) > 1 and _column_numbers(frame.iloc[0]):  # 栏次 1 2 3 … under the header
        totals, firsts = np.r_[0, totals], ["1 2 3 …", *firsts]
    for i in np.flatnonzero(problem != ""):
        problem[i] += "; fill in or correct the coordinates"
    not_project = np.zeros(len(frame), bool)
    not_project[totals] = True
    for i, first in zip(totals, firsts):
        problem[i] = (f"{_clip(first)!r} looks like a total or a note of the sheet, not a project:"
                      " left out of the counts")  # a heading or a line of units alike
    try:
        wx, wy = xy_to_wgs84(x, y, crs or table.crs or "wgs84")  # a table's: by its column names
    except ValueError as err:
        raise InputError(str(err)) from err
    return Located(frame, problem, lon=np.asarray(wx, dtype=float), lat=np.asarray(wy, dtype=float),
                   not_project=not_project)
