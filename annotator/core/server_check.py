"""Whether a team project's server answers: the window asks while it keeps an action the
unreachable server refused, and retries the action once it does."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from annotator.core._db.dialect import is_sqlite
from annotator.core.store import Store


class ServerCheck:
    def __init__(self, store: Store) -> None:
        self._store = store

    def is_team_project(self) -> bool:
        """True when the project lives on a database server (PostgreSQL), not in a local file."""
        return not is_sqlite(self._store.engine)

    def server_reachable(self) -> bool:
        """One round trip to the server on a fresh connection; a local project always answers.
        Safe to call from a worker thread."""
        if not self.is_team_project():
            return True
        try:
            with self._store.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except DBAPIError:
            return False
        return True
