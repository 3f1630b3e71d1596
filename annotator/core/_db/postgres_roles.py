"""What only PostgreSQL says (team projects): who the client is, whether its role may write,
the lock that serialises schema upgrades, sequences after rows copied with their ids, and the
server's complaints as a researcher's sentence.

SQLite's own words live in ``dialect``; the rest of core stays portable.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, inspect, text

# What a role that may only read is told when it tries to write (the GUI and CLI show it as it is).
READ_ONLY_MESSAGE = "you have read-only access to this team project"
# SQLSTATE of "permission denied" (insufficient_privilege).
_PERMISSION_DENIED = "42501"
# A fixed key for pg_advisory_xact_lock: two clients upgrading the schema at once take turns.
_UPGRADE_LOCK = 0x616E6E6F  # "anno"
# The tables a writing coder touches; a role without INSERT on them is a reader.
_WRITTEN = ("documents", "highlights", "highlight_tags", "notes", "tags", "meta")


def is_postgresql(bind: Connection | Engine) -> bool:
    return bind.dialect.name == "postgresql"


def current_user(conn: Connection) -> str:
    """The role this client logged in as: the coder of everything it writes."""
    return str(conn.execute(text("SELECT current_user")).scalar_one())


def may_write(conn: Connection) -> bool:
    """Whether the role's grants let it insert, change and delete the project's rows."""
    for table in _WRITTEN:
        allowed = conn.execute(
            text("SELECT has_table_privilege(:t, 'INSERT') AND has_table_privilege(:t, 'UPDATE') "
                 "AND has_table_privilege(:t, 'DELETE')"), {"t": table}).scalar()
        if not allowed:
            return False
    return True


def may_create_tables(conn: Connection) -> bool:
    return bool(conn.execute(text(
        "SELECT has_schema_privilege(current_schema(), 'CREATE')")).scalar())


def lock_for_upgrade(conn: Connection) -> None:
    """Held until the end of ``conn``'s transaction."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _UPGRADE_LOCK})


def reset_sequences(conn: Connection) -> None:
    """After rows were inserted with their ids (publish): each table's id sequence continues
    after its highest id, so the next row a coder adds does not collide."""
    for table in inspect(conn).get_table_names():
        sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"),
                                {"t": table}).scalar() if _has_id(conn, table) else None
        if sequence:
            conn.execute(text(f'SELECT setval(:s, coalesce((SELECT max(id) FROM "{table}"), 0) + 1, '
                              "false)"), {"s": sequence})


def _has_id(conn: Connection, table: str) -> bool:
    return any(c["name"] == "id" for c in inspect(conn).get_columns(table))


def is_permission_error(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) == _PERMISSION_DENIED
