"""Tiles on disk, served by the app itself: an MBTiles file or an XYZ folder ({z}/{x}/{y}.png),
for a basemap in a room with no network.

Streamlit serves ``static/`` (see geo.assets); :func:`publish` puts the tiles there once, as
``static/tiles/<digest>/{z}/{x}/{y}.<ext>``, and returns the URL template for Leaflet. The
digest follows the source (path, size, time), so a changed file is published anew.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

from geo.assets import STATIC, URL_PREFIX

FORMATS = {"png", "jpg", "jpeg", "webp"}


class TileSourceError(ValueError):
    """A tile source that cannot be used, with what to fix."""


def _digest(source: Path) -> str:
    stat = source.stat()
    key = f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    if source.is_dir():
        key += "|" + "|".join(sorted(str(p.relative_to(source)) for p in source.rglob("*")))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _from_mbtiles(source: Path, target: Path) -> str:
    """Write the tiles of an MBTiles file (TMS rows, flipped to XYZ); returns the image format."""
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as db:
            meta = dict(db.execute("SELECT name, value FROM metadata").fetchall())
            ext = str(meta.get("format", "png")).lower()
            if ext not in FORMATS:
                raise TileSourceError(f"{source.name}: tiles in {ext!r}; a basemap needs "
                                      "png, jpg or webp images (vector tiles are not drawn)")
            count = 0
            for z, x, row, data in db.execute(
                    "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles"):
                y = (1 << z) - 1 - row
                path = target / str(z) / str(x) / f"{y}.{ext}"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                count += 1
    except sqlite3.DatabaseError as err:
        raise TileSourceError(f"{source.name} is not a readable MBTiles file ({err})") from err
    if not count:
        raise TileSourceError(f"{source.name} holds no tiles")
    return ext


def _from_folder(source: Path, target: Path) -> str:
    images = [p for p in source.rglob("*") if p.suffix.lower().lstrip(".") in FORMATS]
    if not images:
        raise TileSourceError(f"{source} holds no {{z}}/{{x}}/{{y}} image tiles")
    shutil.copytree(source, target, dirs_exist_ok=True)
    return images[0].suffix.lower().lstrip(".")


def publish(source: Path, static: Path = STATIC) -> str:
    """Put the tiles of ``source`` (MBTiles or XYZ folder) under ``static/`` once; returns the
    URL template, e.g. ``/app/static/tiles/0123abcd/{z}/{x}/{y}.png``."""
    source = Path(source)
    if not source.exists():
        raise TileSourceError(f"{source} does not exist")
    name = _digest(source)
    target = static / "tiles" / name
    done = target / ".format"
    if not done.exists():
        if target.exists():
            shutil.rmtree(target)  # an earlier, unfinished copy
        target.mkdir(parents=True)
        ext = _from_folder(source, target) if source.is_dir() else _from_mbtiles(source, target)
        done.write_text(ext)
    return f"{URL_PREFIX}/tiles/{name}/{{z}}/{{x}}/{{y}}.{done.read_text()}"
