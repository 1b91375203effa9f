"""The plan's zone check: for each project, where it falls in the plan's geography.

One output row per input row, in the input's order, the input's columns kept, and these
added: lon_wgs84, lat_wgs84, city, district, in_harbor, core_zone, financial_city, belts, town,
problem (in a file written in Chinese, headed 经度（WGS84）, ..., 问题: see Result.write). Zone values are the plan's names (data/). A point on a border gets every zone it
touches, joined by ";" (geo.zoneindex). Lines and polygons get every zone they overlap, with
the share of their length or area, e.g. "上城区 (62%);滨江区 (38%)"; their lon/lat is a point
inside them. A point belongs to a belt when its city is one of the belt's member cities.

The page, the command line and Python all call :func:`check`:

    python -m layers.zonecheck INPUT -o OUTPUT [--crs CRS] [--lon COL --lat COL] [--encoding ENC]
                               [--header-row N] [--lang zh]

OUTPUT's extension picks the format: .csv (UTF-8 with BOM, for Excel), .xlsx, .geojson, .gpkg.
CRS is wgs84 (default), cgcs2000, gcj02, bd09 or any EPSG:n (e.g. EPSG:4549).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from geo.crs import CGCS2000, WGS84, normalize_crs
from geo.importer import EncodingUnsure, InputError, Located, Table, locate, read_input
from geo.zonecheck import single_parts, write_output, zones_of_shapes
from geo.zoneindex import SEPARATOR
from layers.datum import DatumHint, datum_hint
from layers.wording import headers, in_language, zh
from layers.zones import belts_of, in_harbor, zone_index

if TYPE_CHECKING:  # imported where used: not at start-up (0.13 s)
    import geopandas as gpd

ADDED = ["lon_wgs84", "lat_wgs84", "city", "district", "in_harbor", "core_zone",
         "financial_city", "belts", "town", "problem"]
ZHEJIANG_BOX = (118.0, 27.0, 123.3, 31.3)  # lon/lat, a little beyond the province
TEXT = pa.large_string()  # of the added text columns: as pandas keeps text (its "str" dtype)


@dataclass
class Result:
    """The checked rows: the input's columns (``kept``, renamed where an added name is taken),
    the added ones in Arrow (``added``: ADDED), and each row's WGS84 geometry."""

    kept: pd.DataFrame
    added: pa.Table
    located: Located
    notes: list[str] = field(default_factory=list)
    hint: DatumHint | None = None  # the points look like GCJ-02 or BD-09 (layers.datum)
    rows: np.ndarray | None = None  # each row's number in the file (tables), else None
    lang: str = "en"  # the language of the problems and notes, and of the written file's headers

    @cached_property
    def table(self) -> pd.DataFrame:
        """The input's columns, then ADDED (in_harbor of pandas' nullable "boolean")."""
        added = self.added.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)
        return pd.concat([self.kept, added], axis=1)

    def numbers(self, positions) -> np.ndarray:
        """Rows by their number in the file (tables), else by their place in it from 1."""
        positions = np.asarray(positions, dtype=np.intp)
        return self.rows[positions] if self.rows is not None else positions + 1

    @property
    def projects(self) -> np.ndarray:
        """Which rows are projects: all but the totals and notes of a sheet (geo.importer)."""
        marked = self.located.not_project
        return np.ones(len(self.kept), bool) if marked is None else ~marked

    @property
    def problems(self) -> int:
        """How many projects have a problem (the totals and notes of a sheet not counted)."""
        some = pc.not_equal(self.added["problem"], "").to_numpy(zero_copy_only=False)
        return int((some & self.projects).sum())

    @property
    def foot(self) -> int:
        """How many rows are a total, a note or a sign-off line of the sheet."""
        return len(self.kept) - int(self.projects.sum())

    @property
    def frame(self) -> gpd.GeoDataFrame:
        """The table with its geometry (built on demand: a million points cost a second)."""
        import geopandas as gpd

        return gpd.GeoDataFrame(self.table, geometry=self.located.geoseries().values, crs=WGS84)

    def write(self, path, progress=None) -> Path:
        """Write to .csv, .xlsx, .parquet (GeoParquet), .geojson or .gpkg (geometry only where
        the format has it). In
        Chinese the added columns are headed in Chinese (设区市, 问题, ...; one the input already
        has gets "（核查）"); in English they keep their names (lon_wgs84, city, ..., problem)."""
        suffix = Path(path).suffix.lower()  # Parquet: GeoParquet when the input had geometry
        spatial = suffix in (".geojson", ".gpkg") or suffix == ".parquet" and \
            self.located.geometry is not None
        frame = self.frame if spatial else self.table
        return write_output(frame.rename(columns=headed(frame.columns, self.lang)), path,
                            progress)


def headed(columns, lang: str) -> dict:
    """Renames of the added columns for a file written in ``lang``: in Chinese, 设区市, 问题, ...
    (one the input already has gets "（核查）"); in English none."""
    if lang != "zh":
        return {}
    names = headers(ADDED, "zh")
    taken = set(map(str, columns)) - set(ADDED)
    return {c: n + "（核查）" if n in taken else n for c, n in names.items()}


def _names(values: pd.Series) -> pd.Series:
    """Zone names without their shares, for lines and polygons ("上城区 (62%)" -> "上城区")."""
    return values.str.replace(r" \(<?\d+%\)", "", regex=True)


def _belts(city_value: str) -> str:
    belts: list[str] = []
    for city in filter(None, city_value.split(SEPARATOR)):
        belts += [b for b in belts_of(city) if b not in belts]
    return SEPARATOR.join(belts)


def _outside_messages(lon, lat, swapped, lang: str) -> list[tuple[np.ndarray, pa.Array]]:
    """The problem sentence of each point outside Zhejiang: swapped, not degrees at all (metres
    read as degrees), or elsewhere on Earth; as (positions among the points, their sentences)
    for each of the three. Vectorised with Arrow: a million such rows take a fraction of a
    second."""
    say = zh if lang == "zh" else str  # each sentence put in ``lang`` once, then written for all
    degrees = _degrees(lon, lat)
    kinds = [(swapped, True, "latitude and longitude look swapped: (X, Y) would be in Zhejiang; "
                             "swap the two columns"),
             (~swapped & ~degrees, False, "(X, Y) are not degrees of longitude and latitude; they "
                                          "look like metres of a projected system: choose the one "
                                          "the file uses (e.g. EPSG:4549)"),
             (~swapped & degrees, False, "(X, Y) is outside Zhejiang; check the coordinates and "
                                         "their coordinate system")]
    out = []
    for which, turned, sentence in kinds:
        at = np.flatnonzero(which)
        if len(at):
            before, after = say(sentence).split("(X, Y)")
            x, y = _five_decimals(lon[at]), _five_decimals(lat[at])
            first, second = (y, x) if turned else (x, y)
            out.append((at, pc.binary_join_element_wise(before + "(", first, ", ", second,
                                                        ")" + after, "")))
    return out


def _five_decimals(values) -> pa.Array:
    """Numbers rounded to 5 decimals, as text, as Arrow writes them ("120.5", "-3", "1e+20"):
    for numbers below a billion, from their digits as integers (four times faster than
    Arrow's own formatting of doubles, which is used for the rest)."""
    rounded = np.round(np.asarray(values, dtype=float), 5)
    if not (np.abs(rounded) < 1e9).all():  # large or odd numbers: rare, as Arrow writes them
        return pc.cast(pa.array(rounded), pa.string())
    whole, part = np.divmod(np.round(np.abs(rounded) * 100_000).astype(np.int64), 100_000)
    # 100000 + part as text is "1" and five digits: "." for the "1", no trailing zeros, no
    # lone "." ("120.50000" is "120.5", "120.00000" is "120").
    decimals = pc.utf8_replace_slice(pc.cast(pa.array(part + 100_000), pa.string()), 0, 1, ".")
    decimals = pc.utf8_rtrim(pc.utf8_rtrim(decimals, "0"), ".")
    text = pc.binary_join_element_wise(pc.cast(pa.array(whole), pa.string()), decimals, "")
    negative = np.signbit(rounded)  # -0.0 as Arrow writes it: "-0"
    if negative.any():
        text = pc.if_else(pa.array(negative), pc.binary_join_element_wise("-", text, ""), text)
    return text


def _degrees(lon, lat) -> np.ndarray:
    return (np.abs(lon) <= 180) & (np.abs(lat) <= 90)


NOT_FINITE = ("the coordinates are not finite numbers (infinite, or too large for the "
              "coordinate system); correct them")


def _kept_names(columns) -> dict:
    """Input columns whose names the output uses (ADDED, and "geometry" for the spatial
    formats) get a new name ending in _input (then _input2, ...): nothing is overwritten."""
    taken, renames = set(map(str, columns)), {}  # a new name ends in _input: no output name
    for column in columns:
        if column in ADDED or column == "geometry":
            new, k = f"{column}_input", 2
            while new in taken:
                new, k = f"{column}_input{k}", k + 1
            renames[column] = new
    return renames


def _kept(frame: pd.DataFrame) -> pd.DataFrame:
    """The input's columns as the output has them (see _kept_names), numbered from 0."""
    frame = frame.reset_index(drop=True)
    return frame.rename(columns=_kept_names(frame.columns))


def _in_language(notes, lang: str) -> list[str]:
    """The reading's notes (written in English) in ``lang``."""
    return [zh(note) if lang == "zh" else note for note in notes or []]


def _in_box(lon, lat) -> np.ndarray:
    minx, miny, maxx, maxy = ZHEJIANG_BOX
    return (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)


def check_located(located: Located, notes=None, lang: str = "en") -> Result:
    """Zones of rows already placed in WGS84 (see geo.importer.locate); problems and notes in
    ``lang`` ("en" or "zh")."""
    n = len(located.frame)
    index = zone_index()
    shares = {}  # lines and polygons: their zones with shares, "杭州市 (100%)"
    if located.geometry is None:  # a table: plain coordinate arrays
        lon, lat = located.lon, located.lat
        present = points = np.isfinite(lon) & np.isfinite(lat)
    else:
        import geopandas as gpd

        geoms = single_parts(located.geometry)
        present = ~shapely.is_missing(geoms.values) & ~geoms.is_empty.to_numpy() & np.isfinite(
            shapely.bounds(geoms.values)).all(axis=1)
        kept = gpd.GeoSeries(np.where(present, geoms.values, None), crs=geoms.crs)  # no inf drawn
        located = Located(located.frame, located.problem, geometry=kept)
        points = present & (geoms.geom_type == "Point").to_numpy()
        shapes = present & ~points
        lon, lat = np.full(n, np.nan), np.full(n, np.nan)
        lon[points] = shapely.get_x(geoms.values[points])
        lat[points] = shapely.get_y(geoms.values[points])
        if shapes.any():
            inner = shapely.point_on_surface(geoms.values[shapes])
            lon[shapes], lat[shapes] = shapely.get_x(inner), shapely.get_y(inner)
            shares = {k: v.to_numpy() for k, v in zones_of_shapes(geoms[shapes], index).items()}
    # Each row's zones as a code into a list of names per kind: "" (none), then the names of
    # each combination of zones the points fall in, then those of each line and polygon.
    found = index.lookup(lon[points], lat[points])
    codes = np.zeros(n, np.int64)
    codes[points] = 1 + found.codes
    codes[present & ~points] = 1 + len(found.combos) + np.arange((present & ~points).sum())
    names = {kind: np.concatenate([[""], found.distinct(kind), shares.get(kind, [])])
             for kind in index.kinds}
    cities = names["city"].copy()
    cities[1 + len(found.combos):] = _names(pd.Series(cities[1 + len(found.combos):],
                                                      dtype=object)).to_numpy()
    problem = pa.array(in_language(pd.Series(located.problem, dtype=object), lang), TEXT)
    fine = pc.equal(problem, "").to_numpy(zero_copy_only=False)
    # Coordinates that are not finite numbers (inf, 1e400, a projection's overflow): a problem;
    # a place in no city of Zhejiang: its sentence (swapped? metres? elsewhere?).
    unplaced = np.flatnonzero(~present & fine)
    outside = np.flatnonzero(present & (cities == "")[codes] & fine)
    swapped = _in_box(lat[outside], lon[outside]) & ~_in_box(lon[outside], lat[outside])
    problem = _put(problem, *((outside[at], text) for at, text in
                              _outside_messages(lon[outside], lat[outside], swapped, lang)),
                   (unplaced, NOT_FINITE if lang == "en" else zh(NOT_FINITE)))
    placed = present & _degrees(lon, lat)  # degrees are finite; metres are not written
    harbor = [None] + [any(in_harbor(c) for c in v.split(SEPARATOR)) if v else None
                       for v in cities[1:]]  # none where a row has no city: not known outside

    def column(values, type_=TEXT) -> pa.Array:
        return pa.array(values, type_).take(pa.array(codes))

    added = pa.table({  # no inf, and no metres as degrees, written for a row without a place
        "lon_wgs84": pa.array(np.round(lon, 7), mask=~placed),
        "lat_wgs84": pa.array(np.round(lat, 7), mask=~placed),
        "city": column(names["city"]), "district": column(names["district"]),
        "in_harbor": column(harbor, pa.bool_()),
        "core_zone": column(names["core_zone"]), "financial_city": column(names["financial_city"]),
        "belts": column([_belts(c) for c in cities]), "town": column(names["town"]),
        "problem": problem,
    })
    return Result(_kept(located.frame), added, located,
                  _in_language(notes, lang), lang=lang)


def _put(values: pa.Array, *changes) -> pa.Array:
    """``values`` with rows changed: each change is (positions, an array of as many values, or
    one value for them all)."""
    order, chunks, offset = np.arange(len(values)), [values], len(values)
    for rows, new in changes:
        if not len(rows):
            continue
        if isinstance(new, pa.Array):
            new = new.cast(values.type)
            order[rows] = offset + np.arange(len(rows))
        else:
            new = pa.array([new], values.type)
            order[rows] = offset
        chunks.append(new)
        offset += len(new)
    if len(chunks) == 1:
        return values
    return pa.chunked_array(chunks, values.type).take(pa.array(order)).combine_chunks()


def check(source: bytes | str | Path | Table, filename: str | None = None, crs: str | None = None,
          lon: str | None = None, lat: str | None = None, encoding: str | None = None,
          lang: str = "en", progress=None) -> Result:
    """Read a project list (bytes, a path, or a Table already read) and check every row;
    problems and notes in ``lang`` ("en" or "zh"). ``progress(done, rows, seconds)`` is called
    as parts of a long table are checked (``done`` from 0 to 1)."""
    table = source if isinstance(source, Table) else read_input(source, filename, encoding)
    result = _check_in_parts(locate(table, crs=crs, lon=lon, lat=lat), table.notes, lang, progress)
    result.rows = table.row_numbers
    if _read_as_wgs84(table, crs):
        geometry = result.located.geometry
        shape = np.zeros(len(table.frame), bool) if geometry is None else \
            (geometry.geom_type != "Point").to_numpy()  # lines and polygons: not considered
        lon, lat = (np.where(shape, np.nan, result.added[c].to_numpy(zero_copy_only=False))
                    for c in ("lon_wgs84", "lat_wgs84"))
        result.hint = datum_hint(lon, lat, table.frame)
    return result


PART_ROWS = 100_000  # rows of a long table checked at a time, to show progress


def _check_in_parts(located: Located, notes, lang: str, progress) -> Result:
    """check_located, a part of a long table at a time (each row's answer is its own)."""
    n = len(located.frame)
    start = time.perf_counter()
    if located.geometry is not None or n <= PART_ROWS or progress is None:
        result = check_located(located, notes, lang)
    else:
        added = []
        for i in range(0, n, PART_ROWS):
            part = slice(i, i + PART_ROWS)
            added.append(check_located(Located(
                located.frame.iloc[part], located.problem[part], lon=located.lon[part],
                lat=located.lat[part], not_project=located.not_project[part]), lang=lang).added)
            progress(min(i + PART_ROWS, n) / n, min(i + PART_ROWS, n), time.perf_counter() - start)
        result = Result(_kept(located.frame),
                        pa.concat_tables(added).combine_chunks(), located,
                        _in_language(notes, lang), lang=lang)
    if progress:
        progress(1.0, n, time.perf_counter() - start)
    return result


def _read_as_wgs84(table: Table, crs: str | None) -> bool:
    """Whether the coordinates were read as WGS84 (or CGCS2000): given so, or declared so by
    the file, or a table with no system given."""
    chosen = crs if crs is not None else table.crs  # a table's: named by its columns (百度经度)
    if chosen is None:
        return table.geometry is None
    try:
        return normalize_crs(chosen) in (WGS84, CGCS2000)
    except ValueError:  # a file's own system without an EPSG code: not WGS84
        return False


# ---- for the page -------------------------------------------------------------------------------

# Categories for the result map, from the most specific zone: (id, Chinese, English, colour).
CATEGORIES = [
    ("core_zone", "核心区/拥江扩面", "Core zone / riverside extension", "#c0392b"),
    ("financial_city", "金融城", "Financial city", "#6c3483"),
    ("harbor", "港湾六城", "Six harbor cities", "#1f618d"),
    ("province", "省内其他", "Elsewhere in Zhejiang", "#7f8c8d"),
    ("problem", "有问题", "With a problem", "#111111"),
]


def categories(table: pd.DataFrame) -> np.ndarray:
    """Each row's category for the map (see CATEGORIES)."""
    out = np.full(len(table), "province", dtype=object)
    out[table["in_harbor"].fillna(False).to_numpy(dtype=bool)] = "harbor"
    out[(table["financial_city"] != "").to_numpy()] = "financial_city"
    out[(table["core_zone"] != "").to_numpy()] = "core_zone"
    out[(table["problem"] != "").to_numpy() & (table["city"] == "").to_numpy()] = "problem"
    return out


def counts(table: pd.DataFrame, nowhere: str = "—") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Projects per zone (every zone column, names without shares) and per city; ``nowhere``
    labels the rows outside Zhejiang or without coordinates."""
    rows = []
    for kind in ("core_zone", "financial_city", "belts", "town", "district"):
        names = _names(table[kind].astype(str)).str.split(SEPARATOR).explode()
        for name, n in names[names != ""].value_counts().items():
            rows.append({"kind": kind, "zone": name, "projects": int(n)})
    per_zone = pd.DataFrame(rows, columns=["kind", "zone", "projects"])
    # A line or polygon across two cities counts in each, as in the zones above.
    cities = _names(table["city"].astype(str)).replace("", nowhere).str.split(SEPARATOR).explode()
    per_city = cities.value_counts().rename_axis("city").reset_index(name="projects")
    return per_zone, per_city


def plan_projects(lang: str = "zh") -> Table:
    """The plan's own located projects (Annex 5 and the key projects named in it), with the
    columns a reader of ``lang`` reads."""
    import geopandas as gpd
    from layers.english import provenance_zh, ref_en, sections_en
    from layers.load import load_layer

    frames = [load_layer(layer).located for layer in ("major_projects", "key_projects")]
    p = pd.concat(frames, ignore_index=True)
    if lang == "en":
        frame = pd.DataFrame({"Name": p["name_en"], "Name (Chinese)": p["name_zh"],
                              "Annex 5 items": p["projects"], "Plan reference": p["ref"].map(ref_en),
                              "Geometry source": p["source"].map(sections_en),
                              "Accuracy": p["accuracy"]})
    else:
        frame = pd.DataFrame({"名称": p["name_zh"], "附件5编号": p["projects"], "出处": p["ref"],
                              "几何来源": p["source"].map(provenance_zh),
                              "精度": p["accuracy"].map(provenance_zh)})
    return Table(frame, "plan", geometry=gpd.GeoSeries(p.geometry.values, crs=WGS84), crs=WGS84)


# ---- the command line ---------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m layers.zonecheck",
                                     description="Which zones of the plan each project falls in.")
    parser.add_argument("input", help="CSV, Excel, GeoJSON, zipped Shapefile, GeoPackage, KML, "
                        "Parquet or GeoParquet (a file, or a folder of parts)")
    parser.add_argument("-o", "--output", required=True, help="result: .csv, .xlsx, .geojson, "
                        ".gpkg, .parquet, or a folder (of Parquet parts)")
    parser.add_argument("--crs", help="coordinate system of the input: wgs84 (default for tables), "
                        "cgcs2000, gcj02, bd09 or EPSG:n")
    parser.add_argument("--lon", help="longitude (x) column, when not found by its name")
    parser.add_argument("--lat", help="latitude (y) column, when not found by its name")
    parser.add_argument("--encoding", help="text encoding of a CSV or Shapefile, e.g. gbk")
    parser.add_argument("--header-row", type=int, metavar="N",
                        help="row of the column names in a CSV or Excel sheet, from 1 as Excel "
                        "shows rows (default: found, skipping title rows)")
    parser.add_argument("--lang", choices=("en", "zh"), default="en",
                        help="language of the problem sentences and notes (default en)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on the Dask cluster of this scheduler (tcp://host:8786); the "
                        "input is Parquet on storage every worker reads")
    parser.add_argument("--workers", type=_positive, metavar="N",
                        help="run on a Dask cluster of N local worker processes")
    args = parser.parse_args(argv)

    say = zh if args.lang == "zh" else str

    def tell(kind: str, text: str) -> None:
        print(f"{say(kind)}{'：' if args.lang == 'zh' else ': '}{say(text)}", file=sys.stderr)

    start = time.perf_counter()
    try:
        result = _run(args, Progress(say))
    except EncodingUnsure as err:
        tell("error", str(err))
        tell("error", "give it with --encoding")
        return 2
    except (InputError, ValueError, ConnectionError) as err:
        tell("error", str(err))
        return 2
    except OSError as err:  # the output cannot be written there
        tell("error", f"{args.output}: cannot be written ({err.strerror or err}); choose "
             "another place")
        return 2
    for note in result.notes:
        tell("note", note)
    for name, why in result.unread:
        tell("error", f"{name} {why}")
    if result.unread and not result.rows:
        tell("error", "nothing was written")
        return 2
    if result.hint:
        h = result.hint
        where = ("fall in the river or just off the coast" if h.by == "water" else
                 f"lie outside the district that column {h.column} names")
        found = f"warning: {h.off_as_read} of {h.points} points {where} as read, {h.off_shifted} "
        advice = ("when read as gcj02 and as bd09: the input looks like one of them; ask its "
                  "source which, and run again with --crs" if h.tied else  # either may be right
                  f"when read as {h.datum}: the input looks like {h.datum}; if so, run again with "
                  f"--crs {h.datum}")
        print(say(found + advice), file=sys.stderr)
        rows = result.hint_rows
        shown = ", ".join(map(str, rows[:10])) + (", …" if len(rows) > 10 else "")
        print(say(f"out of place as read: rows {shown}"), file=sys.stderr)
    print(say(f"{result.rows:,} rows, {result.problems:,} with a problem"
              + (f", {result.foot:,} a total or a note of the sheet" if result.foot else "")
              + f", written to {args.output} in {time.perf_counter() - start:.1f} s"), file=sys.stderr)
    return 1 if result.unread else 0


def _run(args, progress):
    """The check the arguments ask for: on a cluster, in batches (CSV and Parquet to CSV,
    Parquet or a folder), or whole (the other formats); a :class:`layers.batchcheck.Summary`."""
    from geo.batches import is_streamed, output_kind
    from layers.batchcheck import Summary, check_file, check_on_cluster

    common = {"crs": args.crs, "lon": args.lon, "lat": args.lat, "lang": args.lang}
    if args.scheduler or args.workers:
        return check_on_cluster(args.input, args.output, scheduler=args.scheduler,
                                workers=args.workers, progress=progress, **common)
    try:
        output_kind(args.output)  # .csv, .parquet or a folder: written in batches
        batched = is_streamed(args.input)
    except ValueError:  # .xlsx, .geojson, .gpkg: written whole
        batched = False
    if batched:
        return check_file(args.input, args.output, encoding=args.encoding,
                          header_row=args.header_row, progress=progress, **common)
    if Path(args.input).is_dir():
        raise InputError(f"{Path(args.input).name}: a folder of parts is checked in batches: "
                         "write the result to .csv, .parquet or a folder")
    table = read_input(Path(args.input), encoding=args.encoding, header_row=args.header_row)
    result = check(table, **common)
    written = result.write(args.output, progress)  # an XLSX of many rows takes a while
    hint_rows = result.numbers(result.hint.rows) if result.hint else None
    return Summary(Path(args.output), len(result.table), result.problems, result.foot,
                   [*result.notes, *written.notes], result.hint, hint_rows)


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{number}: give 1 or more")
    return number


class Progress:
    """The progress of a long run on the command line: rows done, the rate, how much is done
    and the time left; redrawn in place on a terminal, a line every 10 % otherwise (a log).
    Nothing for a run shorter than ``after`` seconds."""

    def __init__(self, say, stream=None, after: float = 1.0):
        self.say, self.stream, self.after = say, stream or sys.stderr, after
        self.tty = self.stream.isatty()
        self.shown = -1.0

    def __call__(self, done: float, rows: int, seconds: float) -> None:
        if seconds < self.after and self.shown < 0:  # a short run: no progress to show
            return
        if not self.tty and done < 1 and done - self.shown < 0.1 or done >= 1 and self.shown >= 1:
            return
        self.shown = done
        rate = rows / seconds if seconds > 0 else 0
        left = seconds * (1 - done) / done if done > 0 else 0
        line = self.say(f"{rows:,} rows done, {rate:,.0f} rows/s, {done:.0%}, {left:.0f} s left")
        end = "" if self.tty and done < 1 else "\n"
        print(("\r" if self.tty else "") + line, end=end, file=self.stream, flush=True)


if __name__ == "__main__":
    sys.exit(main())
