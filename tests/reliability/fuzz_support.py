"""Shared pieces of the fuzz tests: a time budget per test (a fixed total in the default run,
minutes under ``scripts/fuzz``), the seed files, and what a clear refusal looks like."""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, settings

from tests.conftest import SHARED_DATA

# scripts/fuzz sets ANNOTATOR_FUZZ_SECONDS (per test) and many examples; the default run
# spends at most DEFAULT_SECONDS[test] on each.
LONG_RUN = "ANNOTATOR_FUZZ_SECONDS" in os.environ
DEFAULT_SECONDS = {"importers": 25.0, "random_bytes": 6.0, "query": 6.0, "cli": 15.0}


def budget(name: str) -> float:
    return float(os.environ["ANNOTATOR_FUZZ_SECONDS"]) if LONG_RUN else DEFAULT_SECONDS[name]


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=10_000_000 if LONG_RUN else examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.data_too_large],
    )


class Clock:
    """True once the test's budget is spent: later examples return at once."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.deadline: float | None = None

    def spent(self) -> bool:
        if self.deadline is None:
            self.deadline = time.monotonic() + budget(self.name)
        return time.monotonic() > self.deadline


# Words from libraries' own error messages that tell a researcher nothing (issue 14, fault 9).
UNCLEAR = ("Error -3", "NoneType", "not subscriptable", "AssertionError", "XML compatible",
           "Traceback", "object has no attribute", "unhashable", "KeyError")


def assert_clear(message: str) -> None:
    assert message and "\n" not in message, repr(message)
    assert not any(word in message for word in UNCLEAR), message


_SEED_FOLDERS = ("readability-test-pages", "trafilatura-eval", "encodings", "py-pdf-sample-files",
                 "pypdf-resources")
_SUFFIXES = (".html", ".htm", ".txt", ".md", ".pdf", ".odt")
_MAX_SEED_BYTES = 120_000


def real_seeds(per_suffix: int = 4) -> list[tuple[str, bytes]]:
    """Small real files of every type the shared data holds (none when it is absent)."""
    found: dict[str, list[Path]] = {}
    for folder in _SEED_FOLDERS:
        base = SHARED_DATA / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix.lower() in _SUFFIXES and path.is_file() \
                    and path.stat().st_size <= _MAX_SEED_BYTES:
                found.setdefault(path.suffix.lower(), []).append(path)
    seeds = []
    for suffix, paths in sorted(found.items()):
        step = max(1, len(paths) // per_suffix)
        seeds += [(suffix, p.read_bytes()) for p in paths[::step][:per_suffix]]
    return seeds


def generated_seeds() -> list[tuple[str, bytes]]:
    """DOCX and EPUB (the shared data has none) and the small types, written here."""
    import docx

    document = docx.Document()
    document.add_heading("Tariff talks", level=1)
    document.add_paragraph("Ottawa weighed retaliation against steel duties.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Cost", "C$ 6 bn"
    buffer = io.BytesIO()
    document.save(buffer)
    epub = io.BytesIO()
    with zipfile.ZipFile(epub, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("META-INF/container.xml",
                         '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:'
                         'opendocument:xmlns:container"><rootfiles><rootfile full-path="b.opf" '
                         'media-type="application/oebps-package+xml"/></rootfiles></container>')
        archive.writestr("b.opf",
                         '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" '
                         'version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
                         '<dc:title>Book</dc:title></metadata><manifest><item id="c" '
                         'href="c.xhtml" media-type="application/xhtml+xml"/></manifest>'
                         '<spine><itemref idref="c"/></spine></package>')
        archive.writestr("c.xhtml", "<html><body><h1>One</h1><p>Arctic sovereignty and "
                         "NORAD.</p></body></html>")
    return [
        (".docx", buffer.getvalue()),
        (".epub", epub.getvalue()),
        (".html", b"<html><head><title>T</title></head><body><article><p>Trade talks "
                  b"resumed.</p></article></body></html>"),
        (".txt", "Texte accentué — “quoted”.\n".encode("cp1252")),
        (".md", b"# Heading\n\nSome *markdown* text about [links](http://x).\n"),
    ]
