"""Fault 8: the write-ahead log (or the database) deleted under an open project. The app stops
confirming writes, saves what it still sees into a recovery copy, and that copy restores every
confirmed highlight after the app dies."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from annotator.core.errors import ProjectReplaced
from annotator.core.library import Library
from tests.core.helpers import add_text, new_library

_APP = textwrap.dedent("""
    import json, os, signal, sys
    from pathlib import Path
    from annotator.core.errors import ProjectReplaced
    from annotator.core.library import Library
    folder = Path(sys.argv[1])
    library = Library.open(folder)
    confirmed = 0
    for n in range(100):
        library.add_highlight(1, n, n + 5)
        confirmed += 1
    (folder / "project.sqlite-wal").unlink()  # what a sync client or cleanup tool did
    try:
        library.add_highlight(1, 200, 210)
        refused = None
    except ProjectReplaced as exc:
        refused = str(exc)
    print(json.dumps({"confirmed": confirmed, "refused": refused}), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # the app dies without closing
""")


def test_deleted_wal_stops_writes_and_the_recovery_copy_keeps_every_confirmed_write(
    tmp_path: Path,
) -> None:
    with new_library(tmp_path) as library:
        add_text(library, "Tariff talks " * 100)
        folder = library.folder
    done = subprocess.run([sys.executable, "-c", _APP, str(folder)], capture_output=True,
                          text=True, timeout=120)
    report = json.loads(done.stdout.splitlines()[0])
    assert report["confirmed"] == 100
    assert report["refused"] and "write-ahead log" in report["refused"]
    copies = sorted(folder.glob("project.recovered-*.sqlite"))
    assert len(copies) == 1 and str(copies[0]) in report["refused"]
    Library.restore_backup(folder, copies[0])
    with Library.open(folder) as reopened:
        assert reopened.counts()["highlights"] == 100


def test_replaced_database_stops_writes(tmp_path: Path) -> None:
    library = new_library(tmp_path)
    add_text(library, "Some text about steel and aluminium.")
    library.add_highlight(1, 0, 4)
    db = library.folder / "project.sqlite"
    replacement = db.with_name("other.sqlite")
    replacement.write_bytes(db.read_bytes())
    replacement.replace(db)
    with pytest.raises(ProjectReplaced, match="replaced by another program"):
        library.add_highlight(1, 5, 9)
    with pytest.raises(ProjectReplaced):  # and every later write too
        library.update_document(1, title="New")
    library.close()
