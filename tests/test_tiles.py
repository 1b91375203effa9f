"""Tiles on disk as a basemap (geo/tiles.py): an MBTiles file the test makes, an XYZ folder,
and files that cannot be used; then in the app, chosen in the sidebar, served by the app itself."""

import io
import re
import sqlite3

import pytest
from PIL import Image

from geo.tiles import TileSourceError, publish


def png(color) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), color).save(buffer, "PNG")
    return buffer.getvalue()


def make_mbtiles(path, tiles, fmt="png"):
    """tiles: {(z, x, y_xyz): bytes}; stored as MBTiles does, with TMS rows."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        db.execute("CREATE TABLE tiles (zoom_level INT, tile_column INT, tile_row INT, tile_data BLOB)")
        db.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "test"), ("format", fmt)])
        db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                       [(z, x, (1 << z) - 1 - y, data) for (z, x, y), data in tiles.items()])
    return path


def test_mbtiles_rows_are_flipped_to_xyz(tmp_path):
    # Zoom 1: the XYZ tile (1, 0, 0) is the north-west quarter; MBTiles stores it as row 1.
    source = make_mbtiles(tmp_path / "t.mbtiles", {(0, 0, 0): png("white"),
                                                   (1, 0, 0): png("red"), (1, 0, 1): png("blue")})
    url = publish(source, tmp_path / "static")
    assert re.fullmatch(r"/app/static/tiles/[0-9a-f]{16}/\{z\}/\{x\}/\{y\}\.png", url)
    folder = tmp_path / "static" / "tiles" / url.split("/")[4]
    assert Image.open(folder / "1" / "0" / "0.png").getpixel((5, 5)) == (255, 0, 0)
    assert Image.open(folder / "1" / "0" / "1.png").getpixel((5, 5)) == (0, 0, 255)
    assert publish(source, tmp_path / "static") == url  # once: the same place next time


def test_an_xyz_folder_is_published_as_it_is(tmp_path):
    (tmp_path / "xyz" / "3" / "6").mkdir(parents=True)
    (tmp_path / "xyz" / "3" / "6" / "3.jpg").write_bytes(b"\xff\xd8jpeg")
    url = publish(tmp_path / "xyz", tmp_path / "static")
    assert url.endswith("/{z}/{x}/{y}.jpg")
    assert (tmp_path / "static" / "tiles" / url.split("/")[4] / "3" / "6" / "3.jpg").exists()


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"not a database at all" * 10), "not a readable MBTiles"),
    (lambda p: make_mbtiles(p, {}), "holds no tiles"),
    (lambda p: make_mbtiles(p, {(0, 0, 0): b"x"}, fmt="pbf"), "vector tiles are not drawn"),
])
def test_files_that_cannot_be_used_say_why(tmp_path, make, message):
    source = tmp_path / "bad.mbtiles"
    make(source)
    with pytest.raises(TileSourceError, match=message):
        publish(source, tmp_path / "static")
    with pytest.raises(TileSourceError, match="does not exist"):
        publish(tmp_path / "missing.mbtiles", tmp_path / "static")
    (tmp_path / "empty").mkdir()
    with pytest.raises(TileSourceError, match="no"):
        publish(tmp_path / "empty", tmp_path / "static")


def test_the_app_serves_the_tiles_and_lets_them_show(tmp_path, browser):
    from conftest import running_app
    from conftest import LOCAL
    from test_browser import open_map

    tiles = {(z, x, y): png((200, 230, 200)) for z in range(0, 9)
             for x in range(1 << z) for y in range(1 << z)
             if z < 5 or (210 <= x * 256 // (1 << z) <= 216 and 100 <= y * 256 // (1 << z) <= 108)}
    make_mbtiles(tmp_path / "zj.mbtiles", tiles)
    (tmp_path / "layers.toml").write_text(
        '[basemap]\npath = "zj.mbtiles"\nname = "测试离线底图"\nattribution = "测试瓦片"\n',
        encoding="utf-8")
    with running_app({"HARBOR_LAYERS_CONFIG": str(tmp_path / "layers.toml")}, "tiles") as url:
        context = browser.new_context(viewport={"width": 1600, "height": 900})
        pg = context.new_page()
        requests = []
        pg.on("request", lambda r: requests.append(r.url))
        open_map(pg, f"{url}/?page=layout")
        pg.get_by_role("combobox", name=re.compile("底图")).click()
        pg.get_by_role("option", name="测试离线底图").click()
        def drawn(f):
            try:
                return "st_folium" in f.url and f.evaluate(
                    "document.querySelectorAll('img.leaflet-tile-loaded').length") > 0
            except Exception:  # a frame of the map before, going away
                return False

        frame = None
        for _ in range(120):  # the map is drawn anew with the tiles under it
            frame = next((f for f in pg.frames if drawn(f)), None)
            if frame:
                break
            pg.wait_for_timeout(250)
        assert frame, "no tile was drawn"
        tile_urls = frame.evaluate("[...document.querySelectorAll('img.leaflet-tile')].map(i => i.src)")
        assert tile_urls and all("/app/static/tiles/" in u for u in tile_urls)
        assert all(r.startswith(LOCAL) for r in requests), "a request left the machine"
        assert "测试瓦片" in frame.locator(".leaflet-control-attribution").inner_text()
        # Zhejiang's fill is clear over the tiles: only its outline is drawn.
        fill = frame.evaluate("window.harbor.layers.province.getLayers()[0].options.fillOpacity")
        assert fill == 0
        pg.screenshot(path=str(tmp_path.parent / "tiles.png"))
        context.close()
