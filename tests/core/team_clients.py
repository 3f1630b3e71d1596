"""Helpers for tests with several clients of one team project on the throwaway server: roles
that log in without a password, a schema, and a Library per coder (as Library.open_engine
opens a team project until the connection file lands)."""

from __future__ import annotations

from pathlib import Path

from annotator.core._db.engine import create_schema, engine_for_url
from annotator.core.library import Library
from tests.pg_server import TempServer

CODERS = ("alice", "bob")


def prepare_team_database(server: TempServer, url: str) -> str:
    """The schema in ``url``'s database, writable by every coder in ``CODERS``; its name."""
    database = url.rsplit("/", 1)[1]
    for coder in CODERS:
        server.sql(f"DO $$ BEGIN CREATE ROLE {coder} LOGIN; "
                   f"EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    engine = engine_for_url(url)
    try:
        create_schema(engine)
    finally:
        engine.dispose()
    roles = ", ".join(CODERS)
    server.sql(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {roles}", database)
    server.sql(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {roles}", database)
    return database


def open_client(server: TempServer, database: str, coder: str, folder: Path) -> Library:
    """``coder``'s client: its own connection (as that role) and its own index folder."""
    return Library.open_engine(folder, engine_for_url(server.url(database, user=coder)))
