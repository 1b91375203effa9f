"""Browser assets (Leaflet) served by the app itself, so the default run needs no network.

Leaflet comes from the PyPI package django-js-lib-leaflet (static files only, no Django
needed), installed by requirements.txt. Streamlit serves ``static/`` beside app.py at
``/app/static/`` when ``server.enableStaticServing`` is on (see .streamlit/config.toml);
:func:`install` copies the files there at start-up.
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "static"
URL_PREFIX = "/app/static"
LEAFLET_DIR = "vendor/leaflet"
SCRIPT = Path(__file__).with_name("webmap.js")  # the map behaviour of geo/webmap.py
DECK_SCRIPT = Path(__file__).with_name("deck.js")  # scenes over that map (geo/webmap.py, deck=)


def _leaflet_source() -> Path:
    spec = importlib.util.find_spec("js_lib_leaflet")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Leaflet is missing: install requirements.txt (django-js-lib-leaflet)")
    return Path(list(spec.submodule_search_locations)[0]) / "static" / "js_lib_leaflet"


def inline() -> tuple[str, str]:
    """Leaflet's style, and Leaflet's script with geo/webmap.js and geo/deck.js, as text: for a
    page that must work with no server (a file on a USB stick)."""
    source = _leaflet_source()
    css = (source / "leaflet.css").read_text(encoding="utf-8")
    js = "\n;\n".join(path.read_text(encoding="utf-8")
                       for path in (source / "leaflet.js", SCRIPT, DECK_SCRIPT))
    return css, js


def install(static: Path = STATIC) -> Path:
    """Copy Leaflet's script, style and images, and geo/webmap.js, under ``static/``; cheap
    when already there."""
    target = static / LEAFLET_DIR
    source = _leaflet_source()
    if not (target / "leaflet.js").exists() or (
        (target / "leaflet.js").stat().st_size != (source / "leaflet.js").stat().st_size
    ):
        shutil.copytree(source, target, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("*.map", "*esm*", "leaflet-src.js"))
    own = static / "harbor" / SCRIPT.name
    if not own.exists() or own.read_bytes() != SCRIPT.read_bytes():
        own.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SCRIPT, own)
    return target


LEAFLET_JS = f"{URL_PREFIX}/{LEAFLET_DIR}/leaflet.js"
LEAFLET_CSS = f"{URL_PREFIX}/{LEAFLET_DIR}/leaflet.css"
# The version in the query string makes a browser fetch the script again when it changes.
HARBOR_JS = f"{URL_PREFIX}/harbor/{SCRIPT.name}?v={hashlib.sha256(SCRIPT.read_bytes()).hexdigest()[:12]}"
