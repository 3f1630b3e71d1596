"""Annotator's benchmark: one command, every case, projects at several sizes.

    .venv/bin/python -m bench.run                     # 1,000, 5,000 and 20,000 documents
    .venv/bin/python -m bench.run --quick             # 200 and 800 documents, about 30 s
    .venv/bin/python -m bench.run --sizes 1000,5000 --cases search,export

Projects are generated from a seeded synthetic corpus (bench/corpus.py) and cached under
bench/.cache/ keyed by seed and size, so only the first run pays for building them. Prints a
table (median, min–max over repeats, target) and the growth of each figure per 4x documents,
and writes bench/results/latest.json with the machine, package versions and every sample.
Never part of the test suite; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    # Run as `python bench/run.py`: re-run as the module, with the checkout importable, so the
    # package imports below work the same either way.
    _repo = str(Path(__file__).resolve().parents[1])
    _env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (_repo, os.environ.get("PYTHONPATH", "")) if p)}
    os.execve(sys.executable, [sys.executable, "-m", "bench.run", *sys.argv[1:]], _env)

from bench import cases  # after the re-exec guard above
from bench.context import BENCH_DIR, DEFAULT_CACHE, BenchContext, log
from bench.machine import code_version, machine_info, package_versions
from bench.report import (
    figures_table,
    growth_table,
    notes_list,
    unavailable,
    write_json,
)
from bench.stats import HEAVY_SIZE, Figure, Result, Unavailable, growth

DEFAULT_SIZES = (1_000, 5_000, 20_000)
QUICK_SIZES = (200, 800)
DEFAULT_SEED = 7
DEFAULT_REPEATS = 3
QUICK_REPEATS = 1
TINY_SIZE = 50  # at or below this every size counts as a smoke run: the smallest samples


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated document counts "
                        f"(default {','.join(map(str, DEFAULT_SIZES))}; --quick: "
                        f"{','.join(map(str, QUICK_SIZES))})")
    parser.add_argument("--quick", action="store_true", help="small sizes, one repeat")
    parser.add_argument("--repeats", type=int, help=f"repeats of each measurement "
                        f"(default {DEFAULT_REPEATS}, --quick {QUICK_REPEATS}; index builds and "
                        f"exports of {HEAVY_SIZE:,}+ documents: --heavy-repeats)")
    parser.add_argument("--heavy-repeats", type=int, default=1, metavar="N",
                        help=f"repeats of the index build and the exports on projects of "
                             f"{HEAVY_SIZE:,}+ documents (default 1: minutes each at 20,000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--cases", help="comma-separated subset of: " + ",".join(
        cases.load(m).NAME for m in cases.CASE_MODULES))
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help="where generated projects and files are kept between runs")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results" / "latest.json")
    parser.add_argument("--prepare", action="store_true",
                        help="only build the cached projects for the sizes, then stop")
    args = parser.parse_args(argv)
    if args.sizes:
        args.sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    else:
        args.sizes = list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--sizes needs positive document counts")
    if args.repeats is None:
        args.repeats = QUICK_REPEATS if args.quick else DEFAULT_REPEATS
    if args.repeats < 1 or args.heavy_repeats < 1:
        parser.error("--repeats and --heavy-repeats need at least 1")
    return args


def build_figures(ctx: BenchContext) -> list[Result]:
    """The full index build each cached project got when it was made: the same
    ``Library.reindex`` as the index case, measured once per project, possibly in an earlier
    run under other load; reported so sizes whose index case was skipped still have one."""
    figures: list[Result] = []
    for size, report in sorted(ctx.fills.items()):
        when = f" at {report.built_at}" if report.built_at else " in an earlier run"
        figures.append(Figure(
            "build", "reindex when the project was built", size, "s",
            [report.reindex_seconds],
            note=f"measured once{when}, {report.highlights:,} highlights; database filled at "
                 f"{report.documents_per_s} docs/s ({report.added:,} documents added)",
        ))
    return figures


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Child processes (a CLI search, a cold start) may write Python's bytecode cache, as an
    # installed app has its modules compiled: a shell that sets PYTHONDONTWRITEBYTECODE made
    # every cold start compile the GUI's modules (0.2 s and more) that no user compiles twice.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    started_at = datetime.now(UTC)
    code = code_version(BENCH_DIR.parent)  # before the cases: the tree may change meanwhile
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    ctx = BenchContext(seed=args.seed, sizes=args.sizes, quick=args.quick,
                       tiny=max(args.sizes) <= TINY_SIZE, cache=args.cache, work=work,
                       repeats=args.repeats, heavy_repeats=args.heavy_repeats)
    results: list[Result] = []
    try:
        wanted = set(args.cases.split(",")) if args.cases else None
        # Cases with a server and data of their own (team) need no cached projects.
        chosen = [cases.load(m) for m in cases.CASE_MODULES
                  if wanted is None or cases.load(m).NAME in wanted]
        if args.prepare or any(getattr(m, "NEEDS_PROJECT", True) for m in chosen):
            for size in args.sizes:
                log(f"project of {size:,} documents")
                ctx.project(size)
        if args.prepare:
            return 0
        for module_name in cases.CASE_MODULES:
            module = cases.load(module_name)
            if wanted is not None and module.NAME not in wanted:
                continue
            log(f"case {module.NAME}")
            case_started = time.perf_counter()
            try:
                results += module.run(ctx)
            except Exception as exc:  # noqa: BLE001 - one broken case must not hide the others
                traceback.print_exc()
                results.append(Unavailable(module.NAME, f"failed: {type(exc).__name__}: {exc}"))
            log(f"case {module.NAME} done in {time.perf_counter() - case_started:.0f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    results += build_figures(ctx)
    figures = [r for r in results if isinstance(r, Figure)]
    growths = growth(figures)
    document = {
        "date": started_at.isoformat(timespec="seconds"),
        "command": "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:]),
        "seed": args.seed,
        "sizes": args.sizes,
        "quick": args.quick,
        "repeats": args.repeats,
        "heavy_repeats": args.heavy_repeats,
        "duration_s": round(time.perf_counter() - started, 1),
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "machine": machine_info(),
        "packages": package_versions(),
        "code": code,
        "projects": {str(size): vars(report) for size, report in sorted(ctx.fills.items())},
        "figures": [f.to_json() for f in figures],
        "unavailable": [u.to_json() for u in unavailable(results)],
        "growth": [g.to_json() for g in growths],
    }
    write_json(args.out, document)
    print(figures_table(results))
    print()
    print("Growth per 4x documents:")
    print(growth_table(growths))
    notes = notes_list(results)
    if notes:
        print()
        print(notes)
    print(f"\nwrote {args.out} in {document['duration_s']:.0f} s; load average "
          f"{load_before[0]:.1f} before, {document['load_average']['after'][0]:.1f} after "
          f"on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
