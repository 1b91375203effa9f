"""Twenty planners at once: server CPU and memory while real browser sessions open a map page.

    .venv/bin/python bench/sessions_bench.py [--sessions 20] [--page core-zone] [--upload-mb 200]
                                            [--app-dir DIR]

Starts `streamlit run app.py` (from --app-dir, default this checkout; another checkout is the
baseline) with its own data and cache folders, opens the page once to warm it, then drives
Chromium (one browser, a context per session: separate cookies, storage and cache, as separate
planners):

1. one session at a time, --sessions times: server CPU per page load and the time until the map
   is drawn (every feature of the page's map present in the map's frame);
2. --sessions sessions opening the page at once: the server CPU they cost together, each
   session's time until its map is drawn (from the moment all were asked), the server's memory
   with them open and idle (per session), and after they close and Streamlit drops them
   (server.disconnectedSessionTTL, then a new session that makes it reap);
3. the same, while one more session uploads a --upload-mb CSV to the zone check and waits for
   its result: how much later the maps are drawn.

Server CPU is the user+system time of the server process (psutil), so the browsers' work, on
the same 2 cores, is not counted in it; it is reported beside it. Figures are medians unless
named otherwise.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update"]
FEATURES = ".leaflet-overlay-pane path, .leaflet-marker-pane > *"
# In every frame of every page: note when the map's features are all there (epoch ms).
WATCH = """
(() => {
  const want = %d;
  const look = () => {
    if (window.__drawn) return;
    if (document.querySelectorAll('%s').length >= want) { window.__drawn = Date.now(); return; }
    setTimeout(look, 25);
  };
  look();
})();
"""
MB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run app.py` in ``app_dir``, its CPU and memory read from outside."""

    def __init__(self, app_dir: Path, ttl: int):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        folder = Path(tempfile.mkdtemp(prefix="sessions-bench-"))
        env = {**os.environ, "HARBOR_DATA_DIR": str(folder / "data"),
               "HARBOR_CACHE_DIR": str(folder / "cache")}
        self.log = open(folder / "server.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--server.disconnectedSessionTTL", str(ttl)],
            cwd=app_dir, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.process = psutil.Process(self.proc.pid)
        deadline = time.time() + 90
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2)
                return
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"streamlit did not start; see {folder / 'server.log'}")
                time.sleep(0.3)

    def cpu(self) -> float:
        """Seconds of CPU the server has used, its child processes included."""
        total = 0.0
        for p in [self.process, *self.process.children(recursive=True)]:
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.NoSuchProcess:
                pass
        return total

    def rss(self) -> int:
        return sum(p.memory_info().rss for p in [self.process, *self.process.children(recursive=True)])

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


def browser_cpu() -> float:
    """CPU seconds of this process's children other than the server (Playwright, Chromium)."""
    total = 0.0
    for p in psutil.Process().children(recursive=True):
        try:
            if "streamlit" in " ".join(p.cmdline()):
                continue
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def expected_features(map_id: str) -> int:
    sys.path.insert(0, str(ROOT))
    from layers.maps import map_layers

    return sum(len(layer.frame) for layer in map_layers(map_id, "zh"))


def open_sessions(browser, url: str, n: int, want: int):
    """``n`` new sessions asked for ``url`` at once; returns (contexts, seconds until each map
    was drawn, counted from when the first was asked)."""
    contexts, pages = [], []
    for _ in range(n):
        context = browser.new_context(viewport={"width": 1600, "height": 900})
        context.add_init_script(WATCH % (want, FEATURES))
        contexts.append(context)
        pages.append(context.new_page())
    start = time.time() * 1000
    for page in pages:
        page.goto(url, wait_until="commit")
    drawn = []
    for page in pages:
        page.wait_for_selector("iframe[title*='st_folium']", timeout=300_000)
        frame = next(f for f in page.frames if "st_folium" in f.url)
        drawn.append(frame.wait_for_function("window.__drawn", timeout=300_000,
                                             polling=100).json_value())
    return contexts, [(d - start) / 1000 for d in drawn]


def upload(browser, url: str, path: Path) -> tuple:
    """A session that opens the zone check and uploads ``path`` (it goes on in the browser)."""
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/?page=zone-check&lang=en")
    page.wait_for_selector("input[type=file]", state="attached", timeout=120_000)
    page.set_input_files("input[type=file]", str(path))
    return context, page


def big_csv(mb: int, folder: Path) -> Path:
    """A CSV of about ``mb`` MB: names and points over Zhejiang."""
    import numpy as np

    rng = np.random.default_rng(7)
    path = folder / f"registry_{mb}mb.csv"
    rows = int(mb * MB / 48)
    with open(path, "w", encoding="utf-8") as out:
        out.write("name,lon,lat\n")
        for start in range(0, rows, 500_000):
            m = min(500_000, rows - start)
            lon, lat = rng.uniform(118.0, 123.0, m), rng.uniform(27.0, 31.2, m)
            out.write("".join(f"项目{start + i:09d},{x:.6f},{y:.6f}\n"
                              for i, (x, y) in enumerate(zip(lon, lat))))
    return path


def settle(server: Server, quiet: float = 0.05, most: float = 30) -> None:
    """Wait until the server has been idle for a second (its reruns after the maps report)."""
    end = time.time() + most
    last = server.cpu()
    while time.time() < end:
        time.sleep(1)
        now = server.cpu()
        if now - last < quiet:
            return
        last = now


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--page", default="core-zone")
    parser.add_argument("--lang", default="zh")
    parser.add_argument("--upload-mb", type=int, default=200)
    parser.add_argument("--ttl", type=int, default=120, help="server.disconnectedSessionTTL")
    parser.add_argument("--app-dir", type=Path, default=ROOT)
    args = parser.parse_args()
    map_id = {"layout": "annex1", "core-zone": "annex2", "radiation": "annex3"}[args.page]
    want = expected_features(map_id)
    url = f"/?page={args.page}" + ("&lang=en" if args.lang == "en" else "")
    server = Server(args.app_dir.resolve(), args.ttl)
    url = server.url + url
    print(f"# {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, app {args.app_dir}, "
          f"page {url}, {want} features, {args.sessions} sessions")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            contexts, _ = open_sessions(browser, url, 1, want)  # warm: caches built
            for c in contexts:
                c.close()
            settle(server)
            rss0 = server.rss()

            # 1. one at a time
            cpu, wall = [], []
            for _ in range(args.sessions):
                before, b0 = server.cpu(), browser_cpu()
                contexts, drawn = open_sessions(browser, url, 1, want)
                settle(server)
                cpu.append(server.cpu() - before)
                wall.append(drawn[0])
                for c in contexts:
                    c.close()
            print(f"one at a time: server CPU per load {statistics.median(cpu):.3f} s "
                  f"(min {min(cpu):.3f}, max {max(cpu):.3f}); map drawn in "
                  f"{statistics.median(wall):.2f} s")

            # 2. all at once
            settle(server)
            rss_before, before, b0 = server.rss(), server.cpu(), browser_cpu()
            contexts, drawn = open_sessions(browser, url, args.sessions, want)
            settle(server)
            used, b_used = server.cpu() - before, browser_cpu() - b0
            rss_open = server.rss()
            print(f"{args.sessions} at once: server CPU {used:.2f} s in all, {used / args.sessions:.3f} s "
                  f"a load; browsers' CPU {b_used:.1f} s; maps drawn after {min(drawn):.2f}-"
                  f"{max(drawn):.2f} s (median {statistics.median(drawn):.2f}, last {max(drawn):.2f})")
            print(f"memory: {rss_before / MB:.0f} MB before, {rss_open / MB:.0f} MB with the "
                  f"{args.sessions} sessions open ({(rss_open - rss_before) / MB / args.sessions:.1f} MB "
                  f"a session); at start {rss0 / MB:.0f} MB")
            for c in contexts:
                c.close()
            time.sleep(args.ttl + 2)
            contexts, _ = open_sessions(browser, url, 1, want)  # a new session: old ones reaped
            for c in contexts:
                c.close()
            settle(server)
            print(f"memory after they closed and {args.ttl} s passed: {server.rss() / MB:.0f} MB")

            # 3. at once, beside a large upload
            if args.upload_mb:
                path = big_csv(args.upload_mb, Path(tempfile.mkdtemp()))
                up_context, up_page = upload(browser, server.url, path)
                time.sleep(3)  # the file on its way, then being read and checked
                contexts, drawn_busy = open_sessions(browser, url, args.sessions, want)
                print(f"{args.sessions} at once beside a {args.upload_mb} MB upload: maps drawn "
                      f"after {min(drawn_busy):.2f}-{max(drawn_busy):.2f} s (median "
                      f"{statistics.median(drawn_busy):.2f}; without it {statistics.median(drawn):.2f})")
                for c in contexts:
                    c.close()
                up_context.close()
            browser.close()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
