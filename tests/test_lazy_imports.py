"""What a start imports: the heavy modules a command or the window's first paint does not need
stay unimported (each was a measurable part of the start; see BENCHMARKS.md, issue 13)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("whoosh", "sqlalchemy.dialects.postgresql", "alembic")


def imported_after(statement: str) -> list[str]:
    code = (f"import sys, json\n{statement}\n"
            "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""}).stdout
    return json.loads(out.strip().splitlines()[-1])


def heavy_in(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == n or m.startswith(n + ".") for n in names)]


def test_the_library_imports_neither_whoosh_nor_the_postgresql_dialect() -> None:
    assert heavy_in(imported_after("import annotator.core.library"), HEAVY) == []
