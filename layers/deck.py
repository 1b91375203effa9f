"""The scenes as a deck: the interactive map with its scenes (one standalone HTML file, also
what the presentation page shows) and a PowerPoint file (16:9), a slide per scene with its map,
its targets and tasks as PowerPoint tables and its notes as the speaker's notes."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

from pptx import Presentation
from pptx.util import Inches, Pt

from geo.webmap import build_map
from layers.maps import ATTRIBUTION, MAP_TEXTS, groups, map_layers
from layers.present import WORDS, Sheet, scene_bounds, map_picture, scene_map, scene_sheet
from layers.registry import BY_ID, DRAW_ORDER, MAPS
from layers.scenes import Scene

DECK_TEXTS = {"zh": {"previous": "上一个场景（←）", "next": "下一个场景（→、空格）", "fullscreen": "全屏（F）"},
              "en": {"previous": "Previous scene (←)", "next": "Next scene (→, space)",
                     "fullscreen": "Full screen (F)"}}


def _layer_key(map_id: str, layer_id: str) -> str:
    return f"{map_id}-{layer_id}"


def _where(scene: Scene) -> list[tuple[str, str]]:
    """(map, layer) of each layer of a scene: its own map's, else the layer's first map's."""
    main = scene_map(scene)
    return [(main if main in BY_ID[i].maps else BY_ID[i].maps[0], i)
            for i in scene.layers if BY_ID[i].maps]


def _sections(sheet: Sheet) -> list[dict]:
    w = WORDS[sheet.lang]
    colon = "：" if sheet.lang == "zh" else ": "
    out = []
    if sheet.targets:
        out.append({"title": w["targets"], "items": [f"{a}{colon}{b}" for a, b, _ in sheet.targets]})
    if sheet.tasks:
        out.append({"title": w["tasks"], "items": [f"{a} {b}" for a, b in sheet.tasks]})
    if sheet.unplaced:
        out.append({"title": w["unplaced"], "items": [("、" if sheet.lang == "zh" else ", ").join(sheet.unplaced)]})
    return out


def deck_map(scenes: list[Scene], lang: str):
    """One folium map holding every layer the scenes show, and the scenes (geo/deck.js)."""
    wanted = {pair for scene in scenes for pair in _where(scene)}
    layers = []
    for map_id in MAPS:
        for layer in map_layers(map_id, lang):
            if (map_id, layer.id) in wanted:
                layer.id = _layer_key(map_id, layer.id)
                layer.show = False
                layers.append(layer)
    order = [_layer_key(m, i) for i in DRAW_ORDER for m in MAPS]
    deck = {"param": "scene", "texts": DECK_TEXTS[lang], "scenes": []}
    for scene in scenes:
        sheet = scene_sheet(scene, lang)
        minx, miny, maxx, maxy = scene_bounds(scene)
        deck["scenes"].append({
            "id": scene.id, "title": sheet.title, "lead": sheet.lead, "sections": _sections(sheet),
            "layers": [_layer_key(m, i) for m, i in _where(scene)],
            "bounds": [[miny, minx], [maxy, maxx]]})
    first = deck["scenes"][0]["bounds"] if scenes else [[27, 118], [31.5, 123]]
    return build_map(layers, (first[0][1], first[0][0], first[1][1], first[1][0]), groups(lang),
                     MAP_TEXTS[lang], order=order, attribution=ATTRIBUTION[lang], deck=deck)


def deck_html(scenes: list[Scene], lang: str) -> str:
    """The deck as one HTML page that needs no server and no network."""
    return deck_map(scenes, lang).get_root().render()


def write_html(scenes: list[Scene], lang: str, path: Path) -> Path:
    Path(path).write_text(deck_html(scenes, lang), encoding="utf-8")
    return path


SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9
MAP_BOX = (0.35, 1.2, 7.7, 6.0)  # left, top, width, height (inches)
SIDE_LEFT, SIDE_W = 8.25, 4.75


CELL_MARGIN_W, CELL_MARGIN_H = 0.2, 0.1  # inches: PowerPoint's default cell margins, both sides
SIZES = (14, 12, 11, 10)  # points: the largest that lets the slide's text fit is used


def _lines(text: str, width: float, size: int) -> int:
    """How many lines ``text`` takes in a column ``width`` inches wide at ``size`` points: a
    Chinese character is as wide as the type is high, a Latin one a little over half that."""
    room = (width - CELL_MARGIN_W) * 72 / size  # in ems
    lines = 0
    for paragraph in str(text).split("\n"):
        used, count = 0.0, 1
        for word in re.findall(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+", paragraph):
            w = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in word)
            if used + w > room and used > 0:
                count += 1 + int(w // room)
                used = w % room
            else:
                used += w
        lines += count
    return lines


def _row_heights(rows: list[list[str]], widths: list[float], size: int) -> list[float]:
    return [max(_lines(text, w, size) for text, w in zip(row, widths)) * size * 1.2 / 72 + CELL_MARGIN_H
            for row in rows]


def _table(slide, top: float, header: list[str], rows: list[list[str]], widths: list[float],
           size: int) -> float:
    """A PowerPoint table (editable text, not a picture), each row as high as its text needs;
    returns its bottom (inches)."""
    heights = _row_heights([header, *rows], widths, size)
    shape = slide.shapes.add_table(len(rows) + 1, len(header), Inches(SIDE_LEFT), Inches(top),
                                   Inches(sum(widths)), Inches(sum(heights)))
    table = shape.table
    for j, width in enumerate(widths):
        table.columns[j].width = Inches(width)
    for i, row in enumerate([header, *rows]):
        table.rows[i].height = Inches(heights[i])
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            cell.text = text
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)
                    run.font.bold = i == 0
    return top + sum(heights) + GAP


GAP = 0.2  # inches between the parts of the side panel
TARGET_WIDTHS, TASK_WIDTHS = [2.95, 1.8], [1.3, 3.45]


def _side_size(sheet: Sheet, room: float) -> int:
    """The largest type size at which the side panel's lead and tables fit in ``room`` inches."""
    w = WORDS[sheet.lang]
    for size in SIZES:
        need = 0.0
        if sheet.lead:
            need += _lines(sheet.lead, SIDE_W, size) * size * 1.2 / 72 + CELL_MARGIN_H + GAP
        if sheet.targets:
            need += sum(_row_heights([[w["indicator"], w["target"]], *[[a, b] for a, b, _ in sheet.targets]],
                                     TARGET_WIDTHS, size)) + GAP
        if sheet.tasks:
            need += sum(_row_heights([[w["no"], w["task"]], *[[a, b] for a, b in sheet.tasks]],
                                     TASK_WIDTHS, size)) + GAP
        if need <= room:
            return size
    return SIZES[-1]


def write_pptx(scenes: list[Scene], sheets: list[Sheet], path: Path, dpi: int = 200,
               progress=None) -> Path:
    """A slide per scene: title, map picture, targets and tasks as tables, notes;
    ``progress(number, total, title)`` after each."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    layout = deck.slide_layouts[5]  # title only
    for scene, sheet in zip(scenes, sheets):
        w = WORDS[sheet.lang]
        slide = deck.slides.add_slide(layout)
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = Inches(0.35), Inches(0.25), Inches(12.6), Inches(0.85)
        title.text = sheet.title
        title.text_frame.paragraphs[0].runs[0].font.size = Pt(30)
        left, top, width, height = MAP_BOX
        picture = map_picture(sheet, width, height, dpi)
        slide.shapes.add_picture(io.BytesIO(picture), Inches(left), Inches(top), Inches(width), Inches(height))
        y = top
        size = _side_size(sheet, SLIDE_H - 0.2 - top)
        if sheet.lead:
            lead = f"{w['positioning']}：{sheet.lead}" if sheet.lang == "zh" else f"{w['positioning']}: {sheet.lead}"
            high = _lines(lead, SIDE_W, size) * size * 1.2 / 72 + CELL_MARGIN_H
            box = slide.shapes.add_textbox(Inches(SIDE_LEFT), Inches(y), Inches(SIDE_W), Inches(high))
            box.text_frame.word_wrap = True
            box.text_frame.text = lead
            box.text_frame.paragraphs[0].runs[0].font.size = Pt(size)
            y += high + GAP
        if sheet.targets:
            y = _table(slide, y, [w["indicator"], w["target"]], [[a, b] for a, b, _ in sheet.targets],
                       TARGET_WIDTHS, size)
        if sheet.tasks:
            y = _table(slide, y, [w["no"], w["task"]], [[a, b] for a, b in sheet.tasks], TASK_WIDTHS, size)
        if not sheet.targets and not sheet.tasks:
            box = slide.shapes.add_textbox(Inches(SIDE_LEFT), Inches(y), Inches(SIDE_W), Inches(0.6))
            box.text_frame.text = w["none"]
        unplaced = f"{w['unplaced']}：{'、'.join(sheet.unplaced)}" if sheet.lang == "zh" else \
            f"{w['unplaced']}: {', '.join(sheet.unplaced)}"
        slide.notes_slide.notes_text_frame.text = "\n\n".join(
            part for part in (sheet.notes, unplaced if sheet.unplaced else "") if part)
        if progress:
            progress(len(deck.slides), len(sheets), sheet.title)
    deck.save(path)
    return path
