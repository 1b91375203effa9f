"""The tables. Every change to a value or a status is one row of ``changes`` (who, when, the
old and the new record, from which upload, undoing which change); ``version`` is what two
editors compare so that the second of them gets a conflict instead of overwriting the first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Value(Base):
    """A target's reported value for one year, for the target's own scope (place "") or for
    one city; a qualitative target has a status (met, nearly met, not met) instead of a number."""
    __tablename__ = "target_values"
    __table_args__ = (UniqueConstraint("target_id", "year", "place", name="uq_value"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[str] = mapped_column(String(40), index=True)
    year: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(40), default="")
    value: Mapped[str | None] = mapped_column(String(40))  # a decimal, exactly as given
    status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[str] = mapped_column(String(10), default="")  # YYYY-MM-DD
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column()


class ItemStatus(Base):
    """The status and note of a task (三, 四) or of an Annex 5 item."""
    __tablename__ = "item_status"
    item_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column()


class Upload(Base):
    __tablename__ = "uploads"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column()
    user: Mapped[str] = mapped_column(String(80))
    filename: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)


class Change(Base):
    """One change: ``what`` is "value" (key: target id, year, place) or "status" (key: item
    id); ``old`` and ``new`` are the record as JSON, null where there was or is none."""
    __tablename__ = "changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    user: Mapped[str] = mapped_column(String(80))
    what: Mapped[str] = mapped_column(String(10))
    item_id: Mapped[str] = mapped_column(String(40), index=True)
    year: Mapped[int | None] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(40), default="")
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    undo_of: Mapped[int | None] = mapped_column(ForeignKey("changes.id"))


class SignIn(Base):
    """A sign-in attempt, kept for the rate limit."""
    __tablename__ = "sign_ins"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user: Mapped[str] = mapped_column(String(80), index=True)
    at: Mapped[datetime] = mapped_column(index=True)
    ok: Mapped[bool] = mapped_column()
