"""A target's status from its reported values, per kind of target. Targets and their wording
come from the plan's text (data/plan/plan.txt); the expected statuses are worked out by hand
from the rules in data/status_rules.toml (基本完成 from 90 % of the target, a rank 2 places)."""

from decimal import Decimal

import pytest

from layers import status
from layers.progress import targets
from plan_text import plan, squash


def judge(target_id, values, **kw):
    yearly = {year: {"value": v} if not isinstance(v, dict) else v for year, v in values.items()}
    return status.judge(targets()[target_id], yearly, **kw)


def test_each_target_has_the_kind_its_wording_gives():
    kinds = {i: status.kind_of(t) for i, t in targets().items()}
    # the wording each kind is read from, as the plan has it
    for words in ("金融业增加值占GDP的比重超过9%", "1万家以上", "农户小额普惠贷款授信服务全覆盖",
                  "绿色贷款占比每年提升1个百分点", "跻身全球前8名", "累计上市公司数量超过800家"):
        assert squash(words) in plan()
    assert kinds["A4-1-1"] == "over"
    assert kinds["A4-1-3"] == "reach"
    assert kinds["A4-1-8"] == "qualitative"
    assert kinds["A4-2-2"] == "qualitative"  # 形成千亿级金融科技产业集群: no number to reach
    assert kinds["A4-1-9"] == "annual"  # 绿色贷款占比每年提升 1 个百分点
    assert kinds["A4-1-5"] == "cumulative"  # 2021-2025 年 ... 累计超过 4 万亿元
    assert kinds["A4-5-4"] == "cumulative"  # 五年内新增 ... 500 亿元以上
    assert kinds["A4-3-3"] == "cumulative"  # set in data/status_rules.toml from 三(四)2
    assert kinds["A4-1-10"] == "over"  # 累计上市公司数量: a count at the end, not a sum
    assert kinds["A4-3-1"] == "rank"  # 跻身全球前 8 名
    assert set(kinds.values()) == set(status.KINDS)


@pytest.mark.parametrize("value, expected", [
    ("9.2", "met"), ("9", "nearly"),  # 超过 9: 9 itself is not more than 9
    ("8.1", "nearly"), ("8.09", "not_met"),  # 90 % of 9 is 8.1
])
def test_more_than_x_excludes_x(value, expected):
    assert judge("A4-1-1", {2025: value}).status == expected


@pytest.mark.parametrize("value, expected", [
    ("1", "met"), ("1.3", "met"), ("0.9", "nearly"), ("0.89", "not_met")])
def test_reach_x_includes_x(value, expected):
    # 集聚规模化私募基金及各类财富管理机构 1 万家以上 (Annex 4 row 1), in 万家
    assert judge("A4-1-3", {2025: value}).status == expected


def test_the_latest_year_decides_and_progress_is_its_share_of_the_target():
    j = judge("A4-1-1", {2021: "9.5", 2024: "7.9"})
    assert (j.status, j.year, j.measure) == ("not_met", 2024, Decimal("7.9"))
    assert j.progress == Decimal("7.9") / Decimal(9)


def test_a_total_over_the_period_adds_the_years():
    # 2021-2025 年港湾自贸区跨境人民币结算累计超过 4 万亿元: 0.7 + 0.8 + 0.9 + 1.0 = 3.4 < 3.6
    j = judge("A4-1-5", {2021: "0.7", 2022: "0.8", 2023: "0.9", 2024: "1.0"})
    assert (j.status, j.measure) == ("not_met", Decimal("3.4"))
    assert judge("A4-1-5", {2021: "0.7", 2022: "0.8", 2023: "0.9", 2024: "1.0", 2025: "0.3"}).status == "nearly"
    assert judge("A4-1-5", {2021: "1", 2022: "1", 2023: "1", 2024: "1", 2025: "0.01"}).status == "met"
    # 达到 1500 亿元 (舟山, 2021-2025): a total of exactly 1500 reaches it
    assert judge("A4-7-1", {y: "300" for y in range(2021, 2026)}).status == "met"


def test_a_rank_counts_places_below_the_target():
    # 宁波舟山国际航运中心综合发展水平跻身全球前 8 名
    assert judge("A4-3-1", {2025: "8"}).status == "met"
    assert judge("A4-3-1", {2025: "7"}).status == "met"
    assert judge("A4-3-1", {2025: "10"}).status == "nearly"
    assert judge("A4-3-1", {2025: "11"}).status == "not_met"


def test_a_rise_every_year_needs_every_year():
    # 港湾绿色贷款占比每年提升 1 个百分点
    every = {y: "1.2" for y in range(2021, 2026)}
    assert judge("A4-1-9", every).status == "met"
    assert judge("A4-1-9", {**every, 2023: "0.8"}).status == "nearly"  # mean 1.12
    assert judge("A4-1-9", {2021: "1.2", 2022: "1.3"}).status == "nearly"  # years missing
    assert judge("A4-1-9", {2021: "0.5", 2022: "0.6"}).status == "not_met"  # mean 0.55


def test_a_worded_target_takes_the_reported_status():
    assert judge("A4-1-8", {2024: {"status": "met"}}).status == "met"
    assert judge("A4-1-8", {2023: {"status": "met"}, 2025: {"status": "not_met"}}).status == "not_met"
    assert judge("A4-1-8", {2025: {"value": "1"}}).status == "no_data"


def test_no_value_is_no_data_and_years_outside_the_plan_are_not_counted():
    assert judge("A4-1-1", {}).status == "no_data"
    assert judge("A4-1-1", {2020: "9.5", 2026: "9.5"}).status == "no_data"
    assert judge("A4-1-1", {2025: "n/a"}).status == "no_data"


def test_the_rules_file_can_change_the_share_and_a_kind(tmp_path, monkeypatch):
    rules = tmp_path / "rules.toml"
    text = (status.rules_path().read_text(encoding="utf-8")
            .replace("nearly = 0.9", "nearly = 0.8").replace('"A4-3-3" = "cumulative"', '"A4-1-10" = "reach"'))
    rules.write_text(text, encoding="utf-8")
    monkeypatch.setenv("HARBOR_STATUS_RULES", str(rules))
    assert judge("A4-1-1", {2025: "7.3"}).status == "nearly"  # 80 % of 9 is 7.2
    assert judge("A4-1-10", {2025: "800"}).status == "met"  # reach: 800 itself counts now
    assert status.kind_of(targets()["A4-3-3"]) == "over"
    assert "80%" in status.rules().sentence("over", "zh")


def test_a_bad_rules_file_is_refused_with_its_field(tmp_path, monkeypatch):
    rules = tmp_path / "rules.toml"
    rules.write_text(status.rules_path().read_text(encoding="utf-8").replace("nearly = 0.9", "nearly = 9"),
                     encoding="utf-8")
    monkeypatch.setenv("HARBOR_STATUS_RULES", str(rules))
    with pytest.raises(ValueError, match="nearly"):
        status.rules()
    rules.write_text('nearly = 0.9\n[kinds]\n"A4-1-1" = "sum"\n[rules]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="A4-1-1 = sum"):
        status.rules()


def test_every_kind_has_a_rule_in_both_languages():
    config = status.rules()
    for kind in (*status.KINDS, "none"):
        assert config.sentence(kind, "zh") and config.sentence(kind, "en")
    assert "90%" in config.sentence("over", "en")


def test_the_kind_of_a_made_up_target_follows_its_words():
    """Hand-made rows: no number at all, or a worded value beside a number, is worded; a rank
    needs both "前" and "名"."""
    base = dict(id="X", comparator_zh="超过", value="5", unit_zh="家", value_text="", period="",
                indicator_zh="机构")
    assert status.kind_of({**base, "value": ""}) == "qualitative"
    assert status.kind_of({**base, "value_text": "全覆盖"}) == "qualitative"
    assert status.kind_of({**base, "comparator_zh": "跻身全球前"}) == "reach"  # not a rank: 家
    assert status.kind_of({**base, "unit_zh": "名"}) == "over"  # not a rank: no 前
    assert status.kind_of({**base, "comparator_zh": "跻身全球前", "unit_zh": "名"}) == "rank"


@pytest.mark.parametrize("text, number", [
    ("1,100", Decimal("1100")), (" 8.9 ", Decimal("8.9")), ("", None), ("  ", None), (None, None),
    ("inf", None), ("NaN", None), ("八", None)])
def test_a_reported_value_is_a_finite_decimal(text, number):
    assert status.number(text) == number


def test_what_a_judgement_reports_beside_the_status():
    rank = judge("A4-3-1", {2024: "10"})
    assert (rank.year, rank.measure, rank.progress) == (2024, Decimal(10), Decimal("0.8"))  # 8 / 10
    worded = judge("A4-1-8", {2022: {"status": "nearly"}})
    assert (worded.status, worded.year, worded.measure) == ("nearly", 2022, None)
    annual = judge("A4-1-9", {2021: "0.9", 2022: "0.9"})  # a mean of exactly 90 % of 1: nearly
    assert (annual.status, annual.measure, annual.year, annual.progress) == (
        "nearly", Decimal("0.9"), 2022, Decimal("0.9"))
    assert judge("A4-1-9", {y: "1" for y in range(2021, 2026)}).status == "met"  # exactly 1 each year
    late = {2021: "2", 2022: "2", 2023: "2", 2024: "0.5", 2025: "0.5"}  # the last two years short
    assert judge("A4-1-9", late).status == "nearly"
    # a total "超过 4 万亿元" of exactly 4 is not more than 4
    assert judge("A4-1-5", {y: "0.8" for y in range(2021, 2026)}).status == "nearly"


def test_a_rule_is_worded_in_the_readers_language_with_the_files_figures():
    config = status.rules()
    assert config.sentence("rank", "en").startswith("A rank")
    assert "2 places below" in config.sentence("rank", "en") and "2 位" in config.sentence("rank", "zh")
    assert config.sentence("over", "zh").startswith("“超过 X”")


def test_a_changed_rules_file_is_read_again(tmp_path, monkeypatch):
    rules = tmp_path / "rules.toml"
    text = status.rules_path().read_text(encoding="utf-8")
    rules.write_text(text, encoding="utf-8")
    monkeypatch.setenv("HARBOR_STATUS_RULES", str(rules))
    assert status.rules().nearly == Decimal("0.9")
    rules.write_text(text.replace("nearly = 0.9", "nearly = 0.75"), encoding="utf-8")
    import os
    os.utime(rules, ns=(1, rules.stat().st_mtime_ns + 10**9))  # a later modification time
    assert status.rules().nearly == Decimal("0.75")
