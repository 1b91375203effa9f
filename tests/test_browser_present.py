"""The presentation in Chromium: the standalone deck opened from disk with the network cut off,
and the presentation page of the app reached through the sidebar, driven by the keys a
presenter's clicker sends; a map page printing the view it shows."""

import io

import pytest
from pathlib import Path

from PIL import Image

from conftest import ARTIFACTS, download, settled
from layers.deck import write_html
from layers.scenes import load_scenes
from test_present import PIXELS, RAW, expected_title


def title(frame) -> str:
    return frame.locator("[data-testid=deck-title]").inner_text()


def moved(pg, frame, before: str) -> str:
    frame.locator("[data-testid=deck-title]").filter(has_not_text=before).wait_for(timeout=10000)
    return title(frame)


def test_the_standalone_deck_works_from_disk_with_no_network(browser, tmp_path):
    scenes, _ = load_scenes()
    path = write_html(scenes, "zh", tmp_path / "deck.html")
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, offline=True)
    pg = context.new_page()
    asked, errors = [], []
    pg.on("request", lambda r: asked.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(path.as_uri())
    frame = pg.main_frame
    frame.wait_for_selector("[data-testid=deck-title]")
    assert title(frame) == expected_title(RAW[0])
    assert pg.locator(".leaflet-overlay-pane path").count() > 10  # the map is drawn
    assert pg.locator(".hm-label-box").count() > 5  # with names
    pg.keyboard.press("ArrowRight")
    assert moved(pg, frame, expected_title(RAW[0])) == expected_title(RAW[1])
    assert pg.url.endswith("#scene=2")
    pg.keyboard.press("Space")
    assert moved(pg, frame, expected_title(RAW[1])) == expected_title(RAW[2])
    pg.keyboard.press("PageUp")
    assert moved(pg, frame, expected_title(RAW[2])) == expected_title(RAW[1])
    pg.keyboard.press("End")
    assert moved(pg, frame, expected_title(RAW[1])) == expected_title(RAW[-1])
    assert pg.locator("[data-testid=deck-counter]").inner_text() == f"{len(RAW)} / {len(RAW)}"
    pg.wait_for_timeout(1500)
    pg.screenshot(path=str(ARTIFACTS / "deck-standalone-last.png"))
    pg.goto(path.as_uri() + "#scene=3")  # a link to a scene opens it
    pg.reload()
    frame.wait_for_selector("[data-testid=deck-title]")
    assert title(frame) == expected_title(RAW[2])
    assert asked == [] and errors == []
    context.close()


@pytest.mark.parametrize("size", [(1366, 768), (1600, 900)], ids=["1366", "1600"])
def test_every_scene_panel_ends_above_the_scale_bar_and_a_resize_refits_the_scene(browser, tmp_path, size):
    """The longest scene (major projects, in English) ran off a 1600×900 screen under the scale
    bar; a window made larger (full screen) kept the smaller window's zoom."""
    scenes, _ = load_scenes()
    path = write_html(scenes, "en", tmp_path / "deck.html")
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    pg = context.new_page()
    pg.goto(path.as_uri())
    pg.wait_for_selector("[data-testid=deck-title]")
    for n in range(1, len(RAW) + 1):
        if n > 1:
            pg.keyboard.press("ArrowRight")
            pg.wait_for_function(f"document.documentElement.getAttribute('data-scene') === '{n}'")
        panel = pg.evaluate("""() => { const b = document.querySelector('[data-testid=deck-panel]');
            const scale = document.querySelector('.leaflet-control-scale').getBoundingClientRect();
            return {bottom: b.getBoundingClientRect().bottom, scrolls: b.scrollHeight > b.clientHeight + 1,
                    scaleTop: scale.top}; }""")
        assert panel["bottom"] < panel["scaleTop"] and not panel["scrolls"], (n, panel)
    pg.keyboard.press("Home")
    pg.wait_for_timeout(1500)
    before = pg.evaluate("window.harbor.map.getZoom()")
    pg.set_viewport_size({"width": size[0] + 554, "height": size[1] + 312})  # about full HD
    pg.wait_for_timeout(800)
    assert pg.evaluate("window.harbor.map.getZoom()") > before
    context.close()


def test_a_scene_shows_only_its_layers_in_the_legend(browser, tmp_path):
    scenes, _ = load_scenes()
    pg = browser.new_page(viewport={"width": 1600, "height": 900})
    pg.goto(write_html(scenes, "en", tmp_path / "deck.html").as_uri() + "#scene=2")
    pg.wait_for_selector("[data-testid=deck-title]")
    shown = pg.evaluate("""() => Array.from(document.querySelectorAll('.hm-item'))
        .filter(e => getComputedStyle(e).display !== 'none').map(e => e.dataset.layer)""")
    assert sorted(x.split("-", 1)[1] for x in shown) == sorted(RAW[1]["layers"])
    assert pg.locator("[data-testid=deck-title]").inner_text() == RAW[1]["title_en"]
    pg.close()


def open_presentation(pg, url, language="中文"):
    pg.goto(url)
    pg.wait_for_selector("iframe[title*='st_folium']", timeout=60000)
    if language == "English":
        pg.get_by_text("English", exact=True).click()
        settled(pg)
    pg.get_by_text("演示" if language == "中文" else "Presentation", exact=True).click()
    frame = pg.frame_locator("iframe[title='st.iframe']")
    frame.locator("[data-testid=deck-title]").wait_for(timeout=60000)
    return frame


def test_the_presentation_page_from_the_sidebar_follows_the_keys(page, app_url):
    frame = open_presentation(page, app_url)
    settled(page)
    assert title(frame) == expected_title(RAW[0])
    page.keyboard.press("ArrowRight")  # the page has the focus, not the map
    frame.locator("[data-testid=deck-title]").filter(has_text=expected_title(RAW[1])).wait_for(timeout=10000)
    assert "scene=2" in page.url and "page=present" in page.url
    # the sidebar's list of pages clicked again keeps the focus: its radio must not turn the
    # arrow keys into another page (the review found → opening the zone check)
    page.get_by_text("演示", exact=True).click()
    page.keyboard.press("ArrowDown")
    frame.locator("[data-testid=deck-title]").filter(has_text=expected_title(RAW[2])).wait_for(timeout=10000)
    assert "page=present" in page.url and "scene=3" in page.url
    page.keyboard.press("ArrowUp")
    frame.locator("[data-testid=deck-title]").filter(has_text=expected_title(RAW[1])).wait_for(timeout=10000)
    page.keyboard.press("PageDown")
    frame.locator("[data-testid=deck-title]").filter(has_text=expected_title(RAW[2])).wait_for(timeout=10000)
    frame.locator("[data-testid=deck-prev]").click()
    frame.locator("[data-testid=deck-title]").filter(has_text=expected_title(RAW[1])).wait_for(timeout=10000)
    assert page.get_by_test_id("stHeader").count() == 0 or not page.get_by_test_id("stHeader").is_visible()
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "present-page-scene2.png"))
    page.goto(page.url.replace("scene=2", "scene=4"))  # the link reopens its scene
    frame = page.frame_locator("iframe[title='st.iframe']")
    frame.locator("[data-testid=deck-title]").filter(has_text=expected_title(RAW[3])).wait_for(timeout=60000)


def test_the_presentation_page_in_english(page, app_url):
    frame = open_presentation(page, app_url, "English")
    assert title(frame) == RAW[0]["title_en"]
    page.keyboard.press("ArrowRight")
    frame.locator("[data-testid=deck-title]").filter(has_text=RAW[1]["title_en"]).wait_for(timeout=10000)
    assert frame.locator("[data-testid=deck-next]").get_attribute("title") == "Next scene (→, space)"


def test_the_presentation_page_exports_the_deck(page, app_url):
    open_presentation(page, app_url)
    settled(page)
    page.get_by_text("导出：打印页").click()
    settled(page)
    page.get_by_role("combobox", name="格式").click()
    page.get_by_role("option", name="演示文稿 PPTX（每个场景一张）").click()
    settled(page)
    page.get_by_role("button", name="生成文件").click()
    got = download(page, "下载")
    assert got.suggested_filename.endswith(".pptx")
    from pptx import Presentation

    slides = list(Presentation(io.BytesIO(Path(got.path()).read_bytes())).slides)
    assert [s.shapes.title.text for s in slides] == [expected_title(r) for r in RAW]


def test_a_map_page_prints_the_view_it_shows(page, app_url):
    page.goto(app_url)
    page.wait_for_selector("iframe[title*='st_folium']", timeout=60000)
    page.get_by_text("核心区拥江扩面示意图", exact=True).click()
    frame = page.frame_locator("iframe[title*='st_folium']")
    frame.locator(".leaflet-control-zoom-in").wait_for(timeout=60000)
    settled(page)
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_function("location.search.includes('view=')", timeout=10000)
    # the URL carries the extent shown in this window, which the print takes (not a fixed size)
    page.wait_for_timeout(500)
    box = [float(v) for v in page.evaluate("new URL(location.href).searchParams.get('box')").split(",")]
    shown = frame.locator(".leaflet-container").evaluate(
        "el => { const b = window.harbor.map.getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }")
    assert all(abs(a - b) < 2e-5 for a, b in zip(box, shown)), (box, shown)
    page.get_by_text("打印当前视图").click()
    png = page.locator("label", has_text="PNG（200 dpi）").locator("input")
    for _ in range(3):  # a click that lands while the map reruns its part is lost: again
        page.get_by_text("PNG（200 dpi）").click()
        settled(page)
        if png.is_checked():
            break
    assert png.is_checked()
    page.get_by_role("button", name="生成打印页").click()
    got = download(page, "下载打印页")
    image = Image.open(got.path())
    assert abs(image.size[0] - PIXELS["A4"][0]) <= 1 and abs(image.size[1] - PIXELS["A4"][1]) <= 1
    image.save(ARTIFACTS / "print-core-zone-view.png")

