"""The store of reported values, on SQLite and on a real PostgreSQL server (tests/conftest.py:
database): recording, conflicts between editors (with concurrent writers), the audit trail and
undo, one transaction per upload, and a process killed in the middle of one."""

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from layers import progress
from layers.accounts import Account
from layers.store import db, records

ROOT = Path(__file__).resolve().parents[1]
ADMIN = Account("admin", "管理员", "admin")
HANGZHOU = Account("hz", "杭州金融办", "editor", ("杭州市政府",))
NINGBO = Account("nb", "宁波金融办", "editor", ("宁波市政府",))
SOURCE = {"source": "杭州市 2024 年国民经济和社会发展统计公报", "published": "2025-03-10",
          "source_url": "https://tjj.hangzhou.gov.cn/"}


def value(v, **more):
    return {"value": v, **SOURCE, **more}


def test_a_new_database_has_the_schema_at_the_newest_migration(database):
    engine = db.engine(database)
    names = set(inspect(engine).get_table_names())
    assert {"target_values", "item_status", "changes", "uploads", "sign_ins", "alembic_version"} <= names
    with engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == "0001"


def test_a_value_is_recorded_with_its_source_and_read_back(database):
    change = progress.record_value(HANGZHOU, "A4-2-3", 2024, value("7.80"), None)
    assert change["old"] is None and change["new"]["value"] == "7.8"  # a number, exactly as given
    stored = progress.all_values()
    assert [(v["target_id"], v["year"], v["place"], v["value"], v["version"], v["by"]) for v in stored] == [
        ("A4-2-3", 2024, "", "7.8", 1, "hz")]
    assert stored[0]["source"] == SOURCE["source"] and stored[0]["published"] == "2025-03-10"


def test_the_second_editor_gets_a_conflict_with_the_first_ones_value(database):
    progress.record_value(HANGZHOU, "A4-2-3", 2024, value("7.8"), None)
    # both read version 1; the first saves; the second, still at version 1, is refused
    progress.record_value(ADMIN, "A4-2-3", 2024, value("7.9"), 1)
    with pytest.raises(progress.Conflict) as refused:
        progress.record_value(HANGZHOU, "A4-2-3", 2024, value("8.0"), 1)
    assert refused.value.current["value"] == "7.9" and refused.value.current["by"] == "admin"
    assert [v["value"] for v in progress.all_values()] == ["7.9"]
    # a first value entered by two at once: the second sees the first's
    progress.record_value(HANGZHOU, "A4-2-4", 2024, value("11"), None)
    with pytest.raises(progress.Conflict) as refused:
        progress.record_value(ADMIN, "A4-2-4", 2024, value("12"), None)
    assert refused.value.current["value"] == "11"


@pytest.mark.parametrize("seen", [None, 1])
def test_concurrent_writers_one_wins_and_the_others_see_its_value(database, seen):
    if seen:
        progress.record_value(ADMIN, "A4-2-3", 2024, value("1"), None)
    writers, barrier = 6, threading.Barrier(6)
    won, conflicts, errors = [], [], []

    def write(n: int) -> None:
        barrier.wait()
        try:
            won.append(progress.record_value(ADMIN, "A4-2-3", 2024, value(str(10 + n)), seen))
        except progress.Conflict as conflict:
            conflicts.append(conflict.current["value"])
        except Exception as err:  # noqa: BLE001 - any other failure fails the test below
            errors.append(repr(err))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(won) == 1 and len(conflicts) == writers - 1
    winner = won[0]["new"]["value"]
    assert set(conflicts) == {winner}  # each loser is shown the winner's value
    assert [v["value"] for v in progress.all_values()] == [winner]
    assert len(progress.history("A4-2-3", 2024)) == (2 if seen else 1)


def test_every_change_is_kept_and_an_undo_is_itself_a_change(database):
    first = progress.record_value(HANGZHOU, "A4-2-3", 2024, value("7.8"), None)
    second = progress.record_value(HANGZHOU, "A4-2-3", 2024, value("7.6", note="修正口径"), 1)
    undone = progress.undo(HANGZHOU, second["id"])
    trail = progress.history("A4-2-3", 2024)
    assert [c["id"] for c in trail] == [first["id"], second["id"], undone["id"]]
    assert [(c["old"] or {}).get("value") for c in trail] == [None, "7.8", "7.6"]
    assert [c["new"]["value"] for c in trail] == ["7.8", "7.6", "7.8"]
    assert trail[2]["undo_of"] == second["id"] and trail[1]["new"]["note"] == "修正口径"
    assert [v["value"] for v in progress.all_values()] == ["7.8"]
    # undoing the first change removes the value, and that too is kept
    with pytest.raises(progress.Conflict):
        progress.undo(HANGZHOU, first["id"])  # a later change stands on it: undo that first
    progress.undo(HANGZHOU, undone["id"])  # undo the undo: 7.6 again
    assert [v["value"] for v in progress.all_values()] == ["7.6"]


def test_an_undo_of_a_first_value_removes_it(database):
    first = progress.record_value(HANGZHOU, "A4-2-3", 2024, value("7.8"), None)
    undone = progress.undo(HANGZHOU, first["id"])
    assert undone["new"] is None and undone["old"]["value"] == "7.8"
    assert progress.all_values() == []


def test_an_editor_changes_only_the_targets_and_tasks_of_their_units(database):
    with pytest.raises(progress.Refused) as refused:
        progress.record_value(NINGBO, "A4-2-3", 2024, value("7.8"), None)  # 杭州市政府's
    assert refused.value.problems == [("not_yours", {"id": "A4-2-3", "units": "杭州市政府", "place": "—"})]
    with pytest.raises(progress.Refused):
        progress.record_status(NINGBO, "三(四)1", {"status": "met"}, None)
    mine = progress.record_value(HANGZHOU, "A4-2-3", 2024, value("7.8"), None)
    with pytest.raises(progress.Refused):
        progress.undo(NINGBO, mine["id"])  # nor undo another unit's change
    with pytest.raises(progress.Refused):
        progress.record_value(Account("v", "v", "viewer"), "A4-2-3", 2024, value("7.9"), 1)
    progress.record_status(NINGBO, "三(四)2", {"status": "nearly", "note": "<b>依据</b>"}, None)
    assert progress.all_statuses()["三(四)2"]["note"] == "<b>依据</b>"  # stored as typed; escaped when shown
    assert [v["value"] for v in progress.all_values()] == ["7.8"]


@pytest.mark.parametrize("year, fields, code", [
    (2020, value("1"), "year"), (2026, value("1"), "year"), ("二〇二四", value("1"), "year"),
    (2024, value("约 8"), "number"), (2024, value("8", source=""), "source"),
    (2024, value("8", published="2025/3/10"), "date"), (2024, value("8", published="2099-01-01"), "date"),
    (2024, value("8", published=""), "date_missing"), (2024, value("8", source_url="tjj.gov.cn"), "url"),
])
def test_a_bad_value_is_refused_and_nothing_is_stored(database, year, fields, code):
    with pytest.raises(progress.Refused) as refused:
        progress.record_value(ADMIN, "A4-2-3", year, fields, None)
    assert [c for c, _ in refused.value.problems] == [code]
    assert progress.all_values() == []


def test_a_value_per_city_is_kept_beside_the_targets_own(database):
    progress.record_value(ADMIN, "A4-1-3", 2024, value("1.1"), None)
    progress.record_value(ADMIN, "A4-1-3", 2024, value("0.4"), None, place="杭州市")
    with pytest.raises(progress.Refused) as refused:
        progress.record_value(ADMIN, "A4-1-3", 2024, value("0.1"), None, place="衢州市")
    assert refused.value.problems[0][0] == "place"
    assert {(v["place"], v["value"]) for v in progress.all_values()} == {("", "1.1"), ("杭州市", "0.4")}
    row = next(r for r in progress.status_rows() if r.target["id"] == "A4-1-3")
    assert row.status == "met" and row.cities == {"杭州市": {2024: progress.all_values()[1]}}


def test_a_failure_in_the_middle_of_a_transaction_leaves_the_database_as_it_was(database):
    progress.record_value(ADMIN, "A4-2-3", 2021, value("7"), None)
    with pytest.raises(RuntimeError), db.session() as session, session.begin():
        records.set_value(session, "admin", "A4-2-3", 2022, "", value("7.5"), None)
        records.set_value(session, "admin", "A4-2-3", 2021, "", value("7.1"), 1)
        raise RuntimeError("the disk is full")
    assert [(v["year"], v["value"], v["version"]) for v in progress.all_values()] == [(2021, "7", 1)]
    assert len(progress.history("A4-2-3", 2021)) == 1 and progress.history("A4-2-3", 2022) == []


KILLED = """
import sys, time
from layers.store import db, records
with db.session() as session, session.begin():
    for year in range(2021, 2026):
        records.set_value(session, "admin", "A4-2-4", year, "", {"value": "9", "source": "s",
                          "published": "2025-01-01"}, None)
    session.flush()
    print("written", flush=True)
    time.sleep(60)
"""


def test_a_process_killed_mid_upload_loses_nothing_already_stored(database):
    progress.record_value(ADMIN, "A4-2-3", 2024, value("7.8"), None)
    child = subprocess.Popen([sys.executable, "-c", KILLED], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout.readline().strip() == "written"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    db.forget(database)  # a new connection, as the next process would have
    assert [(v["target_id"], v["value"]) for v in progress.all_values()] == [("A4-2-3", "7.8")]
    progress.record_value(ADMIN, "A4-2-4", 2021, value("9"), None)  # and the database is usable


def test_a_map_panel_reads_each_status_with_its_latest_figure(database):
    progress.record_value(ADMIN, "A4-3-1", 2025, value("9"), None)  # 跻身全球前 8 名: 9th
    progress.record_status(ADMIN, "三(四)2", {"status": "met", "note": ""}, None)
    assert progress.status_texts(["A4-3-1", "A4-3-2", "三(四)2", "J1"], "zh") == [
        "基本完成（9，2025）", "无数据", "已完成", "无数据"]
    assert progress.status_texts(["A4-3-1"], "en") == ["Nearly met (9, 2025)"]


def test_the_six_cities_are_shaded_by_their_values(database):
    from layers.maps import CHOROPLETH, NO_VALUE, choropleth_map

    html = choropleth_map({"杭州市": 0.4, "宁波市": 0.2, "嘉兴市": 0.1}, "zh", "万家").get_root().render()
    # five steps of 0.06 from 0.1 to 0.4: 嘉兴 the lightest, 宁波 the second, 杭州 the darkest
    assert "0.1–0.16 万家" in html and "0.16–0.22 万家" in html and "0.34–0.4 万家" in html
    for colour in (CHOROPLETH[0], CHOROPLETH[1], CHOROPLETH[4], NO_VALUE):
        assert colour in html
    assert CHOROPLETH[2] not in html and CHOROPLETH[3] not in html  # no city in those steps
    assert "无数据" in html  # the three cities with no value


def test_a_city_records_its_own_share_of_a_wider_target_not_the_whole_nor_another_city(database):
    # A4-1-4 (资产管理规模, the harbor's) names every city government of the harbor: Ningbo's editor
    # may record Ningbo's share, not the harbor's total nor Hangzhou's; a provincial unit may.
    progress.record_value(NINGBO, "A4-1-4", 2024, value("0.62"), None, place="宁波市")
    for place in ("", "杭州市"):
        with pytest.raises(progress.Refused) as refused:
            progress.record_value(NINGBO, "A4-1-4", 2024, value("4.1"), None, place=place)
        assert refused.value.problems[0][0] == "not_yours_place"
    with pytest.raises(progress.Refused):  # and A4-3-1, Ningbo's own target, for another city
        progress.record_value(NINGBO, "A4-3-1", 2024, value("9"), None, place="舟山市")
    progress.record_value(NINGBO, "A4-3-1", 2024, value("9"), None)
    office = Account("jr", "省金融办", "editor", ("省地方金融监管局",))
    progress.record_value(office, "A4-1-4", 2024, value("4.1"), None)
    assert {(v["target_id"], v["place"]) for v in progress.all_values()} == {
        ("A4-1-4", "宁波市"), ("A4-3-1", ""), ("A4-1-4", "")}


@pytest.mark.parametrize("rank", ["0", "-3", "9.5"])
def test_a_rank_is_a_whole_number_from_one(database, rank):
    with pytest.raises(progress.Refused) as refused:
        progress.record_value(NINGBO, "A4-3-1", 2024, value(rank), None)
    assert refused.value.problems == [("rank", {"value": rank})]
