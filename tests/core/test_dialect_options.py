"""The schema names PostgreSQL's options only once a PostgreSQL database is used (importing
that dialect cost every start a tenth of its imports); DDL for PostgreSQL still has them."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex

from annotator.core._db.schema import notes_table, use_dialect


def _notes_index_ddl(dialect: object) -> str:
    index = next(i for i in notes_table.indexes if i.name == "uq_notes_document_only")
    return str(CreateIndex(index).compile(dialect=dialect))


def test_the_one_note_per_document_index_is_partial_on_both_dialects() -> None:
    assert _notes_index_ddl(sqlite.dialect()).endswith("WHERE highlight_id IS NULL")
    use_dialect("postgresql")
    use_dialect("postgresql")  # idempotent
    assert _notes_index_ddl(postgresql.dialect()).endswith("WHERE highlight_id IS NULL")
    assert _notes_index_ddl(sqlite.dialect()).endswith("WHERE highlight_id IS NULL")
