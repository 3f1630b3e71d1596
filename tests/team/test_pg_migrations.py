"""The same Alembic migrations build a team project's schema on PostgreSQL: base → head gives
exactly the model, and back down again."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from annotator.core._db.engine import alembic_config, current_revision, engine_for_url, head_revision
from annotator.core._db.postgres import LOGGED_TABLES
from annotator.core._db.schema import Base


def _run(engine: Engine, fn, *args) -> None:  # type: ignore[no-untyped-def]
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        fn(cfg, *args)


def test_base_to_head_on_postgresql_matches_the_model(pg_url: str) -> None:
    engine = engine_for_url(pg_url)
    try:
        assert current_revision(engine) is None
        _run(engine, command.upgrade, "head")
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
        # SQLite's checksum triggers have no business here; the change log's are all there is.
        with engine.connect() as conn:
            triggers = {name for (name,) in conn.exec_driver_sql(
                "SELECT trigger_name FROM information_schema.triggers")}
        assert triggers == {f"annotator_log_{table}_{event}" for table in LOGGED_TABLES
                            for event in ("insert", "update", "delete")}
        _run(engine, command.downgrade, "base")
        assert "documents" not in inspect(engine).get_table_names()
        _run(engine, command.upgrade, "head")
        assert "documents" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
