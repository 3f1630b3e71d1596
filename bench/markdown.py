"""Render a results JSON (``bench/results/latest.json``) as the Markdown tables BENCHMARKS.md
holds, so the published table is exactly what the run measured:

    .venv/bin/python -m bench.markdown bench/results/latest.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bench.report import figures_table, growth_table
from bench.stats import Figure, Growth, Result, Unavailable


def results_of(document: dict[str, Any]) -> list[Result]:
    """Figures and unavailable cases back from JSON, in the order the run produced them."""
    results: list[Result] = []
    for f in document["figures"]:
        results.append(Figure(f["case"], f["name"], f["size"], f["unit"], f["samples"],
                              target=f.get("target") or "",
                              higher_is_better=f.get("higher_is_better", False),
                              note=f.get("note") or ""))
    for u in document["unavailable"]:
        results.append(Unavailable(u["case"], u["reason"], u.get("size")))
    return results


def growths_of(document: dict[str, Any]) -> list[Growth]:
    return [Growth(g["case"], g["name"], g["unit"], g["from"], g["to"], g["ratio"],
                   g["exponent"], g["per_4x"]) for g in document["growth"]]


def render(document: dict[str, Any]) -> str:
    machine = document["machine"]
    packages = ", ".join(f"{k} {v}" for k, v in document["packages"].items() if v)
    load = document["load_average"]
    projects = "; ".join(
        f"{int(size):,} docs: {p['highlights']:,} highlights, database filled at "
        f"{p['documents_per_s']} docs/s ({p['added']:,} added), index built in "
        f"{p['reindex_seconds']} s" for size, p in document["projects"].items()
    )
    lines = [
        f"Run {document['date']} — `{document['command'].strip()}`, seed {document['seed']}, "
        f"{document['repeats']} repeats, {document['duration_s']:.0f} s.",
        "",
        f"Machine: {machine['cpu_model']}, {machine['cores']} cores, {machine['ram_gb']} GB RAM, "
        f"Python {machine['python']}, SQLite {machine['sqlite']}, {machine['platform']}. "
        f"Load average {load['before'][0]:.1f} before and {load['after'][0]:.1f} after the run "
        "(the machine is shared: compare figures within a run, as ratios).",
        "",
        f"Packages: {packages}.",
        "",
        f"Projects (cached, built through the Library API): {projects}.",
        "",
        figures_table(results_of(document)),
        "",
        "Growth between sizes (ratio of medians; exponent k in figure ∝ docs^k; per 4x = 4^k):",
        "",
        growth_table(growths_of(document)),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m bench.markdown RESULTS.json", file=sys.stderr)
        return 2
    document = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    sys.stdout.write(render(document))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
