"""The presentation's exports, produced and read back: print pages (PNG size at 200 dpi, a map
that is drawn where the zones are, Chinese in a font that has every character), the atlas
(a page per scene, titles as text), the PPTX (slides, titles, table cells, notes, read with
python-pptx, and opened by LibreOffice), and the command line."""

import csv
import io
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
from matplotlib.ft2font import FT2Font
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader
from pyproj import Transformer

from geo.render import draw_map, font, new_figure
from layers.deck import write_pptx
from layers.present import _range, print_figure, scene_sheet, write_atlas
from layers.scenes import load_scenes

ROOT = Path(__file__).resolve().parents[1]
RAW = tomllib.loads((ROOT / "data" / "scenes.toml").read_text(encoding="utf-8"))["scene"]
with open(ROOT / "data" / "features.csv", encoding="utf-8") as f:
    FEATURES = {row["id"]: row for row in csv.DictReader(f)}
with open(ROOT / "data" / "targets.csv", encoding="utf-8") as f:
    TARGETS = list(csv.DictReader(f))
# ISO 216 paper, landscape, in millimetres; 200 dpi
PIXELS = {"A4": (round(297 / 25.4 * 200), round(210 / 25.4 * 200)),
          "A3": (round(420 / 25.4 * 200), round(297 / 25.4 * 200))}


def expected_title(raw: dict, lang: str = "zh") -> str:
    """A scene's title as data/scenes.toml gives it, or the name of the one feature it fits."""
    if f"title_{lang}" in raw:
        return raw[f"title_{lang}"]
    return FEATURES[raw["fit"][0].split(":")[1]][f"name_{lang}"]


def expected_indicators(raw: dict) -> list[str]:
    """The indicators of a scene's targets, from data/targets.csv ("A4-8": all of row 8)."""
    out = []
    for ref in raw.get("targets", []):
        rows = [t for t in TARGETS if t["id"] == ref or (ref == f"A4-{t['row']}")]
        out += [t["indicator_zh"] for t in rows if t["indicator_zh"] not in out]
    return out


@pytest.fixture(scope="module")
def scenes():
    found, problems = load_scenes()
    assert problems == []
    return found


def png_of(fig, dpi=200) -> Image.Image:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB")


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_a_print_page_is_its_paper_landscape_at_200_dpi(scenes, paper):
    image = png_of(print_figure(scene_sheet(scenes[1], "zh"), paper))
    width, height = image.size
    assert abs(width - PIXELS[paper][0]) <= 1 and abs(height - PIXELS[paper][1]) <= 1


def test_the_map_of_a_print_page_is_drawn_not_blank(scenes):
    fig = print_figure(scene_sheet(scenes[1], "zh"), "A4")
    image = np.asarray(png_of(fig))
    ax = fig.axes[0].get_position()  # the map's box on the page
    h, w, _ = image.shape
    box = image[int((1 - ax.y1) * h) + 5:int((1 - ax.y0) * h) - 5, int(ax.x0 * w) + 5:int(ax.x1 * w) - 5]
    colours = {tuple(c) for c in box.reshape(-1, 3)[::97]}
    sea = np.all(np.abs(box.astype(int) - (0xCF, 0xE0, 0xEC)) < 4, axis=2)
    assert len(colours) > 50 and sea.mean() < 0.5


def test_a_zone_is_drawn_in_its_colour_where_it_is():
    """博览中心站 (OpenStreetMap: 120.2320549 E, 30.2350431 N) lies in 钱江世纪城: the core
    zone's fill there is #e74c3c at 0.5 over the districts' #f7f4ec, which is (239, 160, 148)."""
    scenes_, _ = load_scenes()
    sheet = scene_sheet(next(s for s in scenes_ if s.id == "core"), "zh")
    sheet.layers = [x for x in sheet.layers if x.id in ("districts", "core_zone")]
    for layer in sheet.layers:
        layer.labels = []  # no name over the point
    fig = new_figure(6, 4)
    ax = fig.add_axes([0, 0, 1, 1])
    draw_map(ax, sheet.layers, sheet.bounds, sheet.order)
    x, y = Transformer.from_crs(4326, 3857, always_xy=True).transform(120.2320549, 30.2350431)
    image = np.asarray(png_of(fig, dpi=100))
    px, py = ax.transData.transform((x, y))
    colour = image[int(image.shape[0] - py), int(px)].astype(int)
    assert np.all(np.abs(colour - (239, 160, 148)) <= 12), colour


def test_every_character_drawn_has_a_glyph_in_the_font(scenes):
    """No tofu: the CJK font (from mplfonts) has every character of every scene's titles,
    names, legend, lists and notes, in both languages."""
    face = FT2Font(font().get_file())
    texts = []
    for scene in scenes:
        for lang in ("zh", "en"):
            sheet = scene_sheet(scene, lang)
            texts += [sheet.title, sheet.lead, sheet.notes, sheet.sources, sheet.accuracy]
            texts += [x for row in sheet.targets + sheet.tasks for x in row]
            for layer in sheet.layers:
                texts += [layer.name] + [c["name"] for c in layer.classes.values()]
                texts += [label["text"] for label in layer.labels]
    missing = {ch for text in texts for ch in text if ch.strip() and face.get_char_index(ord(ch)) == 0}
    assert missing == set()


def test_the_atlas_has_a_page_per_scene_with_its_title(tmp_path, scenes):
    path = write_atlas([scene_sheet(s, "zh") for s in scenes], tmp_path / "atlas.pdf")
    reader = PdfReader(path)
    assert len(reader.pages) == len(RAW)
    for page, raw in zip(reader.pages, RAW):
        assert round(float(page.mediabox.width)) == 842 and round(float(page.mediabox.height)) == 595  # A4 in pt
        assert expected_title(raw) in page.extract_text().replace("\n", "")
    fonts = {str(f) for page in reader.pages[:1] for f in
             (page["/Resources"]["/Font"][k].get_object()["/BaseFont"] for k in page["/Resources"]["/Font"])}
    assert any("NotoSansCJK" in f for f in fonts), fonts


@pytest.fixture(scope="module")
def deck(tmp_path_factory, scenes):
    path = tmp_path_factory.mktemp("deck") / "deck.pptx"
    write_pptx(scenes, [scene_sheet(s, "zh") for s in scenes], path)
    return path


def test_the_deck_has_a_slide_per_scene_with_title_tables_and_notes(deck):
    slides = list(Presentation(deck).slides)
    assert len(slides) == len(RAW)
    for slide, raw in zip(slides, RAW):
        assert slide.shapes.title.text == expected_title(raw)
        tables = [s.table for s in slide.shapes if s.has_table]
        indicators = expected_indicators(raw)
        if indicators:
            first = tables[0]
            assert [first.cell(i, 0).text for i in range(1, len(first.rows))] == indicators
        assert slide.notes_slide.notes_text_frame.text.split("\n\n")[0] == raw["notes_zh"]
        assert any(s.shape_type == 13 for s in slide.shapes)  # the map, a picture


def test_the_deck_shows_the_tasks_of_a_scene_as_a_table(deck):
    slide = list(Presentation(deck).slides)[1]  # core: 三(一)1, 三(一)2
    table = [s.table for s in slide.shapes if s.has_table][0]
    assert [table.cell(i, 0).text for i in range(1, 3)] == ["三(一)1", "三(一)2"]
    assert table.cell(2, 1).text == "推动核心区拥江扩面"  # data/tasks.csv, 三(一)2


def test_libreoffice_opens_the_deck(deck, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("HARBOR_REQUIRE_BROWSER"):
            pytest.fail("LibreOffice (soffice) is missing: scripts/test installs libreoffice-impress")
        pytest.skip("LibreOffice (soffice) is missing")
    profile = tmp_path / "profile"
    done = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(PdfReader(tmp_path / "deck.pdf").pages) == len(RAW)


def test_accuracy_spans_are_read_from_the_accuracy_texts():
    assert _range("roads ±50 m; east edge placed by area, ±1 km; ±300 m") == "±50 m – ±1 km"
    assert _range("±2 km") == "±2 km"
    assert _range("schematic; membership is by city") == ""


def run(*args):
    return subprocess.run([sys.executable, "-m", "layers.present", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def test_the_command_writes_one_scene_on_a3_with_progress(tmp_path):
    done = run("--out", str(tmp_path), "--scene", "core", "--format", "png", "--format", "pdf",
               "--paper", "A3")
    assert done.returncode == 0, done.stderr
    assert "[1/2]" in done.stderr and "[2/2]" in done.stderr
    image = Image.open(tmp_path / "02_core_zh_A3.png")
    assert abs(image.size[0] - PIXELS["A3"][0]) <= 1
    page = PdfReader(tmp_path / "02_core_zh_A3.pdf").pages[0]
    assert round(float(page.mediabox.width)) == 1191  # A3 landscape: 420 mm in pt
    assert "核心区拥江扩面" in page.extract_text()


def test_the_command_names_a_bad_scene_and_writes_the_others(tmp_path):
    bad = tmp_path / "scenes.toml"
    bad.write_text('[[scene]]\nid = "ok"\ntitle_zh = "好"\ntitle_en = "Good"\nlayers = ["core_zone"]\n'
                   'fit = ["core_zone"]\n\n[[scene]]\nid = "bad"\ntitle_zh = "坏"\ntitle_en = "Bad"\n'
                   'layers = ["no_such_layer"]\nfit = ["core_zone"]\n', encoding="utf-8")
    done = run("--out", str(tmp_path / "out"), "--scenes", str(bad), "--format", "png")
    assert done.returncode == 1, done.stderr  # written, but not all: a script can tell
    assert "场景 2 (bad)，字段 layers：未知图层 'no_such_layer'" in done.stderr
    assert "有 1 个场景有问题，未写出" in done.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["01_ok_zh_A4.png"]


def test_the_command_writes_nothing_from_a_file_with_no_scene_and_says_so(tmp_path):
    bad = tmp_path / "scenes.toml"
    bad.write_text('[[scene]\nid = "x"\n', encoding="utf-8")  # not TOML
    done = run("--out", str(tmp_path / "out"), "--scenes", str(bad), "--lang", "en")
    assert done.returncode == 2 and "has no scene to show; nothing was written" in done.stderr
    done = run("--out", str(tmp_path / "out"), "--scene", "nope", "--lang", "en")
    assert done.returncode == 2 and "There is no scene 'nope'; the scenes are layout, core" in done.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_command_refuses_less_than_200_dpi(tmp_path):
    done = run("--out", str(tmp_path), "--dpi", "150", "--format", "png")
    assert done.returncode == 2 and "200" in done.stderr


def test_every_slide_keeps_its_parts_on_the_slide_and_apart(deck):
    """Title, map and tables inside the 16:9 slide and not over one another; the map picture
    is at least 200 dpi in its box and not stretched; table text at least 10 pt, headers bold."""
    presentation = Presentation(deck)
    width, height = presentation.slide_width, presentation.slide_height
    assert round(width / height, 3) == round(16 / 9, 3)
    for slide in presentation.slides:
        boxes = []
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, shape.name
            assert shape.left + shape.width <= width and shape.top + shape.height <= height, shape.name
            boxes.append((shape.left, shape.top, shape.left + shape.width, shape.top + shape.height))
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
        picture = next(s for s in slide.shapes if s.shape_type == 13)
        pixels = Image.open(io.BytesIO(picture.image.blob)).size
        inches = (picture.width / 914400, picture.height / 914400)
        assert pixels[0] / inches[0] >= 199 and pixels[1] / inches[1] >= 199
        assert abs(pixels[0] / pixels[1] - inches[0] / inches[1]) < 0.01
        assert slide.shapes.title.text_frame.paragraphs[0].runs[0].font.size.pt >= 24
        for table in (s.table for s in slide.shapes if s.has_table):
            for i, row in enumerate(table.rows):
                for cell in row.cells:
                    for run in (r for p in cell.text_frame.paragraphs for r in p.runs):
                        assert run.font.size.pt >= 10 and bool(run.font.bold) == (i == 0)


def test_a_slide_with_more_text_has_smaller_table_text(deck, scenes):
    """14 pt where the side panel fits at 14 pt, smaller (not under 10 pt) where it does not:
    the major projects' nine rows of targets and tasks, in English, do not fit at 14 pt."""
    from layers.deck import SLIDE_H, _side_size

    for slide in Presentation(deck).slides:
        tables = [s.table for s in slide.shapes if s.has_table]
        sizes = {t.cell(r, c).text_frame.paragraphs[0].runs[0].font.size.pt
                 for t in tables for r in range(len(t.rows)) for c in range(len(t.columns))}
        assert sizes in ({14}, set())  # every Chinese slide fits at 14 pt
    room = SLIDE_H - 0.2 - 1.2
    projects = scene_sheet(next(s for s in scenes if s.id == "major_projects"), "en")
    assert 10 <= _side_size(projects, room) < 14
    assert _side_size(projects, 100) == 14 and _side_size(projects, 0.5) == 10


def test_a_row_is_as_high_as_its_wrapped_text():
    """A cell 4.75 in wide at 14 pt, less 0.2 in of margins, holds 4.55 × 72 / 14 = 23.4
    Chinese characters a line: 23 take one line, 24 two; Latin letters are about half as wide."""
    from layers.deck import _lines

    assert _lines("字" * 23, 4.75, 14) == 1 and _lines("字" * 24, 4.75, 14) == 2
    assert _lines("字" * 71, 4.75, 14) == 4  # 71 / 23.4: three lines and a bit
    assert _lines("word " * 6, 4.75, 14) == 1  # 30 letters of about 0.55 em
    assert _lines("international " * 5, 2.0, 10) == 5  # each word on a line of its own
    assert _lines("一\n二", 4.75, 14) == 2


def test_a_web_map_view_becomes_the_bounds_it_shows():
    """At zoom 12 a 1280×720 px web map spans 1280 × 360 / (256 × 2¹²) = 0.4394531° of
    longitude, and 720/1280 of that times cos(latitude) of latitude around its centre."""
    from layers.present import view_bounds

    minx, miny, maxx, maxy = view_bounds(30.25, 120.2, 12)
    assert abs((maxx - minx) - 0.4394531) < 1e-6 and abs((minx + maxx) / 2 - 120.2) < 1e-9
    assert abs((maxy - miny) - 0.4394531 * 720 / 1280 * 0.8638355) < 1e-4  # cos 30.25°
    assert abs((miny + maxy) / 2 - 30.25) < 1e-9


def test_a_map_view_prints_only_its_visible_layers_under_the_maps_title():
    from layers.present import view_sheet

    sheet = view_sheet("annex2", ["core_zone", "river", "no_such_layer"], (120.1, 30.1, 120.3, 30.3), "en")
    assert [layer.id for layer in sheet.layers] == ["river", "core_zone"]  # the registry's order
    assert sheet.title == "Core zone and its riverside extension (Annex 2)"
    assert sheet.bounds == (120.1, 30.1, 120.3, 30.3)
    assert sheet.accuracy.startswith("Core zone: drawn from published descriptions, ±50 m")
    zh = view_sheet("annex1", ["province"], (118, 27, 123, 31), "zh")
    assert zh.title == "钱塘江金融港湾（2021-2025）功能布局图（附件1）" and zh.accuracy == ""


@pytest.mark.parametrize("text, box", [
    ("120.1,30.1,120.3,30.3", (120.1, 30.1, 120.3, 30.3)),
    ("120.3,30.1,120.1,30.3", None),  # west of east
    ("120.1,30.1,120.3", None), ("a,b,c,d", None), ("", None),
    ("-10,30.1,120.3,30.3", None), ("120.1,30.1,120.3,nan", None),
])
def test_the_extent_a_web_map_reports_is_read_or_refused(text, box):
    from layers.present import shown_box

    assert shown_box(text) == box


def test_a_scene_names_the_features_it_cannot_place(scenes, deck):
    """Annex 5 三1 and 三2 name eight key projects of the two financial cities; one (江河汇) has
    a published place. The other seven are named under the scene, on the slide's notes too."""
    from layers.deck import _sections

    sheet = scene_sheet(next(s for s in scenes if s.id == "financial_cities"), "zh")
    assert sheet.unplaced == ["杭州银行总部", "永安国富大厦", "太平浙江总部", "浙商银行总部",
                              "泰隆银行杭州总部", "浙商产融总部", "浙商金控金融中心"]
    assert _sections(sheet)[-1]["items"] == ["、".join(sheet.unplaced)]
    notes = Presentation(deck).slides[2].notes_slide.notes_text_frame.text
    assert "未上图" in notes and "浙商金控金融中心" in notes
    assert scene_sheet(next(s for s in scenes if s.id == "core"), "en").unplaced == []


def test_no_name_under_the_scale_bar_the_north_arrow_or_the_legend_and_no_symbol_under_the_arrow(scenes):
    """Each scene's print map and slide picture: every name's middle outside the corners the
    scale bar, the north arrow and (on a slide) the legend stand in, and the arrow clear of the
    point symbols (the review found 玉皇山南基金小镇 under the scale bar and 南湖基金小镇's
    symbol under the arrow)."""
    from geo.render import NORTH_SIZE, SCALE_BOX, symbol_boxes

    def inside(x, y, box):
        return box[0] <= x <= box[2] and box[1] <= y <= box[3]

    for scene in scenes:
        sheet = scene_sheet(scene, "zh")
        fig = new_figure(8, 5.9)
        ax = fig.add_axes([0, 0, 1, 1])
        drawn = draw_map(ax, sheet.layers, sheet.bounds, sheet.order, furniture=(8, "N"),
                         keep_out=[(0, 0.6, 0.3, 1)])
        w, h = 8 * 96, 5.9 * 96
        nx, ny = drawn["north"]
        arrow = (nx - NORTH_SIZE[0], ny - NORTH_SIZE[1], nx + NORTH_SIZE[2], ny + NORTH_SIZE[3])
        for name in drawn["names"]:
            x, y = name["cx"] / w, name["cy"] / h
            for box in (SCALE_BOX, arrow, (0, 0.6, 0.3, 1)):
                assert not inside(x, y, box), (scene.id, name["text"], box)
        for symbol in symbol_boxes(sheet.layers, drawn["view"]):
            x0, y0, x1, y1 = symbol.bounds
            assert x1 / w < arrow[0] or x0 / w > arrow[2] or y1 / h < arrow[1] or y0 / h > arrow[3], scene.id
