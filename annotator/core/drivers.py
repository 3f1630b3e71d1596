"""What this installation can reach besides SQLite: the PostgreSQL driver of team projects.

Asked by ``annotator self-test`` so a packaged app that left psycopg's compiled libpq wrapper
or SQLAlchemy's dialect behind says so before a researcher tries to open a team project."""

from __future__ import annotations


def postgres_driver() -> str:
    """The driver SQLAlchemy would use for ``postgresql+psycopg://`` URLs, loaded without
    connecting anywhere; raises ImportError (or SQLAlchemy's NoSuchModuleError) if absent."""
    import psycopg
    from sqlalchemy import create_engine

    engine = create_engine("postgresql+psycopg://self-test@localhost/none")
    try:
        return (f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}, "
                f"libpq {psycopg.pq.version()}) via SQLAlchemy's {engine.dialect.name} dialect")
    finally:
        engine.dispose()
