"""What a planner waits for, in Chromium against running apps: the first paint of a map page from
its link, a page switch through the sidebar until the new map is drawn, and a click on the map until
the zone is outlined and until the panel shows it. Runs this app beside a baseline app (another checkout) in one run,
alternating, and prints medians and ratios.

    .venv/bin/python bench/interaction_bench.py --app http://127.0.0.1:8601 \\
        --baseline http://127.0.0.1:8602 --runs 5

Start the two apps first (``streamlit run app.py --server.port N`` in each checkout); both warm.
"""

from __future__ import annotations

import argparse
import statistics
import time

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CLICK = (30.2580532, 120.2082401)  # 钱江路站, in 钱江新城: both apps open its panel


def paths(frame) -> int:
    """The features drawn in a map frame."""
    return frame.evaluate("document.querySelectorAll('.leaflet-overlay-pane path').length")


def map_frame(page, timeout=60):
    """The map's frame once its features are drawn (a new frame after a page switch)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for frame in page.frames:
            try:
                if "st_folium" in frame.url and paths(frame) > 0:
                    return frame
            except Exception:
                pass
        page.wait_for_timeout(10)  # lets Playwright take in the page's events
    raise TimeoutError("no map drawn")


def first_paint(browser, url) -> float:
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    start = time.perf_counter()
    page.goto(f"{url}/?page=core-zone")
    map_frame(page)
    took = time.perf_counter() - start
    page.close()
    return took


def page_switch(browser, url) -> float:
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    page.goto(f"{url}/?page=layout")
    old = map_frame(page)
    page.wait_for_timeout(1000)
    start = time.perf_counter()
    page.locator("[data-testid=stSidebar]").get_by_text("核心区拥江扩面示意图", exact=True).click()
    while True:
        frame = map_frame(page)
        if frame is not old and paths(frame) < 40:
            break  # the core-zone map (24 paths), not the layout map (36)
        page.wait_for_timeout(10)  # lets Playwright take in the page's events
    took = time.perf_counter() - start
    page.close()
    return took


OUTLINED = """() => Array.from(document.querySelectorAll('.leaflet-overlay-pane path'))
    .some(p => p.getAttribute('stroke') === '#f1c40f' && getComputedStyle(p).display !== 'none')"""


def click(browser, url, until) -> float:
    """Seconds from a click on 钱江路站 until ``until(page, frame)`` returns."""
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    page.goto(f"{url}/?page=core-zone")
    frame = map_frame(page)
    page.wait_for_timeout(1500)
    point = frame.evaluate(f"window.map.latLngToContainerPoint([{CLICK[0]}, {CLICK[1]}])")
    box = page.locator("iframe[title*='st_folium']").bounding_box()
    start = time.perf_counter()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    until(page, frame)
    took = time.perf_counter() - start
    page.close()
    return took


def click_to_outline(browser, url) -> float:
    def outlined(page, frame):
        while not frame.evaluate(OUTLINED):
            page.wait_for_timeout(5)
    return click(browser, url, outlined)


def click_to_panel(browser, url) -> float:
    return click(browser, url, lambda page, _frame: page.get_by_role(
        "heading", name="钱江新城").wait_for(timeout=60000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", required=True)
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    measures = {"first paint of the core-zone page": first_paint,
                "page switch (sidebar) until the map is drawn": page_switch,
                "click on the map until the zone is outlined": click_to_outline,
                "click on the map until the panel shows": click_to_panel}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, measure in measures.items():
            times = {"app": [], "baseline": []}
            for _ in range(args.runs):
                for which, url in (("app", args.app), ("baseline", args.baseline)):
                    times[which].append(measure(browser, url))
            app, base = statistics.median(times["app"]), statistics.median(times["baseline"])
            print(f"{name}: this app {app:.2f} s, baseline {base:.2f} s ({base / app:.1f}×), "
                  f"median of {args.runs}")
        browser.close()


if __name__ == "__main__":
    main()
