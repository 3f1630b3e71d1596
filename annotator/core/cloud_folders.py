"""Noticing a project inside a folder a sync client manages (Dropbox, OneDrive, Google Drive,
iCloud Drive, Nextcloud). Such clients copy ``project.sqlite`` without its write-ahead log,
replace files while the app holds them, and make "conflicted copies": the database can lose
recent work or be damaged. As Zotero does for its data directory, the user is told once per
project location; keeping the project outside the synced folder and backups inside is safer.
"""

from __future__ import annotations

import re
from pathlib import Path

# Folder names (any component of the path) that sync clients create, and who made them.
_SERVICES = (
    (re.compile(r"^dropbox( \(.+\))?$", re.IGNORECASE), "Dropbox"),
    (re.compile(r"^onedrive( - .+)?$", re.IGNORECASE), "OneDrive"),
    (re.compile(r"^(google ?drive|my drive|googledrive)$", re.IGNORECASE), "Google Drive"),
    (re.compile(r"^(icloud ?drive|mobile documents|com~apple~clouddocs)$", re.IGNORECASE),
     "iCloud Drive"),
    (re.compile(r"^nextcloud$", re.IGNORECASE), "Nextcloud"),
)
WARNED_META_KEY = "cloud_warning_for"


def sync_service(folder: Path) -> str | None:
    """The sync service whose folder holds ``folder``, or None."""
    for part in Path(folder).expanduser().absolute().parts:
        for pattern, name in _SERVICES:
            if pattern.match(part):
                return name
    return None


def warning_for(folder: Path, service: str) -> str:
    return (f"this project is inside a {service} folder ({folder}); sync clients can copy the "
            "database while it is being written and lose or damage recent work: keep projects "
            "outside synced folders (backups in its backups/ folder can be synced safely)")
