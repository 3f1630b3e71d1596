"""The versions of the libraries the core stands on, for Help › About and bug reports. Read
from the installed distributions' metadata, else (a bundle that left the metadata out) from
the module itself."""

from __future__ import annotations

import importlib
from importlib import metadata

# (shown name, distribution, module, attribute holding the version)
LIBRARIES = (
    ("SQLAlchemy", "SQLAlchemy", "sqlalchemy", "__version__"),
    ("Whoosh", "whoosh-reloaded", "whoosh", "versionstring"),
    ("pypdf", "pypdf", "pypdf", "__version__"),
)


def library_versions() -> dict[str, str]:
    """``{"SQLAlchemy": "2.0.41", "Whoosh": "2.7.5", "pypdf": "5.9.0"}``; "unknown" where
    neither the metadata nor the module says."""
    return {name: _version(distribution, module, attribute)
            for name, distribution, module, attribute in LIBRARIES}


def _version(distribution: str, module: str, attribute: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        pass
    value = getattr(importlib.import_module(module), attribute, None)
    value = value() if callable(value) else value
    return str(value) if value else "unknown"
