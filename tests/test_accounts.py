"""Accounts: from a configuration file with argon2 hashes, added by a command, no default
password, sign-in rate-limited; and the evaluation command line (report, template, import)."""

import io
import subprocess
import sys
import tomllib
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from layers import accounts, progress

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "港湾-correct-horse-7"


def command(*args, stdin: str = "", env=None):
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True,
                          input=stdin, env=env)


def test_no_account_ships_and_viewing_needs_none(database, tmp_path):
    assert accounts.load_users() == {}
    with pytest.raises(accounts.SignInError):
        accounts.sign_in("admin", "admin")
    assert not list(ROOT.glob("**/users.toml"))  # nothing in the repository


def test_an_account_is_added_with_an_argon2_hash_and_signs_in(database, monkeypatch):
    import os

    done = command("layers.accounts", "add", "nb", "--role", "editor", "--unit", "宁波市政府",
                   "--name", "宁波市金融办", "--password-stdin", stdin=PASSWORD + "\n", env=os.environ)
    assert done.returncode == 0, done.stderr
    path = accounts.users_path()
    entry = tomllib.loads(path.read_text(encoding="utf-8"))["users"]["nb"]
    assert entry["password_hash"].startswith("$argon2id$") and PASSWORD not in path.read_text(encoding="utf-8")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    account = accounts.sign_in("nb", PASSWORD)
    assert (account.role, account.units, account.name) == ("editor", ("宁波市政府",), "宁波市金融办")
    assert account.may_record(["宁波市政府"]) and not account.may_record(["杭州市政府"])


@pytest.mark.parametrize("args, message", [
    (["x", "--role", "editor"], "an editor needs at least one --unit"),
    (["x", "--role", "editor", "--unit", "宁波市"], "unknown units 宁波市"),
    (["bad name", "--role", "admin"], "a user name is"),
])
def test_a_bad_account_is_refused_and_nothing_written(database, args, message):
    import os

    done = command("layers.accounts", "add", *args, "--password-stdin", stdin=PASSWORD + "\n", env=os.environ)
    assert done.returncode == 2 and message in done.stderr and "nothing changed" in done.stderr
    assert not accounts.users_path().exists()
    with pytest.raises(ValueError, match="10 characters"):
        accounts.add_user("x", "short", "admin", [])


def test_sign_in_is_rate_limited_per_user(database):
    accounts.add_user("nb", PASSWORD, "editor", ["宁波市政府"])
    accounts.add_user("hz", PASSWORD, "editor", ["杭州市政府"])
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.SignInError) as refused:
            accounts.sign_in("nb", "guess")
        assert refused.value.wait is None
    with pytest.raises(accounts.SignInError) as refused:
        accounts.sign_in("nb", PASSWORD)  # even the right password now waits
    assert refused.value.wait == 15
    assert accounts.sign_in("hz", PASSWORD).user == "hz"  # another user is not held up
    with pytest.raises(accounts.SignInError):
        accounts.sign_in("nobody", PASSWORD)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # the store's tests cover both
def test_the_command_line_report_template_and_import(database, tmp_path):
    import os

    env = {**os.environ}
    accounts.add_user("nb", PASSWORD, "editor", ["宁波市政府"])
    template = tmp_path / "宁波.xlsx"
    done = command("layers.progress", "template", "宁波市政府", str(template), env=env)
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(template)
    sheet = book["目标"]
    row = next(r[0].row for r in sheet.iter_rows(min_row=2) if r[0].value == "A4-3-3" and r[4].value == 2022)
    sheet[f"G{row}"], sheet[f"I{row}"], sheet[f"K{row}"] = 0.25, "人行宁波市分行", "2023-02-10"
    sheet[f"G{row + 1}"] = "不详"  # the next year: text where a number belongs
    book.save(template)
    done = command("layers.progress", "import", str(template), "--user", "nb", env=env)
    assert done.returncode == 1 and "未存入任何内容" in done.stderr
    assert f"目标，第 {row + 1} 行，G 列“报告值”：报告值“不详”不是数字" in done.stderr
    assert progress.all_values() == []
    sheet[f"G{row + 1}"] = None
    book.save(template)
    done = command("layers.progress", "import", str(template), "--user", "nb", env=env)
    assert done.returncode == 0, done.stderr
    assert [(v["target_id"], v["year"], v["value"], v["by"]) for v in progress.all_values()] == [
        ("A4-3-3", 2022, "0.25", "nb")]
    done = command("layers.progress", "import", str(template), "--user", "nobody", env=env)
    assert done.returncode == 2 and "没有用户“nobody”" in done.stderr
    for suffix in ("xlsx", "csv", "docx"):
        done = command("layers.progress", "--lang", "en", "report", str(tmp_path / f"report.{suffix}"), env=env)
        assert done.returncode == 0, done.stderr
    report = openpyxl.load_workbook(tmp_path / "report.xlsx")["Targets"]
    header = [c.value for c in report[1]]
    got = {r[0]: dict(zip(header, r)) for r in report.iter_rows(min_row=2, values_only=True)}
    assert str(got["A4-3-3"]["Value judged (latest, total or mean)"]) == "0.25"
    assert got["A4-3-3"]["Status"] == "Not met" and got["A4-3-3"]["Progress"] == 0.25  # 0.25 of 1 万亿元, a number
    assert got["A4-1-1"]["Status"] == "No data" and got["A4-1-1"]["2020 baseline (section 1)"] == "8.7 %"
    assert (tmp_path / "report_items.csv").exists()
    doc = Document(tmp_path / "report.docx")
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "A4-3-3" in cells and "Not met" in cells and len(doc.tables) == 2
    assert len(doc.tables[0].rows) == 1 + len(progress.targets())
    done = command("layers.progress", "report", str(tmp_path / "report.pdf"), env=env)
    assert done.returncode == 2 and ".xlsx, .csv, .docx" in done.stderr


def test_text_from_an_upload_is_not_a_live_formula_in_the_report(database, tmp_path):
    admin = accounts.Account("admin", "a", "admin")
    progress.record_value(admin, "A4-3-3", 2022, {"value": "0.3", "source": "=HYPERLINK(\"http://x\")",
                                                  "published": "2023-01-01", "note": "@SUM(A1)"}, None)
    from layers.evaluation import write_report

    write_report(tmp_path / "r.xlsx", "zh")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["目标"]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] in "=@"]
    assert cells and all(c.data_type == "s" for c in cells)  # text, not a formula
    write_report(tmp_path / "r.csv", "zh")
    text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM" in text
    assert io.StringIO(text).readline().startswith('"编号"')
