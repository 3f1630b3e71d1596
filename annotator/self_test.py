"""``annotator self-test``: prove an installation works end to end, as a user would use it.

In a temporary project: the shipped resources are found, one sample of each format imports
(txt, md, html, pdf, docx), the samples that worker processes read import together, a passage
is tagged, search finds it, the excerpt exports to CSV, and the main window opens offscreen and
closes. One line per step; the run passes only if every
step does. Meant for a fresh install (wheel, bundle) where a missing data file or Qt plugin
shows only when the feature that needs it runs.
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from annotator.paths import guide_path, resources_dir, samples_dir

if TYPE_CHECKING:
    from annotator.core.library import Library

FORMATS = (".txt", ".md", ".html", ".pdf", ".docx")
ACTOR = "Mark Carney"
# Enough text that an import which fell back to nothing (or to boilerplate) is caught.
MIN_TEXT = 500


class StepFailed(Exception):
    """A check inside a step did not hold; the message says what was expected."""


@dataclass(frozen=True)
class StepResult:
    name: str
    ok: bool
    detail: str
    seconds: float

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name:<12} {self.detail} ({self.seconds:.2f} s)"


def sample_files() -> dict[str, Path]:
    """One shipped sample per format: the sample project's articles plus the Word file kept
    for the self-test."""
    found: dict[str, Path] = {}
    for folder in (samples_dir(), resources_dir() / "selftest"):
        for path in sorted(folder.glob("*")):
            found.setdefault(path.suffix.lower(), path)
    return {suffix: found[suffix] for suffix in FORMATS if suffix in found}


def check(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


class SelfTest:
    """The steps in order; each one's result is printed as it finishes."""

    def __init__(self, out: TextIO, window: bool = True) -> None:
        self.out = out
        self.window = window
        self.results: list[StepResult] = []
        self.library: Library | None = None
        self.folder: Path | None = None
        self.document_ids: dict[str, int] = {}
        self.highlight_id: int | None = None

    def run(self) -> bool:
        with temporary_folder() as folder:
            self.folder = folder / "Self test.annotator"
            try:
                self.step("resources", self.check_resources)
                if self.step("project", self.create_project):
                    for suffix in FORMATS:
                        self.step(f"import {suffix[1:]}", partial(self.import_sample, suffix))
                    self.step("import batch", lambda: self.import_batch(folder / "Batch.annotator"))
                    self.step("tag", self.tag)
                    self.step("search", self.search)
                    self.step("export csv", lambda: self.export(folder / "excerpts.csv"))
                    self.step("team driver", self.team_driver)
                    if self.window:
                        self.step("window", self.open_window)
            finally:
                if self.library is not None:
                    self.library.close()
        passed = sum(r.ok for r in self.results)
        verdict = "passed" if passed == len(self.results) else "FAILED"
        print(f"self-test {verdict}: {passed} of {len(self.results)} steps passed", file=self.out)
        return passed == len(self.results)

    def step(self, name: str, action: Callable[[], str]) -> bool:
        started = time.perf_counter()
        try:
            detail, ok = action(), True
        except Exception as exc:  # noqa: BLE001 - every failure is reported, then the next step runs
            detail, ok = f"{type(exc).__name__}: {exc}".splitlines()[0], False
        result = StepResult(name, ok, detail, time.perf_counter() - started)
        self.results.append(result)
        print(result.line(), file=self.out, flush=True)
        return ok

    # ----------------------------------------------------------------- steps
    def check_resources(self) -> str:
        root = resources_dir()
        icons = sorted((root / "icons").glob("*.svg"))
        check(any(p.name == "app.svg" for p in icons), f"no icons in {root / 'icons'}")
        missing = [s for s in FORMATS if s not in sample_files()]
        check(not missing, f"no sample for {', '.join(missing)} in {root}")
        check(guide_path().is_file(), f"user guide missing: {guide_path()}")
        return f"{len(icons)} icons, {len(FORMATS)} samples and the user guide in {root}"

    def team_driver(self) -> str:
        from annotator.core.drivers import postgres_driver

        return postgres_driver()

    def create_project(self) -> str:
        from annotator.core.library import Library

        assert self.folder is not None
        self.library = Library.create(self.folder)
        return str(self.folder)

    def import_sample(self, suffix: str) -> str:
        from annotator.importers.batch import import_paths

        library = self._library()
        path = sample_files()[suffix]
        [outcome] = list(import_paths(library, [path]))
        check(outcome.status == "imported", f"{path.name}: {outcome.message}")
        assert outcome.document_id is not None
        length = len(library.document_text(outcome.document_id))
        check(length >= MIN_TEXT, f"{path.name}: only {length} characters of text")
        self.document_ids[suffix] = outcome.document_id
        return f"“{outcome.title}”, {length:,} characters"

    def import_batch(self, folder: Path) -> str:
        """The samples a reader process extracts (HTML, PDF, Word), imported together into a
        second project: a batch of more than ``SERIAL_UP_TO`` such files starts worker
        processes, which a bundle must be able to start (they run its executable again)."""
        from annotator.core.library import Library
        from annotator.importers.batch import SERIAL_UP_TO, import_paths
        from annotator.importers.parallel import READ_IN_PROCESS

        paths = [path for suffix, path in sample_files().items() if suffix not in READ_IN_PROCESS]
        check(len(paths) > SERIAL_UP_TO, f"only {len(paths)} samples for a batch")
        with Library.create(folder) as library:
            outcomes = list(import_paths(library, paths, workers=2))
        failed = [f"{o.path.name}: {o.message}" for o in outcomes if o.status != "imported"]
        check(not failed and len(outcomes) == len(paths), "; ".join(failed) or "files missing")
        return f"{len(outcomes)} files read by 2 worker processes"

    def tag(self) -> str:
        library = self._library()
        check(bool(self.document_ids), "no document was imported")
        document_id = self.document_ids.get(".html") or next(iter(self.document_ids.values()))
        text = library.document_text(document_id)
        start = text.find(ACTOR)
        check(start >= 0, f"“{ACTOR}” not found in document {document_id}")
        tag = library.create_tag(ACTOR, "actor")
        highlight = library.add_highlight(document_id, start, start + len(ACTOR), tag_ids=[tag.id],
                                          note="self-test note")
        self.highlight_id = highlight.id
        return f"highlight {highlight.id} tagged actor “{ACTOR}”"

    def search(self) -> str:
        library = self._library()
        words = library.search("tariffs", limit=50)
        check(words.total > 0, "“tariffs” found nothing")
        tagged = library.search(f'actor:"{ACTOR}"', limit=50)
        check(any(h.highlight_id == self.highlight_id for h in tagged.hits),
              f"actor:\"{ACTOR}\" did not find the tagged highlight")
        return f"“tariffs”: {words.total} hits; actor:\"{ACTOR}\": {tagged.total}"

    def export(self, target: Path) -> str:
        from annotator.export.csv_export import write_csv
        from annotator.export.selection import ExcerptFilter

        rows = write_csv(self._library(), target, ExcerptFilter(actors=[ACTOR]))
        check(rows == 1, f"{rows} rows written, expected 1")
        with target.open(encoding="utf-8", newline="") as fh:
            written = list(csv.reader(fh))
        check(len(written) == 2 and any(ACTOR in cell for cell in written[1]),
              f"{target.name} does not hold the tagged excerpt")
        return f"{rows} excerpt, {target.stat().st_size:,} bytes"

    def open_window(self) -> str:
        """The real main window on the project, offscreen: Qt's platform plugin, the icons
        and every pane are loaded as a user's start would."""
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtCore import QSettings, qVersion
        from PySide6.QtWidgets import QApplication

        from annotator.app import make_application
        from annotator.gui.main_window import MainWindow

        # The window saves its layout on close: into the temporary folder, not the user's.
        assert self.folder is not None
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                          str(self.folder.parent / "settings"))
        app = make_application()
        check(not app.windowIcon().isNull(), "the application icon did not load")
        window = MainWindow(self._library())
        self.library = None  # the window owns it now and closes it with itself
        try:
            window.show()
            QApplication.processEvents()
            documents = window.library_pane.proxy.rowCount()
            check(documents == len(FORMATS), f"the library pane lists {documents} documents")
            check(not window.actions_.import_files.icon().isNull(), "the toolbar's icons did not load")
        finally:
            window.close()
            QApplication.processEvents()
        return f"main window opened and closed ({QApplication.platformName()}, Qt {qVersion()})"

    def _library(self) -> Library:
        check(self.library is not None, "the project is not open")
        assert self.library is not None
        return self.library


@contextmanager
def temporary_folder() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="annotator-self-test-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_self_test(out: TextIO = sys.stdout, window: bool = True) -> int:
    """Exit code: 0 when every step passed, 1 otherwise."""
    return 0 if SelfTest(out, window).run() else 1
