"""The printed table (also pasted into BENCHMARKS.md) and the JSON document."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from bench.stats import Figure, Growth, Result, Unavailable


def _fmt(value: float) -> str:
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def _size(size: int | None) -> str:
    return "-" if size is None else f"{size:,}"


def figures_table(results: Sequence[Result]) -> str:
    """A Markdown table: one row per figure (median over repeats, min–max beside it), and one
    row per case that could not run, saying why."""
    lines = [
        "| case | figure | docs | median | min – max | unit | n | target |",
        "|---|---|--:|--:|--:|---|--:|---|",
    ]
    for result in results:
        if isinstance(result, Figure):
            spread = f"{_fmt(min(result.samples))} – {_fmt(max(result.samples))}"
            lines.append(
                f"| {result.case} | {result.name} | {_size(result.size)} | "
                f"{_fmt(result.median)} | {spread} | {result.unit} | {len(result.samples)} | "
                f"{result.target} |"
            )
        else:
            lines.append(f"| {result.case} | not available: {result.reason} | "
                         f"{_size(result.size)} | | | | | |")
    return "\n".join(lines)


def growth_table(
    growths: Sequence[Growth], marked: Collection[tuple[str, str, str, int, int]] = ()
) -> str:
    """Ratios between consecutive sizes, and from the first size to the last when there are
    three or more; ``per 4x`` is the ratio the implied exponent gives for four times the
    documents (1.0 = flat, 4.0 = linear, above 4 = super-linear), so rows over different
    spans compare directly. Rows in ``marked`` (case, name, unit, from, to) get an asterisk
    after their sizes."""
    if not growths:
        return "(one size only: no growth to report)"
    lines = [
        "| case | figure | unit | from → to docs | ratio | exponent | per 4x docs |",
        "|---|---|---|---|--:|--:|--:|",
    ]
    for g in growths:
        mark = " \\*" if (g.case, g.name, g.unit, g.small, g.large) in marked else ""
        lines.append(
            f"| {g.case} | {g.name} | {g.unit} | {g.small:,} → {g.large:,}{mark} | "
            f"{g.ratio:.2f} | {g.exponent:.2f} | {g.per_4x:.2f} |"
        )
    return "\n".join(lines)


def notes_list(results: Sequence[Result]) -> str:
    seen: set[str] = set()
    lines = []
    for result in results:
        if isinstance(result, Figure) and result.note:
            key = f"{result.case} ({_size(result.size)} docs): {result.note}"
            if key not in seen:
                seen.add(key)
                lines.append(f"- {key}")
    return "\n".join(lines)


def write_json(path: Path, document: dict[str, Any]) -> None:
    """Write atomically, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n",
                   encoding="utf-8")
    tmp.replace(path)


def unavailable(results: Sequence[Result]) -> list[Unavailable]:
    return [r for r in results if isinstance(r, Unavailable)]
