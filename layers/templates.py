"""The Excel template a responsible unit fills in, and the upload of a filled one.

A template lists exactly the unit's own targets (a row per year 2021-2025, with what is stored)
and its tasks and Annex 5 items. An upload is checked whole before anything is stored: every
problem is named by sheet, row and column, and a file with any problem changes nothing. A
clean file is stored in one transaction, each changed row a recorded change of the upload.
A row the reader left as it was, or emptied, changes nothing (a value is removed by undoing
its change, on the page). The "version" column is the version the template was made from: a
record changed since gets a conflict, not an overwrite."""

from __future__ import annotations

import hashlib
import io
import warnings
from decimal import Decimal
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import xlsxwriter
from openpyxl.utils import get_column_letter

from layers.accounts import Account
from layers.plan import CITIES_OF_HARBOR, table
from layers.progress import (TASK_STATUSES, Refused, all_statuses, all_values, check_status,
                             check_value, clean_value, conflict_problem, items, places_for, targets, unit_items,
                             unit_places, unit_targets, units_for)
from layers.progress_words import COLUMNS, ITEM_KINDS, SHEETS, message, word
from layers.status import FIRST_YEAR, LAST_YEAR, STATUSES
from layers.store import db, records
from layers.store.records import Conflict
from layers.tables import targets_table

MAX_MB = 10
FORMULA = "\x00formula"  # a cell whose formula has no value saved with it
TARGET_COLUMNS = ("id", "indicator", "scope", "target", "year", "place", "value", "status",
                  "source", "source_url", "published", "note", "version")
ITEM_COLUMNS = ("id", "item", "name", "units", "status", "note", "version")
ENTERED = {"targets": ("value", "status", "source", "source_url", "published", "note"),
           "items": ("status", "note")}
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


def _status_words() -> dict[str, str]:
    """A status as a reader writes it (either language, any case) -> its code."""
    out = {}
    for code in TASK_STATUSES:
        zh, en = STATUSES[code]
        out |= {zh: code, en.lower(): code, code: code}
    return out


# ---- the template ----------------------------------------------------------------------------

def write_template(unit: str, out, lang: str = "zh", url: str | None = None) -> None:
    """The template of one responsible unit (an Annex 6 name) to a path or a binary file."""
    if not unit_targets(unit) and not unit_items(unit):
        raise ValueError(f"{unit}: no target, task or Annex 5 item names this unit")
    stored = {(v["target_id"], v["year"], v["place"]): v for v in all_values(url)}
    statuses = all_statuses(url)
    status_word = {c: word(STATUSES, c, lang) for c in TASK_STATUSES}
    if not str(getattr(out, "name", out)).lower().endswith(".xlsx") and isinstance(out, (str, Path)):
        raise ValueError(f"{out}: a template is an Excel workbook: name it .xlsx")
    words = targets_table(table("targets"), lang).set_axis(list(targets()))  # the plan's words, in the reader's language
    target_rows = []
    for target_id in unit_targets(unit):
        t = targets()[target_id]
        places = [p for p in ("", *CITIES_OF_HARBOR) if p in unit_places(unit, t)
                  and (p == "" or p in ({q for (i, _, q) in stored if i == target_id} | {unit.removesuffix("政府")}))]
        for place in places:
            for year in range(FIRST_YEAR, LAST_YEAR + 1):
                v = stored.get((target_id, year, place)) or {}
                target_rows.append([
                    target_id, words.loc[target_id].iloc[0], words.loc[target_id].iloc[1],
                    words.loc[target_id].iloc[2], year, place,
                    v.get("value") or "", status_word.get(v.get("status"), ""), v.get("source", ""),
                    v.get("source_url", ""), v.get("published", ""), v.get("note", ""),
                    v.get("version", "")])
    item_rows = []
    for item_id in unit_items(unit):
        i, s = items()[item_id], statuses.get(item_id) or {}
        item_rows.append([item_id, word(ITEM_KINDS, i["item"], lang),
                          i["name_en" if lang == "en" else "name_zh"], i["responsible_units"],
                          status_word.get(s.get("status"), ""), s.get("note", ""), s.get("version", "")])
    with xlsxwriter.Workbook(out, XLSX_OPTIONS) as book:
        head = book.add_format({"bold": True, "bg_color": "#dce6f1", "border": 1, "text_wrap": True,
                                "valign": "top"})
        fixed = book.add_format({"bg_color": "#f2f2f2", "text_wrap": True, "valign": "top"})
        entry = book.add_format({"valign": "top"})
        choices = [status_word[c] for c in TASK_STATUSES]
        for sheet_key, columns, rows in (("targets", TARGET_COLUMNS, target_rows),
                                         ("items", ITEM_COLUMNS, item_rows)):
            sheet = book.add_worksheet(word(SHEETS, sheet_key, lang))
            sheet.freeze_panes(1, 1)
            for j, column in enumerate(columns):
                editable = column in ENTERED[sheet_key] or column == "place"
                sheet.write_string(0, j, word(COLUMNS, column, lang), head)
                width = {"indicator": 34, "name": 34, "scope": 16, "target": 16, "units": 30,
                         "source": 24, "note": 30, "source_url": 24}.get(column, 12)
                sheet.set_column(j, j, width, entry if editable else fixed)
                if column == "status":
                    sheet.data_validation(1, j, max(len(rows), 1), j,
                                          {"validate": "list", "source": choices})
                if column == "place":
                    sheet.data_validation(1, j, max(len(rows), 1), j,
                                          {"validate": "list", "source": list(CITIES_OF_HARBOR)})
            for i, row in enumerate(rows, start=1):
                for j, cell in enumerate(row):
                    if isinstance(cell, int):
                        sheet.write_number(i, j, cell)
                    elif cell not in ("", None):
                        sheet.write_string(i, j, str(cell))
        notes = book.add_worksheet(word(SHEETS, "read_me", lang))
        notes.set_column(0, 0, 110)
        for i, line in enumerate(_read_me(unit, lang)):
            notes.write_string(i, 0, line)


def _read_me(unit: str, lang: str) -> list[str]:
    if lang == "en":
        return [f"Template of {unit}: its own targets (Annex 4, 二(三), Annex 5) and its tasks and Annex 5 items.",
                "Fill in the white columns; the grey ones come from the plan and are not read.",
                "Targets: a row per year 2021-2025. Give the reported value as a number in the target's unit "
                "(for a worded target, a status instead), its source, and the date it was published (2025-03-01).",
                "A value for one of the six cities of a harbor-wide target: copy a row and choose the city.",
                "Tasks and items: a status (Met, Nearly met, Not met) and a note with the grounds.",
                "Keep the Version column as it is: it tells whether someone changed a record since this file was made.",
                "A row left as it was, or emptied, changes nothing. Upload the file on the Targets page or with "
                "python -m layers.progress import FILE --user NAME; a file with any problem changes nothing."]
    return [f"{unit}的填报模板：本单位负责的目标（附件4、二(三)、附件5）与任务、附件5事项。",
            "请填写白色列；灰色列来自计划原文，不读取。",
            "目标：每年一行（2021—2025 年）。报告值只填数字，单位见“目标”列（文字目标改填状态），并写明来源与发布日期（如 2025-03-01）。",
            "港湾范围的目标如需分市填报：复制一行，在“城市”列中选择城市。",
            "任务与项目：填写状态（已完成、基本完成、未完成）并在说明中写明依据。",
            "“版本”列请勿修改：据此判断在模板生成之后是否有人改过同一记录。",
            "未改动或清空的行不做任何修改。在“目标监测”页或用 python -m layers.progress import 文件 --user 用户名 上传；"
            "文件中只要有一处问题，就不会存入任何内容。"]


# ---- reading an upload ---------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None  # the sheet's row number (the header is row 1)
    column: str  # the column's header, as in the file
    letter: str  # its letter (A, B, ...)
    code: str
    details: dict

    def text(self, lang: str) -> str:
        where = ([f"{self.sheet}"] + ([f"row {self.row}" if lang == "en" else f"第 {self.row} 行"]
                                      if self.row else [])
                 + ([f"column {self.letter} “{self.column}”" if lang == "en"
                     else f"{self.letter} 列“{self.column}”"] if self.column else []))
        return ("，".join(where) if lang != "en" else ", ".join(where)) + (": " if lang == "en" else "：") \
            + message(self.code, self.details, lang)


@dataclass(frozen=True)
class Upload:
    """What a checked file would change: (kind, key, fields, seen) per changed row."""
    filename: str
    sha256: str
    changes: list
    rows: int
    problems: list


def _header_map(sheet, sheet_key: str) -> tuple[dict[str, int], list[Problem]]:
    columns = TARGET_COLUMNS if sheet_key == "targets" else ITEM_COLUMNS
    names = {}
    for lang_index in (0, 1):
        names |= {COLUMNS[c][lang_index].strip().lower(): c for c in columns}
    found = {}
    for j, cell in enumerate(next(sheet.iter_rows(min_row=1, max_row=1), ())):
        key = names.get(str(cell.value or "").strip().lower())
        if key and key not in found:
            found[key] = j
    need = ("id", "year", *ENTERED["targets"]) if sheet_key == "targets" else ("id", *ENTERED["items"])
    missing = [c for c in need if c not in found]
    lang = "en" if sheet.title.strip() in {word(SHEETS, k, "en") for k in SHEETS} else "zh"
    return found, [Problem(sheet.title, 1, "", "", "header", {"sheet": sheet.title, "column": word(COLUMNS, c, lang)})
                   for c in missing]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def read_upload(data: bytes, filename: str, account: Account, url: str | None = None) -> Upload:
    """Check a filled template whole. Nothing is stored here."""
    problems: list[Problem] = []
    digest = hashlib.sha256(data).hexdigest()
    if len(data) > MAX_MB * 1024 * 1024:
        return Upload(filename, digest, [], 0, [Problem(filename, None, "", "", "too_big", {"limit": MAX_MB})])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of data validation it drops
            formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=True)
            cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except Exception as err:  # noqa: BLE001 - any unreadable file gets the same message
        return Upload(filename, digest, [], 0,
                      [Problem(filename, None, "", "", "workbook", {"error": str(err) or type(err).__name__})])
    stored = {(v["target_id"], v["year"], v["place"]): v for v in all_values(url)}
    statuses = all_statuses(url)
    status_words = _status_words()
    changes, seen_keys, count = [], {}, 0
    for sheet_key in ("targets", "items"):
        names = {word(SHEETS, sheet_key, "zh"), word(SHEETS, sheet_key, "en")}
        title = next((s for s in formulas.sheetnames if s.strip() in names), None)
        if title is None:
            problems.append(Problem(filename, None, "", "", "sheet",
                                    {"sheet": " / ".join(sorted(names, key=len))}))
            continue
        sheet, values = formulas[title], cached[title]
        header, missing = _header_map(sheet, sheet_key)
        problems += missing
        if missing:
            continue
        heads = {c: str(next(sheet.iter_rows(min_row=1, max_row=1))[j].value) for c, j in header.items()}
        for number, (row, row_values) in enumerate(zip(sheet.iter_rows(min_row=2), values.iter_rows(min_row=2)),
                                                   start=2):
            def cell(column: str):
                j = header.get(column)
                if j is None or j >= len(row):
                    return ""
                got = row[j].value
                if row[j].data_type == "f":
                    got = row_values[j].value if j < len(row_values) else None
                    if got is None:
                        problems.append(Problem(title, number, heads[column], get_column_letter(j + 1),
                                                "formula", {}))
                        return FORMULA
                if isinstance(got, (int, float)) and "%" in (row[j].number_format or ""):
                    # 21.5% typed in Excel is kept as 0.215: the reader meant what Excel shows
                    return format((Decimal(str(got)) * 100).normalize(), "f")
                return _text(got)

            def problem(column: str, code: str, details: dict) -> None:
                j = header.get(column)
                problems.append(Problem(title, number, heads.get(column, ""),
                                        get_column_letter(j + 1) if j is not None else "", code, details))

            fields = {c: cell(c) for c in ENTERED[sheet_key]}
            if FORMULA in fields.values():  # said once, as a formula; not again as a bad value
                count += 1
                continue
            item_id = cell("id")
            if not item_id and not any(fields.values()):
                continue
            count += 1
            if fields.get("status"):
                fields["status"] = status_words.get(fields["status"].lower(), fields["status"])
            version = cell("version")
            seen = int(version) if version.isdigit() else None
            if sheet_key == "targets":
                year, place = cell("year"), cell("place")
                key = (item_id, int(year) if year.isdigit() else year, place)
                old = stored.get(key)
                if not any(fields.values()) or (old and _same(old, fields)):
                    continue
                found = check_value(item_id, year, place, fields)
                owner = targets().get(item_id)
            else:
                key = (item_id,)
                old = statuses.get(item_id)
                if not any(fields.values()) or (old and all(str(old.get(f) or "") == fields[f]
                                                            for f in ENTERED["items"])):
                    continue
                found = check_status(item_id, fields)
                owner = items().get(item_id)
            for code, details in found:
                problem(_column_of(code), code, details)
            if owner is not None and not account.may_record(units_for(owner)):
                problem("id", "not_yours", {"id": item_id, "units": "、".join(units_for(owner)) or "—"})
            elif sheet_key == "targets" and owner is not None and not found and \
                    key[2] not in places_for(account, owner):
                problem("place", "not_yours_place", {"id": item_id, "place": key[2] or "—"})
            if key in seen_keys.setdefault(sheet_key, {}):
                problem("id", "duplicate", {"first": seen_keys[sheet_key][key]})
            seen_keys[sheet_key][key] = number
            current = (old or {}).get("version")
            if not found and current != seen:
                problem("version", *conflict_problem(item_id, old))
            changes.append((sheet_key, key, fields, seen))
    return Upload(filename, digest, changes, count, problems)


def _same(old: dict, fields: dict) -> bool:
    cleaned = clean_value(fields)
    return all(str(old.get(f) or "") == str(cleaned.get(f) or "") for f in ENTERED["targets"])


def _column_of(code: str) -> str:
    return {"unknown_target": "id", "unknown_item": "id", "year": "year", "place": "place",
            "number": "value", "worded_value": "value", "status": "status", "source": "source",
            "url": "source_url", "date": "published", "date_missing": "published"}[code]


def apply_upload(upload: Upload, account: Account, url: str | None = None) -> int:
    """Store a checked upload in one transaction; Refused (and nothing stored) if it has
    problems or a record changed since it was checked. Returns the upload's id."""
    if upload.problems:
        raise ValueError("an upload with problems is not stored")
    with db.session(url) as session, session.begin():
        upload_id = records.add_upload(session, account.user, upload.filename, upload.sha256, upload.rows)
        for sheet_key, key, fields, seen in upload.changes:
            try:
                if sheet_key == "targets":
                    records.set_value(session, account.user, key[0], key[1], key[2], clean_value(fields),
                                      seen, upload_id=upload_id)
                else:
                    records.set_status(session, account.user, key[0],
                                       {"status": fields["status"], "note": fields["note"]}, seen,
                                       upload_id=upload_id)
            except Conflict as conflict:
                raise Refused([conflict_problem(key[0], conflict.current)]) from None
    return upload_id


def import_file(path: str | Path, account: Account, url: str | None = None) -> tuple[Upload, int | None]:
    """Check and, if clean, store a filled template (the command line's import)."""
    path = Path(path)
    upload = read_upload(path.read_bytes(), path.name, account, url)
    if upload.problems or not upload.changes:  # nothing to store: no upload to record either
        return upload, None
    return upload, apply_upload(upload, account, url)


