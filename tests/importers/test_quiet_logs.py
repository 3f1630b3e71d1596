"""trafilatura's and pypdf's routine warnings are silenced only while an extraction runs:
importing an importer changes no logging, and the level comes back afterwards."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading

import pytest

from annotator.importers import html as html_importer
from annotator.importers.quiet_logs import quieter


def test_importing_the_importers_changes_no_logger() -> None:
    code = (
        "import logging\n"
        "import annotator.importers.html, annotator.importers.pdf\n"
        "print(logging.getLogger('trafilatura').level, logging.getLogger('pypdf').level)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["0", "0"]


def test_trafilatura_is_quiet_while_extracting_and_heard_after(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def chatty(*_args: object, **_kwargs: object) -> None:
        logging.getLogger("trafilatura").error("not enough text")
        return None

    monkeypatch.setattr(html_importer.trafilatura, "bare_extraction", chatty)
    caplog.set_level(logging.WARNING)
    extracted = html_importer.extract_html(b"<html><body><p>Tariffs on steel rise again.</p></body></html>")
    assert "Tariffs" in extracted.text
    assert [r for r in caplog.records if r.name == "trafilatura"] == []
    logging.getLogger("trafilatura").error("outside an extraction")
    assert [r.getMessage() for r in caplog.records if r.name == "trafilatura"] == ["outside an extraction"]


def test_overlapping_extractions_restore_the_level_once_all_end() -> None:
    logger = logging.getLogger("annotator.tests.chatty")
    logger.setLevel(logging.WARNING)
    inside, release = threading.Event(), threading.Event()

    def other_thread() -> None:
        with quieter(logger.name, logging.CRITICAL):
            inside.set()
            release.wait(10)

    worker = threading.Thread(target=other_thread)
    worker.start()
    try:
        assert inside.wait(10)
        with quieter(logger.name, logging.CRITICAL):
            assert logger.level == logging.CRITICAL
        assert logger.level == logging.CRITICAL  # the other extraction still runs
    finally:
        release.set()
        worker.join(10)
    assert logger.level == logging.WARNING


def test_debug_logging_hides_nothing() -> None:
    logger = logging.getLogger("annotator.tests.debugged")
    logger.setLevel(logging.DEBUG)
    with quieter(logger.name, logging.CRITICAL):
        assert logger.level == logging.DEBUG
