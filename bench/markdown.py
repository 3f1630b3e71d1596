"""Render results JSON (``bench/results/latest.json``) as the Markdown tables BENCHMARKS.md
holds, so the published table is exactly what the run measured:

    .venv/bin/python -m bench.markdown bench/results/latest.json
    .venv/bin/python -m bench.markdown small-sizes.json big-size.json   # runs side by side

With several files each run gets its header and table, then one growth table over all of
them (a figure measured at the same size in two runs counts from the later file); growth
between sizes from different runs mixes two machine loads, and the table says which.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bench.report import figures_table, growth_table
from bench.stats import HEAVY_SIZE, Figure, Growth, Result, Unavailable, growth


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


def render_runs(documents: list[dict[str, Any]]) -> str:
    if len(documents) == 1:
        return render(documents[0])
    parts = [render(d, with_growth=False) for d in documents]
    latest: dict[tuple[str, str, str, int | None], tuple[Figure, str]] = {}
    for document in documents:
        for result in results_of(document):
            if isinstance(result, Figure):
                key = (result.case, result.name, result.unit, result.size)
                latest[key] = (result, document["date"])
    run_of = {key: date for key, (_, date) in latest.items()}
    growths = growth([f for f, _ in latest.values()])
    mixed = {
        (g.case, g.name, g.unit, g.small, g.large) for g in growths
        if run_of[(g.case, g.name, g.unit, g.small)] != run_of[(g.case, g.name, g.unit, g.large)]
    }
    lines = ["Growth between sizes over these runs (ratio of medians; exponent k in "
             "figure ∝ docs^k; per 4x = 4^k; \\* = the two sizes come from different runs):",
             "", growth_table(growths, mixed)]
    return "\n\n".join(parts) + "\n\n" + "\n".join(lines) + "\n"


def render(document: dict[str, Any], *, with_growth: bool = True) -> str:
    machine = document["machine"]
    packages = ", ".join(f"{k} {v}" for k, v in document["packages"].items() if v)
    load = document["load_average"]
    code = document.get("code", {})
    projects = "; ".join(
        f"{int(size):,} docs: {p['highlights']:,} highlights, database filled at "
        f"{p['documents_per_s']} docs/s ({p['added']:,} added), index built in "
        f"{p['reindex_seconds']} s" for size, p in document["projects"].items()
    )
    lines = [
        f"Run {document['date']} — `{document['command'].strip()}`, seed {document['seed']}, "
        f"{document['repeats']} repeats ({document.get('heavy_repeats', 1)} for index builds "
        f"and exports of {HEAVY_SIZE:,}+ documents), {document['duration_s']:.0f} s.",
        "",
        f"Machine: {machine['cpu_model']}, {machine['cores']} cores, {machine['ram_gb']} GB RAM, "
        f"Python {machine['python']}, SQLite {machine['sqlite']}, {machine['platform']}. "
        f"Load average {load['before'][0]:.1f} before and {load['after'][0]:.1f} after the run "
        "(the machine is shared: compare figures within a run, as ratios).",
        "",
        f"Packages: {packages}. Code: commit {code.get('commit')}"
        f"{' + uncommitted changes in annotator/' if code.get('annotator_changed_files') else ''}.",
        "",
        f"Projects (cached, built through the Library API): {projects}.",
        "",
        figures_table(results_of(document)),
    ]
    if with_growth:
        lines += [
            "",
            "Growth between sizes (ratio of medians; exponent k in figure ∝ docs^k; "
            "per 4x = 4^k):",
            "",
            growth_table(growths_of(document)),
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m bench.markdown RESULTS.json [MORE.json ...]", file=sys.stderr)
        return 2
    documents = [json.loads(Path(a).read_text(encoding="utf-8")) for a in argv]
    sys.stdout.write(render_runs(documents))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
