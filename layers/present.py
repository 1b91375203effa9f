"""The presentation's exports: each scene of data/scenes.toml, or any view of a map page, as a
print page (PNG at 200 dpi or more, PDF; A4 or A3 landscape), an atlas (one PDF, a page per
scene), a deck (PPTX, 16:9) and the interactive deck as one standalone HTML file.

    python -m layers.present --out DIR [--scene ID] [--format png|pdf|atlas|pptx|html]
                             [--paper A4|A3] [--lang zh|en] [--dpi 200]

A print page has the title, the map with its names, the legend of the layers shown, a metric
scale bar and a north arrow, the sources and the accuracy of the layers shown, and the date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from matplotlib.backends.backend_pdf import PdfPages

from geo.labels import METRES_PER_PIXEL_Z0
from geo.render import draw_legend, draw_map, new_figure, wrap
from geo.webmap import MapLayer
from layers.load import load_layer
from layers.maps import ATTRIBUTION, layer_title, map_layers
from layers.plan import rows_for, targets_for
from layers.registry import BY_ID, DRAW_ORDER, LAYERS, MAPS
from layers.scenes import Scene, load_scenes
from layers.tables import targets_table, tasks_table

PAPERS = {"A4": (297, 210), "A3": (420, 297)}  # landscape, millimetres
FORMATS = ("png", "pdf", "atlas", "pptx", "html")
PLAN_TITLE = {"zh": "钱塘江金融港湾发展实施计划（2021-2025年）",
              "en": "Qiantang River Financial Harbor implementation plan (2021–2025)"}
FIT_PAD = 0.1  # share of the fitted extent added around it
VIEW_PX = (1280, 720)  # the screen a scene's view = [lat, lon, zoom] is meant for
WORDS = {
    "zh": {"legend": "图例", "targets": "主要目标", "tasks": "主要任务", "sources": "来源",
           "accuracy": "精度", "date": "制图日期", "positioning": "定位", "north": "N",
           "indicator": "指标", "target": "目标", "ref": "出处", "task": "任务", "no": "编号",
           "units": "责任单位", "none": "本场景未列目标与任务。",
           "unplaced": "未上图（计划未给出位置，也未找到公开的位置）"},
    "en": {"legend": "Legend", "targets": "Key targets", "tasks": "Key tasks", "sources": "Sources",
           "accuracy": "Accuracy", "date": "Map date", "positioning": "Positioning", "north": "N",
           "indicator": "Indicator", "target": "Target", "ref": "Plan reference", "task": "Task",
           "no": "No.", "units": "Responsible units", "none": "No targets or tasks listed for this scene.",
           "unplaced": "Not on the map (the plan gives no place, and no published one was found)"},
}


@dataclass
class Sheet:
    """One map to print: what it shows and the words around it, in one language."""
    title: str
    layers: list[MapLayer]  # in legend order
    order: list[str]  # draw order, bottom first
    bounds: tuple[float, float, float, float]  # WGS84
    lang: str
    lead: str = ""  # the positioning of the feature the scene is about
    targets: list[tuple[str, str, str]] = field(default_factory=list)  # indicator, target, ref
    tasks: list[tuple[str, str]] = field(default_factory=list)  # number, title
    notes: str = ""
    sources: str = ""
    accuracy: str = ""
    unplaced: list[str] = field(default_factory=list)  # names of its features with no place


def unplaced(scene: Scene, lang: str) -> list[str]:
    """The names of the features of a scene's layers that have no place on the map, in the
    cities of what the scene is fitted to (杭州金融城's key projects that no address places)."""
    cities = set()
    for layer_id, feature_id in scene.fit:
        frame = load_layer(layer_id).frame
        cities |= set((frame[frame["id"] == feature_id] if feature_id else frame).get("city", []))
    names = []
    for layer_id in scene.layers:
        frame = load_layer(layer_id).frame
        if "city" not in frame:
            continue
        missing = frame[frame.geometry.isna() | frame.geometry.is_empty]
        names += list(missing.loc[missing["city"].isin(cities), "name_en" if lang == "en" else "name_zh"])
    return names


def scene_map(scene: Scene) -> str:
    """The plan map whose simplification and names a scene uses: the one holding most of its
    layers (the first of equals)."""
    return max(MAPS, key=lambda m: sum(m in BY_ID[i].maps for i in scene.layers))


def _layers(map_id: str, layer_ids, lang: str) -> list[MapLayer]:
    """The layers ``layer_ids`` as drawn on ``map_id``, or on their own map when not on it."""
    out = []
    for layer in LAYERS:
        if layer.id not in layer_ids:
            continue
        on = map_id if map_id in layer.maps else next(iter(layer.maps), None)
        if on is None:
            continue
        out += [x for x in map_layers(on, lang) if x.id == layer.id]
    return out


def view_bounds(lat: float, lon: float, zoom: float) -> tuple[float, float, float, float]:
    """The WGS84 bounds a web map of VIEW_PX pixels shows at ``zoom`` around (lat, lon)."""
    metres = METRES_PER_PIXEL_Z0 / 2 ** zoom  # Web Mercator metres per pixel
    half_lon = VIEW_PX[0] / 2 * metres / 6378137 * 180 / math.pi
    half_lat = VIEW_PX[1] / 2 * metres * math.cos(math.radians(lat)) / 6378137 * 180 / math.pi
    return lon - half_lon, lat - half_lat, lon + half_lon, lat + half_lat


def shown_box(text: str) -> tuple[float, float, float, float] | None:
    """The extent a web map reports ("west,south,east,north", geo/webmap.js), or None when the
    text is not one (a hand-edited link) or lies off China's longitudes and latitudes."""
    try:
        west, south, east, north = (float(v) for v in str(text).split(","))
    except ValueError:
        return None
    box = (west, south, east, north)
    if not all(math.isfinite(v) for v in box) or not (70 <= west < east <= 140 and 0 <= south < north <= 60):
        return None
    return box


def scene_bounds(scene: Scene) -> tuple[float, float, float, float]:
    """What a scene shows (WGS84): its view, or its fitted features with a margin."""
    if scene.view:
        return view_bounds(*scene.view)
    geoms = []
    for layer_id, feature_id in scene.fit:
        frame = load_layer(layer_id).located
        geoms += list((frame[frame["id"] == feature_id] if feature_id else frame).geometry)
    minx, miny, maxx, maxy = shapely.union_all(geoms).bounds
    pad = max(maxx - minx, maxy - miny, 0.02) * FIT_PAD
    return minx - pad, miny - pad, maxx + pad, maxy + pad


def _range(accuracy: str) -> str:
    """The span of the ±figures in accuracy texts, in metres or kilometres: "±50 m – ±2 km"."""
    metres = [float(n) * (1000 if unit == "km" else 1)
              for n, unit in re.findall(r"±\s*([\d.]+)\s*(km|m)\b", accuracy)]
    if not metres:
        return ""

    def say(m: float) -> str:
        return f"±{m / 1000:g} km" if m >= 1000 else f"±{m:g} m"
    low, high = min(metres), max(metres)
    return say(low) if low == high else f"{say(low)} – {say(high)}"


def accuracy_note(layer_ids, lang: str) -> str:
    """One sentence per hand-drawn layer shown: how far its lines can be relied on."""
    parts = []
    for layer in LAYERS:
        if layer.id not in layer_ids or not layer.plan_layer:
            continue
        accuracies = set(load_layer(layer.id).frame["accuracy"])
        text = "; ".join(sorted(accuracies))
        span = _range(text)
        if all("administrative boundary" in a for a in accuracies):
            kind = ("administrative boundaries", "行政边界")
        elif all(a.startswith("symbol") for a in accuracies):
            kind = ("a symbol, its place schematic", "符号，位置示意")
        elif "schematic" in text:
            kind = ("schematic", "示意")
        else:
            kind = ("drawn from published descriptions", "按已发布描述绘制")
        name = layer_title(layer, lang)
        if lang == "en":
            parts.append(f"{name}: {kind[0]}{', ' + span if span else ''}")
        else:
            span = span.replace(" km", " 千米").replace(" m", " 米")
            parts.append(f"{name}：{kind[1]}{'，' + span if span else ''}")
    if not parts:
        return ""
    if lang == "en":
        return ("; ".join(parts) + ". Hand-drawn features are not official boundaries; "
                "each feature's source and accuracy are on the app's Data and sources page.")
    return "；".join(parts) + "。手绘要素不是法定边界；每个要素的来源与精度见应用的“数据与来源”页。"


def scene_sheet(scene: Scene, lang: str) -> Sheet:
    """A scene as a sheet: its layers over its view, its targets, tasks and notes."""
    map_id = scene_map(scene)
    targets = targets_table(targets_for(scene.targets), lang) if scene.targets else None
    tasks = tasks_table(rows_for("tasks", scene.tasks), lang) if scene.tasks else None
    lead = ""
    if len(scene.fit) == 1 and scene.fit[0][1]:
        feature = load_layer(scene.fit[0][0]).frame.set_index("id").loc[scene.fit[0][1]]
        lead = feature["positioning_en" if lang == "en" else "positioning_zh"] or ""
    return Sheet(
        title=scene.title_en if lang == "en" else scene.title_zh,
        layers=_layers(map_id, scene.layers, lang), order=list(DRAW_ORDER),
        bounds=scene_bounds(scene), lang=lang, lead=lead,
        targets=[] if targets is None else [tuple(v.strip() for v in r)
                                            for r in targets.iloc[:, [0, 2, 5]].astype(str).values],
        tasks=[] if tasks is None else [tuple(r) for r in tasks.iloc[:, [0, 1]].astype(str).values],
        notes=scene.notes_en if lang == "en" else scene.notes_zh,
        sources=ATTRIBUTION[lang], accuracy=accuracy_note(scene.layers, lang), unplaced=unplaced(scene, lang))


def view_sheet(map_id: str, layer_ids, bounds, lang: str) -> Sheet:
    """A view of a map page (its visible layers over ``bounds``) as a sheet."""
    zh, en, annex = MAPS[map_id]
    return Sheet(title=f"{en} ({annex.replace('附件', 'Annex ')})" if lang == "en" else f"{zh}（{annex}）",
                 layers=_layers(map_id, set(layer_ids), lang), order=list(DRAW_ORDER),
                 bounds=tuple(bounds), lang=lang, sources=ATTRIBUTION[lang],
                 accuracy=accuracy_note(layer_ids, lang))


def _side_text(sheet: Sheet) -> str:
    """The scene's lead, targets and tasks as lines for the print page's side column."""
    w = WORDS[sheet.lang]
    parts = []
    if sheet.lead:
        parts.append(f"{w['positioning']}\n{sheet.lead}")
    if sheet.targets:
        parts.append(w["targets"] + "\n" + "\n".join(f"· {a}：{b}" if sheet.lang == "zh" else f"· {a}: {b}"
                                                      for a, b, _ in sheet.targets))
    if sheet.tasks:
        parts.append(w["tasks"] + "\n" + "\n".join(f"· {a} {b}" for a, b in sheet.tasks))
    if sheet.unplaced:
        parts.append(w["unplaced"] + "\n" + ("、" if sheet.lang == "zh" else ", ").join(sheet.unplaced))
    return "\n\n".join(parts)


def print_figure(sheet: Sheet, paper: str = "A4", today: dt.date | None = None):
    """The print page of ``sheet`` on ``paper`` (landscape) as a matplotlib figure."""
    width_mm, height_mm = PAPERS[paper]
    w_in, h_in = width_mm / 25.4, height_mm / 25.4
    k = width_mm / 297  # type grows with the paper, a little
    fig = new_figure(w_in, h_in)
    words = WORDS[sheet.lang]
    margin = 0.4
    fig.text(margin / w_in, 1 - margin / h_in, sheet.title,
             va="top", ha="left", color="#1b2631", size=18 * k)
    fig.text(margin / w_in, 1 - (margin + 0.36 * k) / h_in, PLAN_TITLE[sheet.lang], va="top",
             ha="left", color="#555555", size=9 * k)
    side_w = 2.9 * k
    foot_h = 0.8 * k
    top = margin + 0.62 * k
    map_w = w_in - 2 * margin - side_w - 0.2
    ax = fig.add_axes([margin / w_in, (margin + foot_h) / h_in, map_w / w_in,
                       (h_in - top - margin - foot_h) / h_in])
    draw_map(ax, sheet.layers, sheet.bounds, sheet.order, furniture=(8 * k, words["north"]))
    for spine in ax.spines.values():
        spine.set_edgecolor("#555555")
    side_x = (margin + map_w + 0.2) / w_in
    side = fig.add_axes([side_x, (margin + foot_h) / h_in, side_w / w_in,
                         (h_in - top - margin - foot_h) / h_in])
    side.axis("off")
    legend = draw_legend(side, sheet.layers, words["legend"], 7.5 * k)
    fig.canvas.draw()  # where the legend ends: the side text goes below it
    box = legend.get_window_extent().transformed(fig.transFigure.inverted())
    text = _side_text(sheet)
    if text:
        fig.text(side_x, box.y0 - 0.15 / h_in, "\n".join(wrap(text, 7.5 * k, side_w - 0.05)),
                 va="top", ha="left", size=7.5 * k, linespacing=1.35, color="#222222")
    foot = f"{words['sources']}：{sheet.sources}" if sheet.lang == "zh" else f"{words['sources']}: {sheet.sources}"
    if sheet.accuracy:
        foot += ("\n" + (f"{words['accuracy']}：" if sheet.lang == "zh" else f"{words['accuracy']}: ")
                 + sheet.accuracy)
    date = (today or dt.date.today()).isoformat()
    fig.text(margin / w_in, (margin + foot_h - 0.12) / h_in,
             "\n".join(wrap(foot, 6.5 * k, w_in - 2 * margin - 1.6 * k)),
             va="top", ha="left", size=6.5 * k, linespacing=1.3, color="#444444")
    fig.text(1 - margin / w_in, (margin + foot_h - 0.12) / h_in,
             f"{words['date']}：{date}" if sheet.lang == "zh" else f"{words['date']}: {date}",
             va="top", ha="right", size=6.5 * k, color="#444444")
    return fig


def map_picture(sheet: Sheet, width_in: float, height_in: float, dpi: int = 200) -> bytes:
    """The map alone (names, legend, scale bar, north arrow) as a PNG: for a slide."""
    fig = new_figure(width_in, height_in)
    ax = fig.add_axes([0, 0, 1, 1])
    legend = draw_legend(ax, sheet.layers, WORDS[sheet.lang]["legend"], 8, loc="upper left")
    fig.canvas.draw()  # where the legend is: no name, and not the north arrow, goes under it
    box = legend.get_window_extent().transformed(ax.transAxes.inverted())
    # the scene's extent moved clear of the legend: widened westwards by the legend's share
    minx, miny, maxx, maxy = sheet.bounds
    share = min(box.x1 + 0.01, 0.5)
    bounds = (minx - (maxx - minx) * share / (1 - share), miny, maxx, maxy)
    draw_map(ax, sheet.layers, bounds, sheet.order, furniture=(9, WORDS[sheet.lang]["north"]),
             keep_out=[(box.x0, box.y0, box.x1, box.y1)])
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi)
    return out.getvalue()


def save(fig, path: Path, dpi: int = 200) -> Path:
    """A figure as PNG (``dpi``) or PDF, by the path's suffix."""
    fig.savefig(path, dpi=dpi, metadata=None if path.suffix == ".png" else {"Creator": "harbor map"})
    return path


def write_atlas(sheets: list[Sheet], path: Path, paper: str = "A4", progress=None) -> Path:
    """One PDF with a page per sheet."""
    with PdfPages(path) as pdf:
        for number, sheet in enumerate(sheets, start=1):
            pdf.savefig(print_figure(sheet, paper))
            if progress:
                progress(number, len(sheets), sheet.title)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m layers.present", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="folder to write into")
    parser.add_argument("--scene", help="one scene's id (default: every scene)")
    parser.add_argument("--format", choices=FORMATS, action="append",
                        help="one format (repeat for several; default: all)")
    parser.add_argument("--paper", choices=list(PAPERS), default="A4")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--scenes", type=Path, help="a scene file (default: data/scenes.toml)")
    args = parser.parse_args(argv)
    scenes, problems = load_scenes(args.scenes) if args.scenes else load_scenes()
    for problem in problems:
        print(problem.text(args.lang), file=sys.stderr)
    if not scenes:
        print("The scene file has no scene to show; nothing was written." if args.lang == "en"
              else "场景文件中没有可以显示的场景，未写出任何文件。", file=sys.stderr)
        return 2
    numbers = {s.id: n for n, s in enumerate(scenes, start=1)}  # a scene's place in the deck
    if args.scene:
        known = ", ".join(numbers)
        scenes = [s for s in scenes if s.id == args.scene]
        if not scenes:
            print(f"There is no scene {args.scene!r}; the scenes are {known}." if args.lang == "en"
                  else f"没有场景“{args.scene}”；可用的场景：{known}。", file=sys.stderr)
            return 2
    if args.dpi < 200:
        parser.error("--dpi must be 200 or more")
    formats = args.format or list(FORMATS)
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    sheets = [scene_sheet(s, args.lang) for s in scenes]
    steps = len(sheets) * sum(f in ("png", "pdf") for f in formats) + sum(
        f in ("atlas", "pptx", "html") for f in formats)
    done = 0

    def tell(what: str) -> None:
        nonlocal done
        done += 1
        elapsed = time.perf_counter() - start
        left = elapsed / done * (steps - done)
        print(f"[{done}/{steps}] {what}  ({elapsed:.0f} s, about {left:.0f} s left)", file=sys.stderr, flush=True)

    for scene, sheet in zip(scenes, sheets):
        if "png" in formats or "pdf" in formats:
            fig = print_figure(sheet, args.paper)
            for kind in ("png", "pdf"):
                if kind in formats:
                    name = f"{numbers[scene.id]:02d}_{scene.id}_{args.lang}_{args.paper}.{kind}"
                    path = save(fig, args.out / name, args.dpi)
                    tell(path.name)
    if "atlas" in formats:
        tell(write_atlas(sheets, args.out / f"atlas_{args.lang}_{args.paper}.pdf", args.paper).name)
    if "pptx" in formats:
        from layers.deck import write_pptx
        tell(write_pptx(scenes, sheets, args.out / f"deck_{args.lang}.pptx").name)
    if "html" in formats:
        from layers.deck import write_html
        tell(write_html(scenes, args.lang, args.out / f"deck_{args.lang}.html").name)
    print(f"{len(scenes)} scenes, {', '.join(formats)}: {time.perf_counter() - start:.1f} s → {args.out}",
          file=sys.stderr)
    if problems:  # written without the scenes that have a problem: say so in the exit status too
        print(f"{len(problems)} scenes left out (see above)." if args.lang == "en"
              else f"有 {len(problems)} 个场景有问题，未写出（见上）。", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
