"""Qt-free exports of a project's work: CSV tables of excerpts and clipboard text with citations.

Modules here read through the ``Library`` facade only (never SQLAlchemy or Whoosh) so the CLI,
the GUI and scripts share one implementation. See docs/export.md for the CSV contract.
"""

from __future__ import annotations
