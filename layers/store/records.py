"""Reading and changing the records, every change kept in ``changes``.

A writer says which version of a record it saw (None: it saw none). When the record has moved on
since, the write raises Conflict with the record as it is now, and changes nothing: two editors
saving the same value at the same time cannot overwrite each other, whichever database serves
them (the UPDATE's ``WHERE version = seen`` is decided by the database, not by Python).

The functions take a Session and do not commit: the caller's transaction is the unit (a whole
upload is one), so a failure anywhere leaves the database as it was."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from layers.store.models import Change, ItemStatus, Upload, Value

VALUE_FIELDS = ("value", "status", "note", "source", "source_url", "published")
STATUS_FIELDS = ("status", "note")


class Conflict(Exception):
    """The record changed since the writer saw it; ``current`` is the record now (or None)."""

    def __init__(self, key: tuple, current: dict | None):
        super().__init__(f"{key} changed since it was read")
        self.key, self.current = key, current


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def _record(row, fields) -> dict | None:
    if row is None:
        return None
    out = {f: getattr(row, f) for f in fields}
    out.update(version=row.version, by=row.updated_by, at=row.updated_at.isoformat(sep=" "))
    return out


def _json(record: dict | None) -> str | None:
    return None if record is None else json.dumps(record, ensure_ascii=False, sort_keys=True)


def values(session: Session) -> list[dict]:
    """Every reported value: target_id, year, place and the record."""
    rows = session.scalars(select(Value).order_by(Value.target_id, Value.place, Value.year))
    return [dict(target_id=r.target_id, year=r.year, place=r.place, **_record(r, VALUE_FIELDS))
            for r in rows]


def statuses(session: Session) -> dict[str, dict]:
    return {r.item_id: _record(r, STATUS_FIELDS) for r in session.scalars(select(ItemStatus))}


def _write(session, model, where, key, fields, record, seen, user, stamp) -> dict | None:
    """Insert, update or (record None) delete the row at ``where`` if its version is ``seen``."""
    current = session.scalars(select(model).where(*where)).first()
    old = _record(current, fields)
    if (old and old["version"]) != seen:
        raise Conflict(key, old)
    if record is None:
        if current is not None and session.execute(
                delete(model).where(*where, model.version == seen)).rowcount != 1:
            raise Conflict(key, old)
        return old
    data = {f: record.get(f) for f in fields}
    data = {f: ("" if v is None and f not in ("value", "status") else v) for f, v in data.items()}
    if current is None:
        try:
            with session.begin_nested():
                session.execute(insert(model).values(**key_columns(model, key), **data, version=1,
                                                     updated_by=user, updated_at=stamp))
        except IntegrityError:  # another writer inserted it first
            raise Conflict(key, _record(session.scalars(select(model).where(*where)).first(),
                                        fields)) from None
    elif session.execute(update(model).where(*where, model.version == seen).values(
            **data, version=model.version + 1, updated_by=user, updated_at=stamp)
            .execution_options(synchronize_session=False)).rowcount != 1:
        session.expire_all()
        raise Conflict(key, _record(session.scalars(select(model).where(*where)).first(), fields))
    return old


def key_columns(model, key: tuple) -> dict:
    if model is Value:
        return dict(target_id=key[0], year=key[1], place=key[2])
    return dict(item_id=key[0])


def _change(session, user, what, key, old, where, model, fields, upload_id, undo_of, stamp):
    session.expire_all()
    new = _record(session.scalars(select(model).where(*where)).first(), fields)
    change = Change(at=stamp, user=user, what=what, item_id=key[0],
                    year=key[1] if what == "value" else None,
                    place=key[2] if what == "value" else "", old=_json(old), new=_json(new),
                    upload_id=upload_id, undo_of=undo_of)
    session.add(change)
    session.flush()
    return change


def set_value(session: Session, user: str, target_id: str, year: int, place: str,
              record: dict | None, seen: int | None, upload_id: int | None = None,
              undo_of: int | None = None) -> Change:
    """Record (or, with None, remove) a target's value for a year and a place."""
    key, stamp = (target_id, int(year), place or ""), now()
    where = (Value.target_id == key[0], Value.year == key[1], Value.place == key[2])
    old = _write(session, Value, where, key, VALUE_FIELDS, record, seen, user, stamp)
    return _change(session, user, "value", key, old, where, Value, VALUE_FIELDS, upload_id,
                   undo_of, stamp)


def set_status(session: Session, user: str, item_id: str, record: dict | None, seen: int | None,
               upload_id: int | None = None, undo_of: int | None = None) -> Change:
    """Record (or remove) the status and note of a task or an Annex 5 item."""
    key, stamp = (item_id,), now()
    where = (ItemStatus.item_id == item_id,)
    old = _write(session, ItemStatus, where, key, STATUS_FIELDS, record, seen, user, stamp)
    return _change(session, user, "status", key, old, where, ItemStatus, STATUS_FIELDS,
                   upload_id, undo_of, stamp)


def add_upload(session: Session, user: str, filename: str, sha256: str, rows: int) -> int:
    upload = Upload(at=now(), user=user, filename=filename, sha256=sha256, rows=rows)
    session.add(upload)
    session.flush()
    return upload.id


def history(session: Session, item_id: str, year: int | None = None, place: str | None = None) -> list[dict]:
    """The changes of a target's values or of an item's status, oldest first: of one year
    (and one place: "" the target's own scope) when given, else all of them."""
    query = select(Change).where(Change.item_id == item_id)
    if year is not None:
        query = query.where(Change.year == year)
    if place is not None:
        query = query.where(Change.place == place)
    return [change_dict(c) for c in session.scalars(query.order_by(Change.id))]


def change_dict(c: Change) -> dict:
    return dict(id=c.id, at=c.at.isoformat(sep=" "), user=c.user, what=c.what, item_id=c.item_id,
                year=c.year, place=c.place, old=json.loads(c.old) if c.old else None,
                new=json.loads(c.new) if c.new else None, upload_id=c.upload_id,
                undo_of=c.undo_of)


def change(session: Session, change_id: int) -> dict | None:
    row = session.get(Change, change_id)
    return change_dict(row) if row else None


def undo(session: Session, user: str, change_id: int) -> Change:
    """Put back what a change replaced, as a new change; Conflict if the record has changed
    since (undo the later change first)."""
    c = change(session, change_id)
    if c is None:
        raise KeyError(change_id)
    seen = c["new"]["version"] if c["new"] else None
    if c["what"] == "value":
        return set_value(session, user, c["item_id"], c["year"], c["place"], c["old"], seen,
                         undo_of=change_id)
    return set_status(session, user, c["item_id"], c["old"], seen, undo_of=change_id)
