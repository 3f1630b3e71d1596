"""Names of the files and folders a project folder holds (``core.project_folder`` says what
is checked about them, ``core.team`` what a team project's folder holds)."""

DB_NAME = "project.sqlite"
INDEX_DIR = "index"
SOURCES_DIR = "sources"
TEAM_FILE = "team.json"  # a team project's folder: the server's address instead of DB_NAME
