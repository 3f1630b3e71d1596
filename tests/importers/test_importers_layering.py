"""Importers stay Qt-free and database-free (ARCHITECTURE.md: app -> gui -> importers -> core)."""

from __future__ import annotations

import subprocess
import sys

MODULES = [
    "annotator.importers",
    "annotator.importers.text",
    "annotator.importers.html",
    "annotator.importers.pdf",
    "annotator.importers.docx",
    "annotator.importers.batch",
]


def test_importers_never_load_qt_sqlalchemy_or_whoosh() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in MODULES)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'PySide6', 'shiboken6', 'sqlalchemy', 'whoosh'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                            text=True)
    assert result.stdout.strip() == ""
