"""Reader open of a 300-page, 1.2 M-character document with 2,000 highlights, and the repaint
after tagging one highlight, each in a fresh offscreen process (``bench.qt_probe reader``).
Independent of the project sizes, so measured once per run."""

from __future__ import annotations

from importlib.util import find_spec

from bench.context import BenchContext
from bench.probe_runner import run_probes
from bench.stats import Figure, Result, Unavailable

NAME = "reader"
TIMEOUT_S = 300


def run(ctx: BenchContext) -> list[Result]:
    for module in ("annotator.gui.widgets.reader", "bench.reader_bench"):
        if find_spec(module) is None:
            return [Unavailable(NAME, f"{module} has not landed")]
    probes = run_probes(["bench.qt_probe", "reader"], ctx.repeats, TIMEOUT_S)
    if isinstance(probes, str):
        return [Unavailable(NAME, f"reader probe failed ({probes})")]
    note = (f"{probes[0]['pages']} pages, {probes[0]['characters']:,} characters, "
            f"{probes[0]['highlights']:,} highlights; fonts warmed first, as in a running app")
    return [
        Figure(NAME, "open with highlights, first paint", None, "ms",
               [p["open_ms"] for p in probes], target="< 200 ms", note=note),
        Figure(NAME, "one more highlight, repaint", None, "ms",
               [p["new_highlight_ms"] for p in probes]),
        Figure(NAME, "tag applied, repaint", None, "ms",
               [p["tag_repaint_ms"] for p in probes], target="< 20 ms"),
        Figure(NAME, "peak RSS", None, "MB", [p["peak_rss_mb"] for p in probes]),
    ]
