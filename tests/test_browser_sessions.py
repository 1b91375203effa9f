"""Two planners at once, each in their own browser (Playwright contexts: own cookies, storage
and cache): what one does never shows in the other's session (language, selection, visible
layers, an uploaded list and its result, a signed-in user); a download's address cannot be
guessed; and an upload and its downloads are released when the session that made them ends."""

import re
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ARTIFACTS, download, running_app, settled
from layers.accounts import add_user
from test_browser import click_at, open_map, url_params

PASSWORD = "hangzhou-harbor-2025"
TTL = 3  # seconds a closed session is kept for its planner to come back (Streamlit's default: 120)


@pytest.fixture(scope="module")
def sessions_app():
    folder = Path(tempfile.mkdtemp(prefix="harbor-sessions-"))
    add_user("hz", PASSWORD, "editor", ["杭州市政府"], "杭州市金融办", path=folder / "users.toml")
    env = {"HARBOR_DATA_DIR": str(folder), "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(TTL)}
    with running_app(env, name="streamlit-sessions") as url:
        yield url


def memory_of(url: str) -> dict[str, int]:
    """Bytes held by the server, per kind, from Streamlit's own metrics (/_stcore/metrics)."""
    text = urllib.request.urlopen(f"{url}/_stcore/metrics").read().decode()
    held = {}
    for kind, size in re.findall(r'cache_memory_bytes\{cache_type="([^"]+)"[^}]*\} (\d+)', text):
        held[kind] = held.get(kind, 0) + int(size)
    return held


def status_of(url: str) -> int:
    try:
        return urllib.request.urlopen(url).status
    except urllib.error.HTTPError as err:
        return err.code


def sidebar(page, name: str) -> None:
    page.get_by_test_id("stSidebar").get_by_text(name, exact=True).click()
    settled(page)


def test_two_planners_see_only_their_own_session(browser, sessions_app, tmp_path):
    a = browser.new_context(viewport={"width": 1600, "height": 900}, accept_downloads=True)
    b = browser.new_context(viewport={"width": 1600, "height": 900})
    pa, pb = a.new_page(), b.new_page()
    open_map(pa, f"{sessions_app}/?page=core-zone")
    frame_b = open_map(pb, f"{sessions_app}/?page=core-zone")
    layers = frame_b.locator("[data-testid=layer-list] .hm-row input").count()

    # A: a feature selected by a click, a layer hidden, the page in English
    frame_a = open_map(pa, pa.url)
    click_at(pa, frame_a, 30.2580532, 120.2082401)  # 钱江路站: 杭州金融城 is selected
    pa.get_by_role("heading", name="杭州金融城").wait_for(timeout=30000)
    frame_a.locator("[data-layer=core_zone] input").uncheck()
    sidebar(pa, "English")
    pa.get_by_role("heading", name="Core zone and its riverside extension").wait_for(timeout=30000)

    # B, after its own rerun (a search typed): still Chinese, nothing selected, every layer on
    pb.get_by_placeholder(re.compile("输入名称")).fill("钱江新城")
    pb.keyboard.press("Enter")
    settled(pb)
    assert pb.get_by_role("heading", name="钱塘江金融港湾核心区拥江扩面示意图").is_visible()
    assert pb.get_by_text("点击地图上的区域或要素，或使用搜索").is_visible()  # no selection
    assert pb.get_by_role("heading", name="杭州金融城").count() == 0
    frame_b = open_map(pb, pb.url)
    assert frame_b.locator("[data-testid=layer-list] .hm-row input:checked").count() == layers
    params = url_params(pb)
    assert "sel" not in params and "core_zone" in params["layers"].split(",")

    # A signs in; B is not signed in
    sidebar(pa, "Targets")
    pa.get_by_label("User name").fill("hz")
    pa.get_by_label("Password", exact=True).fill(PASSWORD)
    pa.get_by_role("button", name="Sign in").click()
    pa.get_by_text(re.compile("Signed in: 杭州市金融办")).wait_for(timeout=30000)
    sidebar(pb, "目标监测")
    pb.get_by_label("用户名").wait_for(timeout=30000)
    assert pb.get_by_text(re.compile("已登录|Signed in")).count() == 0

    # A uploads a list; B's zone check shows the plan's own projects, not A's file
    source = tmp_path / "a_only.csv"
    source.write_text("name,lon,lat\nA-only-project,120.2116,30.2468\n", encoding="utf-8")
    sidebar(pa, "Zone check")
    pa.locator("input[type=file]").set_input_files(str(source))
    settled(pa)
    pa.get_by_role("combobox", name=re.compile("oordinate system")).click()
    pa.get_by_role("option", name=re.compile("^WGS84")).click()
    pa.get_by_text("A-only-project").first.wait_for(state="attached", timeout=60000)  # the table
    sidebar(pb, "项目落区核查")
    pb.get_by_text("未上传文件：下面是规划本身已定位的项目").wait_for(timeout=60000)
    assert pb.get_by_text("A-only-project").count() == 0
    assert pb.get_by_text("a_only.csv").count() == 0

    # A's download: its address is 128 bits derived from the file; one digit off finds nothing
    saved = download(pa, "CSV")
    url = saved.url
    assert re.fullmatch(re.escape(sessions_app) + r"/media/[0-9a-f]{32}\.csv", url), url
    assert "A-only-project" in Path(saved.path()).read_text(encoding="utf-8-sig")
    guessed = url[:-5] + ("0" if url[-5] != "0" else "1") + url[-4:]
    assert status_of(guessed) == 404

    pa.screenshot(path=str(ARTIFACTS / "sessions-a.png"), full_page=True)
    pb.screenshot(path=str(ARTIFACTS / "sessions-b.png"), full_page=True)

    # A leaves: after the time a closed session is kept, its upload and download are gone
    assert memory_of(sessions_app).get("UploadedFileManager", 0) > 0
    assert status_of(url) == 200  # while its button is on A's page
    a.close()
    time.sleep(TTL + 1)
    b.close()  # a session that ends makes Streamlit drop those kept past their time
    deadline = time.time() + 20
    while (status_of(url) != 404 or memory_of(sessions_app).get("UploadedFileManager", 0)) \
            and time.time() < deadline:
        time.sleep(0.5)
    assert status_of(url) == 404
    assert memory_of(sessions_app).get("UploadedFileManager", 0) == 0
