"""The newest migration's id, in a module of its own: opening an up-to-date project never
imports Alembic (a third of a second at every CLI call), and the search command's quick path
checks it without importing SQLAlchemy. tests/core/test_migrations.py checks it is the head."""

SCHEMA_HEAD = "i17_server"  # after i17_log
