"""The error every export raises when its file cannot be written or its input cannot be used."""

from __future__ import annotations

from annotator.core.errors import AnnotatorError


class ExportFailed(AnnotatorError):
    """The CSV file could not be written; the message names the file and the reason."""
