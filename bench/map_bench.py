"""Benchmark the map pages side by side with a naive folium rendering, in one run.

    .venv/bin/python bench/map_bench.py [--runs 5]

For each map page it reports, for this app and for the baseline (folium defaults: every layer
at full resolution, all attributes, GeoJsonTooltip, LayerControl):
  - bytes of the map document sent to the browser (and gzipped, as a proxy sent compressed);
  - server time per rerun (this app: copy of the cached map and rendering; baseline: building
    and rendering the map, which is what a page without caching does on every rerun);
  - time until every feature is drawn in headless Chromium (navigation start to the last SVG
    path present), the document served from 127.0.0.1.
The baseline's CDN links (Leaflet, jQuery, Bootstrap, Font Awesome) are pointed at the local
Leaflet copy or removed, since this machine has no network; everything else is folium's default.
It also times the real app: `streamlit run app.py`, each page opened in Chromium, until every
feature is drawn in the map's frame (Streamlit's own start-up included).
Figures are medians of --runs runs. Ratios are baseline / this app.
"""

from __future__ import annotations

import argparse
import copy
import functools
import gzip
import http.server
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import folium  # noqa: E402

from geo import assets  # noqa: E402
from geo.webmap import build_map  # noqa: E402
from layers.load import load_layer  # noqa: E402
from layers.maps import DISPLAY_FILTER, MAP_TEXTS, bounds, groups, map_layers  # noqa: E402
from layers.registry import MAPS, layers_for_map  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def ours(map_id: str) -> folium.Map:
    return build_map(map_layers(map_id, "zh"), bounds(map_id), groups("zh"), MAP_TEXTS["zh"])


def naive(map_id: str) -> folium.Map:
    fmap = folium.Map(tiles=None)
    for layer in layers_for_map(map_id):
        frame = load_layer(layer.id).located
        key = DISPLAY_FILTER.get((map_id, layer.id))
        if key:
            frame = frame[frame[key[0]] == key[1]]
        frame = frame.drop(columns=[c for c in frame.columns if c != "geometry" and frame[c].map(type).eq(float).all()])
        folium.GeoJson(frame, name=layer.name_zh,
                       tooltip=folium.GeoJsonTooltip(fields=["name_zh"])).add_to(fmap)
    folium.LayerControl().add_to(fmap)
    minx, miny, maxx, maxy = bounds(map_id)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


def html_of(fmap: folium.Map) -> str:
    return fmap.get_root().render()


def offline(html: str) -> str:
    """Point the baseline's CDN Leaflet at the local copy; drop its other CDN files."""
    html = re.sub(r'<script src="https://cdn[^"]*leaflet[^"]*\.js"></script>',
                  f'<script src="{assets.LEAFLET_JS}"></script>', html)
    html = re.sub(r'<link rel="stylesheet" href="https://cdn[^"]*leaflet[^"]*\.css"/>',
                  f'<link rel="stylesheet" href="{assets.LEAFLET_CSS}"/>', html)
    html = re.sub(r'<script src="https?://[^"]*"></script>', "", html)
    return re.sub(r'<link rel="stylesheet" href="https?://[^"]*"/>', "", html)


def median_time(func, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def serve(directory: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    handler.func.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def draw_time(browser, url: str, expected: int, runs: int, in_app: bool = False) -> float:
    """Median seconds from navigation to ``expected`` features drawn; ``in_app`` looks for the
    map in Streamlit's component frame, else in the page itself."""
    times = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(url, wait_until="commit")
        frame = page
        if in_app:
            page.wait_for_selector("iframe[title*='st_folium']", timeout=120000)
            frame = next(f for f in page.frames if "st_folium" in f.url)
        frame.wait_for_function(
            "document.querySelectorAll('.leaflet-overlay-pane path, .leaflet-marker-pane img')"
            f".length >= {expected}", timeout=120000, polling="raf")
        times.append(page.evaluate("performance.now()") / 1000)
        context.close()
    return statistics.median(times)


PAGE_OF = {"annex1": "layout", "annex2": "core-zone", "annex3": "radiation"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    assets.install()
    site = Path(tempfile.mkdtemp())
    shutil.copytree(assets.STATIC, site / "app" / "static")
    base, server = serve(site)
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for map_id in MAPS:
            cached = ours(map_id)
            expected = sum(len(layer.frame) for layer in map_layers(map_id, "zh"))
            docs = {"ours": html_of(cached), "naive": offline(html_of(naive(map_id)))}
            server_s = {
                "ours": median_time(lambda: html_of(copy.deepcopy(cached)), args.runs),
                "naive": median_time(lambda: html_of(naive(map_id)), args.runs),
            }
            row = {"map": map_id}
            for name, doc in docs.items():
                (site / f"{map_id}-{name}.html").write_text(doc, encoding="utf-8")
                raw = doc.encode("utf-8")
                row[f"{name}_bytes"] = len(raw)
                row[f"{name}_gzip"] = len(gzip.compress(raw))
                row[f"{name}_server"] = server_s[name]
                row[f"{name}_draw"] = draw_time(browser, f"{base}/{map_id}-{name}.html", expected,
                                                args.runs)
            rows.append(row)
        sys.path.insert(0, str(ROOT / "tests"))
        from conftest import running_app

        with running_app(name="bench-app") as app:
            for row in rows:
                expected = sum(len(layer.frame) for layer in map_layers(row["map"], "zh"))
                url = f"{app}/?page={PAGE_OF[row['map']]}"
                draw_time(browser, url, expected, 1, in_app=True)  # warm the server's caches
                row["app_draw"] = draw_time(browser, url, expected, args.runs, in_app=True)
        browser.close()
    server.shutdown()

    print(f"Map pages, median of {args.runs} runs; ratio = naive folium / this app\n")
    print(f"{'page':8} {'':6} {'bytes':>11} {'gzip':>10} {'server s':>9} {'drawn s':>8}")
    for row in rows:
        for name in ("ours", "naive"):
            print(f"{row['map']:8} {name:6} {row[f'{name}_bytes']:>11,} {row[f'{name}_gzip']:>10,} "
                  f"{row[f'{name}_server']:>9.3f} {row[f'{name}_draw']:>8.3f}")
        print(f"{row['map']:8} {'ratio':6} {row['naive_bytes'] / row['ours_bytes']:>11.1f} "
              f"{row['naive_gzip'] / row['ours_gzip']:>10.1f} "
              f"{row['naive_server'] / row['ours_server']:>9.1f} "
              f"{row['naive_draw'] / row['ours_draw']:>8.1f}")
    print("\nIn the running app (streamlit run app.py), navigation to every feature drawn:")
    for row in rows:
        print(f"{row['map']:8} ?page={PAGE_OF[row['map']]:10} {row['app_draw']:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
