"""Twenty planners at once: server CPU and memory while real browser sessions open a map page.

    .venv/bin/python bench/sessions_bench.py [--sessions 20] [--page core-zone] [--upload-mb 200]
                                            [--app-dir DIR]

Starts the app as ./scripts/run does, `streamlit run serve.py` (app.py in a checkout without
serve.py), from --app-dir (default this checkout; another checkout is the baseline), with its own
data and cache folders, opens the page once to warm it, then drives Chromium (one browser, a
context per session: separate cookies, storage and cache, as separate planners):

1. one session at a time, --sessions times: server CPU per page load and the time until the map
   is drawn (every feature of the page's map present in the map's frame), for a first visit
   (a new browser) and for the same planner again in a new tab (Streamlit's scripts cached);
2. --sessions first visits at once: the server CPU they cost together, each session's time
   until its map is drawn (from the moment all were asked), the server's memory with them open
   and idle (per session), and after they close and Streamlit drops them
   (server.disconnectedSessionTTL, then another session that ends: Streamlit reaps then);
3. the same for planners who opened the page before (a second round: memory should not grow);
4. planners back at once while one more session uploads a --upload-mb CSV to the zone check
   and has it checked: how much later the maps are drawn.

Server CPU is the user+system time of the server process (psutil), so the browsers' work, on
the same 2 cores, is not counted in it; it is reported beside it. Figures are medians unless
named otherwise.
"""

from __future__ import annotations

import argparse
import os
import re
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
    """`streamlit run serve.py` (or app.py) in ``app_dir``, its CPU and memory read from outside."""

    def __init__(self, app_dir: Path, ttl: int):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        folder = Path(tempfile.mkdtemp(prefix="sessions-bench-"))
        env = {**os.environ, "HARBOR_DATA_DIR": str(folder / "data"),
               "HARBOR_CACHE_DIR": str(folder / "cache")}
        self.log = open(folder / "server.log", "w")
        script = "serve.py" if (app_dir / "serve.py").exists() else "app.py"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(self.port),
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


def new_context(browser, want: int):
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    context.add_init_script(WATCH % (want, FEATURES))
    return context


def open_sessions(browser, url: str, n: int, want: int, contexts=None):
    """``n`` new sessions asked for ``url`` at once (in new browsers, or in a new tab of each of
    ``contexts``: planners who opened the page before, the app's scripts in their cache);
    returns (contexts, seconds until each map was drawn, counted from when the first was
    asked)."""
    contexts = contexts or [new_context(browser, want) for _ in range(n)]
    pages = [context.new_page() for context in contexts]
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


def close_tabs(contexts) -> None:
    for context in contexts:
        for page in context.pages:
            page.close()


def reap(browser, url: str, want: int) -> None:
    """A session that opens and closes: Streamlit drops the sessions kept past their time when
    another one ends."""
    contexts, _ = open_sessions(browser, url, 1, want)
    for c in contexts:
        c.close()


def upload(browser, url: str, path: Path) -> tuple:
    """A session that opens the zone check, uploads ``path`` and, when asked, says WGS84; the
    check then runs. Returns (context, page, seconds until the question)."""
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/?page=zone-check&lang=en")
    page.wait_for_selector("input[type=file]", state="attached", timeout=120_000)
    start = time.time()
    page.set_input_files("input[type=file]", str(path))
    box = page.get_by_role("combobox", name=re.compile("oordinate system"))
    box.wait_for(timeout=600_000)  # a file over server.maxUploadSize is refused: no question
    asked = time.time() - start
    page.wait_for_timeout(500)
    box.click()
    page.get_by_role("option", name=re.compile("^WGS84")).click()
    return context, page, asked


def big_csv(mb: int, folder: Path) -> Path:
    """A CSV of about ``mb`` MB: names and points over Zhejiang."""
    import numpy as np

    rng = np.random.default_rng(7)
    path = folder / f"registry_{mb}mb.csv"
    rows = int(mb * MB / 37)  # a row: 项目000000001,120.123456,30.123456
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


def one_at_a_time(server: Server, browser, url: str, want: int, n: int) -> None:
    cpu, wall, cpu_again, wall_again = [], [], [], []
    for _ in range(n):
        before = server.cpu()
        contexts, drawn = open_sessions(browser, url, 1, want)
        settle(server)
        cpu.append(server.cpu() - before)
        wall.append(drawn[0])
        before = server.cpu()
        contexts, drawn = open_sessions(browser, url, 1, want, contexts)
        settle(server)
        cpu_again.append(server.cpu() - before)
        wall_again.append(drawn[0])
        for c in contexts:
            c.close()
    print(f"one at a time, first visit: server CPU per load {statistics.median(cpu):.3f} s "
          f"(min {min(cpu):.3f}, max {max(cpu):.3f}); map drawn in {statistics.median(wall):.2f} s")
    print(f"one at a time, again (Streamlit's scripts in the browser's cache): server CPU per "
          f"load {statistics.median(cpu_again):.3f} s (min {min(cpu_again):.3f}, max "
          f"{max(cpu_again):.3f}); map drawn in {statistics.median(wall_again):.2f} s")


def at_once(server: Server, browser, url: str, want: int, n: int, label: str, ttl: int) -> None:
    contexts = None
    if label == "planners back":  # each opened the page once before (the tabs closed)
        contexts, _ = open_sessions(browser, url, n, want)
        close_tabs(contexts)
    settle(server)
    rss_before, before, b0 = server.rss(), server.cpu(), browser_cpu()
    contexts, drawn = open_sessions(browser, url, n, want, contexts)
    settle(server)
    used, b_used, rss_open = server.cpu() - before, browser_cpu() - b0, server.rss()
    print(f"{n} at once, {label}: server CPU {used:.2f} s in all, {used / n:.3f} s a load; "
          f"browsers' CPU {b_used:.1f} s; maps drawn after {min(drawn):.2f}-{max(drawn):.2f} s "
          f"(median {statistics.median(drawn):.2f})")
    print(f"  memory: {rss_before / MB:.0f} MB before, {rss_open / MB:.0f} MB with the {n} "
          f"sessions open ({(rss_open - rss_before) / MB / n:.1f} MB a session)")
    for c in contexts:
        c.close()
    time.sleep(ttl + 2)
    reap(browser, url, want)
    settle(server)
    print(f"  memory after they closed and {ttl} s passed: {server.rss() / MB:.0f} MB")


def beside_upload(server: Server, browser, url: str, want: int, n: int, mb: int) -> None:
    """Planners back, one at a time and then all at once, while one more uploads a large list
    and has it checked."""
    path = big_csv(mb, Path(tempfile.mkdtemp()))
    contexts, _ = open_sessions(browser, url, n, want)
    close_tabs(contexts)
    settle(server)
    before = server.cpu()
    up_context, up_page, asked = upload(browser, server.url, path)
    start = time.time()
    print(f"upload of {path.stat().st_size / MB:.0f} MB read, coordinate system asked for after "
          f"{asked:.1f} s (server CPU {server.cpu() - before:.1f} s); its check starts")
    time.sleep(3)
    single = [open_sessions(browser, url, 1, want, [context])[1][0] for context in contexts[:5]]
    close_tabs(contexts)
    print(f"  a planner back, one at a time during the check: map drawn in "
          f"{statistics.median(single):.2f} s (max {max(single):.2f})")
    _, drawn = open_sessions(browser, url, n, want, contexts)
    print(f"  {n} planners back at once during the check: maps drawn after {min(drawn):.2f}-"
          f"{max(drawn):.2f} s (median {statistics.median(drawn):.2f})")
    up_page.get_by_text(re.compile("Reading and checking took")).wait_for(timeout=1_800_000)
    print(f"  the check done {time.time() - start:.1f} s after it started; server memory "
          f"{server.rss() / MB:.0f} MB")
    for c in contexts:
        c.close()
    up_context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--page", default="core-zone")
    parser.add_argument("--lang", default="zh")
    parser.add_argument("--upload-mb", type=int, default=190, help="below maxUploadSize (200)")
    parser.add_argument("--ttl", type=int, default=120, help="server.disconnectedSessionTTL")
    parser.add_argument("--app-dir", type=Path, default=ROOT)
    parser.add_argument("--phases", type=int, nargs="+", default=[1, 2, 3, 4])
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
            print(f"server memory after the first page: {server.rss() / MB:.0f} MB")

            if 1 in args.phases:  # one at a time: a first visit, the same planner again
                one_at_a_time(server, browser, url, want, args.sessions)
            for phase, label in ((2, "first visits"), (3, "planners back")):
                if phase in args.phases:
                    at_once(server, browser, url, want, args.sessions, label, args.ttl)
            if 4 in args.phases and args.upload_mb:
                beside_upload(server, browser, url, want, args.sessions, args.upload_mb)
            browser.close()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
