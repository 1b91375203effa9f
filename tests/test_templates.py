"""A responsible unit's Excel template, filled in as a planner fills it (openpyxl, as Excel
saves), and its upload: the round trip, each kind of bad upload with its message by sheet, row
and column, and the database unchanged by a rejected file; on SQLite and PostgreSQL."""

import io

import openpyxl
import pytest

from layers import progress
from layers.accounts import Account
from layers.progress import targets, unit_items, unit_targets
from layers.templates import apply_upload, read_upload, write_template

NINGBO = Account("nb", "宁波金融办", "editor", ("宁波市政府",))
HUZHOU = Account("huz", "湖州金融办", "editor", ("湖州市政府",))
ADMIN = Account("admin", "管理员", "admin")


def template(unit="宁波市政府", lang="zh"):
    out = io.BytesIO()
    write_template(unit, out, lang)
    return openpyxl.load_workbook(io.BytesIO(out.getvalue()))


def saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row_of(sheet, target_id, year, place=None):
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == target_id and row[4].value == year and (row[5].value or None) == place:
            return row[0].row
    raise LookupError((target_id, year))


def fill(sheet, number, value=None, status=None, source="宁波市统计局：2024 年宁波市国民经济和社会发展统计公报",
         published="2025-03-18", note=None):
    for column, cell in (("G", value), ("H", status), ("I", source), ("K", published), ("L", note)):
        if cell is not None:
            sheet[f"{column}{number}"] = cell


def test_a_template_lists_exactly_the_units_targets_and_items(database):
    book = template()
    assert book.sheetnames == ["目标", "任务与项目", "填写说明"]
    sheet = book["目标"]
    ids = {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)}
    # Annex 4 row 3 is 宁波市政府's (A4-3-1 ... A4-3-4); row 1 names every city government
    assert ids == set(unit_targets("宁波市政府"))
    assert {"A4-3-1", "A4-3-2", "A4-3-3", "A4-3-4", "A4-1-1", "A5-J3-1"} <= ids
    assert not ids & {"A4-2-1", "A4-4-1", "M-1"}  # Hangzhou's, Huzhou's, and one with no unit
    years = sorted(r[4] for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "A4-3-1")
    assert years == [2021, 2022, 2023, 2024, 2025]
    first = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "A4-3-1")
    assert first[3] == "跻身全球前 8 名"  # the target as the plan words it (附件4 第3行)
    items = {r[0] for r in book["任务与项目"].iter_rows(min_row=2, values_only=True)}
    assert items == set(unit_items("宁波市政府")) and "三(四)2" in items and "三(四)1" not in items
    english = template(lang="en")
    assert english.sheetnames == ["Targets", "Tasks and items", "How to fill in"]
    assert english["Targets"]["G1"].value == "Reported value"


def test_a_filled_template_round_trips_into_the_status_table(database):
    book = template()
    sheet = book["目标"]
    fill(sheet, row_of(sheet, "A4-3-1", 2024), value=9)  # 跻身全球前 8 名: 9th is nearly
    fill(sheet, row_of(sheet, "A4-3-2", 2024), status="已完成", note="港航物流贷款增速高于全市平均")
    fill(sheet, row_of(sheet, "A4-3-3", 2021), value="0.2")
    fill(sheet, row_of(sheet, "A4-3-3", 2022), value=0.3)
    items = book["任务与项目"]
    items["E2"], items["F2"] = "基本完成", "见年度报告"
    upload = read_upload(saved(book), "宁波.xlsx", NINGBO)
    assert upload.problems == []
    assert len(upload.changes) == 5  # of every row read
    assert upload.rows == (book["目标"].max_row - 1) + (book["任务与项目"].max_row - 1)
    apply_upload(upload, NINGBO)
    table = progress.status_table().set_index("id")
    assert table.loc["A4-3-1", "status"] == "nearly" and table.loc["A4-3-1", "measure"] == "9"
    assert table.loc["A4-3-2", "status"] == "met"
    assert table.loc["A4-3-3", "measure"] == "0.5"  # a total: 0.2 + 0.3 万亿元
    first_item = items["A2"].value
    assert progress.all_statuses()[first_item]["status"] == "nearly"
    # the next template carries what is stored, with its version; uploaded unchanged it changes nothing
    again = template()
    row = row_of(again["目标"], "A4-3-1", 2024)
    assert again["目标"][f"G{row}"].value == 9 or again["目标"][f"G{row}"].value == "9"
    assert again["目标"][f"M{row}"].value == 1
    assert read_upload(saved(again), "again.xlsx", NINGBO).changes == []
    history = progress.history("A4-3-1", 2024)
    assert len(history) == 1 and history[0]["upload_id"] is not None


@pytest.mark.parametrize("change, sheet_row_column, code", [
    (lambda s, r: s.__setitem__(f"A{r}", "A4-9-9"), ("目标", "A"), "没有编号为“A4-9-9”的目标"),
    (lambda s, r: s.__setitem__(f"G{r}", "约9名"), ("目标", "G"), "报告值“约9名”不是数字"),
    (lambda s, r: s.__setitem__(f"E{r}", 2026), ("目标", "E"), "年份“2026”不在计划期内"),
    (lambda s, r: s.__setitem__(f"E{r}", 2020), ("目标", "E"), "年份“2020”不在计划期内"),
    (lambda s, r: s.__setitem__(f"A{r}", "A4-4-1"), ("目标", "A"), "责任单位是 湖州市政府"),
    (lambda s, r: s.__setitem__(f"K{r}", "2025/3/18"), ("目标", "K"), "发布日期“2025/3/18”"),
    (lambda s, r: s.__setitem__(f"I{r}", None), ("目标", "I"), "缺少来源"),
    (lambda s, r: s.__setitem__(f"F{r}", "衢州市"), ("目标", "F"), "“衢州市”不是港湾六城之一"),
    (lambda s, r: s.__setitem__(f"G{r}", "=8+1"), ("目标", "G"), "单元格是公式"),
], ids=["unknown-id", "text-number", "year-after", "year-before", "other-unit", "date", "no-source",
        "place", "formula"])
def test_a_bad_row_is_named_by_sheet_row_and_column_and_nothing_is_stored(database, change,
                                                                          sheet_row_column, code):
    progress.record_value(ADMIN, "A4-3-4", 2023, {"value": "1200", "source": "宁波市商务局",
                                                 "published": "2024-02-01"}, None)
    before = progress.all_values()
    book = template()
    sheet = book["目标"]
    good, bad = row_of(sheet, "A4-3-1", 2023), row_of(sheet, "A4-3-1", 2024)
    fill(sheet, good, value=8)
    fill(sheet, bad, value=9)
    change(sheet, bad)
    upload = read_upload(saved(book), "宁波.xlsx", NINGBO)
    texts = [p.text("zh") for p in upload.problems]
    where = f"{sheet_row_column[0]}，第 {bad} 行，{sheet_row_column[1]} 列"
    assert any(t.startswith(where) and code in t for t in texts), texts
    with pytest.raises(ValueError):
        apply_upload(upload, NINGBO)
    assert progress.all_values() == before  # the good row is not stored either


def test_a_record_changed_since_the_template_was_made_is_a_conflict(database):
    book = template()
    sheet = book["目标"]
    row = row_of(sheet, "A4-3-1", 2024)
    fill(sheet, row, value=9)
    progress.record_value(ADMIN, "A4-3-1", 2024, {"value": "7", "source": "新华·波罗的海国际航运中心发展指数报告",
                                                 "published": "2024-07-10"}, None)
    upload = read_upload(saved(book), "宁波.xlsx", NINGBO)
    [problem] = upload.problems
    assert problem.column == "版本（勿改）" and problem.code == "conflict"
    assert "admin" in problem.text("zh") and "“7”" in problem.text("zh")
    assert [v["value"] for v in progress.all_values()] == ["7"]


def test_an_upload_that_is_not_a_template_says_what_to_do(database):
    for data, expected in ((b"not a workbook", "无法作为 Excel 工作簿"),
                           (saved(openpyxl.Workbook()), "缺少工作表“目标")):
        upload = read_upload(data, "x.xlsx", NINGBO)
        assert upload.changes == [] and any(expected in p.text("zh") for p in upload.problems)
    book = template()
    book["目标"]["G1"] = "数值"  # a header renamed
    upload = read_upload(saved(book), "x.xlsx", NINGBO)
    assert [p.text("zh") for p in upload.problems] == [
        "目标，第 1 行：工作表“目标”第 1 行缺少“报告值”列：请使用本应用下载的模板，不要改动表头。"]
    english = template(lang="en")
    english["Targets"]["I1"] = "Where from"
    assert [p.text("en") for p in read_upload(saved(english), "x.xlsx", NINGBO).problems] == [
        "Targets, row 1: Row 1 of the sheet “Targets” has no column “Source”: use the template from this "
        "app and keep its headers."]
    big = read_upload(b"x" * (10 * 1024 * 1024 + 1), "big.xlsx", NINGBO)
    assert [p.text("zh") for p in big.problems] == ["big.xlsx：文件超过 10 MB，不能导入。"]
    assert (big.changes, big.rows, big.filename) == ([], 0, "big.xlsx")
    assert read_upload(b"x" * (10 * 1024 * 1024), "x.xlsx", NINGBO).problems[0].code == "workbook"


def test_an_english_template_is_read_with_english_statuses_and_messages(database):
    book = template(lang="en")
    sheet = book["Targets"]
    row = row_of(sheet, "A4-3-2", 2025)
    fill(sheet, row, status="Nearly met", source="Ningbo Financial Office", published="2026-01-20")
    bad = row_of(sheet, "A4-3-1", 2025)
    fill(sheet, bad, value="ninth")
    upload = read_upload(saved(book), "nb.xlsx", NINGBO)
    assert [p.text("en") for p in upload.problems] == [
        f"Targets, row {bad}, column G “Reported value”: The reported value “ninth” is not a number: "
        "give a number only (such as 8.9); the unit is in the Target column."]
    sheet[f"G{bad}"] = None
    sheet[f"I{bad}"] = None
    sheet[f"K{bad}"] = None
    upload = read_upload(saved(book), "nb.xlsx", NINGBO)
    assert upload.problems == []
    apply_upload(upload, NINGBO)
    assert progress.all_values()[0]["status"] == "nearly"


def test_a_template_is_refused_for_a_unit_with_nothing(database):
    with pytest.raises(ValueError, match="no target, task or Annex 5 item"):
        write_template("省委组织部x", io.BytesIO())
    assert targets()["A4-3-1"]["responsible_units"] == "宁波市政府"


def test_a_percentage_typed_in_excel_is_read_as_excel_shows_it(database):
    # 21.5% typed in Excel is kept as 0.215 in a cell formatted "0.0%": the planner meant 21.5
    office = Account("jr", "省金融办", "editor", ("省地方金融监管局",))
    book = template("省地方金融监管局")
    sheet = book["目标"]
    row = row_of(sheet, "A4-1-6", 2025)  # 普惠型小微企业贷款占比超过 20%
    fill(sheet, row, value=0.215)
    sheet[f"G{row}"].number_format = "0.0%"
    formula = row_of(sheet, "A4-1-6", 2024)
    fill(sheet, formula, value="=0.2*100")  # a formula with no saved value: said once
    upload = read_upload(saved(book), "省.xlsx", office)
    assert [(p.code, p.row) for p in upload.problems] == [("formula", formula)]
    sheet[f"G{formula}"] = None
    sheet[f"I{formula}"] = None
    sheet[f"K{formula}"] = None
    apply_upload(read_upload(saved(book), "省.xlsx", office), office)
    assert [(v["target_id"], v["value"]) for v in progress.all_values()] == [("A4-1-6", "21.5")]


def test_a_city_template_lists_its_share_of_the_wider_targets(database):
    rows = [(r[0], r[5]) for r in template()["目标"].iter_rows(min_row=2, values_only=True)]
    assert ("A4-1-4", "宁波市") in rows and ("A4-1-4", None) not in rows  # the harbor's: Ningbo's share
    assert ("A4-3-1", None) in rows  # Ningbo's own target: its own scope
    with pytest.raises(ValueError, match=r"\.xlsx"):
        write_template("宁波市政府", "宁波.csv")
