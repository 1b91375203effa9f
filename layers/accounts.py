"""Who may record what: accounts from a configuration file, passwords as argon2 hashes, and a
sign-in that is rate-limited.

The file is ``users.toml`` in HARBOR_DATA_DIR, or the one named by ``HARBOR_USERS``::

    [users.wang]
    name = "王工"                      # shown in the history
    role = "editor"                    # viewer, editor or admin
    units = ["杭州市政府"]              # an editor's units (Annex 6 names)
    password_hash = "$argon2id$v=19$..."

No account and no password ship with the app; add one with

    python -m layers.accounts add wang --role editor --unit 杭州市政府 [--name 王工]

which asks for the password (or reads it from stdin with --password-stdin)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from layers.plan import table
from layers.store import db
from layers.store.models import SignIn
from layers.store.records import now

ROLES = ("viewer", "editor", "admin")
MAX_FAILURES, WINDOW = 5, timedelta(minutes=15)  # then wait until the window has passed
_hasher = PasswordHasher()

NAME = re.compile(r"[A-Za-z0-9_.@-]{1,80}")


@dataclass(frozen=True)
class Account:
    user: str
    name: str
    role: str
    units: tuple[str, ...] = field(default_factory=tuple)

    def may_record(self, units) -> bool:
        """Whether this account may change a record whose responsible units are ``units``."""
        return self.role == "admin" or (self.role == "editor" and bool(set(units) & set(self.units)))


class SignInError(Exception):
    """Refused: wrong name or password, or too many attempts (``wait``: minutes)."""

    def __init__(self, wait: int | None = None):
        super().__init__("too many attempts" if wait else "wrong user name or password")
        self.wait = wait


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to check an unknown user's password against, so that it costs the same time;
    made when first needed (about 0.1 s), not when the map pages import this module."""
    return _hasher.hash("not a password of anyone")


def users_path() -> Path:
    return Path(os.environ.get("HARBOR_USERS") or db.data_dir() / "users.toml")


def load_users(path: Path | None = None) -> dict[str, dict]:
    path = path or users_path()
    if not path.exists():
        return {}
    with open(path, "rb") as f:
        users = tomllib.load(f).get("users", {})
    for user, entry in users.items():
        if entry.get("role") not in ROLES:
            raise ValueError(f"{path}: [users.{user}] role must be one of {', '.join(ROLES)}")
    return users


def _account(user: str, entry: dict) -> Account:
    return Account(user, entry.get("name") or user, entry["role"], tuple(entry.get("units", [])))


def account_of(user: str) -> Account | None:
    """The account of ``user`` from the configuration file, without a password (the command
    line, run by someone who already has the server's shell); None if there is none."""
    entry = load_users().get(user)
    return None if entry is None else _account(user, entry)


def sign_in(user: str, password: str, url: str | None = None) -> Account:
    """The account of ``user`` if the password is right; SignInError otherwise. After
    MAX_FAILURES failures within WINDOW, every attempt is refused until the window has passed."""
    with db.session(url) as session, session.begin():
        since = now() - WINDOW
        failures = session.scalars(select(SignIn.at).where(
            SignIn.user == user, SignIn.ok.is_(False), SignIn.at >= since)
            .order_by(SignIn.at)).all()
        if len(failures) >= MAX_FAILURES:
            left = failures[-MAX_FAILURES] + WINDOW - now()
            raise SignInError(wait=max(1, -(-int(left.total_seconds()) // 60)))
        entry = load_users().get(user)
        try:
            _hasher.verify(entry["password_hash"] if entry else _dummy_hash(), password)
            ok = entry is not None
        except (VerificationError, InvalidHashError):
            ok = False
        session.add(SignIn(user=user[:80], at=now(), ok=ok))
    if not ok:
        raise SignInError()
    return _account(user, entry)


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def add_user(user: str, password: str, role: str, units: list[str], name: str = "",
             path: Path | None = None) -> Path:
    """Add (or replace) an account in the configuration file, the password hashed with argon2."""
    path = path or users_path()
    if not NAME.fullmatch(user):
        raise ValueError("a user name is 1-80 letters, digits or _ . @ -")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    known = set(table("units")["name_zh"])
    unknown = [u for u in units if u not in known]
    if unknown:
        raise ValueError(f"unknown units {', '.join(unknown)} (Annex 6 names, as in data/units.csv)")
    if role == "editor" and not units:
        raise ValueError("an editor needs at least one --unit")
    if len(password) < 10:
        raise ValueError("a password has at least 10 characters")
    users = load_users(path)
    users[user] = {"name": name or user, "role": role, "units": units,
                   "password_hash": _hasher.hash(password)}
    lines = ["# Accounts of the harbor map (layers/accounts.py). Passwords are argon2 hashes.", ""]
    for key, entry in users.items():
        lines += [f"[users.{key}]", f"name = {_toml_string(entry.get('name', key))}",
                  f"role = {_toml_string(entry['role'])}",
                  "units = [" + ", ".join(_toml_string(u) for u in entry.get("units", [])) + "]",
                  f"password_hash = {_toml_string(entry['password_hash'])}", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m layers.accounts",
                                     description="Accounts of those who record values and statuses.")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add or replace an account")
    add.add_argument("user")
    add.add_argument("--role", choices=ROLES, default="editor")
    add.add_argument("--unit", action="append", default=[], help="a responsible unit (repeat)")
    add.add_argument("--name", default="", help="the name shown in the history")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    args = parser.parse_args(argv)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("The passwords differ; nothing changed.", file=sys.stderr)
            return 2
    try:
        path = add_user(args.user, password, args.role, args.unit, args.name)
    except ValueError as err:
        print(f"{err}; nothing changed.", file=sys.stderr)
        return 2
    print(f"{args.user} ({args.role}) written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
