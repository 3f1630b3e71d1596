"""Small builders for core tests (no Qt)."""

from __future__ import annotations

from pathlib import Path

from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.core.models import Document
from annotator.core.text import normalise_text


def new_library(tmp_path: Path, name: str = "Test.annotator") -> Library:
    return Library.create(tmp_path / name)


def add_text(library: Library, text: str, title: str = "Doc", **kw: object) -> Document:
    return library.add_document(Extracted(text=normalise_text(text), format="txt", title=title, **kw))
