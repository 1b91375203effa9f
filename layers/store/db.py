"""The engine: where the database is, and its schema brought up to date on first use.

``HARBOR_DB_URL`` (any SQLAlchemy URL, e.g. ``postgresql+psycopg://user:pw@host/harbor``) names
the database; without it, an SQLite file ``harbor.sqlite3`` in ``HARBOR_DATA_DIR`` (default: the
user's data folder, never the repository), created on first run. Migrations (Alembic, in
migrations/) run in place whenever an engine is made, so an old file is upgraded on start."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def data_dir() -> Path:
    folder = Path(os.environ.get("HARBOR_DATA_DIR") or user_data_dir("qiantang-harbor", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def database_url() -> str:
    return os.environ.get("HARBOR_DB_URL") or f"sqlite:///{data_dir() / 'harbor.sqlite3'}"


def _sqlite_pragmas(connection, _record) -> None:
    connection.isolation_level = None  # SQLAlchemy's "begin" below starts every transaction
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not wait for a writer
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")  # a second writer waits for the first
    cursor.close()


def _sqlite_begin(connection) -> None:
    # A transaction takes the write lock when it starts, so that two writers queue (up to the
    # busy timeout) instead of the second failing on a snapshot the first has made stale; its
    # UPDATE ... WHERE version = seen then finds the first one's version and reports a conflict.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (creates the tables in a new database)."""
    from alembic import command  # here: about 0.15 s of imports the map pages need not pay
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default: database_url()), made once per process, migrated."""
    url = url or database_url()
    with _lock:
        if url not in _engines:
            made = create_engine(url, pool_pre_ping=True)
            if made.dialect.name == "sqlite":
                event.listen(made, "connect", _sqlite_pragmas)
                event.listen(made, "begin", _sqlite_begin)
            upgrade(made)
            _engines[url] = made
        return _engines[url]


def session(url: str | None = None) -> Session:
    return sessionmaker(engine(url), expire_on_commit=False)()


def forget(url: str) -> None:
    """Dispose of an engine (tests that drop their database)."""
    with _lock:
        made = _engines.pop(url, None)
    if made is not None:
        made.dispose()
