"""data/*.csv checked against the plan text (data/plan/plan.txt)."""

import re

import pytest

from checks import target_problems
from layers.plan import check, table, units_of
from plan_text import in_plan, plan, squash, tasks


def test_cross_references_resolve():
    assert check() == []


def test_annex4_every_number_is_a_record_and_matches_the_plan():
    targets = table("targets")
    assert sorted(set(targets.loc[targets["row"] != "", "row"])) == [str(i) for i in range(1, 9)]
    assert target_problems(targets) == []


@pytest.mark.parametrize("column, wrong", [("value", "8"), ("unit_zh", "亿元"),
                                            ("responsible_units", "杭州市政府"),
                                            ("comparator_zh", "低于"), ("year", "2024")])
def test_a_wrong_annex4_fact_is_caught(column, wrong):
    targets = table("targets").copy()
    targets.loc[targets["id"] == "A4-1-1", column] = wrong  # 全省金融业增加值占 GDP 比重 > 9 %
    assert any("A4-1-1" in p or "row 1" in p for p in target_problems(targets))


def test_a_missing_annex4_record_is_caught():
    targets = table("targets")
    assert any("row 6" in p for p in target_problems(targets[targets["id"] != "A4-6-3"]))


def test_known_annex4_values():
    t = table("targets").set_index("id")
    assert (t.loc["A4-1-1", "value"], t.loc["A4-1-1", "unit_zh"]) == ("9", "%")
    assert (t.loc["A4-1-2", "value"], t.loc["A4-1-2", "scope"]) == ("75", "harbor")
    assert (t.loc["A4-2-3", "value"], t.loc["A4-2-3", "comparator_zh"]) == ("7.5", "以上")
    assert (t.loc["A4-3-4", "value"], t.loc["A4-3-4", "unit_zh"]) == ("1500", "亿美元")
    assert (t.loc["A4-7-1", "value"], t.loc["A4-7-1", "period"]) == ("1500", "2021-2025")
    assert t.loc["A4-8-2", "scope"] == "towns"


def test_other_targets_baselines_and_harbors_quote_the_plan():
    for name in ("targets", "baselines", "harbors"):
        for _, r in table(name).iterrows():
            assert in_plan(r["quote"]), (name, r["id"])
            if r.get("value"):
                assert r["value"] in squash(r["quote"]), (name, r["id"])
    harbors = table("harbors")
    assert list(harbors["name_zh"]) == ["主要目标", "开放港湾", "普惠港湾", "数智港湾", "财富港湾", "绿色港湾"]
    baselines = table("baselines").set_index("id")
    assert (baselines.loc["B-1", "value"], baselines.loc["B-1", "year"]) == ("8.7", "2020")


def task_problems(data) -> list[str]:
    """data/tasks.csv (as a frame) against the tasks read from the plan text."""
    from_plan = {t["id"]: t for t in tasks()}
    data = data.set_index("id")
    if sorted(from_plan) != sorted(data.index):
        return [f"task ids differ from the plan: {sorted(set(from_plan) ^ set(data.index))}"]
    problems = []
    for task_id, t in from_plan.items():
        if squash(data.loc[task_id, "title_zh"]) != t["title_zh"]:
            problems.append(f"task {task_id}: title differs from the plan")
        if squash(data.loc[task_id, "responsible_units"]) != t["responsible_units"]:
            problems.append(f"task {task_id}: responsible units {data.loc[task_id, 'responsible_units']}"
                            f" but the plan says {t['responsible_units']}")
    return problems


def test_tasks_match_the_plan():
    assert len(tasks()) == 27
    assert task_problems(table("tasks")) == []


QZ_TASK = "湖州、衢州市政府，省地方金融监管局、省发展改革委、人行杭州中心支行、浙江银保监局、浙江证监局"


@pytest.mark.parametrize("wrong", [
    # every unit real (in data/units.csv, so check() is content), but not this task's:
    "湖州、嘉兴市政府，省地方金融监管局、省发展改革委、人行杭州中心支行、浙江银保监局、浙江证监局",
    "湖州、衢州市政府，省地方金融监管局、省发展改革委、人行杭州中心支行、浙江银保监局",  # one left out
    "湖州、衢州市政府，省地方金融监管局、省财政厅、人行杭州中心支行、浙江银保监局、浙江证监局",
], ids=["city", "missing", "department"])
def test_a_wrong_task_unit_is_caught(wrong):
    data = table("tasks").copy()
    row = data["id"] == "三(三)3"  # 湖衢绿色低碳金融特色带: 湖州、衢州 lead
    assert list(data.loc[row, "responsible_units"]) == [QZ_TASK]  # the plan's text, as stored
    data.loc[row, "responsible_units"] = wrong
    assert all(u in set(table("units")["name_zh"]) for u in units_of(wrong))
    problems = task_problems(data)
    assert len(problems) == 1 and problems[0].startswith("task 三(三)3: responsible units"), problems


def test_annex5_items_and_their_units():
    items = table("annex5")
    assert items.groupby("type").size().to_dict() == {"platform": 5, "project": 10, "reform": 6}
    a5 = plan()[plan().index("重大改革、平台、项目清单"):plan().index("附件6")]
    for _, r in items.iterrows():
        assert squash(r["name_zh"]) in a5 or in_plan(r["name_zh"], 2), r["id"]
        assert in_plan(r["description_zh"]), r["id"]
        assert in_plan(r["responsible_units"], 2), r["id"]
    by_id = items.set_index("id")
    assert by_id.loc["J4", "description_zh"].startswith("南太湖绿色金融中心位于湖州南太湖未来城核心区块，总面积约5平方公里")
    assert by_id.loc["R4", "name_zh"] == "宁波国家保险创新综合试验区"
    assert by_id.loc["J10", "responsible_units"] == "人行杭州中心支行、省地方金融监管局、试点市政府"


def test_key_projects_are_named_in_their_annex5_item():
    features, items = table("features"), table("annex5").set_index("id")
    key = features[features["layer"] == "key_projects"]
    assert {"杭州银行总部", "浙商银行总部", "杭州市江河汇综合体"} <= set(key["name_zh"])
    for _, f in key.iterrows():
        assert f["name_zh"] in items.loc[f["projects"], "description_zh"], f["id"]


def test_units_of_annex6():
    text = plan()[plan().rindex("有关单位名单") + len("有关单位名单"):plan().index("抄送")]
    annex6 = [u for part in text.split("、") for u in re.split(r"[（）]", part) if u]
    units = table("units")
    assert sorted(annex6) == sorted(units.loc[units["in_annex6"] == "true", "name_zh"])
    assert len(annex6) == 21  # 20 entries, one of them naming two units: 人行杭州中心支行（省外汇管理局）


def test_units_parser_expands_city_lists():
    assert units_of("杭州、宁波市政府，省地方金融监管局、浙江证监局") == [
        "杭州市政府", "宁波市政府", "省地方金融监管局", "浙江证监局"]
    assert units_of("宁波市政府、省地方金融监管局") == ["宁波市政府", "省地方金融监管局"]


def test_layout_features_are_spelled_as_in_the_plan():
    for _, f in table("features").iterrows():
        for column in ("name_zh", "positioning_zh", "extent_zh"):
            assert not f[column] or in_plan(f[column], 1), (f["id"], column)
        assert f["ref"], f["id"]


def test_layout_membership():
    f = table("features")
    belts = dict(zip(f.loc[f["layer"] == "belts", "name_zh"], f.loc[f["layer"] == "belts", "members"]))
    assert belts == {
        "G60 走廊科创金融特色带": "杭州市;嘉兴市",
        "G92 杭绍甬产业金融特色带": "杭州市;宁波市;绍兴市",
        "湖衢绿色低碳金融特色带": "湖州市;衢州市",
        "甬舟海洋金融特色带": "宁波市;舟山市",
    }
    assert sorted(f.loc[f["layer"] == "core_zone", "name_zh"]) == ["钱江世纪城", "钱江新城"]
    assert sorted(f.loc[f["layer"] == "riverside_extension", "name_zh"]) == sorted(
        ["钱江新城二期", "望江新城", "玉皇山南基金小镇", "滨江区"])
    assert list(f.loc[f["layer"] == "six_cities", "name_zh"]) == [
        "杭州市", "宁波市", "湖州市", "嘉兴市", "绍兴市", "舟山市"]
    assert sorted(f.loc[f["layer"] == "finance_towns", "name_zh"]) == sorted(
        ["玉皇山南基金小镇", "西湖蚂蚁小镇", "运河财富小镇", "南湖基金小镇", "鄞州四明金融小镇"])
    poles = f[f["layer"] == "poles"].set_index("name_zh")["positioning_zh"]
    assert "主增长极" in poles["杭州市"] and "东部增长极" in poles["宁波市"]


def test_a_repeated_row_of_a_data_table_is_reported_by_its_key(tmp_path, monkeypatch):
    # data/extents.csv's rows are unique by layer and zone name; data/units.csv's by name.
    import shutil

    import layers.plan as plan

    for name in plan.TABLES:
        shutil.copy(plan.DATA / f"{name}.csv", tmp_path / f"{name}.csv")
    extents = (tmp_path / "extents.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "extents.csv").write_text("\n".join(extents + [extents[1]]) + "\n", encoding="utf-8")
    monkeypatch.setattr(plan, "DATA", tmp_path)
    plan.table.cache_clear()
    try:
        assert plan.check() == ["data/extents.csv: duplicate layer name_zh ['core_zone 钱江新城']"]
    finally:
        plan.table.cache_clear()
