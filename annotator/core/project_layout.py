"""Names of the files and folders a project folder holds (``core.project_folder`` says what
is checked about them, ``core.team`` what a team project's folder holds)."""

DB_NAME = "project.sqlite"
INDEX_DIR = "index"
SOURCES_DIR = "sources"
TEAM_FILE = "team.json"  # a team project's folder: the server's address instead of DB_NAME

# Tables every Annotator schema has had since the first migration; an alembic_version table
# without them belongs to some other Alembic-managed program.
OUR_TABLES = frozenset({"documents", "highlights", "tags"})
