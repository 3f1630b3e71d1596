"""What only PostgreSQL says: the change log's triggers, the snapshot the log's readers need,
and the per-connection settings naming this client and its coder.

The change log (``change_log``, ``schema.ChangeLogRow``) is written by statement-level
triggers, so it is appended in the same transaction as every write whatever path made it:
the services' ORM and Core statements, cascades, a merge of tags, an import, or an
administrator's psql session. Each statement that touched rows adds one entry naming the
ids it touched (transition tables: one INSERT per statement, not per row, so an import of
thousands of documents costs a handful of entries).

Each entry records its transaction's id (``pg_current_xact_id()``). Log ids come from a
sequence and are handed out before commit, so a reader can see id 12 while id 11 is still
being written by a transaction that commits later. Readers therefore never trust the id
order: they follow transaction ids against their snapshot's xmin (``change_follower``).
"""

from __future__ import annotations

import logging
import select
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, event, text

log = logging.getLogger(__name__)

# Settings each client puts on its connections, read by the triggers.
CLIENT_SETTING = "annotator.client"
CODER_SETTING = "annotator.coder"

# table -> (document ids, highlight ids, tag ids) of a touched row ``r`` (``h``: its highlight)
_LOGGED: dict[str, tuple[str | None, str | None, str | None]] = {
    "documents": ("r.id", None, None),
    "highlights": ("r.document_id", "r.id", None),
    "highlight_tags": ("h.document_id", "r.highlight_id", "r.tag_id"),
    "notes": ("r.document_id", "r.highlight_id", None),
    "tags": (None, None, "r.id"),
    "categories": (None, None, None),
    "saved_searches": (None, None, None),
    "variables": (None, None, None),
    "document_variables": ("r.document_id", None, None),
}
LOGGED_TABLES = tuple(_LOGGED)


def _ids(expression: str | None) -> str:
    if expression is None:
        return "''"
    return f"coalesce(string_agg(DISTINCT ({expression})::text, ','), '')"


def _insert_from(table: str, rows: str) -> str:
    documents, highlights, tags = _LOGGED[table]
    join = " LEFT JOIN highlights h ON h.id = r.highlight_id" if table == "highlight_tags" else ""
    return (
        "INSERT INTO change_log (xact, changed_at, coder, client, kind, action, documents, highlights, tags) "
        "SELECT pg_current_xact_id()::text::bigint, clock_timestamp() AT TIME ZONE 'UTC', "
        f"coalesce(nullif(current_setting('{CODER_SETTING}', true), ''), current_user::text), "
        f"coalesce(current_setting('{CLIENT_SETTING}', true), ''), "
        f"TG_TABLE_NAME, lower(TG_OP), {_ids(documents)}, {_ids(highlights)}, {_ids(tags)} "
        f"FROM {rows} r{join} HAVING count(*) > 0;"
    )


# Sent by the triggers with the writing client's name, delivered at commit (once per
# transaction: PostgreSQL folds equal notifications), so waiting clients poll at once.
CHANNEL = "annotator_changes"


def trigger_sql() -> list[str]:
    """The functions and triggers that log every statement on the logged tables."""
    statements = []
    for table in _LOGGED:
        function = f"annotator_log_{table}"
        statements.append(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n"
            f"  IF TG_OP = 'DELETE' THEN\n    {_insert_from(table, 'old_rows')}\n"
            f"  ELSE\n    {_insert_from(table, 'new_rows')}\n  END IF;\n"
            f"  PERFORM pg_notify('{CHANNEL}', coalesce(current_setting('{CLIENT_SETTING}', true), ''));\n"
            f"  RETURN NULL;\nEND $$"
        )
        # A trigger with transition tables may name one event only: three per table.
        for event_name, referencing in (("INSERT", "NEW TABLE AS new_rows"),
                                        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                                        ("DELETE", "OLD TABLE AS old_rows")):
            name = f"{function}_{event_name.lower()}"
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event_name} ON {table} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
    return statements


def drop_trigger_sql() -> list[str]:
    return [f"DROP FUNCTION IF EXISTS annotator_log_{table}() CASCADE" for table in _LOGGED]


def install_triggers(connection: Connection) -> None:
    for statement in trigger_sql():
        connection.execute(text(statement))


def name_connections(engine: Engine, client: str, coder: Callable[[], str]) -> None:
    """Every connection ``engine`` hands out tells the triggers which client and coder write
    through it. Set at a pooled connection's first checkout (and again if the coder changed),
    so a connection made before this call (the schema's creation) gets it too."""

    @event.listens_for(engine, "checkout")
    def _name(dbapi_conn: Any, record: Any, _proxy: object) -> None:
        named = (client, coder())
        if record.info.get(CLIENT_SETTING) == named:
            return
        with dbapi_conn.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, false), set_config(%s, %s, false)",
                           (CLIENT_SETTING, named[0], CODER_SETTING, named[1]))
        dbapi_conn.commit()
        record.info[CLIENT_SETTING] = named


def login_role(engine: Engine) -> str:
    """The role this engine logs in as: a team project's coder, so grants and coders agree."""
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT current_user")).scalar_one())


class ChangeSignal:
    """A connection of its own, LISTENing on ``CHANNEL``: ``wait`` returns as soon as another
    client commits a change, so it is seen in milliseconds rather than at the next poll.
    Notifications carry the writing client's name: this client's own are passed over."""

    def __init__(self, engine: Engine, client: str) -> None:
        self._engine = engine
        self._client = client.encode()
        self._connection: Any = None

    def wait(self, timeout: float) -> bool:
        """True when another client committed within ``timeout`` seconds (or the listening
        connection failed: the caller's poll will say why); False when none did."""
        deadline = time.monotonic() + timeout
        try:
            pgconn = self._listening().pgconn
            while not self._drained(pgconn):
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([pgconn.socket], [], [], left)[0]:
                    return False
            return True
        except Exception:  # the poll that follows says what went wrong
            log.debug("not listening for changes", exc_info=True)
            self.close()
            time.sleep(min(timeout, 1.0))  # unreachable: do not spin; polls report it
            return True

    def _drained(self, pgconn: Any) -> bool:
        """Read what the server sent; True if it held another client's notification."""
        pgconn.consume_input()
        found = False
        while (notification := pgconn.notifies()) is not None:
            found = found or notification.extra != self._client
        return found

    def _listening(self) -> Any:
        if self._connection is None:
            proxied = self._engine.raw_connection()
            connection: Any = proxied.driver_connection
            proxied.detach()  # ours for good: the pool neither counts nor reuses it
            connection.rollback()
            connection.autocommit = True
            connection.execute(f"LISTEN {CHANNEL}")
            self._connection = connection
        return self._connection

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - closing a broken connection
                pass


SNAPSHOT_XMIN = text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
