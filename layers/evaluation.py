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


def _write_xlsx(path: Path, targets_part: pd.DataFrame, items_part: pd.DataFrame, lang: str) -> None:
    # Two sheets, each written as the zone check writes its XLSX (text as text, no formula).
    with pd.ExcelWriter(path, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False,
                                                   "strings_to_numbers": False,
                                                   "strings_to_urls": False}}) as writer:
        for frame, name in ((targets_part, ("目标", "Targets")), (items_part, ("任务与项目", "Tasks and items"))):
            sheet_name = name[1] if lang == "en" else name[0]
            frame.to_excel(writer, sheet_name=sheet_name, index=False)
            sheet = writer.sheets[sheet_name]
            sheet.freeze_panes(1, 1)
            for j, column in enumerate(frame.columns):
                width = min(60, max(10, int(frame[column].astype(str).str.len().max() or 0) + 2))
                sheet.set_column(j, j, width)


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
    summary = "; ".join(f"{word(STATUSES, s, lang)} {n}" for s, n in counts.items())
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


def _table(doc, frame: pd.DataFrame, status_key: str) -> None:
    table = doc.add_table(rows=1, cols=frame.shape[1])
    table.style = "Table Grid"
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
                run.font.color.rgb = RGBColor.from_string(COLOURS[_code(str(value))].lstrip("#").upper())
