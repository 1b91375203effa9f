"""The presentation's scenes (data/scenes.toml): each a map view with only its layers, and the
targets and tasks it shows. A scene with a mistake is left out with a message that names the
scene and the field; the other scenes are kept.

    from layers.scenes import load_scenes
    scenes, problems = load_scenes()
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from layers.load import load_layer
from layers.plan import DATA, split_ids, table
from layers.registry import BY_ID

SCENES = DATA / "scenes.toml"
FIELDS = {"id", "title_zh", "title_en", "layers", "fit", "view", "targets", "tasks", "notes_zh",
          "notes_en"}


@dataclass(frozen=True)
class Scene:
    id: str
    title_zh: str
    title_en: str
    layers: tuple[str, ...]
    fit: tuple[tuple[str, str], ...] = ()  # (layer id, feature id or "" for the whole layer)
    view: tuple[float, float, float] | None = None  # lat, lon, zoom
    targets: tuple[str, ...] = ()  # ids of data/targets.csv
    tasks: tuple[str, ...] = ()  # ids of data/tasks.csv
    notes_zh: str = ""
    notes_en: str = ""


@dataclass(frozen=True)
class Problem:
    scene: str  # "3 (belt_g60)": its place in the file and its id
    field: str
    zh: str
    en: str

    def text(self, lang: str) -> str:
        if lang == "en":
            return f"Scene {self.scene}, field {self.field}: {self.en}"
        return f"场景 {self.scene}，字段 {self.field}：{self.zh}"


class _Bad(Exception):
    def __init__(self, field_: str, zh: str, en: str):
        self.field, self.zh, self.en = field_, zh, en


def _strings(raw: dict, name: str) -> list[str]:
    value = raw.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Bad(name, "应为文字列表，如 [\"core_zone\"]", 'must be a list of texts, e.g. ["core_zone"]')
    return value


def _fit(raw: dict) -> tuple[tuple[str, str], ...]:
    out = []
    for item in _strings(raw, "fit"):
        layer_id, _, feature_id = item.partition(":")
        if layer_id not in BY_ID:
            raise _Bad("fit", f"未知图层 {item!r}", f"unknown layer {item!r}")
        if feature_id and feature_id not in set(load_layer(layer_id).frame["id"]):
            raise _Bad("fit", f"图层 {layer_id} 中没有要素 {feature_id!r}",
                       f"no feature {feature_id!r} in layer {layer_id}")
        out.append((layer_id, feature_id))
    return tuple(out)


def _view(raw: dict) -> tuple[float, float, float] | None:
    if "view" not in raw:
        return None
    view = raw["view"]
    if not (isinstance(view, list) and len(view) == 3
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in view)):
        raise _Bad("view", "应为 [纬度, 经度, 缩放级别]，如 [30.25, 120.21, 12]",
                   "must be [lat, lon, zoom], e.g. [30.25, 120.21, 12]")
    lat, lon, zoom = (float(v) for v in view)
    if not (27 <= lat <= 31.5 and 118 <= lon <= 123.5 and 5 <= zoom <= 18):
        raise _Bad("view", "不在浙江省范围内，或缩放级别不在 5–18 之间",
                   "not over Zhejiang, or a zoom outside 5–18")
    return lat, lon, zoom


def _linked(fit, column: str) -> list[str]:
    """The targets or tasks the fitted features are tied to (data/features.csv)."""
    out: list[str] = []
    for layer_id, feature_id in fit:
        frame = load_layer(layer_id).frame
        rows = frame[frame["id"] == feature_id] if feature_id else frame
        for ids in rows[column]:
            out += [i for i in split_ids(ids) if i not in out]
    return out


def _scene(raw: dict) -> Scene:
    unknown = sorted(set(raw) - FIELDS)
    if unknown:
        raise _Bad(unknown[0], "不是场景的字段（见 data/scenes.toml 开头的说明）",
                   "is not a field of a scene (see the head of data/scenes.toml)")
    scene_id = raw.get("id")
    if not isinstance(scene_id, str) or not scene_id:
        raise _Bad("id", "缺少，或不是文字", "missing, or not a text")
    layers = _strings(raw, "layers")
    if not layers:
        raise _Bad("layers", "至少列出一个图层", "list at least one layer")
    for layer_id in layers:
        if layer_id not in BY_ID:
            raise _Bad("layers", f"未知图层 {layer_id!r}", f"unknown layer {layer_id!r}")
    fit, view = _fit(raw), _view(raw)
    if not fit and view is None:
        raise _Bad("fit", "需要 fit 或 view 之一", "needs fit or view")
    titles = [raw.get("title_zh"), raw.get("title_en")]
    if titles == [None, None] and len(fit) == 1 and fit[0][1]:
        feature = load_layer(fit[0][0]).frame.set_index("id").loc[fit[0][1]]
        titles = [feature["name_zh"], feature["name_en"]]
    for name, title in zip(("title_zh", "title_en"), titles):
        if not isinstance(title, str) or not title.strip():
            raise _Bad(name, "缺少标题", "the title is missing")
    targets = _strings(raw, "targets") if "targets" in raw else _linked(fit, "targets")
    known = set(table("targets")["id"]) | {f"A4-{row}" for row in table("targets")["row"] if row}
    for ref in targets:
        if ref not in known:
            raise _Bad("targets", f"data/targets.csv 中没有目标 {ref!r}", f"no target {ref!r} in data/targets.csv")
    tasks = _strings(raw, "tasks") if "tasks" in raw else _linked(fit, "tasks")
    known = set(table("tasks")["id"])
    for ref in tasks:
        if ref not in known:
            raise _Bad("tasks", f"data/tasks.csv 中没有任务 {ref!r}", f"no task {ref!r} in data/tasks.csv")
    for name in ("notes_zh", "notes_en"):
        if not isinstance(raw.get(name, ""), str):
            raise _Bad(name, "应为文字", "must be a text")
    return Scene(scene_id, titles[0].strip(), titles[1].strip(), tuple(layers), fit, view,
                 tuple(targets), tuple(tasks), raw.get("notes_zh", ""), raw.get("notes_en", ""))


def load_scenes(path: str | Path = SCENES) -> tuple[list[Scene], list[Problem]]:
    """The good scenes of the file, in its order, and a problem for each bad one. A file that
    cannot be read as TOML gives no scenes and one problem, with the line to look at."""
    name = Path(path).name
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"at line (\d+), column (\d+)", str(error))
        at_zh = f"第 {where[1]} 行第 {where[2]} 列" if where else ""
        at_en = f"at line {where[1]}, column {where[2]}" if where else ""
        return [], [Problem("—", "—", f"无法读取场景文件 {name}：{at_zh}不符合 TOML 写法",
                            f"the scene file {name} cannot be read: it is not TOML {at_en}".strip())]
    except (OSError, UnicodeDecodeError):
        return [], [Problem("—", "—", f"无法读取场景文件 {name}：文件不存在，或不是 UTF-8 文本",
                            f"the scene file {name} cannot be read: missing, or not UTF-8 text")]
    entries = raw.get("scene", [])
    if not isinstance(entries, list):
        return [], [Problem("—", "scene", "应写作 [[scene]] 表的列表", "must be a list of [[scene]] tables")]
    scenes: list[Scene] = []
    problems: list[Problem] = []
    for number, entry in enumerate(entries, start=1):
        label = f"{number} ({entry.get('id')})" if isinstance(entry, dict) and entry.get("id") else str(number)
        try:
            scene = _scene(entry if isinstance(entry, dict) else {})
        except _Bad as bad:
            problems.append(Problem(label, bad.field, bad.zh, bad.en))
            continue
        if any(s.id == scene.id for s in scenes):
            problems.append(Problem(label, "id", f"与前面的场景重复：{scene.id!r}",
                                    f"the same as an earlier scene's: {scene.id!r}"))
            continue
        scenes.append(scene)
    return scenes, problems
