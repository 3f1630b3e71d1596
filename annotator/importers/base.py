"""The importers' result type, owned by core (``annotator.core.extracted``); kept under this
name for code written against ``annotator.importers.base``."""

from __future__ import annotations

from annotator.core.extracted import Extracted

__all__ = ["Extracted"]
