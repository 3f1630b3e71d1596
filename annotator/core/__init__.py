"""The Qt-free heart of Annotator: the ``Library`` facade, models, the database and the search
index. Only this package imports SQLAlchemy, Whoosh and Alembic (see the import contracts in
pyproject.toml)."""
