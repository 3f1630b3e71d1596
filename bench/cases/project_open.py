"""Project open, cold: a new Python process opens the Library and shows the MainWindow
offscreen (``bench.qt_probe open-project``). Times run from the moment the process is started,
so interpreter start-up and imports count, as they do for a user; peak RSS is the child's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path

from bench.context import REPO_DIR, BenchContext
from bench.stats import Figure, Result, Unavailable

NAME = "open"
TIMEOUT_S = 300


def run(ctx: BenchContext) -> list[Result]:
    if find_spec("annotator.gui.main_window") is None:
        return [Unavailable(NAME, "annotator.gui.main_window (MainWindow) has not landed")]
    results: list[Result] = []
    for size in ctx.sizes:
        folder = ctx.work_copy(size)  # the child takes the project's write lock
        imports_s: list[float] = []
        library_s: list[float] = []
        shown_s: list[float] = []
        listed_s: list[float] = []
        cpu_s: list[float] = []
        rss: list[float] = []
        for _ in range(ctx.repeats):
            try:
                probe = _probe(folder, ctx.cache / "xdg-config")
            except RuntimeError as exc:
                results.append(Unavailable(NAME, str(exc), size))
                break
            imports_s.append(probe["imported"])
            library_s.append(probe["library_open"])
            shown_s.append(probe["shown"])
            listed_s.append(probe["listed"])
            cpu_s.append(probe["cpu_shown"])
            rss.append(probe["peak_rss_mb"])
        if not shown_s:
            continue
        results += [
            Figure(NAME, "core imported (cold process)", size, "s", imports_s,
                   note="from process start: interpreter, then annotator.core.library"),
            Figure(NAME, "library open (cold process)", size, "s", library_s),
            Figure(NAME, "window shown (cold process)", size, "s", shown_s,
                   target="<= 1.0 s at 20,000 documents"),
            Figure(NAME, "CPU to window shown (cold process)", size, "s", cpu_s,
                   note="user + system time of the process until the first frame"),
            Figure(NAME, "library listed (cold process)", size, "s", listed_s,
                   note="every document in the Library pane (a large project's window "
                        "shows the first rows, then reads the rest after its first paint)"),
            Figure(NAME, "peak RSS to window shown", size, "MB", rss),
        ]
    return results


def _probe(folder: Path, config: Path) -> dict[str, float]:
    # Keep the user's Qt settings and recent-project list out of it.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(config)}
    started = time.time()
    proc = subprocess.run(
        [sys.executable, "-m", "bench.qt_probe", "open-project", str(folder)],
        cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=TIMEOUT_S,
    )
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"open probe failed (exit {proc.returncode}): {tail}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return {
        "imported": data["imported"] - started,
        "library_open": data["library_open"] - started,
        "shown": data["shown"] - started,
        "listed": data.get("listed", data["shown"]) - started,
        "cpu_shown": data.get("cpu_shown", float("nan")),
        "peak_rss_mb": data["peak_rss_mb"],
    }
