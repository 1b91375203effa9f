"""The targets through 2025: each with its baseline, its reported values and its status; who may
record a value or a status; the evaluation table (终期评估) as XLSX, CSV or DOCX; and the command
line for batch work:

    python -m layers.progress report OUT.xlsx|.csv|.docx [--lang en]
    python -m layers.progress template UNIT OUT.xlsx [--lang en]
    python -m layers.progress import FILE --user NAME

The page and the command call the same functions here (templates: layers/templates.py)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import pandas as pd

from layers.accounts import Account
from layers.plan import CITIES_OF_HARBOR, split_ids, table, units_of
from layers.status import FIRST_YEAR, LAST_YEAR, STATUSES, judge, kind_of, number, rules
from layers.store import db, records
from layers.store.records import Conflict

__all__ = ["Conflict", "Refused", "record_value", "record_status", "undo", "status_table"]
TASK_STATUSES = ("met", "nearly", "not_met")  # a task's or an Annex 5 item's status
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
URL = re.compile(r"https?://\S+")


class Refused(Exception):
    """A record that cannot be stored: ``problems`` are (code, details) pairs (see MESSAGES)."""

    def __init__(self, problems: list[tuple[str, dict]]):
        super().__init__("; ".join(code for code, _ in problems))
        self.problems = problems


# ---- the plan's side: whose is a target, which city, which harbor ---------------------------

@lru_cache(maxsize=1)
def targets() -> dict[str, dict]:
    return {r["id"]: r for r in table("targets").to_dict("records")}


@lru_cache(maxsize=1)
def items() -> dict[str, dict]:
    """The tasks of 三 and 四 and the Annex 5 items, by id."""
    out = {r["id"]: {**r, "item": "task", "name_zh": r["title_zh"], "name_en": r["title_en"]}
           for r in table("tasks").to_dict("records")}
    out |= {r["id"]: {**r, "item": "annex5"} for r in table("annex5").to_dict("records")}
    return out


def units_for(record: dict) -> list[str]:
    return units_of(record.get("responsible_units", ""))


def city_of(record: dict) -> str:
    """The one city of the six whose government alone answers for a target ("" otherwise)."""
    cities = {u.removesuffix("政府") for u in units_for(record) if u.endswith("市政府")}
    others = [u for u in units_for(record) if not u.endswith("市政府")]
    city = next(iter(cities)) if len(cities) == 1 and not others else ""
    return city if city in CITIES_OF_HARBOR else ""


@lru_cache(maxsize=1)
def harbor_of() -> dict[str, str]:
    """The 港湾 of 二(三) a target belongs to, by target id (H-0: the main targets)."""
    out = {}
    for h in table("harbors").to_dict("records"):
        for target in split_ids(h["targets"]):
            out.setdefault(target, h["id"])
    return out


@lru_cache(maxsize=1)
def baseline_of() -> dict[str, dict]:
    """The 2020 baseline (一) of a target, where the plan gives one for the same indicator."""
    out = {}
    for b in table("baselines").to_dict("records"):
        for target in split_ids(b["targets"]):
            out[target] = b
    return out


def item_cities(item_id: str) -> list[str]:
    """The cities a task or Annex 5 item concerns: those whose governments answer for it, and
    those of the places the plan ties it to."""
    from layers.links import places_of

    cities = {u.removesuffix("政府") for u in units_for(items()[item_id]) if u.endswith("市政府")}
    features = table("features").set_index("id")
    cities |= {features.loc[f, "city"] for _, f in places_of(item_id) if f in features.index and features.loc[f, "city"]}
    return sorted(cities & set(CITIES_OF_HARBOR + ("衢州市",)), key=lambda c: (CITIES_OF_HARBOR + ("衢州市",)).index(c))


def unit_places(unit: str, target: dict) -> list[str]:
    """Where ``unit`` answers for a target's values: "" for the target's own scope, or cities.
    A provincial unit answers for all of them; a city government for its own city's target,
    and for its city's share of a wider one (the province's, the harbor's), not for the whole."""
    if unit not in units_for(target):
        return []
    if not unit.endswith("市政府"):
        return ["", *CITIES_OF_HARBOR]
    city = unit.removesuffix("政府")
    if city_of(target) == city:
        return [""]
    return [city] if city in CITIES_OF_HARBOR and not city_of(target) else []


def places_for(account: Account, target: dict) -> list[str]:
    """Where ``account`` may record a target's values (empty: nowhere)."""
    if account.role == "admin":
        return ["", *CITIES_OF_HARBOR]
    if account.role != "editor":
        return []
    found = {p for unit in account.units for p in unit_places(unit, target)}
    return [p for p in ("", *CITIES_OF_HARBOR) if p in found]


def unit_targets(unit: str) -> list[str]:
    return [i for i, t in targets().items() if unit in units_for(t)]


def unit_items(unit: str) -> list[str]:
    return [i for i, r in items().items() if unit in units_for(r)]


# ---- checking a record ---------------------------------------------------------------------

def check_value(target_id: str, year, place: str, fields: dict) -> list[tuple[str, dict]]:
    """What is wrong with a value to record (empty when it can be stored)."""
    target = targets().get(target_id)
    if target is None:
        return [("unknown_target", {"id": target_id})]
    problems = []
    if not re.fullmatch(r"\d{4}", str(year).strip()) or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        problems.append(("year", {"year": year}))
    if place and place not in CITIES_OF_HARBOR:
        problems.append(("place", {"place": place}))
    if kind_of(target) == "qualitative":
        if fields.get("status") not in TASK_STATUSES:
            problems.append(("status", {"status": fields.get("status", "")}))
        if fields.get("value") not in (None, ""):
            problems.append(("worded_value", {"value": fields["value"]}))
    elif number(fields.get("value")) is None:
        problems.append(("number", {"value": fields.get("value", "")}))
    elif kind_of(target) == "rank" and not (number(fields["value"]) >= 1 and number(fields["value"]) % 1 == 0):
        problems.append(("rank", {"value": fields["value"]}))
    if not str(fields.get("source") or "").strip():
        problems.append(("source", {}))
    if fields.get("source_url") and not URL.fullmatch(str(fields["source_url"]).strip()):
        problems.append(("url", {"url": fields["source_url"]}))
    published = str(fields.get("published") or "").strip()
    if not published:
        problems.append(("date_missing", {}))
    elif not DATE.fullmatch(published) or not _real_date(published):
        problems.append(("date", {"date": published}))
    return problems


def conflict_problem(item_id: str, current: dict | None, lang: str = "zh") -> tuple[str, dict]:
    """What to tell a writer whose record changed since it was read: the other's value (or
    status), who and when (UTC); or that it was removed."""
    from layers.progress_words import word

    if current is None:
        return "gone", {"id": item_id}
    shown = current.get("value") or word(STATUSES, current.get("status") or "no_data", lang)
    return "conflict", {"id": item_id, "by": current.get("by", ""), "at": f"{current.get('at', '')} UTC",
                        "value": shown}


def _real_date(text: str) -> bool:
    try:
        return dt.date.fromisoformat(text) <= dt.date.today()
    except ValueError:
        return False


def check_status(item_id: str, fields: dict) -> list[tuple[str, dict]]:
    if item_id not in items():
        return [("unknown_item", {"id": item_id})]
    if fields.get("status") not in TASK_STATUSES:
        return [("status", {"status": fields.get("status", "")})]
    return []


def clean_value(fields: dict) -> dict:
    out = {f: str(fields.get(f) or "").strip() for f in records.VALUE_FIELDS}
    value = number(out["value"])
    out["value"] = None if value is None else format(value.normalize(), "f")
    out["status"] = out["status"] or None
    return out


# ---- recording (the page and the importer) ------------------------------------------------

def _may(account: Account, units: list[str], what: str) -> None:
    if not account.may_record(units):
        raise Refused([("not_yours", {"id": what, "units": "、".join(units) or "—"})])


def record_value(account: Account, target_id: str, year: int, fields: dict, seen: int | None,
                 place: str = "", url: str | None = None) -> dict:
    """Store a target's value for a year (and a city, for a harbor-wide target), if the account
    answers for the target and nobody changed it since version ``seen``. Returns the change."""
    problems = check_value(target_id, year, place, fields)
    if problems:
        raise Refused(problems)
    target = targets()[target_id]
    if (place or "") not in places_for(account, target):
        raise Refused([("not_yours_place" if places_for(account, target) else "not_yours",
                        {"id": target_id, "units": "、".join(units_for(target)) or "—",
                         "place": place or "—"})])
    with db.session(url) as session, session.begin():
        change = records.set_value(session, account.user, target_id, int(year), place,
                                   clean_value(fields), seen)
        return records.change_dict(change)


def record_status(account: Account, item_id: str, fields: dict, seen: int | None,
                  url: str | None = None) -> dict:
    problems = check_status(item_id, fields)
    if problems:
        raise Refused(problems)
    _may(account, units_for(items()[item_id]), item_id)
    with db.session(url) as session, session.begin():
        change = records.set_status(session, account.user, item_id,
                                    {"status": fields["status"], "note": str(fields.get("note") or "").strip()},
                                    seen)
        return records.change_dict(change)


def undo(account: Account, change_id: int, url: str | None = None) -> dict:
    """Undo a change (itself a recorded change), if the account answers for its record."""
    with db.session(url) as session, session.begin():
        change = records.change(session, change_id)
        if change is None:
            raise Refused([("unknown_change", {"id": change_id})])
        owner = targets().get(change["item_id"]) or items().get(change["item_id"]) or {}
        _may(account, units_for(owner), change["item_id"])
        return records.change_dict(records.undo(session, account.user, change_id))


def history(item_id: str, year: int | None = None, place: str | None = None, url: str | None = None) -> list[dict]:
    """The changes of a target's values (of one year and place when given) or of an item's status."""
    with db.session(url) as session:
        return records.history(session, item_id, year, place)


def all_values(url: str | None = None) -> list[dict]:
    with db.session(url) as session:
        return records.values(session)


def all_statuses(url: str | None = None) -> dict[str, dict]:
    with db.session(url) as session:
        return records.statuses(session)


# ---- the status table ----------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """A target as the evaluation sees it."""
    target: dict
    kind: str
    status: str
    measure: Decimal | None
    year: int | None
    progress: Decimal | None
    yearly: dict  # year -> record (the target's own scope)
    cities: dict  # city -> {year -> record}


def status_rows(values: list[dict] | None = None) -> list[Row]:
    """Every target with its values and status, in the plan's order."""
    values = all_values() if values is None else values
    config = rules()
    own: dict[str, dict] = {}
    cities: dict[str, dict] = {}
    for v in values:
        if v["place"]:
            cities.setdefault(v["target_id"], {}).setdefault(v["place"], {})[v["year"]] = v
        else:
            own.setdefault(v["target_id"], {})[v["year"]] = v
    rows = []
    for target_id, target in targets().items():
        yearly = own.get(target_id, {})
        j = judge(target, yearly, config)
        rows.append(Row(target, kind_of(target, config), j.status, j.measure, j.year, j.progress,
                        yearly, cities.get(target_id, {})))
    return rows


def status_table(values: list[dict] | None = None) -> pd.DataFrame:
    """The evaluation table, one row a target, in codes and the plan's words (the reader's
    language: layers/progress_words.py)."""
    baselines = baseline_of()
    harbors = harbor_of()
    out = []
    for r in status_rows(values):
        t = r.target
        b = baselines.get(t["id"])
        latest = r.yearly.get(r.year, {}) if r.year else {}
        out.append({
            "id": t["id"], "harbor": harbors.get(t["id"], ""), "row": t["row"], "city": city_of(t),
            "kind": r.kind, "baseline": b["value"] if b else "", "baseline_unit": b["unit_zh"] if b else "",
            "measure": "" if r.measure is None else format(r.measure.normalize(), "f"),
            "year": r.year or "", "progress": "" if r.progress is None else float(r.progress),
            "status": r.status, "note": latest.get("note", ""), "source": latest.get("source", ""),
            "source_url": latest.get("source_url", ""), "published": latest.get("published", ""),
        })
    return pd.DataFrame(out)


def statuses_of_items(statuses: dict | None = None) -> pd.DataFrame:
    statuses = all_statuses() if statuses is None else statuses
    rows = []
    for item_id, item in items().items():
        s = statuses.get(item_id)
        rows.append({"id": item_id, "item": item["item"], "status": s["status"] if s else "no_data",
                     "note": s["note"] if s else "", "version": s["version"] if s else None,
                     "by": s["by"] if s else "", "at": s["at"] if s else ""})
    return pd.DataFrame(rows)


def status_counts(frame: pd.DataFrame) -> dict[str, int]:
    return {s: int((frame["status"] == s).sum()) for s in STATUSES}


# ---- the command line ----------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys

    from layers.accounts import account_of
    from layers.evaluation import write_report
    from layers.progress_words import message
    from layers.templates import import_file, write_template

    parser = argparse.ArgumentParser(prog="python -m layers.progress",
                                     description="The targets through 2025: the evaluation table, "
                                                 "the templates of the responsible units, and their import.")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="the language of the file and messages")
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report", help="the status table (.xlsx, .csv or .docx by the extension)")
    report.add_argument("out")
    template = sub.add_parser("template", help="the Excel template of one responsible unit")
    template.add_argument("unit", help="a responsible unit as Annex 6 names it, such as 宁波市政府")
    template.add_argument("out")
    imports = sub.add_parser("import", help="check a filled template and, if it has no problem, store it")
    imports.add_argument("file")
    imports.add_argument("--user", required=True, help="the account the values are recorded by")
    args = parser.parse_args(argv)
    en = args.lang == "en"
    try:
        if args.command == "report":
            print(write_report(args.out, args.lang))
        elif args.command == "template":
            write_template(args.unit, args.out, args.lang)
            print(args.out)
        else:
            account = account_of(args.user)
            if account is None:
                print(message("no_user", {"user": args.user}, args.lang), file=sys.stderr)
                return 2
            upload, upload_id = import_file(args.file, account)
            for problem in upload.problems:
                print(problem.text(args.lang), file=sys.stderr)
            if upload.problems:
                print(f"{len(upload.problems)} problems; nothing was stored." if en
                      else f"共 {len(upload.problems)} 处问题，未存入任何内容。", file=sys.stderr)
                return 1
            if upload_id is None:
                print(f"Nothing new or changed in {upload.rows} rows; nothing was stored." if en
                      else f"{upload.rows} 行中没有新的或改动的内容，未存入任何内容。")
                return 0
            print(f"Stored {len(upload.changes)} changes of {upload.rows} rows (upload {upload_id})." if en
                  else f"已存入 {upload.rows} 行中的 {len(upload.changes)} 处修改（上传编号 {upload_id}）。")
    except (ValueError, OSError) as err:
        print(err, file=sys.stderr)
        return 2
    except Refused as refused:
        for code, details in refused.problems:
            print(message(code, details, args.lang), file=sys.stderr)
        print("Nothing was stored." if en else "未存入任何内容。", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def status_texts(ids, lang: str) -> list[str]:
    """Each target's or item's status as a reader reads it: "基本完成（9，2025）", "No data"."""
    from layers.progress_words import word

    ids = list(ids)
    rows = {r.target["id"]: r for r in status_rows()} if any(i in targets() for i in ids) else {}
    recorded = all_statuses() if any(i in items() for i in ids) else {}
    out = []
    for i in ids:
        if i in rows:
            r = rows[i]
            text = word(STATUSES, r.status, lang)
            if r.measure is not None:
                figure = format(r.measure.normalize(), "f")
                text += f" ({figure}, {r.year})" if lang == "en" else f"（{figure}，{r.year}）"
        else:
            text = word(STATUSES, (recorded.get(i) or {}).get("status") or "no_data", lang)
        out.append(text)
    return out
