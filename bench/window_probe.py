"""The reader's speed targets measured in the whole MainWindow, in a fresh offscreen process:

    python -m bench.window_probe [SCRATCH_FOLDER]

builds a project holding the reader bench's long document (300 pages, 1.2 M characters) with
2,000 highlights on its six tags, opens it in the MainWindow and times what a user waits for:
the text, then the highlights painted; tagging a new selection (as Ctrl+T does, through the
undo command); adding a tag to that highlight; undo; recolouring a tag. Every edit is timed
until the event loop has run what it queued and the reader has painted (once: by the event loop
as on screen, or by the probe if the loop did not), starting once the search index has committed
the edit before it (a user selecting the next passage takes longer). The edits run with the
side panel's default tab (Codebook) and again with the Highlights tab shown, whose cards must
follow every change. Prints one JSON line, as ``bench.qt_probe`` does.
"""

from __future__ import annotations

import gc
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

EDITS = 9  # each edit is timed this many times per tab; the probe reports the median


def build_project(folder: Path) -> tuple[Any, int, int]:
    """The bench fixture as a project: the library, the long document's id and a short one's."""
    from annotator.core.extracted import Extracted
    from annotator.core.library import Library
    from annotator.core.models import Mention
    from bench.reader_bench import bench_fixture, synthetic_text

    text, pages = synthetic_text(1_200_000, 300, False)
    _doc, tag_refs, make = bench_fixture(text, pages, datetime(2026, 6, 1, 9, 0, 0))
    library = Library.create(folder)
    short = library.add_document(Extracted(text="A short note to open first. " * 20, format="txt",
                                           title="Short"))
    doc = library.add_document(Extracted(text=text, format="pdf", title="Bench",
                                         pages=tuple((p.start, p.end) for p in pages)))
    tags = {ref.id: library.create_tag(ref.name, ref.category, colour=ref.colour) for ref in tag_refs}
    by_tag: dict[int, list[Mention]] = {}
    for i in range(1, 2001):
        h = make(i)
        by_tag.setdefault(h.tags[0].id, []).append(Mention(doc.id, "Bench", h.start, h.end, h.text, "", ""))
    for ref_id, mentions in by_tag.items():
        library.tag_mentions(tags[ref_id].id, mentions)
    return library, doc.id, short.id


class _PaintCounter:
    """Counts the reader viewport's paint events, so a timing knows whether the event loop
    already painted the change (as it does on screen) or the probe must paint it."""

    def __init__(self, viewport: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        class Filter(QObject):
            def __init__(self, counter: _PaintCounter) -> None:
                super().__init__(viewport)
                self.counter = counter

            def eventFilter(self, _watched: Any, event: Any) -> bool:
                if event.type() == QEvent.Type.Paint:
                    self.counter.paints += 1
                    self.counter.painted_at.append(time.perf_counter())
                return False

        self.paints = 0
        self.painted_at: list[float] = []
        self._filter = Filter(self)
        viewport.installEventFilter(self._filter)


_painted: dict[int, _PaintCounter] = {}


def _settle(app: Any, window: Any) -> None:
    """Run what the edit queued (timers at 0, posted events, the repaint they asked for); paint
    the reader if the event loop did not, so every timing includes one paint."""
    viewport = window.reader.viewport()
    counter = _painted.setdefault(id(viewport), _PaintCounter(viewport))
    before = counter.paints
    app.processEvents()
    app.processEvents()
    if counter.paints == before:
        viewport.repaint()


def _timed(app: Any, window: Any, action: Callable[[], object]) -> tuple[float, float]:
    """(ms until every pane has followed and the reader has painted, ms until the reader's
    first paint after the edit: what the user sees the edit in)."""
    # The search index commits each edit on its writer thread a moment later (10-30 ms of
    # Python that holds the GIL). A user takes longer than that to select the next passage,
    # so each timing starts once the last edit is committed, as it would on screen.
    window.library.index_status()
    _settle(app, window)
    counter = _painted[id(window.reader.viewport())]
    t0 = time.perf_counter()
    action()
    _settle(app, window)
    settled = time.perf_counter()
    first = next((t for t in counter.painted_at if t >= t0), settled)
    counter.painted_at.clear()
    return (settled - t0) * 1000, (first - t0) * 1000


def _open(app: Any, window: Any, doc_id: int, short_id: int) -> tuple[float, float, float]:
    """Open the short document, then time the long one: text shown, highlights painted, and
    everything the side panes queued done."""
    window.open_document(short_id)
    _settle(app, window)
    window.runner.wait()
    _settle(app, window)
    loaded: list[float] = []

    def arrived(_doc: int) -> None:
        window.reader.viewport().repaint()
        loaded.append(time.perf_counter())

    window.highlights_loaded.connect(arrived)
    t0 = time.perf_counter()
    window.open_document(doc_id)
    window.reader.viewport().repaint()
    text_shown = time.perf_counter()
    while not loaded and time.perf_counter() - t0 < 60:
        app.processEvents()
        time.sleep(0.001)
    _settle(app, window)
    settled = time.perf_counter()
    window.highlights_loaded.disconnect(arrived)
    if not loaded:
        raise RuntimeError("the highlights never arrived")
    return ((text_shown - t0) * 1000, (loaded[0] - t0) * 1000, (settled - t0) * 1000)


def _edits(app: Any, window: Any, library: Any, doc_id: int, rng: random.Random) -> dict[str, float]:
    from annotator.gui.commands import push
    from annotator.gui.commands_codebook import RecolourTag

    tags = library.tags()
    text_length = library.document(doc_id).characters
    names = ("tag_new", "add_tag", "undo", "recolour")
    times: dict[str, list[float]] = {f"{name}{end}": [] for name in names for end in ("_ms", "_reader_ms")}

    def timed(name: str, action: Callable[[], object]) -> None:
        settled, reader = _timed(app, window, action)
        times[f"{name}_ms"].append(settled)
        times[f"{name}_reader_ms"].append(reader)

    for n in range(EDITS):
        start = rng.randrange(0, text_length - 400)
        window.reader.select_span(start, start + rng.randrange(20, 200))
        window.tagging.update_target()
        _settle(app, window)
        first, second = tags[n % len(tags)], tags[(n + 1) % len(tags)]
        timed("tag_new", lambda: window.tagging.apply_tags([first.id]))
        timed("add_tag", lambda: window.tagging.apply_tags([second.id]))
        timed("undo", window.undo_stack.undo)
        colour = f"#{rng.randrange(0x202020, 0xe0e0e0):06x}"
        timed("recolour", lambda: push(window.undo_stack, RecolourTag(library, window.events, first.id, colour)))
    return {key: statistics.median(values) for key, values in times.items()}


def run(scratch: Path) -> dict[str, Any]:
    from PySide6.QtCore import QCoreApplication, QSettings

    # The window's layout and recent tags go to a scratch folder, never the user's settings.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(scratch / "settings"))
    QCoreApplication.setOrganizationName("AnnotatorBench")
    from annotator.app import make_application
    from annotator.gui.main_window import MainWindow

    app = make_application([sys.argv[0]])
    library, doc_id, short_id = build_project(scratch / "Window.annotator")
    window = MainWindow(library)
    window.resize(1440, 900)
    window.show()
    _settle(app, window)
    window.runner.wait()  # the index built on open, which would share the cores
    _settle(app, window)
    gc.freeze()  # as annotator.app.run does once the window is shown
    rng = random.Random(4)
    result: dict[str, Any] = {}
    text_ms, painted_ms, settled_ms = _open(app, window, doc_id, short_id)
    result.update(text_shown_ms=text_ms, highlights_painted_ms=painted_ms, settled_ms=settled_ms)
    result.update(_edits(app, window, library, doc_id, rng))
    window.side_tabs.setCurrentWidget(window.highlights_pane)
    _settle(app, window)
    text_ms, painted_ms, settled_ms = _open(app, window, doc_id, short_id)
    result.update(pane_text_shown_ms=text_ms, pane_highlights_painted_ms=painted_ms,
                  pane_settled_ms=settled_ms)
    result.update({f"pane_{key}": value for key, value in _edits(app, window, library, doc_id, rng).items()})
    result.update(characters=library.document(doc_id).characters, highlights=library.counts()["highlights"])
    window.undo_stack.clear()  # while the Library is open: the stack's signals read counts
    window.close()
    return result


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        print("usage: python -m bench.window_probe [SCRATCH_FOLDER]", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(dir=argv[0] if argv else None) as tmp:
        result = run(Path(tmp))
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
