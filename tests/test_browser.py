"""The real app in Debian's Chromium (Playwright): every page draws its layers, with no
request leaving the machine. Screenshots go to tests/artifacts/."""

import pytest

from conftest import ARTIFACTS
from layers.load import load_layer
from layers.registry import layers_for_map

PAGES = {"": "annex1", "core-zone": "annex2", "radiation": "annex3"}
LOCAL = ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")


def drawn_features_expected(map_id: str) -> int:
    return sum(len(load_layer(layer.id).located) for layer in layers_for_map(map_id))


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.external = []
    pg.on("request", lambda r: pg.external.append(r.url) if not r.url.startswith(LOCAL) else None)
    yield pg
    context.close()


def map_frame(pg):
    pg.wait_for_selector("iframe[title*='st_folium']", timeout=60000)
    frame = next(f for f in pg.frames if "st_folium" in f.url)
    frame.wait_for_selector(".leaflet-overlay-pane path.leaflet-interactive", timeout=60000)
    return frame


@pytest.mark.parametrize("path, map_id", PAGES.items())
def test_map_page_draws_its_layers_offline(app_url, page, path, map_id):
    page.goto(f"{app_url}/{path}")
    frame = map_frame(page)
    page.wait_for_timeout(1000)
    drawn = frame.locator(".leaflet-overlay-pane path").count()
    # Every located feature is one SVG path (a multipolygon is one path too).
    assert drawn == drawn_features_expected(map_id)
    labels = frame.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert len(labels) == len(layers_for_map(map_id))
    page.screenshot(path=str(ARTIFACTS / f"page-{path or 'layout'}.png"), full_page=True)
    assert page.external == []


def test_data_page_and_language_switch(app_url, page):
    page.goto(f"{app_url}/data")
    page.get_by_text("数据与来源").first.wait_for(timeout=60000)
    page.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Data and sources").wait_for(timeout=30000)
    assert "lang=en" in page.url
    page.get_by_role("button", name="Download the whole dataset").wait_for(timeout=60000)
    page.screenshot(path=str(ARTIFACTS / "page-data-en.png"), full_page=True)
    assert page.external == []
