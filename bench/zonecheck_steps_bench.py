"""The zone check's steps on 100,000 rows, this checkout beside a baseline checkout, in one run:
reading the file, checking it, and writing each download (CSV, XLSX, GeoJSON, GeoPackage);
and 5,000 polygons (lines and polygons go through the shares). Medians of N runs, each step
in a fresh process per checkout, alternating; ratios baseline / this.

    git worktree add /tmp/baseline <commit>
    .venv/bin/python bench/zonecheck_steps_bench.py --baseline /tmp/baseline [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
STEPS = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from geo.importer import read_input
from layers.zonecheck import check
out = {{}}
start = time.perf_counter(); table = read_input(Path({source!r})); out["read"] = time.perf_counter() - start
start = time.perf_counter(); result = check(table); out["check"] = time.perf_counter() - start
for suffix in {suffixes!r}:
    start = time.perf_counter(); result.write(Path({tmp!r}) / ("out" + suffix))
    out["write " + suffix] = time.perf_counter() - start
print(json.dumps(out))
"""


def inputs(tmp: Path) -> dict[str, Path]:
    rng = np.random.default_rng(8)
    n = 100_000
    lon, lat = rng.uniform(119.9, 120.5, n), rng.uniform(30.0, 30.5, n)  # around Hangzhou
    rows = ["项目名称,经度,纬度,备注"] + [f"项目{i},{x:.6f},{y:.6f},=说明{i % 7}" for i, (x, y) in
                                       enumerate(zip(lon, lat))]
    (tmp / "points.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    import geopandas as gpd
    from shapely.geometry import box

    m = 5000
    x, y = rng.uniform(120.0, 120.4, m), rng.uniform(30.1, 30.4, m)
    frame = gpd.GeoDataFrame({"名称": [f"地块{i}" for i in range(m)]},
                             geometry=[box(a, b, a + 0.01, b + 0.008) for a, b in zip(x, y)], crs=4326)
    frame.to_file(tmp / "parcels.geojson", driver="GeoJSON")
    return {"100k points": tmp / "points.csv", "5k polygons": tmp / "parcels.geojson"}


def run(root: Path, source: Path, suffixes, tmp: Path) -> dict:
    code = STEPS.format(root=str(root), source=str(source), suffixes=list(suffixes), tmp=str(tmp))
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, source in inputs(tmp).items():
            suffixes = (".csv", ".xlsx", ".geojson", ".gpkg") if name.endswith("points") else (".csv",)
            times = {"this": [], "baseline": []}
            for _ in range(args.runs):
                for which, root in (("this", ROOT), ("baseline", args.baseline)):
                    times[which].append(run(root, source, suffixes, tmp))
            print(f"{name}: median of {args.runs} (s): this / baseline (ratio baseline÷this)")
            for step in times["this"][0]:
                a = statistics.median(t[step] for t in times["this"])
                b = statistics.median(t[step] for t in times["baseline"])
                print(f"  {step:<14} {a:7.2f} / {b:7.2f}  ({b / a:.1f}×)")


if __name__ == "__main__":
    main()
