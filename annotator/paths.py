"""Where things live on disk. Nothing happens at import time."""

from __future__ import annotations

import os
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


def resources_dir() -> Path:
    """The ``resources/`` folder shipped beside the package (source checkout or install)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "resources", here / "resources"):
        if candidate.is_dir():
            return candidate
    return here.parent / "resources"


def samples_dir() -> Path:
    return resources_dir() / "samples"
