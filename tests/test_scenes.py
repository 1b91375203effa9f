"""The presentation's scenes as data (data/scenes.toml, layers/scenes.py): the bundled scenes,
and a bad scene file's messages, each naming the scene and the field, the other scenes kept."""

import re

import pytest

from layers.plan import table
from layers.scenes import SCENES, Problem, Scene, load_scenes
from plan_text import in_plan

GOOD = '''
[[scene]]
id = "core"
title_zh = "核心区"
title_en = "Core zone"
layers = ["core_zone"]
fit = ["core_zone"]
'''


def test_the_bundled_scenes_follow_the_plans_layout():
    scenes, problems = load_scenes()
    assert problems == []
    # the sequence: layout, core zone, the financial cities, four belts, six cities,
    # the finance towns, the major projects
    assert [s.id for s in scenes] == [
        "layout", "core", "financial_cities", "belt_g60", "belt_g92", "belt_hq", "belt_yz",
        "city_hz", "city_nb", "city_huz", "city_jx", "city_sx", "city_zs", "towns", "major_projects"]
    by_id = {s.id: s for s in scenes}
    # a scene fitted to one feature takes its names, targets and tasks from data/features.csv
    features = table("features").set_index("id")
    for scene_id in ("belt_g60", "city_nb"):
        scene = by_id[scene_id]
        assert (scene.title_zh, scene.title_en) == tuple(features.loc[scene_id, ["name_zh", "name_en"]])
    assert by_id["city_nb"].targets == ("A4-3",) and by_id["city_nb"].tasks == ("三(四)2",)
    assert by_id["towns"].targets == ("A4-8",)  # Annex 4 row 8: the finance towns
    assert by_id["core"].layers == ("districts", "river", "riverside_extension", "core_zone")


def test_the_speaker_notes_quote_the_plan():
    for scene in load_scenes()[0]:
        for quote in re.findall(r"[\u4e00-\u9fff、]{6,}", scene.notes_zh):
            assert in_plan(quote), (scene.id, quote)


LIST = ("应为文字列表，如 [\"core_zone\"]", 'must be a list of texts, e.g. ["core_zone"]')
VIEW = ("应为 [纬度, 经度, 缩放级别]，如 [30.25, 120.21, 12]", "must be [lat, lon, zoom], e.g. [30.25, 120.21, 12]")
OUT = ("不在浙江省范围内，或缩放级别不在 5–18 之间", "not over Zhejiang, or a zoom outside 5–18")


@pytest.mark.parametrize("change, field, zh, en", [
    ('layers = ["core_zone", "nowhere"]', "layers", "未知图层 'nowhere'", "unknown layer 'nowhere'"),
    ('layers = "core_zone"', "layers", *LIST),
    ('layers = []', "layers", "至少列出一个图层", "list at least one layer"),
    ('fit = ["nowhere"]', "fit", "未知图层 'nowhere'", "unknown layer 'nowhere'"),
    ('fit = "core_zone"', "fit", *LIST),
    ('fit = ["belts:belt_x"]', "fit", "图层 belts 中没有要素 'belt_x'", "no feature 'belt_x' in layer belts"),
    ('view = [30.25, 200, 12]', "view", *OUT),
    ('view = [30.25, 120.2]', "view", *VIEW),
    ('view = [30.25, true, 12]', "view", *VIEW),
    ('view = "here"', "view", *VIEW),
    ('fit = []', "fit", "需要 fit 或 view 之一", "needs fit or view"),
    ('targets = ["A4-1-1", "A4-9"]', "targets", "data/targets.csv 中没有目标 'A4-9'", "no target 'A4-9' in data/targets.csv"),
    ('tasks = ["三(九)1"]', "tasks", "data/tasks.csv 中没有任务 '三(九)1'", "no task '三(九)1' in data/tasks.csv"),
    ('title_zh = ""', "title_zh", "缺少标题", "the title is missing"),
    ('title_en = 5', "title_en", "缺少标题", "the title is missing"),
    ('colour = "red"', "colour", "不是场景的字段（见 data/scenes.toml 开头的说明）",
     "is not a field of a scene (see the head of data/scenes.toml)"),
    ('notes_zh = 3', "notes_zh", "应为文字", "must be a text"),
    ('notes_en = 3', "notes_en", "应为文字", "must be a text"),
    ('id = ""', "id", "缺少，或不是文字", "missing, or not a text"),
], ids=["layer", "layers-text", "no-layers", "fit-layer", "fit-text", "fit-feature", "view-place",
        "view-short", "view-bool", "view-text", "no-view", "target", "task", "title", "title-number",
        "unknown-field", "notes-zh", "notes-en", "id"])
def test_a_bad_scene_is_named_with_its_field_and_the_others_are_kept(tmp_path, change, field, zh, en):
    key = change.split(" =")[0]
    lines = [line for line in GOOD.replace('id = "core"', 'id = "bad"').strip().splitlines()
             if not line.startswith(key + " =") and not (key == "view" and line.startswith("fit ="))]
    path = tmp_path / "scenes.toml"
    path.write_text(GOOD + "\n" + "\n".join(lines) + "\n" + change + "\n" + GOOD.replace('"core"', '"last"'),
                    encoding="utf-8")
    scenes, problems = load_scenes(path)
    assert [s.id for s in scenes] == ["core", "last"]  # the good ones, in order
    label = "2" if key == "id" else "2 (bad)"
    assert problems == [Problem(label, field, zh, en)]
    assert problems[0].text("zh") == f"场景 {label}，字段 {field}：{zh}"
    assert problems[0].text("en") == f"Scene {label}, field {field}: {en}"


@pytest.mark.parametrize("view, good", [
    ("[27, 118, 5]", True), ("[31.5, 123.5, 18]", True), ("[26.9, 120, 10]", False),
    ("[31.6, 120, 10]", False), ("[30, 117.9, 10]", False), ("[30, 123.6, 10]", False),
    ("[30, 120, 4.9]", False), ("[30, 120, 18.1]", False)])
def test_a_view_is_over_zhejiang_at_a_map_zoom(tmp_path, view, good):
    path = tmp_path / "scenes.toml"
    path.write_text(GOOD.replace('fit = ["core_zone"]', f"view = {view}"), encoding="utf-8")
    scenes, problems = load_scenes(path)
    assert (len(scenes), len(problems)) == ((1, 0) if good else (0, 1))
    if good:
        assert scenes[0].view == tuple(float(v) for v in view.strip("[]").split(","))
        assert scenes[0].fit == ()


def test_a_scene_keeps_every_field_it_is_given(tmp_path):
    path = tmp_path / "scenes.toml"
    path.write_text(GOOD.replace('fit = ["core_zone"]', 'fit = ["belts:belt_g60", "core_zone"]\n'
                                 'view = [30.25, 120.21, 12]\ntargets = ["A4-8"]\ntasks = ["四1"]\n'
                                 'notes_zh = "说明"\nnotes_en = "notes"'), encoding="utf-8")
    assert load_scenes(path) == ([Scene("core", "核心区", "Core zone", ("core_zone",),
                                        (("belts", "belt_g60"), ("core_zone", "")), (30.25, 120.21, 12.0),
                                        ("A4-8",), ("四1",), "说明", "notes")], [])


def test_a_scene_fitted_to_a_whole_layer_shows_what_all_its_features_are_tied_to(tmp_path):
    path = tmp_path / "scenes.toml"
    path.write_text(GOOD.replace('fit = ["core_zone"]', 'fit = ["finance_towns"]'), encoding="utf-8")
    scene = load_scenes(path)[0][0]
    # data/features.csv: 玉皇山南 三(五)1;三(五)2;三(五)3, the others 三(五)2;三(五)3; all A4-8
    assert scene.tasks == ("三(五)1", "三(五)2", "三(五)3") and scene.targets == ("A4-8",)


def test_a_title_is_taken_from_one_feature_only(tmp_path):
    path = tmp_path / "scenes.toml"
    one = GOOD.replace('title_zh = "核心区"\ntitle_en = "Core zone"\n', "")
    path.write_text(one.replace('fit = ["core_zone"]', 'fit = ["core_zone"]')
                    + one.replace('"core"', '"two"').replace('fit = ["core_zone"]', 'fit = ["belts:belt_hq", "belts:belt_yz"]')
                    + one.replace('"core"', '"half"').replace('id = "half"', 'id = "half"\ntitle_zh = "半"')
                    .replace('fit = ["core_zone"]', 'fit = ["belts:belt_hq"]'), encoding="utf-8")
    scenes, problems = load_scenes(path)
    assert scenes == []
    assert [(p.scene, p.field) for p in problems] == [("1 (core)", "title_zh"), ("2 (two)", "title_zh"),
                                                      ("3 (half)", "title_en")]


def test_a_repeated_id_is_a_problem_of_the_second_scene(tmp_path):
    path = tmp_path / "scenes.toml"
    path.write_text(GOOD + GOOD, encoding="utf-8")
    scenes, problems = load_scenes(path)
    assert [s.id for s in scenes] == ["core"]
    assert problems == [Problem("2 (core)", "id", "与前面的场景重复：'core'", "the same as an earlier scene's: 'core'")]
    path.write_text(GOOD + GOOD + GOOD.replace('"core"', '"after"'), encoding="utf-8")
    assert [s.id for s in load_scenes(path)[0]] == ["core", "after"]  # one after a repeat is read


def test_a_scene_that_is_not_a_table_and_a_scene_list_that_is_not_a_list(tmp_path):
    path = tmp_path / "scenes.toml"
    path.write_text("scene = 3\n", encoding="utf-8")
    assert load_scenes(path) == ([], [Problem("—", "scene", "应写作 [[scene]] 表的列表",
                                              "must be a list of [[scene]] tables")])
    path.write_text('scene = [1, {id = "x", title_zh = "x", title_en = "x", layers = ["core_zone"], '
                    'fit = ["core_zone"]}]\n', encoding="utf-8")
    scenes, problems = load_scenes(path)
    assert [s.id for s in scenes] == ["x"] and (problems[0].scene, problems[0].field) == ("1", "id")


def test_a_file_that_is_not_toml_gives_its_line_and_no_scenes(tmp_path):
    path = tmp_path / "scenes.toml"
    path.write_text(GOOD + "\n[[scene]\nid = 3\n", encoding="utf-8")
    scenes, problems = load_scenes(path)
    assert scenes == [] and len(problems) == 1
    assert (problems[0].scene, problems[0].field) == ("—", "—")
    assert problems[0].text("en").endswith("cannot be read: it is not TOML at line 9, column 8")
    assert problems[0].text("zh").endswith("无法读取场景文件 scenes.toml：第 9 行第 8 列不符合 TOML 写法")


def test_a_missing_or_garbled_file_says_so(tmp_path):
    assert load_scenes(tmp_path / "none.toml") == ([], [Problem(
        "—", "—", "无法读取场景文件 none.toml：文件不存在，或不是 UTF-8 文本",
        "the scene file none.toml cannot be read: missing, or not UTF-8 text")])
    (tmp_path / "gbk.toml").write_bytes("id = \"场景\"".encode("gbk"))
    assert "not UTF-8" in load_scenes(tmp_path / "gbk.toml")[1][0].text("en")


def test_the_bundled_file_is_the_one_in_data():
    assert SCENES.name == "scenes.toml" and SCENES.parent.name == "data"


def test_a_file_cut_off_says_so_without_a_line(tmp_path):
    path = tmp_path / "scenes.toml"
    path.write_text('[[scene]]\nid = "', encoding="utf-8")  # tomllib: "(at end of document)"
    assert load_scenes(path) == ([], [Problem(
        "—", "—", "无法读取场景文件 scenes.toml：不符合 TOML 写法",
        "the scene file scenes.toml cannot be read: it is not TOML")])


def test_an_empty_file_has_no_scenes_and_no_problem_and_notes_default_to_empty(tmp_path):
    path = tmp_path / "scenes.toml"
    path.write_text("# no scenes yet\n", encoding="utf-8")
    assert load_scenes(path) == ([], [])
    path.write_text(GOOD, encoding="utf-8")
    # the core zone's tasks, from data/features.csv (钱江新城 and 钱江世纪城: 三(一)1–5)
    tasks = tuple(f"三(一){i}" for i in range(1, 6))
    assert load_scenes(path)[0] == [Scene("core", "核心区", "Core zone", ("core_zone",), (("core_zone", ""),),
                                          tasks=tasks)]
    assert load_scenes(path)[0][0].notes_zh == "" and load_scenes(path)[0][0].notes_en == ""
