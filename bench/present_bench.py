"""How long the exports take, and the two ways of drawing a print map side by side.

    .venv/bin/python bench/present_bench.py [--runs 3]

1. One scene's map, the same layers over the same view at the same size (A4 map area,
   200 dpi): drawn by geo/render.py (matplotlib), and drawn by headless Chromium from the
   deck's page (geo/webmap.js) and taken as a screenshot. Median seconds of each and the ratio.
2. The whole deck in every format (`python -m layers.present --out DIR`), wall time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.render import draw_map, new_figure  # noqa: E402
from layers.deck import write_html  # noqa: E402
from layers.present import scene_sheet  # noqa: E402
from layers.scenes import load_scenes  # noqa: E402

MAP_IN = (8.0, 5.9)  # the map's box on an A4 print page, inches
DPI = 200


def matplotlib_map(sheet, path: Path) -> None:
    fig = new_figure(*MAP_IN)
    ax = fig.add_axes([0, 0, 1, 1])
    draw_map(ax, sheet.layers, sheet.bounds, sheet.order)
    fig.savefig(path, dpi=DPI)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scene", default="core")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    scenes, _ = load_scenes()
    number = next(i for i, s in enumerate(scenes, start=1) if s.id == args.scene)
    sheet = scene_sheet(scenes[number - 1], "zh")
    out = Path(tempfile.mkdtemp(prefix="present-bench-"))
    deck = write_html(scenes, "zh", out / "deck.html")
    times = {"matplotlib": [], "chromium": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for run in range(args.runs):
            start = time.perf_counter()
            matplotlib_map(sheet, out / f"matplotlib_{run}.png")
            times["matplotlib"].append(time.perf_counter() - start)
            start = time.perf_counter()  # a fresh page each time, as a command would need
            page = browser.new_page(viewport={"width": round(MAP_IN[0] * 96), "height": round(MAP_IN[1] * 96)},
                                    device_scale_factor=DPI / 96)
            page.goto(f"{deck.as_uri()}#scene={number}")
            page.wait_for_selector(".hm-label-box")
            page.wait_for_timeout(300)  # the names placed after the fonts arrive
            page.screenshot(path=str(out / f"chromium_{run}.png"))
            page.close()
            times["chromium"].append(time.perf_counter() - start)
        browser.close()
    m, c = (statistics.median(times[k]) for k in ("matplotlib", "chromium"))
    print(f"one map, {MAP_IN[0]}×{MAP_IN[1]} in at {DPI} dpi, median of {args.runs}: "
          f"matplotlib {m:.2f} s, Chromium {c:.2f} s (Chromium/matplotlib {c / m:.2f}×); pictures in {out}")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "layers.present", "--out", str(out / "all")], cwd=ROOT,
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    files = sorted(p.name for p in (out / "all").iterdir())
    print(f"python -m layers.present --out DIR: {len(scenes)} scenes, every format, {wall:.1f} s wall, "
          f"{len(files)} files, exit {done.returncode}")


if __name__ == "__main__":
    main()
