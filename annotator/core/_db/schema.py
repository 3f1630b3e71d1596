"""The project database schema (SQLAlchemy 2 typed ORM). Alembic migrations follow it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from annotator.core._db import postgres

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


highlight_tags = Table(
    "highlight_tags",
    Base.metadata,
    Column("highlight_id", ForeignKey("highlights.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class DocumentRow(Base):
    __tablename__ = "documents"
    # Covering index for the analysis timeline: a document row holds its whole text, and
    # reading its date through the index skips those pages.
    __table_args__ = (Index("ix_documents_id_published", "id", "published"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String, default="")
    author: Mapped[str] = mapped_column(String, default="")
    source: Mapped[str] = mapped_column(String, default="")
    published: Mapped[date | None] = mapped_column(Date, nullable=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    format: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # Deferred: documents can be megabytes; most reads need only metadata or a slice.
    text: Mapped[str] = mapped_column(Text, deferred=True)
    characters: Mapped[int] = mapped_column(Integer)
    language: Mapped[str | None] = mapped_column(String(16), nullable=True)
    page_map: Mapped[str] = mapped_column(Text, default="[]")  # JSON [[start, end], …]
    original_name: Mapped[str] = mapped_column(String, default="")
    stored_file: Mapped[str | None] = mapped_column(String, nullable=True)
    site_name: Mapped[str] = mapped_column(String, default="")
    url: Mapped[str] = mapped_column(String, default="")

    highlights: Mapped[list[HighlightRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class CategoryRow(Base):
    __tablename__ = "categories"

    name: Mapped[str] = mapped_column(String, primary_key=True)
    label: Mapped[str] = mapped_column(String)
    position: Mapped[int] = mapped_column(Integer, default=0)


class TagRow(Base):
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("category", "name", name="uq_tags_category_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String)
    category: Mapped[str] = mapped_column(
        ForeignKey("categories.name", onupdate="CASCADE", ondelete="RESTRICT")
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("tags.id", ondelete="SET NULL"), nullable=True
    )
    colour: Mapped[str] = mapped_column(String(9))
    description: Mapped[str] = mapped_column(Text, default="")
    aliases: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of strings

    highlights: Mapped[list[HighlightRow]] = relationship(
        secondary=highlight_tags, back_populates="tags", passive_deletes=True
    )


class HighlightRow(Base):
    __tablename__ = "highlights"
    __table_args__ = (
        CheckConstraint("start >= 0 AND \"end\" > start", name="span"),
        Index("ix_highlights_document_start", "document_id", "start"),
        # Covering index for the "overlapping highlights" scope of the analysis matrix.
        Index("ix_highlights_document_span", "document_id", "start", "end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String, default="")
    created: Mapped[datetime] = mapped_column(DateTime)
    modified: Mapped[datetime] = mapped_column(DateTime)
    # The optimistic check (``core.edit_check``): bumped by every change to the highlight, its
    # tags or its note, with the coder who made it, so a stale edit is refused, not applied.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    modified_by: Mapped[str] = mapped_column(String, default="", server_default="")

    document: Mapped[DocumentRow] = relationship(back_populates="highlights")
    tags: Mapped[list[TagRow]] = relationship(
        secondary=highlight_tags, back_populates="highlights", order_by="TagRow.category, TagRow.name"
    )
    note: Mapped[NoteRow | None] = relationship(
        back_populates="highlight", cascade="all, delete-orphan", passive_deletes=True
    )


class NoteRow(Base):
    """A memo on a highlight (highlight_id set) or on a whole document (highlight_id null)."""

    __tablename__ = "notes"
    __table_args__ = (
        Index(
            "uq_notes_document_only",
            "document_id",
            unique=True,
            # A partial index: one note per document on the document itself. Each dialect
            # needs its own keyword for the WHERE; without it the index would allow one note
            # per document in all. PostgreSQL's is added by ``use_dialect`` when a PostgreSQL
            # database is used: naming it here imports that dialect (a tenth of every start).
            sqlite_where=Column("highlight_id").is_(None),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    highlight_id: Mapped[int | None] = mapped_column(
        ForeignKey("highlights.id", ondelete="CASCADE"), nullable=True, unique=True
    )
    text: Mapped[str] = mapped_column(Text)
    # The coder who last wrote the text ("" when not known: notes older than i17_coder on a
    # document). A server default, so every program inserting notes leaves it well formed.
    author: Mapped[str] = mapped_column(String, default="", server_default="")
    created: Mapped[datetime] = mapped_column(DateTime)
    modified: Mapped[datetime] = mapped_column(DateTime)

    highlight: Mapped[HighlightRow | None] = relationship(back_populates="note")


class SavedSearchRow(Base):
    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    query: Mapped[str] = mapped_column(Text)


class VariableRow(Base):
    """A user-defined document variable (outlet, country, stance…): ``type`` is text, number,
    date or choice; ``choices`` the JSON list a choice variable allows."""

    __tablename__ = "variables"

    name: Mapped[str] = mapped_column(String, primary_key=True)
    type: Mapped[str] = mapped_column(String(16))
    choices: Mapped[str] = mapped_column(Text, default="[]")
    position: Mapped[int] = mapped_column(Integer, default=0)


class DocumentVariableRow(Base):
    """One document's value of one variable, as text: numbers in their shortest decimal form,
    dates as ISO ``YYYY-MM-DD`` (so text order is date order)."""

    __tablename__ = "document_variables"
    __table_args__ = (Index("ix_document_variables_name_value", "name", "value"),)

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(
        ForeignKey("variables.name", onupdate="CASCADE", ondelete="CASCADE"), primary_key=True
    )
    value: Mapped[str] = mapped_column(Text)


class ParagraphRow(Base):
    """Where a document's paragraphs lie (code points, end exclusive), for the "same
    paragraph" scope of the analysis matrix. Derived from the immutable text, filled on first
    use (``core.paragraphs``)."""

    __tablename__ = "paragraphs"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class RemovalRow(Base):
    """Who removed a highlight or a tag, and when (``kind`` "highlight" or "tag"), so a coder
    whose edit lost the race is told "deleted by bob at 10:42" (``detail``: "merged into …")."""

    __tablename__ = "removals"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    row_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    removed_by: Mapped[str] = mapped_column(String)
    removed_at: Mapped[datetime] = mapped_column(DateTime)
    detail: Mapped[str] = mapped_column(Text, default="")


class OriginalRow(Base):
    """The bytes of a document's imported original, in a team project (where there is no
    shared ``sources/`` folder); ``sha256`` is their hash at import, for ``check``."""

    __tablename__ = "originals"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class MetaRow(Base):
    """Key/value facts about the project, e.g. ``generation`` (bumped on every write, copied
    into the search index so a stale index is noticed on open)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ChangeLogRow(Base):
    """One statement of a write on a team project's database: who (``coder``, the writing
    ``client``), when, which table (``kind``) and ``action``, and the ids it touched as
    comma-separated lists, so every other client re-reads exactly those. Written by
    PostgreSQL triggers in the writing transaction (``_db.postgres``); ``xact`` is that
    transaction's id, which readers follow instead of the id order. Empty in a local
    (SQLite) project: one writer, no one to follow."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    xact: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    coder: Mapped[str] = mapped_column(String, default="")
    client: Mapped[str] = mapped_column(String, default="")
    kind: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(8))
    documents: Mapped[str] = mapped_column(Text, default="")
    highlights: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(Text, default="")


@event.listens_for(Base.metadata, "after_create")
def _log_triggers(_target: object, connection: Any, **_kw: object) -> None:
    """A schema made from the model (not by migration) logs its writes too."""
    if connection.dialect.name == "postgresql":
        postgres.install_triggers(connection)


# The tables as Core ``Table`` objects, for statements that skip the ORM (hot paths).
documents_table = cast(Table, DocumentRow.__table__)
highlights_table = cast(Table, HighlightRow.__table__)
notes_table = cast(Table, NoteRow.__table__)
tags_table = cast(Table, TagRow.__table__)
meta_table = cast(Table, MetaRow.__table__)
removals_table = cast(Table, RemovalRow.__table__)
class RowChecksumRow(Base):
    """A digest of one row's covered columns (``_db.row_digests``), or of a document's stored
    original (kind ``source``). Kept by triggers and ``row_digests.seal``."""

    __tablename__ = "row_checksums"

    kind: Mapped[str] = mapped_column(String, primary_key=True)
    row_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String)


class ChecksumDirtyRow(Base):
    """Rows inserted or updated since the last seal (filled by triggers)."""

    __tablename__ = "checksum_dirty"

    kind: Mapped[str] = mapped_column(String, primary_key=True)
    row_id: Mapped[int] = mapped_column(Integer, primary_key=True)


def use_dialect(name: str) -> None:
    """Complete the schema's dialect-specific options for a database of dialect ``name``
    before DDL is emitted or compared on it (idempotent)."""
    if name == "postgresql":
        notes_index = next(i for i in notes_table.indexes if i.name == "uq_notes_document_only")
        notes_index.dialect_kwargs["postgresql_where"] = Column("highlight_id").is_(None)
