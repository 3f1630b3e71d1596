"""``annotator search QUERY`` as a whole process, as a user at a terminal (or a script) waits
for it: interpreter start, imports, opening the project read-only, the index check, the search
and printing the hits. Run as ``python -m annotator`` from the checkout, so the tree under test
is the one measured. Wall time and the child's CPU time (user + system), which stays a fair
figure when other work shares the machine.
The first, untimed run writes the bytecode cache, as an installed app has it (``bench.run``
lets children write it)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.context import REPO_DIR, BenchContext
from bench.stats import Figure, Result, Unavailable
from bench.vocabulary import FUNCTION_WORDS, build_vocabulary

NAME = "cli_search"
RUNS = 5  # per repeat: a process start is short and noisy
TIMEOUT_S = 120
WORD_RANK = 20  # a content word many documents hold (the corpus draws words by Zipf rank)


def run(ctx: BenchContext) -> list[Result]:
    query = [w for w in build_vocabulary(ctx.seed) if w not in FUNCTION_WORDS][WORD_RANK]
    results: list[Result] = []
    for size in ctx.sizes:
        folder = ctx.work_copy(size)
        try:
            _search(folder, query)  # a first run: a stale index would be repaired here, untimed
        except RuntimeError as exc:
            results.append(Unavailable(NAME, str(exc), size))
            continue
        wall: list[float] = []
        cpu: list[float] = []
        for _ in range(ctx.repeats * RUNS):
            seconds, cpu_seconds = _search(folder, query)
            wall.append(seconds)
            cpu.append(cpu_seconds)
        results += [
            Figure(NAME, "search process (wall)", size, "s", wall,
                   target="<= 0.5 s at 500 documents",
                   note=f"`annotator search {query} -p PROJECT`, {len(wall)} runs"),
            Figure(NAME, "search process (CPU)", size, "s", cpu,
                   note="user + system time of the process"),
        ]
    return results


def _search(folder: Path, query: str) -> tuple[float, float]:
    env = {k: v for k, v in os.environ.items() if k != "ANNOTATOR_PROJECT"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "annotator", "search", query, "-p", str(folder)],
                          cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"annotator search failed (exit {proc.returncode}): {tail}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu
