"""The reader's targets (#4) in the whole MainWindow: the long document's open, and the edits a
user makes on it (tag a selection, add a tag, undo, recolour a tag) timed until the window has
run what they queued and painted, each repeat in a fresh offscreen process
(``bench.window_probe``). The side panes follow every edit, which the bare Reader case leaves out."""

from __future__ import annotations

from importlib.util import find_spec

from bench.context import BenchContext
from bench.probe_runner import run_probes
from bench.stats import Figure, Result, Unavailable
from bench.window_probe import EDITS

NAME = "reader_window"
TIMEOUT_S = 600

# (probe key, figure name, target); "pane_" keys repeat the edits with the Highlights tab shown.
# Each edit has two figures: until the reader has painted it (what the user sees the edit in,
# the target's "repaints") and until every pane has followed it too.
FIGURES = (
    ("text_shown_ms", "open: text shown", ""),
    ("highlights_painted_ms", "open: highlights painted", "< 200 ms"),
    ("tag_new_reader_ms", "tag a selection: reader repainted", "< 20 ms"),
    ("tag_new_ms", "tag a selection: every pane followed", ""),
    ("add_tag_reader_ms", "add a tag to a highlight: reader repainted", "< 20 ms"),
    ("add_tag_ms", "add a tag to a highlight: every pane followed", ""),
    ("undo_reader_ms", "undo: reader repainted", ""),
    ("undo_ms", "undo: every pane followed", ""),
    ("recolour_reader_ms", "recolour a tag: reader repainted", "< 100 ms"),
    ("recolour_ms", "recolour a tag: every pane followed", ""),
    ("pane_highlights_painted_ms", "Highlights tab shown: open, highlights painted", "< 200 ms"),
    ("pane_tag_new_reader_ms", "Highlights tab shown: tag a selection: reader repainted", "< 20 ms"),
    ("pane_tag_new_ms", "Highlights tab shown: tag a selection: every pane followed", ""),
    ("pane_add_tag_reader_ms", "Highlights tab shown: add a tag: reader repainted", "< 20 ms"),
    ("pane_add_tag_ms", "Highlights tab shown: add a tag: every pane followed", ""),
    ("pane_undo_reader_ms", "Highlights tab shown: undo: reader repainted", ""),
    ("pane_undo_ms", "Highlights tab shown: undo: every pane followed", ""),
    ("pane_recolour_reader_ms", "Highlights tab shown: recolour a tag: reader repainted", "< 100 ms"),
    ("pane_recolour_ms", "Highlights tab shown: recolour a tag: every pane followed", ""),
)


def run(ctx: BenchContext) -> list[Result]:
    if find_spec("annotator.gui.main_window") is None:
        return [Unavailable(NAME, "annotator.gui.main_window has not landed")]
    ctx.work.mkdir(parents=True, exist_ok=True)
    probes = run_probes(["bench.window_probe", str(ctx.work)], ctx.repeats, TIMEOUT_S)
    if isinstance(probes, str):
        return [Unavailable(NAME, f"window probe failed ({probes})")]
    note = (f"MainWindow, {probes[0]['characters']:,} characters, {probes[0]['highlights']:,} "
            f"highlights; each edit the median of {EDITS} in the process")
    return [
        Figure(NAME, name, None, "ms", [p[key] for p in probes], target=target,
               note=note if i == 0 else "")
        for i, (key, name, target) in enumerate(FIGURES)
    ]
