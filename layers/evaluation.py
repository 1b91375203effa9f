"""The evaluation table (终期评估) for the joint meeting's file: every target with its baseline,
latest reported value, progress and status, and every task and Annex 5 item with its status and
note; in the reader's language, as XLSX, CSV or a Word document (A4 landscape). The page and
``python -m layers.progress report`` write the same file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt, RGBColor

from geo.zonecheck import write_output
from layers.english import UNITS
from layers.plan import table
from layers import progress
from layers.progress import status_counts, status_table, statuses_of_items
from layers.progress_words import COLUMNS, ITEM_KINDS, KINDS, word
from layers.status import COLOURS, STATUSES
from layers.tables import projects_table, targets_table, tasks_table
from layers.zones import english_name

FORMATS = (".xlsx", ".csv", ".docx")
TITLE = ("钱塘江金融港湾发展实施计划（2021-2025年）终期评估：目标与任务完成情况",
         "Qiantang River Financial Harbor implementation plan 2021-2025, final evaluation: targets and tasks")


def _number(text) -> str:
    return "" if text in ("", None) else str(text)


def target_rows(lang: str, values: list[dict] | None = None) -> pd.DataFrame:
    """The targets' part of the table, in the reader's language: the plan's words
    (layers/tables.py) beside the monitoring's."""
    status = status_table(values)
    plan_words = targets_table(table("targets"), lang)  # the same rows, in the same order
    harbors = {h["id"]: h["name_en" if lang == "en" else "name_zh"] for h in table("harbors").to_dict("records")}
    monitoring = pd.DataFrame({
        word(COLUMNS, "id", lang): status["id"],
        word(COLUMNS, "harbor", lang): status["harbor"].map(harbors).fillna(""),
        word(COLUMNS, "row", lang): status["row"],
        word(COLUMNS, "city", lang): status["city"].map(english_name if lang == "en" else (lambda c: c)),
        word(COLUMNS, "kind", lang): [word(KINDS, k, lang) for k in status["kind"]],
        word(COLUMNS, "baseline", lang): (status["baseline"] + " " + status["baseline_unit"].map(
            UNITS if lang == "en" else (lambda u: u))).str.strip(),
        word(COLUMNS, "measure", lang): status["measure"].map(_number),
        word(COLUMNS, "year", lang): status["year"].map(_number),
        word(COLUMNS, "progress", lang): [f"{p:.0%}" if p != "" else "" for p in status["progress"]],
        word(COLUMNS, "status", lang): [word(STATUSES, s, lang) for s in status["status"]],
        word(COLUMNS, "source", lang): [" ".join(p for p in parts if p) for parts in
                                        zip(status["source"], status["source_url"], status["published"])],
        word(COLUMNS, "note", lang): status["note"],
    })
    return pd.concat([monitoring.iloc[:, :4], plan_words, monitoring.iloc[:, 4:]], axis=1)


def item_rows(lang: str, statuses: dict | None = None) -> pd.DataFrame:
    """The tasks of 三 and 四, then the Annex 5 items, with their status and note."""
    frame = statuses_of_items(statuses)
    names = [word(COLUMNS, c, lang) for c in ("id", "item", "name", "units")]
    tasks = tasks_table(table("tasks"), lang)
    tasks.insert(1, "kind", word(ITEM_KINDS, "task", lang))
    plan_words = pd.concat([tasks.set_axis(names, axis=1),
                            projects_table(table("annex5"), lang).set_axis(names, axis=1)], ignore_index=True)
    return pd.concat([plan_words, pd.DataFrame({
        word(COLUMNS, "status", lang): [word(STATUSES, s, lang) for s in frame["status"]],
        word(COLUMNS, "note", lang): frame["note"]})], axis=1)


def write_report(path: str | Path, lang: str = "zh") -> Path:
    """The evaluation table by the path's extension (.xlsx, .csv: the targets, then the items
    in a file of their own beside a CSV; .docx: both, laid out for print)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path.name}: the report must end in {', '.join(FORMATS)}")
    targets_part, items_part = target_rows(lang), item_rows(lang)
    if suffix == ".docx":
        _write_docx(path, targets_part, items_part, lang)
    elif suffix == ".csv":
        write_output(targets_part, path)
        write_output(items_part, path.with_name(f"{path.stem}_items.csv"))
    else:
        _write_xlsx(path, targets_part, items_part, lang)
    return path


def _numbers(column: pd.Series) -> list:
    """A column's cells as Excel takes them: a number where the text is one ("9", "0.25",
    "2025"; "81%" as 0.81), the text otherwise."""
    out = []
    for text in column.astype(str):
        try:
            out.append(float(text.rstrip("%")) / (100 if text.endswith("%") else 1) if text else None)
        except ValueError:
            out.append(text)
    return out


def city_rows(lang: str, values: list[dict] | None = None) -> pd.DataFrame:
    """The values reported for one city of a wider target: target, city, year, value, source."""
    values = progress.all_values() if values is None else values
    return pd.DataFrame([{
        word(COLUMNS, "id", lang): v["target_id"],
        word(COLUMNS, "city", lang): english_name(v["place"]) if lang == "en" else v["place"],
        word(COLUMNS, "year", lang): v["year"], word(COLUMNS, "value", lang): float(v["value"]),
        word(COLUMNS, "source", lang): " ".join(p for p in (v["source"], v["source_url"], v["published"]) if p),
        word(COLUMNS, "note", lang): v["note"]} for v in values if v["place"] and v["value"]],
        columns=[word(COLUMNS, c, lang) for c in ("id", "city", "year", "value", "source", "note")])


def _write_xlsx(path: Path, targets_part: pd.DataFrame, items_part: pd.DataFrame, lang: str) -> None:
    """The targets, the tasks and items, and the values per city, a sheet each; text as text
    (never a formula), figures as numbers, the status in its colour."""
    numeric = {word(COLUMNS, c, lang) for c in ("row", "measure", "year", "progress")}
    with pd.ExcelWriter(path, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False,
                                                   "strings_to_numbers": False,
                                                   "strings_to_urls": False}}) as writer:
        book = writer.book
        shades = {word(STATUSES, c, lang): book.add_format({"bg_color": COLOURS[c], "font_color": "#ffffff",
                                                            "bold": True}) for c in STATUSES}
        percent = book.add_format({"num_format": "0%"})
        parts = ((targets_part, ("目标", "Targets")), (items_part, ("任务与项目", "Tasks and items")),
                 (city_rows(lang), ("分市数值", "Values per city")))
        for frame, name in parts:
            frame = frame.copy()
            for column in numeric & set(frame.columns):
                frame[column] = _numbers(frame[column])
            sheet_name = name[1] if lang == "en" else name[0]
            frame.to_excel(writer, sheet_name=sheet_name, index=False)
            sheet = writer.sheets[sheet_name]
            sheet.freeze_panes(1, 1)
            for j, column in enumerate(frame.columns):
                longest = max([len(str(name)), *(len(str(v)) for v in frame[column] if v is not None)])
                width = min(50, max(8, longest + 2))
                sheet.set_column(j, j, width, percent if column == word(COLUMNS, "progress", lang) else None)
            status = word(COLUMNS, "status", lang)
            if status in frame.columns:
                j = list(frame.columns).index(status)
                for i, value in enumerate(frame[status], start=1):
                    sheet.write_string(i, j, value, shades[value])
            sheet.autofilter(0, 0, len(frame), frame.shape[1] - 1)


def _write_docx(path: Path, targets_part: pd.DataFrame, items_part: pd.DataFrame, lang: str) -> None:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    style = doc.styles["Normal"]
    style.font.size = Pt(8)
    style.font.name = "Noto Sans CJK SC"
    doc.add_heading(TITLE[1] if lang == "en" else TITLE[0], level=1)
    status_key = word(COLUMNS, "status", lang)
    counts = status_counts(pd.DataFrame({"status": [_code(s) for s in targets_part[status_key]]}))
    summary = ("; " if lang == "en" else "；").join(f"{word(STATUSES, s, lang)} {n}" for s, n in counts.items())
    doc.add_paragraph((f"Made {dt.date.today():%Y-%m-%d}. Targets: {summary}." if lang == "en"
                       else f"生成日期：{dt.date.today():%Y-%m-%d}。目标：{summary}。"))
    doc.add_heading("Targets" if lang == "en" else "一、目标完成情况", level=2)
    hidden = [word(COLUMNS, c, lang) for c in ("harbor", "row", "city", "kind")] + [
        "年份/期间", "Year / period", "出处", "Plan reference"]
    _table(doc, targets_part.drop(columns=hidden, errors="ignore"), status_key)
    doc.add_heading("Tasks and Annex 5 items" if lang == "en" else "二、任务与附件5事项完成情况", level=2)
    _table(doc, items_part, status_key)
    doc.save(path)


def _code(status_word: str) -> str:
    return next(code for code, names in STATUSES.items() if status_word in names)


# On paper the dashboard's amber and grey are too light for text: darker tones of the same.
PRINT_COLOURS = {**COLOURS, "nearly": "#9a6700", "no_data": "#616161"}
WIDE = {"指标", "Indicator", "名称", "Name", "责任单位", "Responsible units", "说明", "Note", "来源", "Source",
        "任务", "Task"}
MIDDLE = {"范围", "Scope", "目标", "Target"}


def _table(doc, frame: pd.DataFrame, status_key: str) -> None:
    """A table across the page: the long texts (indicator, units, source, note) three times as
    wide as a figure's column, scope and target twice."""
    table = doc.add_table(rows=1, cols=frame.shape[1])
    table.style = "Table Grid"
    table.autofit = False
    shares = [3 if name in WIDE else 2 if name in MIDDLE else 1 for name in frame.columns]
    widths = [Cm(26.7 * share / sum(shares)) for share in shares]
    for cell, name in zip(table.rows[0].cells, frame.columns):
        cell.text = ""
        cell.paragraphs[0].add_run(str(name)).bold = True
    status_at = list(frame.columns).index(status_key)
    for row in frame.itertuples(index=False):
        cells = table.add_row().cells
        for j, value in enumerate(row):
            run = cells[j].paragraphs[0].add_run("" if value is None else str(value))
            if j == status_at:
                run.bold = True
                run.font.color.rgb = RGBColor.from_string(PRINT_COLOURS[_code(str(value))].lstrip("#").upper())
    for column, width in zip(table.columns, widths):  # the grid (LibreOffice) and each cell (Word)
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
