"""The presentation's scenes as data (data/scenes.toml, layers/scenes.py): the bundled scenes,
and a bad scene file's messages, each naming the scene and the field, the other scenes kept."""

import re

import pytest

from layers.plan import table
from layers.scenes import SCENES, load_scenes
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


@pytest.mark.parametrize("change, field, zh, en", [
    ('layers = ["core_zone", "nowhere"]', "layers", "未知图层 'nowhere'", "unknown layer 'nowhere'"),
    ('layers = "core_zone"', "layers", "应为文字列表", "must be a list of texts"),
    ('fit = ["belts:belt_x"]', "fit", "图层 belts 中没有要素 'belt_x'", "no feature 'belt_x' in layer belts"),
    ('fit = []\nview = [30.25, 200, 12]', "view", "不在浙江省范围内", "not over Zhejiang"),
    ('fit = []\nview = [30.25, 120.2]', "view", "应为 [纬度, 经度, 缩放级别]", "must be [lat, lon, zoom]"),
    ('fit = []', "fit", "需要 fit 或 view 之一", "needs fit or view"),
    ('targets = ["A4-1-1", "A4-9"]', "targets", "没有目标 'A4-9'", "no target 'A4-9'"),
    ('tasks = ["三(九)1"]', "tasks", "没有任务 '三(九)1'", "no task '三(九)1'"),
    ('title_zh = ""', "title_zh", "缺少标题", "the title is missing"),
    ('colour = "red"', "colour", "不是场景的字段", "is not a field of a scene"),
    ('notes_en = 3', "notes_en", "应为文字", "must be a text"),
    ('id = ""', "id", "缺少", "missing"),
], ids=["layer", "layers-text", "fit-feature", "view-place", "view-short", "no-view", "target", "task",
        "title", "unknown-field", "notes", "id"])
def test_a_bad_scene_is_named_with_its_field_and_the_others_are_kept(tmp_path, change, field, zh, en):
    bad = GOOD.replace('id = "core"', 'id = "bad"')
    key = change.split(" =")[0]
    lines = [line for line in bad.strip().splitlines() if not line.startswith(key + " =")]
    if key == "fit" and "view" in change:
        lines = [line for line in lines if not line.startswith("fit =")]
    path = tmp_path / "scenes.toml"
    path.write_text(GOOD + "\n" + "\n".join(lines) + "\n" + change + "\n" + GOOD.replace('"core"', '"last"'),
                    encoding="utf-8")
    scenes, problems = load_scenes(path)
    assert [s.id for s in scenes] == ["core", "last"]  # the good ones, in order
    assert len(problems) == 1
    problem = problems[0]
    assert problem.scene.startswith("2") and problem.field == field
    assert zh in problem.text("zh") and problem.text("zh").startswith("场景 2")
    assert en in problem.text("en") and problem.text("en").startswith("Scene 2")
    assert f"字段 {field}" in problem.text("zh") and f"field {field}" in problem.text("en")


def test_a_repeated_id_is_a_problem_of_the_second_scene(tmp_path):
    path = tmp_path / "scenes.toml"
    path.write_text(GOOD + GOOD, encoding="utf-8")
    scenes, problems = load_scenes(path)
    assert [s.id for s in scenes] == ["core"]
    assert problems[0].scene == "2 (core)" and problems[0].field == "id"


def test_a_file_that_is_not_toml_gives_its_line_and_no_scenes(tmp_path):
    path = tmp_path / "scenes.toml"
    path.write_text(GOOD + "\n[[scene]\nid = 3\n", encoding="utf-8")
    scenes, problems = load_scenes(path)
    assert scenes == [] and len(problems) == 1
    assert "at line 9, column 8" in problems[0].text("en")  # the broken [[scene] header
    assert problems[0].text("zh").endswith("无法读取场景文件 scenes.toml：第 9 行第 8 列不符合 TOML 写法")


def test_a_missing_or_garbled_file_says_so(tmp_path):
    assert "不存在" in load_scenes(tmp_path / "none.toml")[1][0].text("zh")
    (tmp_path / "gbk.toml").write_bytes("id = \"场景\"".encode("gbk"))
    assert "not UTF-8" in load_scenes(tmp_path / "gbk.toml")[1][0].text("en")


def test_the_bundled_file_is_the_one_in_data():
    assert SCENES.name == "scenes.toml" and SCENES.parent.name == "data"
