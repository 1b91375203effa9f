"""Benchmark the zone check end to end (file in, file out), side by side in one run with the
plain approach (geopandas.sjoin against each zone layer in turn) and, where installed,
DuckDB's spatial join.

    .venv/bin/python bench/zonecheck_bench.py [--sizes 10000 100000 1000000]

N random points are drawn uniformly over Zhejiang's bounding box and written to a CSV file.
Each approach runs in its own process, reads that file, finds every point's city, district,
core-zone part, financial city and town, and writes a CSV; the script reports wall time,
throughput, peak memory (max RSS of the process) and checks that all results are identical.
DuckDB needs `pip install duckdb==1.4.4 duckdb-ext duckdb-ext-spatial==1.4.4.20260205`
(the spatial extension as a package, since nothing downloads here).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
KINDS = ["city", "district", "core_zone", "financial_city", "town"]
BOX = (118.0, 27.0, 123.3, 31.3)


def make_input(n: int, path: Path, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    lon = rng.uniform(BOX[0], BOX[2], n).round(6)
    lat = rng.uniform(BOX[1], BOX[3], n).round(6)
    pd.DataFrame({"id": np.arange(n), "lon": lon, "lat": lat}).to_csv(path, index=False)


def run_ours(src: Path, out: Path) -> None:
    from geo.zonecheck import write_output
    from layers.zonecheck import check

    write_output(check(src).frame, out)


def _zone_layers():
    from layers.zones import zone_table

    zones = zone_table()
    return {kind: zones[zones["kind"] == kind] for kind in KINDS}


def run_plain(src: Path, out: Path) -> None:
    import geopandas as gpd

    frame = pd.read_csv(src)
    points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
                              crs=4326)
    for kind, layer in _zone_layers().items():
        joined = gpd.sjoin(points[["geometry"]], layer[["name", "geometry"]], how="inner",
                           predicate="intersects")
        joined = joined.reset_index().sort_values(["index", "index_right"])
        names = joined.groupby("index")["name"].agg(";".join)
        frame[kind] = names.reindex(frame.index).fillna("")
    frame.to_csv(out, index=False)


def run_duckdb(src: Path, out: Path) -> None:
    import duckdb
    import duckdb_ext
    import shapely

    zones = pd.concat([layer.assign(order=range(len(layer))) for layer in _zone_layers().values()])
    zones = pd.DataFrame({"kind": zones["kind"], "name": zones["name"], "ord": zones["order"],
                          "wkb": shapely.to_wkb(zones.geometry.values)})
    with duckdb_ext.init(duckdb.connect()) as con:
        con.execute("LOAD spatial")
        con.register("zones_df", zones)
        con.execute("CREATE TABLE zones AS SELECT kind, name, ord, ST_GeomFromWKB(wkb) AS geom FROM zones_df")
        con.execute(f"CREATE TABLE pts AS SELECT * FROM read_csv('{src}')")
        pivot = ", ".join(f"coalesce(max(CASE WHEN kind = '{k}' THEN names END), '') AS {k}" for k in KINDS)
        con.execute(f"""
            COPY (
              WITH hits AS (
                SELECT p.id, z.kind, string_agg(z.name, ';' ORDER BY z.ord) AS names
                FROM pts p JOIN zones z ON ST_Intersects(ST_Point(p.lon, p.lat), z.geom)
                GROUP BY p.id, z.kind)
              SELECT p.id, p.lon, p.lat, {pivot}
              FROM pts p LEFT JOIN hits h ON p.id = h.id
              GROUP BY p.id, p.lon, p.lat ORDER BY p.id
            ) TO '{out}' (HEADER, DELIMITER ',')""")


APPROACHES = {"this app": run_ours, "geopandas.sjoin": run_plain, "duckdb spatial": run_duckdb}


def worker(name: str, src: str, out: str) -> None:
    start = time.perf_counter()
    APPROACHES[name](Path(src), Path(out))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak}))


def duckdb_available() -> bool:
    try:
        import duckdb  # noqa: F401
        import duckdb_ext  # noqa: F401
        return True
    except ImportError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return 0
    names = [n for n in APPROACHES if n != "duckdb spatial" or duckdb_available()]
    if "duckdb spatial" not in names:
        print("duckdb spatial: not installed, skipped\n")
    tmp = Path(tempfile.mkdtemp())
    print(f"{'N':>9} {'approach':16} {'seconds':>8} {'points/s':>11} {'peak MB':>8} {'vs this app':>11}  same result")
    for n in args.sizes:
        src = tmp / f"points_{n}.csv"
        make_input(n, src)
        results, outputs = {}, {}
        for name in names:
            out = tmp / f"out_{n}_{name.split()[0]}.csv"
            done = subprocess.run([sys.executable, __file__, "--worker", name, str(src), str(out)],
                                  capture_output=True, text=True, cwd=ROOT)
            if done.returncode:
                print(f"{n:>9,} {name:16} failed: {done.stderr.strip().splitlines()[-1]}")
                continue
            results[name] = json.loads(done.stdout.strip().splitlines()[-1])
            frame = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            outputs[name] = frame.sort_values("id", key=lambda s: s.astype(int))[KINDS].reset_index(drop=True)
        base = results["this app"]["seconds"]
        for name, r in results.items():
            same = outputs[name].equals(outputs["this app"])
            print(f"{n:>9,} {name:16} {r['seconds']:>8.2f} {n / r['seconds']:>11,.0f} "
                  f"{r['peak_mb']:>8.0f} {r['seconds'] / base:>10.1f}x  {'yes' if same else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
