"""The one place where core errors become dialogs the researcher can read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.core.errors import (
    AnnotatorError,
    DuplicateDocument,
    EditConflict,
    InvalidInput,
    InvalidQuery,
    NotFound,
    ProjectError,
    ProjectLocked,
    ServerUnreachable,
)

T = TypeVar("T")


def title_for(error: AnnotatorError) -> str:
    if isinstance(error, ServerUnreachable):
        return "Server unreachable"
    if isinstance(error, EditConflict):
        return "Changed by another coder"
    if isinstance(error, ProjectLocked):
        return "Project already open"
    if isinstance(error, ProjectError):
        return "Cannot open project"
    if isinstance(error, InvalidQuery):
        return "Search not understood"
    if isinstance(error, NotFound):
        return "No longer there"
    if isinstance(error, DuplicateDocument):
        return "Already in the project"
    if isinstance(error, InvalidInput):
        return "Cannot do that"
    return "Something went wrong"


def show_error(parent: QWidget | None, error: AnnotatorError, action: str = "") -> None:
    """A warning box: what the user tried (``action``), then the core's own sentence."""
    text = str(error) or type(error).__name__
    if text:
        text = text[0].upper() + text[1:]
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title_for(error))
    box.setText(f"{action} failed." if action else title_for(error))
    box.setInformativeText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


@contextmanager
def reporting_errors(parent: QWidget | None, action: str = "") -> Iterator[None]:
    """Run a user action; an ``AnnotatorError`` becomes a dialog instead of a traceback."""
    try:
        yield
    except AnnotatorError as exc:
        show_error(parent, exc, action)


def guarded(parent: QWidget | None, action: str, call: Callable[[], T]) -> T | None:
    try:
        return call()
    except AnnotatorError as exc:
        show_error(parent, exc, action)
        return None
