"""Where things live on disk. Nothing happens at import time."""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "Annotator"
PROJECT_ENV = "ANNOTATOR_PROJECT"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def project_from_env() -> Path | None:
    """The folder ``$ANNOTATOR_PROJECT`` names; None when unset or empty (``VAR=`` unsets)."""
    env = os.environ.get(PROJECT_ENV, "")
    return Path(env).expanduser() if env.strip() else None


def default_project_dir() -> Path:
    """The project used when none is named: ``--project`` beats ``ANNOTATOR_PROJECT`` beats this."""
    return project_from_env() or user_data_dir() / "My Project.annotator"


def sample_project_dir() -> Path:
    return user_data_dir() / "Sample - Canada-US talks.annotator"


@lru_cache(maxsize=1)  # asked for by every icon and style sheet; the answer never changes
def resources_dir() -> Path:
    """The installed ``annotator.resources`` package: the repository's top-level resources/
    folder, mapped into the package at build time (setup.py), so an editable install, a
    wheel, an sdist build and the PyInstaller bundle all find it the same way."""
    try:
        root = resources.files("annotator.resources")
    except ModuleNotFoundError:
        # A source checkout run without installing (``PYTHONPATH=.``): the folder itself.
        return Path(__file__).resolve().parent.parent / "resources"
    # Every way Annotator is installed leaves the files on disk (no zip import), so the
    # Traversable is a real folder; Path() keeps the callers' pathlib code unchanged.
    return Path(str(root))


def samples_dir() -> Path:
    return resources_dir() / "samples"


def guide_path() -> Path:
    """The user guide shown by Help › User Guide (Markdown)."""
    return resources_dir() / "guide" / "user-guide.md"
