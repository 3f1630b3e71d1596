"""What every case gets: the sizes, repeats, the cached projects and a scratch folder."""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.corpus_project import FillReport, cached_project
from bench.stats import HEAVY_SIZE

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
DEFAULT_CACHE = BENCH_DIR / ".cache"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class BenchContext:
    """``repeats`` is how often a cheap measurement is repeated; ``repeats_for(size, heavy=True)``
    gives ``heavy_repeats`` instead (1 unless asked) for the heavy cases on big projects, where
    one repeat takes minutes (index build at 20k)."""

    seed: int
    sizes: list[int]
    quick: bool
    tiny: bool
    cache: Path
    work: Path
    repeats: int
    heavy_repeats: int = 1
    log: Callable[[str], None] = log
    fills: dict[int, FillReport] = field(default_factory=dict)
    # Figures one case measures for another's ratio, e.g. ("fts5_build_s", size) from search.
    baselines: dict[tuple[str, int], float] = field(default_factory=dict)
    _copies: dict[int, Path] = field(default_factory=dict)

    def project(self, size: int) -> Path:
        """The cached project of ``size`` documents (built on first use). Never write to it:
        use ``work_copy`` for cases that change the project."""
        folder, report = cached_project(self.cache, self.seed, size, log=self.log)
        self.fills[size] = report
        return folder

    def work_copy(self, size: int) -> Path:
        """This run's own copy of the project, shared by the cases that write to it."""
        if size not in self._copies:
            source = self.project(size)
            target = self.work / f"project-n{size}"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("project.lock"))
            self._copies[size] = target
        return self._copies[size]

    def repeats_for(self, size: int, *, heavy: bool = False) -> int:
        if heavy and size >= HEAVY_SIZE:
            return self.heavy_repeats
        return self.repeats
