"""The numbers behind each analysis view as CSV tables (GUI "Export CSV" and the CLI's
``--csv``): the matrix and the timeline wide, as a spreadsheet charts them; frequencies one
row per tag (and value). Same quoting, formula guard and atomic write as the excerpt export.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from annotator.export.csv_export import (
    _check_target,
    _write_atomically,
    csv_line,
    neutralise,
)

if TYPE_CHECKING:  # the analysis module reads through SQLAlchemy; a table needs none of it
    from annotator.core.analysis import Matrix, TagFrequency, Timeline

Table = list[list[str]]
# A plain number is never a formula: a negative kappa must stay a number, not "'-0.25".
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?\Z")


def matrix_table(m: Matrix) -> Table:
    corner = f"{m.row_axis.describe()} \\ {m.column_axis.describe()} ({m.unit})"
    rows = [[corner, *(c.label for c in m.columns), "Total"]]
    for r in m.rows:
        rows.append([r.label, *(str(m.count(r.key, c.key)) for c in m.columns),
                     str(m.row_total(r.key))])
    rows.append(["Total", *(str(m.column_total(c.key)) for c in m.columns), str(m.total)])
    return rows


def frequency_table(rows: Sequence[TagFrequency], by: str | None = None) -> Table:
    head = ["tag", "category", *([by] if by else []), "highlights", "documents"]
    out = [head]
    for f in rows:
        split = [f.value or ""] if by else []
        out.append([f.tag, f.category, *split, str(f.highlights), str(f.documents)])
    return out


def timeline_table(t: Timeline) -> Table:
    tags = list(dict.fromkeys((p.tag_id, p.tag) for p in t.points))
    counts = {(p.tag_id, p.period): p.count for p in t.points}
    out = [[t.bin, *(name for _i, name in tags)]]
    for period in t.periods:
        out.append([period, *(str(counts.get((i, period), 0)) for i, _n in tags)])
    out.append(["undated", *(str(counts.get((i, None), 0)) for i, _n in tags)])
    return out


def write_table(path: Path | str, table: Table) -> int:
    """Write ``table`` (first row the header) to ``path``; returns the data rows written."""
    target = Path(path).expanduser()
    _check_target(target)

    def write(fh: TextIO) -> int:
        fh.writelines(csv_line([c if _PLAIN_NUMBER.match(c) else neutralise(c) for c in row])
                      for row in table)
        return len(table) - 1

    return _write_atomically(target, write, encoding="utf-8")
