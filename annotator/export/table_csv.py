"""A small table (a report's numbers) written as CSV with the excerpt export's guarantees:
RFC 4180 quoting, the spreadsheet formula guard on every cell, and an atomic write that leaves
no partial file behind."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from annotator.export.csv_export import _check_target, _write_atomically, csv_line, neutralise


def write_table(target: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write ``header`` and ``rows`` (cells made text: None empty, floats as written) to
    ``target``; returns the number of rows."""
    _check_target(target)

    def write(fh: TextIO) -> int:
        fh.write(csv_line([neutralise(h) for h in header]))
        count = 0
        for row in rows:
            fh.write(csv_line([neutralise(_cell(c)) for c in row]))
            count += 1
        return count

    return _write_atomically(target, write, encoding="utf-8")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)
