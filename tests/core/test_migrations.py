"""The schema is versioned with Alembic from the first release."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from annotator.core._db.engine import (
    SCHEMA_HEAD,
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
)
from annotator.core._db.schema import Base
from annotator.core.library import Library


def _run(engine, fn, *args) -> None:  # type: ignore[no-untyped-def]
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        fn(cfg, *args)


def test_upgrade_empty_database_from_base_to_head_matches_the_model(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "empty.sqlite")
    assert current_revision(engine) is None
    _run(engine, command.upgrade, "head")
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert {"documents", "tags", "highlights", "highlight_tags", "notes"} <= set(
        inspect(engine).get_table_names()
    )


def test_downgrade_to_base_and_up_again(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "p.sqlite")
    _run(engine, command.upgrade, "head")
    _run(engine, command.downgrade, "base")
    assert "documents" not in inspect(engine).get_table_names()
    _run(engine, command.upgrade, "head")
    assert "documents" in inspect(engine).get_table_names()


def test_new_project_is_at_head_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    with Library.create(tmp_path / "p.annotator") as library:
        engine = library._store.engine
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_schema_head_constant_is_the_newest_migration() -> None:
    assert SCHEMA_HEAD == head_revision()


def test_opening_an_up_to_date_project_does_not_import_alembic(tmp_path: Path) -> None:
    """Alembic's import costs about half a second of every start; it is only needed when a
    project's schema is behind."""
    import subprocess
    import sys

    Library.create(tmp_path / "p.annotator").close()
    probe = (
        "import sys\n"
        "from annotator.core.library import Library\n"
        f"Library.open({str(tmp_path / 'p.annotator')!r}).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2])
    assert out.stdout.strip() == "False"
