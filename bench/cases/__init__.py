"""One module per case. Each exposes ``NAME`` (the case's key in the table and the JSON) and
``run(ctx) -> list[Figure | Unavailable]``. A case whose code has not landed returns an
``Unavailable`` saying why instead of a figure; nothing is ever estimated or faked.

Order matters: cases that only read run first on the cached projects; the ones that write
(index build, incremental tagging) run last on this run's copy of each project.
"""

from __future__ import annotations

import importlib
from types import ModuleType

CASE_MODULES = (
    "import_throughput",
    "project_open",
    "cli_search",
    "search_latency",
    "csv_export",
    "reader_open",
    "reader_window",
    "index_build",
    "incremental_tag",
    "cooccurrence",
    "refi_exchange",
    "coder_agreement",
    "team",
)


def load(name: str) -> ModuleType:
    return importlib.import_module(f"bench.cases.{name}")
