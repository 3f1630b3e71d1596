"""The agreement table's CSV: negative figures stay numbers (the formula guard must not turn
"-0.25" into text), text cells are still guarded."""

from __future__ import annotations

import csv
from pathlib import Path

from annotator.core.agreement import TagAgreement
from annotator.export.agreement_csv import FIELDS, agreement_table
from annotator.export.analysis_csv import write_table


def test_negative_kappa_is_written_as_a_number_and_text_is_guarded(tmp_path: Path) -> None:
    row = TagAgreement(tag="topic:=cmd", coders=("ann", "-bob"), documents=2, units=10, left_out=5,
                       tagged={"ann": 4, "-bob": 3}, percent_agreement=0.4, cohen_kappa=-0.25,
                       krippendorff_alpha=None, krippendorff_alpha_u=-1.0)
    out = tmp_path / "a.csv"
    write_table(out, agreement_table([row]))
    with out.open(encoding="utf-8", newline="") as fh:
        header, written = list(csv.reader(fh))
    assert header == list(FIELDS)
    cells = dict(zip(header, written, strict=True))
    assert cells["cohen_kappa"] == "-0.2500" and cells["krippendorff_alpha_u"] == "-1.0000"
    assert cells["krippendorff_alpha"] == ""
    assert cells["name"] == "'=cmd" and cells["coders"] == "ann,-bob"
