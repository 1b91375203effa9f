import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests", ROOT / "scripts"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

ARTIFACTS = ROOT / "tests" / "artifacts"
# The app's database and accounts (layers/store) for code run in the test process (AppTest, the
# map panels): a folder of the run's own, never the user's data folder.
if not os.environ.get("HARBOR_DATA_DIR"):
    import tempfile

    os.environ["HARBOR_DATA_DIR"] = tempfile.mkdtemp(prefix="harbor-tests-")
# The zone index kept on disk (layers.zones.index_file): one folder for the run's processes.
if not os.environ.get("HARBOR_CACHE_DIR"):
    import tempfile

    os.environ["HARBOR_CACHE_DIR"] = os.path.join(tempfile.gettempdir(), "harbor-tests-cache")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Flags for a headless Chromium on a machine with no network (see README, Tests).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(env: dict | None = None, name: str = "streamlit"):
    """`streamlit run serve.py` (as ./scripts/run) on a free local port, with extra environment variables."""
    import tempfile

    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    data = tempfile.mkdtemp(prefix="harbor-data-")  # the app's database and accounts: its own
    env = {"HARBOR_DATA_DIR": data, **(env or {})}
    log = open(ARTIFACTS / f"{name}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"streamlit did not start; see tests/artifacts/{name}.log")
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def app_url():
    """The real app, started as a newcomer starts it, on bundled data."""
    with running_app() as url:
        yield url


def browser_required() -> bool:
    """Must a missing browser fail the run rather than skip the browser tests? Yes when
    HARBOR_REQUIRE_BROWSER=1 (scripts/test sets it: it installs Chromium first, so a missing one
    there is a real failure) and, unless HARBOR_REQUIRE_BROWSER says otherwise, in CI."""
    flag = os.environ.get("HARBOR_REQUIRE_BROWSER", "").strip()
    if flag:
        return flag not in ("0", "false", "no")
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _no_browser(reason: str):
    if browser_required():
        pytest.fail(f"{reason} (HARBOR_REQUIRE_BROWSER=1 or CI: a missing browser is an error here)",
                    pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright. Where it is missing the browser tests skip, with
    the reason; under scripts/test and in CI they fail instead (see browser_required)."""
    if shutil.which(CHROMIUM) is None:
        _no_browser(f"Chromium not found at {CHROMIUM}: install it with apt-get install chromium "
                    "(the README's test command, ./scripts/test, does), or point $CHROMIUM at it")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        _no_browser(f"playwright cannot be imported ({err}): "
                    ".venv/bin/pip install -r requirements-dev.txt")

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(autouse=bool(os.environ.get("MUTANT_UNDER_TEST")))
def _fresh_derived_caches():
    """Under mutmut only: each test computes the derived tables anew, so that a test reaches the
    (mutated) code behind a cache that an earlier test filled."""
    import geo.labels
    import layers.datum
    import layers.english
    import layers.maps
    import layers.zones

    for module in (geo.labels, layers.english, layers.maps, layers.zones, layers.datum):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    yield


LOCAL = ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")


@pytest.fixture
def page(browser):
    """A browser tab that fails its test if a request leaves the machine or the console shows
    an error."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    pg = context.new_page()
    pg.external, pg.errors = [], []
    pg.on("request", lambda r: pg.external.append(r.url) if not r.url.startswith(LOCAL) else None)
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    assert pg.external == [], "requests left the machine"
    assert pg.errors == [], "the console shows errors"
    context.close()


def settled(page):
    """Wait until the page's rerun has finished (Streamlit's running indicator is gone)."""
    page.wait_for_timeout(300)
    page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')",
                           timeout=60000)
    # and no element of the last run is still shown (a download pressed there serves its file)
    page.wait_for_function("!document.querySelector('[data-stale=true]')", timeout=60000)


def download(page, name: str):
    """Press the download button `name` once the page has settled; the downloaded file."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    button = page.get_by_role("button", name=name, exact=True)
    for attempt in range(3):  # a click that lands while the map reruns its part is lost: again
        settled(page)
        try:
            with page.expect_download(timeout=20000) as pressed:
                button.click()
            return pressed.value
        except PlaywrightTimeout:
            if attempt == 2:
                raise


# ---- the databases: SQLite, and a real PostgreSQL server ------------------------------------

def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server from Debian's postgresql package, started for this test process on a
    free port (as the postgres user when the tests run as root: PostgreSQL refuses root).
    Yields a function that makes a fresh, empty database and returns its SQLAlchemy URL."""
    bin_dir = _pg_bin()
    if bin_dir is None:
        message = "PostgreSQL not found: apt-get install postgresql (./scripts/test does)"
        if browser_required():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="harbor-pg-"))  # not under pytest's root-only folder
    data, port = folder / "data", _free_port()
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(folder, "postgres")
    subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale", "C"], check=True, capture_output=True)
    subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l", str(folder / "log"),
                    "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start"],
                   check=True, capture_output=True)
    made = []

    def new_database() -> str:
        import psycopg

        name = f"harbor_{len(made)}"
        with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        made.append(name)
        return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}"

    try:
        yield new_database
    finally:
        from layers.store import db
        for name in made:
            db.forget(f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}")
        subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path, monkeypatch):
    """A fresh, empty database of each kind, named by HARBOR_DB_URL for the code under test;
    HARBOR_DATA_DIR (and so users.toml) in the test's own folder."""
    from layers.store import db

    monkeypatch.setenv("HARBOR_DATA_DIR", str(tmp_path))
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'harbor.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_server")()
    monkeypatch.setenv("HARBOR_DB_URL", url)
    yield url
    db.forget(url)
