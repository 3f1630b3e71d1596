"""The agreement table (one row per tag) as ``annotator report agreement --csv`` and the
Compare Coders window write it: the same columns in the same order, so a file from either
reads the same."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.core.agreement import TagAgreement
from annotator.export.analysis_csv import Table

FIELDS = ("tag", "category", "name", "coders", "documents", "units", "left_out",
          "percent_agreement", "cohen_kappa", "krippendorff_alpha", "krippendorff_alpha_u")


def agreement_row(r: TagAgreement) -> dict[str, Any]:
    """One tag's figures by field name (plus ``tagged``: characters per coder), as ``--json``
    prints them."""
    category, _, name = r.tag.partition(":")
    return {
        "tag": r.tag, "category": category, "name": name, "coders": ",".join(r.coders),
        "documents": r.documents, "units": r.units, "left_out": r.left_out,
        "percent_agreement": r.percent_agreement, "cohen_kappa": r.cohen_kappa,
        "krippendorff_alpha": r.krippendorff_alpha, "krippendorff_alpha_u": r.krippendorff_alpha_u,
        "tagged": dict(r.tagged),
    }


def cell(value: object) -> str:
    """A figure as the CSV holds it: four decimals, empty when undefined."""
    if value is None:
        return ""
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def agreement_table(results: Sequence[TagAgreement]) -> Table:
    rows = [agreement_row(r) for r in results]
    return [list(FIELDS), *([cell(row[f]) for f in FIELDS] for row in rows)]
