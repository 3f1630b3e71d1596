"""Measurements that need a fresh process with Qt (offscreen). The bench runs them as

    python -m bench.qt_probe open-project FOLDER
    python -m bench.qt_probe reader

and reads the one JSON line printed last. A fresh process makes "cold" mean cold (imports,
fonts, the first paint) and keeps Qt out of the bench process itself, which also forks Whoosh
and SQLite work that should not share an interpreter with Qt threads.

Times are wall-clock epochs (``time.time()``) so the parent can subtract the moment it
started the process; peak RSS comes from ``resource.getrusage`` in this process.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _peak_rss_mb() -> float:
    """This process's own peak. Linux's ``ru_maxrss`` survives ``exec``: a probe started by a
    bench process holding 500 MB reported 500 MB whatever it did. ``VmHWM`` is the peak of
    this process's own address space."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def open_project(folder: Path) -> dict[str, Any]:
    """Open the Library and show the MainWindow, as ``annotator gui -p FOLDER`` does."""
    from annotator.core.library import Library

    imported = time.time()
    library = Library.open(folder)
    library_open = time.time()
    from PySide6.QtCore import QCoreApplication

    # Window layout goes to the bench's own settings, never the user's.
    QCoreApplication.setOrganizationName("AnnotatorBench")
    from annotator.app import make_application
    from annotator.gui.main_window import MainWindow

    app = make_application([sys.argv[0]])
    window = MainWindow(library)
    window.show()
    app.processEvents()
    window.repaint()  # the first frame is painted, not just scheduled
    shown = time.time()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_shown = usage.ru_utime + usage.ru_stime  # a fair figure when other work shares the cores
    # A large project's Library pane shows its first rows, then reads the whole list in the
    # background (trees without that have it all at ``shown``): the time until it is in.
    pane = window.library_pane
    while getattr(pane, "loading", False) and time.time() - shown < 120:
        app.processEvents()
        time.sleep(0.002)
    listed = time.time()
    result = {"imported": imported, "library_open": library_open, "shown": shown,
              "listed": listed, "cpu_shown": cpu_shown, "peak_rss_mb": _peak_rss_mb(),
              "documents": library.counts()["documents"]}
    window.close()
    library.close()
    return result


def reader() -> dict[str, Any]:
    """Open a 300-page, 1.2 M-character document with 2,000 highlights in the Reader and
    retag one highlight, on the reader bench's synthetic document and highlights; this returns
    figures for the report where reader_bench.py prints them."""
    from PySide6.QtWidgets import QApplication

    from annotator.core.models import Highlight
    from annotator.gui.widgets.reader import Reader
    from bench.reader_bench import bench_fixture, synthetic_text

    app = QApplication.instance() or QApplication([sys.argv[0]])
    text, pages = synthetic_text(1_200_000, 300, False)
    now = datetime(2026, 6, 1, 9, 0, 0)
    doc, tags, make = bench_fixture(text, pages, now)
    highlights = [make(i) for i in range(1, 2001)]
    view = Reader()
    view.resize(1000, 800)
    view.show()
    app.processEvents()
    # Warm fonts and glyph caches as a running app already has (the reader bench does too).
    view.show_document(doc, "Warm-up paragraph. " * 200, [])
    app.processEvents()
    view.viewport().repaint()

    t0 = time.perf_counter()
    view.show_document(doc, text, highlights)
    app.processEvents()
    view.viewport().repaint()
    t1 = time.perf_counter()
    added = make(2001)
    view.update_highlights([added])
    view.viewport().repaint()
    t2 = time.perf_counter()
    retagged = Highlight(added.id, added.document_id, added.start, added.end, added.text,
                         (tags[0], tags[1]), None, now, now, "")
    view.update_highlights([retagged])
    view.viewport().repaint()
    t3 = time.perf_counter()
    return {
        "open_ms": (t1 - t0) * 1000,
        "new_highlight_ms": (t2 - t1) * 1000,
        "tag_repaint_ms": (t3 - t2) * 1000,
        "characters": len(text),
        "pages": len(pages),
        "highlights": len(highlights),
        "peak_rss_mb": _peak_rss_mb(),
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["open-project"] and len(argv) == 2:
        result = open_project(Path(argv[1]))
    elif argv == ["reader"]:
        result = reader()
    else:
        print("usage: python -m bench.qt_probe open-project FOLDER | reader", file=sys.stderr)
        return 2
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
