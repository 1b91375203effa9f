"""The zone check at scale, side by side in one run: this app (one machine, and on a local Dask
cluster of 1 and 2 workers) against geopandas.sjoin, DuckDB spatial and dask-geopandas' sjoin,
with the physical floor (reading the input and writing the output, no zone work).

    .venv/bin/pip install -r requirements-bench.txt
    .venv/bin/python bench/zonecheck_scale_bench.py [--sizes 1000000 10000000 50000000]
        [--sets uniform clustered] [--baseline-most 10000000]

Two sets of points: uniform over Zhejiang's bounding box (about half outside the province) and
clustered (nine in ten within some 10 km of the eleven city seats, the rest uniform). Input and
output are Parquet (id, lon, lat in; the zones out); the one-machine path is also run CSV to CSV.
Every approach runs in its own process: wall seconds (interpreter start and imports included)
and peak memory (max RSS, the largest process; for Dask, the client and every worker). The
lookup rate is the zone index alone, in memory, on the same points. Results are compared by a
digest of the zone columns in id order: "same" means identical to this app's.

The baselines run up to --baseline-most points (geopandas and DuckDB hold every point in memory;
at 50 M this machine would swap). This machine has 2 cores: a 2-worker Dask cluster cannot be
more than twice as fast as one worker here, and the client and workers share the cores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
KINDS = ["city", "district", "core_zone", "financial_city", "town"]
BOX = (118.0, 27.0, 123.3, 31.3)
# City seats (published coordinates, rounded) and a weight: Hangzhou and Ningbo the densest.
SEATS = [(120.16, 30.27, 4), (121.55, 29.87, 3), (120.70, 28.00, 2), (120.76, 30.75, 1),
         (120.09, 30.89, 1), (120.58, 30.00, 1), (119.65, 29.08, 1), (118.87, 28.94, 1),
         (122.21, 29.99, 1), (121.42, 28.66, 1), (119.92, 28.45, 1)]
CHUNK = 5_000_000


def points(kind: str, n: int, seed: int):
    """Chunks of (lon, lat) for ``n`` points of the set ``kind``."""
    rng = np.random.default_rng(seed)
    weights = np.array([w for *_, w in SEATS], float)
    for start in range(0, n, CHUNK):
        m = min(CHUNK, n - start)
        lon, lat = rng.uniform(BOX[0], BOX[2], m), rng.uniform(BOX[1], BOX[3], m)
        if kind == "clustered":
            near = rng.random(m) < 0.9
            seat = rng.choice(len(SEATS), near.sum(), p=weights / weights.sum())
            centres = np.array([(x, y) for x, y, _ in SEATS])[seat]
            lon[near] = centres[:, 0] + rng.normal(0, 0.08, near.sum())
            lat[near] = centres[:, 1] + rng.normal(0, 0.06, near.sum())
        yield start, np.round(lon, 6), np.round(lat, 6)


def make_inputs(kind: str, n: int, folder: Path) -> dict[str, Path]:
    parquet, csv = folder / f"{kind}_{n}.parquet", folder / f"{kind}_{n}.csv"
    writer = None
    with open(csv, "wb") as out:
        out.write(b"id,lon,lat\n")
        for start, lon, lat in points(kind, n, seed=n + len(kind)):
            table = pa.table({"id": np.arange(start, start + len(lon)), "lon": lon, "lat": lat})
            writer = writer or pq.ParquetWriter(parquet, table.schema)
            writer.write_table(table, row_group_size=500_000)
            if n <= 10_000_000:  # the CSV end to end is measured up to 10 M
                import pyarrow.csv as pacsv

                pacsv.write_csv(table, out, pacsv.WriteOptions(include_header=False))
    writer.close()
    return {"parquet": parquet, "csv": csv}


# ---- the approaches, each run in a fresh process ------------------------------------------

def zone_layers():
    from layers.zones import zone_table

    zones = zone_table()
    return {kind: zones[zones["kind"] == kind] for kind in KINDS}


def run_app(src: Path, out: Path, workers: str = "") -> None:
    from layers.zonecheck import main

    argv = [str(src), "-o", str(out)] + (["--workers", workers] if workers else [])
    assert main(argv) in (0,), "the zone check failed"


def run_floor(src: Path, out: Path) -> None:
    """Read the input and write it out again, in batches, with no zone work."""
    from geo.batches import TableReader, TableWriter

    with TableWriter(out) as writer:
        for batch in TableReader(src):
            writer.write(batch.table)


def run_lookup(src: Path, out: Path) -> None:
    """The zone index alone: points/s of the lookup over every zone kind (the grid, and the
    exact test in the border cells), on points already in memory; median of 3."""
    from layers.zones import zone_index

    table = pq.read_table(src, columns=["lon", "lat"])
    lon, lat = table["lon"].to_numpy(), table["lat"].to_numpy()
    index = zone_index()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        found = index.lookup(lon, lat)
        times.append(time.perf_counter() - start)
    border = float((found.codes >= len(index._combos)).mean())
    out.write_text(json.dumps({"rate": len(lon) / statistics.median(times), "border": border}))


def run_sjoin(src: Path, out: Path) -> None:
    import geopandas as gpd
    import pandas as pd

    frame = pd.read_parquet(src)
    pts = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326)
    for kind, layer in zone_layers().items():
        joined = gpd.sjoin(pts[["geometry"]], layer[["name", "geometry"]], how="inner",
                           predicate="intersects")
        joined = joined.reset_index().sort_values(["index", "index_right"])
        frame[kind] = joined.groupby("index")["name"].agg(";".join).reindex(frame.index).fillna("")
    frame.to_parquet(out, index=False)


def run_duckdb(src: Path, out: Path) -> None:
    import duckdb
    import duckdb_ext
    import pandas as pd
    import shapely

    zones = pd.concat([layer.assign(order=range(len(layer))) for layer in zone_layers().values()])
    zones = pd.DataFrame({"kind": zones["kind"], "name": zones["name"], "ord": zones["order"],
                          "wkb": shapely.to_wkb(zones.geometry.values)})
    with duckdb_ext.init(duckdb.connect()) as con:
        con.execute("LOAD spatial")
        con.register("zones_df", zones)
        con.execute("CREATE TABLE zones AS SELECT kind, name, ord, ST_GeomFromWKB(wkb) AS geom "
                    "FROM zones_df")
        pivot = ", ".join(f"coalesce(max(CASE WHEN kind = '{k}' THEN names END), '') AS {k}"
                          for k in KINDS)
        con.execute(f"""
            COPY (
              WITH pts AS (SELECT * FROM read_parquet('{src}')),
              hits AS (
                SELECT p.id, z.kind, string_agg(z.name, ';' ORDER BY z.ord) AS names
                FROM pts p JOIN zones z ON ST_Intersects(ST_Point(p.lon, p.lat), z.geom)
                GROUP BY p.id, z.kind)
              SELECT p.id, p.lon, p.lat, {pivot}
              FROM pts p LEFT JOIN hits h ON p.id = h.id
              GROUP BY p.id, p.lon, p.lat ORDER BY p.id
            ) TO '{out}' (FORMAT parquet)""")


def run_dask_geopandas(src: Path, out: Path) -> None:
    import dask
    import dask.dataframe as dd
    import dask_geopandas
    import geopandas as gpd

    dask.config.set(scheduler="processes", num_workers=2)
    frame = dd.read_parquet(src)
    pts = dask_geopandas.from_dask_dataframe(
        frame, geometry=dask_geopandas.points_from_xy(frame, "lon", "lat", crs=4326))
    result = frame
    for kind, layer in zone_layers().items():
        joined = dask_geopandas.sjoin(pts[["id", "geometry"]], layer[["name", "geometry"]],
                                      how="inner", predicate="intersects")
        names = joined[["id", "index_right", "name"]].compute()
        names = names.sort_values(["id", "index_right"]).groupby("id")["name"].agg(";".join)
        result = result.merge(names.rename(kind).to_frame(), left_on="id", right_index=True,
                              how="left")
    done = result.compute().sort_values("id")
    done[KINDS] = done[KINDS].fillna("")
    gpd.pd.DataFrame(done).to_parquet(out, index=False)


APPROACHES = {
    "this app": lambda s, o: run_app(s, o), "this app, Dask 1 worker": lambda s, o: run_app(s, o, "1"),
    "this app, Dask 2 workers": lambda s, o: run_app(s, o, "2"),
    "floor (read+write)": run_floor, "lookup only": run_lookup,
    "geopandas.sjoin": run_sjoin, "duckdb spatial": run_duckdb, "dask-geopandas sjoin": run_dask_geopandas,
}
BASELINES = ("geopandas.sjoin", "duckdb spatial", "dask-geopandas sjoin")


def worker(name: str, src: str, out: str) -> None:
    start = time.perf_counter()
    APPROACHES[name](Path(src), Path(out))
    print(json.dumps({"seconds": time.perf_counter() - start}))


def measured(name: str, src: Path, out: Path) -> dict:
    """Run one approach in a fresh process: wall seconds (from the process's start), and the
    peak of the memory of its whole tree (the process, and for Dask the cluster's workers),
    the sum of their resident sets polled every 50 ms (psutil)."""
    import psutil

    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--worker", name, str(src), str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    top = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        try:
            tree = [top, *top.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    wall = time.perf_counter() - start
    _, err = process.communicate()
    if process.returncode:
        return {"error": (err.strip().splitlines() or ["?"])[-1]}
    return {"seconds": wall, "peak_mb": peak / 2**20}


def digest(path: Path) -> str:
    """A digest of the zone columns, row by row in id order."""
    import pandas as pd

    files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    h = hashlib.sha256()
    for file in files:
        if file.suffix == ".csv":
            break
        for batch in pq.ParquetFile(file).iter_batches(batch_size=1_000_000,
                                                       columns=["id", *KINDS]):
            frame = batch.to_pandas()
            h.update(pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy().tobytes())
    return h.hexdigest()[:12]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000, 50_000_000])
    parser.add_argument("--sets", nargs="+", default=["uniform", "clustered"])
    parser.add_argument("--baseline-most", type=int, default=10_000_000)
    parser.add_argument("--dask-geopandas-most", type=int, default=1_000_000,
                        help="dask-geopandas' sjoin runs at some 10,000 points/s here: up to this")
    parser.add_argument("--only", nargs="+", help="approaches to run (default: all)")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="zonecheck-scale-"))
    env_cache = os.environ.setdefault("HARBOR_CACHE_DIR", str(tmp / "cache"))
    subprocess.run([sys.executable, "-c", "from layers.zones import zone_index; zone_index()"],
                   cwd=ROOT, check=True)  # the zone index on disk, as after a first run
    print(f"# {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, cache {env_cache}")
    print(f"{'set':9} {'N':>11} {'approach':26} {'seconds':>8} {'points/s':>12} {'peak MB':>8} "
          f"{'vs app':>7}  same")
    for kind in args.sets:
        for n in args.sizes:
            files = make_inputs(kind, n, tmp)
            runs = [(name, files["parquet"]) for name in APPROACHES
                    if (name not in BASELINES or n <= args.baseline_most)
                    and (name != "dask-geopandas sjoin" or n <= args.dask_geopandas_most)
                    and (not args.only or name in args.only)]
            if n <= 10_000_000:  # CSV in and out too, and its floor
                runs += [(name, files["csv"]) for name in ("this app", "floor (read+write)")
                         if not args.only or name in args.only]
            base, reference = None, None
            for name, src in runs:
                suffix = src.suffix if name in ("this app", "floor (read+write)") else ".parquet"
                out = tmp / f"out_{kind}_{n}_{name.replace(' ', '_').replace(',', '')}{suffix}"
                if "Dask" in name:
                    out = out.with_suffix("")  # a folder of parts
                r = measured(name, src, out)
                label = (f"{name} ({src.suffix[1:]})" if name in ("this app", "floor (read+write)")
                         else name)
                if "error" in r:
                    print(f"{kind:9} {n:>11,} {label:26} failed: {r['error']}")
                    continue
                if name == "lookup only":
                    info = json.loads(out.read_text())
                    print(f"{kind:9} {n:>11,} {label:26} {'':>8} {info['rate']:>12,.0f} {'':>8} "
                          f"{'':>7}  ({info['border']:.1%} of points in border cells)")
                    continue
                base = base or r["seconds"]
                same = ""
                if name not in ("floor (read+write)",) and suffix != ".csv":
                    d = digest(out)
                    reference = reference or d
                    same = "yes" if d == reference else "NO"
                print(f"{kind:9} {n:>11,} {label:26} {r['seconds']:>8.2f} {n / r['seconds']:>12,.0f} "
                      f"{r['peak_mb']:>8.0f} {r['seconds'] / base:>6.2f}x  {same}", flush=True)
                shutil.rmtree(out, ignore_errors=True) if out.is_dir() else out.unlink(missing_ok=True)
            for f in files.values():
                f.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
