"""The real app in Debian's Chromium (Playwright): every page draws its layers, clicks list the
zones and open the panel, search flies, the language switch changes the labels, a copied URL
restores the view, and no request leaves the machine and the console shows no error.
Screenshots go to tests/artifacts/."""

import re
from urllib.parse import parse_qs, urlparse

import pytest

from conftest import ARTIFACTS, download, settled
from layers.load import load_layer
from layers.maps import DISPLAY_FILTER
from layers.registry import layers_for_map

PAGES = {"layout": "annex1", "core-zone": "annex2", "radiation": "annex3"}
HOSTILE = "<img src=x onerror=alert(1)>"


def drawn_features_expected(map_id: str) -> int:
    total = 0
    for layer in layers_for_map(map_id):
        frame = load_layer(layer.id).located
        key = DISPLAY_FILTER.get((map_id, layer.id))
        total += len(frame[frame[key[0]] == key[1]]) if key else len(frame)
    return total


def open_map(pg, url):
    pg.goto(url)
    pg.wait_for_selector("iframe[title*='st_folium']", timeout=60000)
    frame = next(f for f in pg.frames if "st_folium" in f.url)
    frame.wait_for_selector(".leaflet-overlay-pane path.leaflet-interactive", timeout=60000)
    frame.wait_for_selector("[data-testid=layer-list]", timeout=30000)
    return frame


def click_at(pg, frame, lat, lon):
    """Click the map at a geographic position."""
    point = frame.evaluate("([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
                           " return [p.x, p.y]; }", [lat, lon])
    box = pg.locator("iframe[title*='st_folium']").bounding_box()
    pg.mouse.click(box["x"] + point[0], box["y"] + point[1])


def url_params(pg):
    return {k: v[0] for k, v in parse_qs(urlparse(pg.url).query).items()}


@pytest.mark.parametrize("page_id, map_id", PAGES.items())
def test_map_page_draws_its_layers_offline(app_url, page, page_id, map_id):
    frame = open_map(page, f"{app_url}/?page={page_id}")
    page.wait_for_timeout(800)
    # Every located feature is one SVG path (a multipolygon is one path too).
    assert frame.locator(".leaflet-overlay-pane path").count() == drawn_features_expected(map_id)
    rows = frame.locator("[data-testid=layer-list] .hm-row")
    assert rows.count() == len(layers_for_map(map_id))
    page.screenshot(path=str(ARTIFACTS / f"page-{page_id}.png"), full_page=True)


def test_click_lists_zones_and_opens_the_panel(app_url, page):
    frame = open_map(page, f"{app_url}/?page=core-zone")
    click_at(page, frame, 30.2580532, 120.2082401)  # 钱江路站
    page.get_by_text("此处的区域").wait_for(timeout=30000)
    page.locator("[data-testid=stMarkdownContainer] li", has_text="金融城").first.wait_for(timeout=30000)
    zones = page.locator("[data-testid=stMarkdownContainer] li").all_inner_texts()
    text = " ".join(zones)
    for name in ("杭州市", "上城区", "钱江新城", "杭州金融城", "G60 走廊科创金融特色带",
                 "G92 杭绍甬产业金融特色带"):
        assert name in text, name
    # The station lies in 钱江新城 (16.1 km²) and in 杭州金融城 (16.0 km², data/extents.csv):
    # the click selects the smaller, through the other's fill.
    page.get_by_role("heading", name="杭州金融城").wait_for(timeout=30000)
    page.wait_for_function("new URL(location.href).searchParams.get('sel') === 'financial_cities:hzjrc'",
                           timeout=10000)
    page.screenshot(path=str(ARTIFACTS / "click-zones.png"), full_page=True)


def test_search_flies_to_the_result(app_url, page):
    frame = open_map(page, f"{app_url}/?page=layout")
    zoom_before = frame.evaluate("window.map.getZoom()")
    box = page.get_by_role("textbox", name=re.compile("搜索"))
    box.fill("nanhujijin")
    box.press("Enter")
    page.locator("[data-testid=stButtonGroup] button", has_text="南湖基金小镇").click()
    page.get_by_role("heading", name="南湖基金小镇").wait_for(timeout=30000)
    frame.wait_for_function("window.map.getZoom() >= 12", timeout=30000)
    lat, lon = frame.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]")
    assert abs(lat - 30.725) < 0.05 and abs(lon - 120.795) < 0.05
    assert zoom_before < 12
    page.wait_for_timeout(1000)
    view = url_params(page)["view"].split(",")
    assert abs(float(view[0]) - 30.725) < 0.05 and float(view[2]) >= 12


def test_search_ranks_and_leads_unsited_projects_to_their_city(app_url, page):
    open_map(page, f"{app_url}/?page=core-zone&lang=en")
    box = page.get_by_role("textbox", name=re.compile("Search"))
    box.fill("bank")
    box.press("Enter")
    results = page.locator("[data-testid=stButtonGroup] button")
    results.first.wait_for(timeout=30000)
    texts = results.all_inner_texts()
    assert texts[0].startswith("Bank of Hangzhou headquarters")  # a prefix match first
    assert not any("Binjiang" in text for text in texts)
    results.first.click()
    # 杭州银行总部 has no site in the plan: its financial city opens.
    page.get_by_role("heading", name=re.compile("Hangzhou Financial City")).wait_for(timeout=30000)


def test_language_switch_changes_the_labels(app_url, page):
    frame = open_map(page, f"{app_url}/?page=radiation")
    assert frame.locator(".hm-title").inner_text() == "图层与图例"
    page.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Radiation area").wait_for(timeout=30000)
    frame = open_map(page, page.url)
    frame.wait_for_function("document.querySelector('.hm-title').textContent === 'Layers and legend'",
                            timeout=30000)
    groups = frame.locator(".hm-group").all_inner_texts()
    assert "Four belts" in groups and "Many towns" in groups
    assert "Finance belts" in frame.locator(".hm-name").all_inner_texts()
    assert "Finance towns" in frame.locator(".hm-name").all_inner_texts()
    assert url_params(page)["lang"] == "en"
    page.screenshot(path=str(ARTIFACTS / "page-radiation-en.png"), full_page=True)


def test_copied_url_restores_view_layers_and_selection(app_url, page, browser):
    frame = open_map(page, f"{app_url}/?page=core-zone")
    frame.evaluate("window.map.setView([30.2500, 120.2600], 13)")
    frame.locator("[data-layer=riverside_extension] input").uncheck()
    click_at(page, frame, 30.2350, 120.2700)  # in 钱江世纪城, 1 km from 钱塘江金融城 (shapely)
    page.get_by_role("heading", name="钱江世纪城").wait_for(timeout=30000)
    page.wait_for_function("new URL(location.href).searchParams.get('sel') === 'core_zone:qjsjc'",
                           timeout=10000)
    copied = page.url
    params = url_params(page)
    assert "riverside_extension" not in params["layers"] and params["sel"] == "core_zone:qjsjc"

    other = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
    frame2 = open_map(other, copied)
    other.get_by_role("heading", name="钱江世纪城").wait_for(timeout=30000)
    lat, lon, zoom = frame2.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]")
    assert abs(lat - 30.25) < 0.002 and abs(lon - 120.26) < 0.002 and zoom == 13
    assert url_params(other)["map"] == "annex2"
    assert not frame2.locator("[data-layer=riverside_extension] input").is_checked()
    assert frame2.locator("[data-layer=core_zone] input").is_checked()
    other.context.close()


def test_measure_tool(app_url, page):
    frame = open_map(page, f"{app_url}/?page=core-zone")
    frame.locator("[data-testid=measure]").click()
    for lat, lon in ((30.24, 120.20), (30.24, 120.22), (30.26, 120.22)):
        click_at(page, frame, lat, lon)
        page.wait_for_timeout(300)
    text = frame.locator("[data-testid=measure-result]").inner_text()
    # 0.02° of longitude at 30.24°N is 1.92 km, 0.02° of latitude 2.22 km: the path is 4.15 km
    # long and the right triangle about 2.14 km².
    assert re.search(r"(距离|Distance) 4\.1\d km", text), text
    assert re.search(r"(面积|Area) 2\.1\d km²", text), text


def test_panning_zooming_and_toggling_layers_do_not_rerun_the_script(app_url, page):
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    frame = open_map(page, f"{app_url}/?page=layout")
    page.wait_for_timeout(1500)
    sent.clear()
    box = page.locator("iframe[title*='st_folium']").bounding_box()
    x, y = box["x"] + 300, box["y"] + 400
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 120, y + 60, steps=8)
    page.mouse.up()
    frame.evaluate("window.map.zoomIn()")
    frame.locator("[data-layer=belts] input").uncheck()
    frame.locator("[data-layer=belts] input").check()
    page.wait_for_timeout(1500)
    assert sent == []  # not one message to the server: no rerun, no rebuilt map
    assert "belts" in url_params(page)["layers"]


def test_full_screen_button(app_url, page):
    frame = open_map(page, f"{app_url}/?page=core-zone")
    frame.locator("[data-testid=fullscreen]").click()
    page.wait_for_function("document.fullscreenElement !== null", timeout=10000)
    assert page.evaluate("document.fullscreenElement.tagName") == "IFRAME"
    page.screenshot(path=str(ARTIFACTS / "fullscreen.png"))
    frame.locator("[data-testid=fullscreen]").click()
    page.wait_for_function("document.fullscreenElement === null", timeout=10000)


def test_hostile_names_show_as_text_and_run_nothing(tmp_path, browser):
    from conftest import running_app

    districts = load_layer("districts").located[["name_zh", "name_en", "city", "geometry"]].copy()
    # 拱墅区 is drawn on the core-zone map by the (filled) districts layer alone.
    spot = districts.loc[districts["name_zh"] == "拱墅区", "geometry"].iloc[0].representative_point()
    lon, lat = spot.x, spot.y
    districts.loc[districts["name_zh"] == "拱墅区", "name_zh"] = HOSTILE
    districts.to_file(tmp_path / "districts.gpkg", driver="GPKG")
    (tmp_path / "layers.toml").write_text('[layers.districts]\npath = "districts.gpkg"\n',
                                          encoding="utf-8")
    with running_app({"HARBOR_LAYERS_CONFIG": str(tmp_path / "layers.toml")}, "hostile") as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1100})
        pg = context.new_page()
        dialogs = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        frame = open_map(pg, f"{url}/?page=core-zone")
        frame.evaluate(f"window.map.setView([{lat}, {lon}], 12)")
        pg.wait_for_timeout(800)
        box = pg.locator("iframe[title*='st_folium']").bounding_box()
        point = frame.evaluate(f"window.map.latLngToContainerPoint([{lat}, {lon}])")
        pg.mouse.move(box["x"] + point["x"] - 5, box["y"] + point["y"] - 5)
        pg.mouse.move(box["x"] + point["x"], box["y"] + point["y"], steps=3)
        tooltip = frame.locator(".leaflet-tooltip")
        tooltip.first.wait_for(timeout=10000)
        assert tooltip.first.inner_text().strip() == HOSTILE
        click_at(pg, frame, lat, lon)
        pg.get_by_text("此处的区域").wait_for(timeout=30000)
        item = pg.locator("[data-testid=stMarkdownContainer] li", has_text="县（市、区）")
        item.first.wait_for(timeout=30000)
        assert HOSTILE in item.first.inner_text()
        frame.evaluate(f"window.map.setView([{lat}, {lon}], 14)")  # where its name fits
        frame.wait_for_function(f"window.harbor.labelsShown.includes({HOSTILE!r})", timeout=10000)
        pg.wait_for_timeout(500)
        assert frame.locator("img[src=x]").count() == 0 and pg.locator("img[src=x]").count() == 0
        assert dialogs == []
        pg.screenshot(path=str(ARTIFACTS / "hostile-name.png"), full_page=True)
        context.close()


def test_zoom_to_layer_and_hide_it(app_url, page):
    frame = open_map(page, f"{app_url}/?page=layout")
    frame.locator("[data-layer=core_zone] .hm-zoom").click()
    frame.wait_for_function("window.map.getZoom() >= 11", timeout=10000)
    lat, lon = frame.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]")
    assert abs(lat - 30.25) < 0.05 and abs(lon - 120.23) < 0.05  # Hangzhou's riverside
    before = frame.locator(".leaflet-overlay-pane path").count()
    frame.locator("[data-layer=finance_towns] input").uncheck()
    assert frame.locator(".leaflet-overlay-pane path").count() == before - 5
    assert "hm-off" in frame.locator("[data-layer=finance_towns]").get_attribute("class")
    frame.locator("[data-layer=finance_towns] input").check()
    assert frame.locator(".leaflet-overlay-pane path").count() == before


def test_zone_check_upload_and_download_match_the_command_line(app_url, page, tmp_path):
    import subprocess
    import sys

    from layers.load import ROOT

    source = tmp_path / "项目清单.csv"
    source.write_text("项目名称,经度,纬度\n钱江路站,120.2082401,30.2580532\n空,,\n"
                      "世纪城,120.2387733,30.2427619\n南湖,120.795,30.725\n", encoding="gbk")
    cli = tmp_path / "cli.csv"
    subprocess.run([sys.executable, "-m", "layers.zonecheck", str(source), "-o", str(cli), "--lang", "zh"],
                   cwd=ROOT, check=True, capture_output=True)

    page.goto(f"{app_url}/?page=zone-check")
    page.get_by_text("规划本身已定位的项目").wait_for(timeout=60000)  # the default: Annex 5
    page.locator("input[type=file]").set_input_files(str(source))
    page.get_by_text("文件没有说明坐标所用的坐标系").wait_for(timeout=30000)
    settled(page)  # a rerun under way would close the list as it opens
    page.get_by_role("combobox", name=re.compile("坐标系")).click()
    page.get_by_role("option", name=re.compile("^WGS84")).click()
    page.get_by_text("1 行有问题").wait_for(timeout=60000)
    downloaded = tmp_path / "page.csv"
    download(page, "CSV").save_as(downloaded)
    assert downloaded.read_bytes() == cli.read_bytes()  # the page and the command line agree
    page.screenshot(path=str(ARTIFACTS / "zone-check-upload.png"), full_page=True)


def test_zone_check_polygon_selects_projects(app_url, page):
    page.goto(f"{app_url}/?page=zone-check")
    frame = open_map(page, page.url)
    page.locator("iframe[title*='st_folium']").scroll_into_view_if_needed()  # all of it on screen
    page.wait_for_timeout(300)
    frame.locator("[data-testid=draw]").click()
    # a triangle around Hangzhou's core zone: holds 江河汇 only of the plan's projects
    for lat, lon in ((30.30, 120.15), (30.30, 120.30), (30.20, 120.22)):
        click_at(page, frame, lat, lon)
        page.wait_for_timeout(250)
    box = page.locator("iframe[title*='st_folium']").bounding_box()
    point = frame.evaluate("window.map.latLngToContainerPoint([30.20, 120.22])")
    page.mouse.dblclick(box["x"] + point["x"], box["y"] + point["y"])
    page.get_by_text("多边形内的项目：1").wait_for(timeout=30000)
    # The selection stays on the map, outlined, until it is cleared; then it is gone for good.
    one_map = "document.querySelectorAll(\"iframe[title*='st_folium']\").length === 1"
    page.wait_for_function(one_map, timeout=30000)  # the map of the last run gone
    drawn = page.frame_locator("iframe[title*='st_folium']").locator(
        ".leaflet-overlay-pane path[stroke='#c2185b']")
    drawn.first.wait_for(timeout=30000)
    page.get_by_role("button", name="清除选区").click()
    page.get_by_text("用地图左侧的画笔工具画一个多边形").wait_for(timeout=30000)
    page.wait_for_timeout(2000)  # a rerun that brought the old polygon back would show by now
    page.wait_for_function(one_map, timeout=30000)
    assert page.get_by_text("多边形内的项目").count() == 0 and drawn.count() == 0
