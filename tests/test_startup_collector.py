"""The collector's threshold while Annotator loads, and Python's own once it has settled (see
``annotator.settled``): each check runs in a fresh interpreter, whose collector state is its own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def thresholds_after(statement: str) -> dict[str, list[int]]:
    code = ("import gc, json\nusual = gc.get_threshold()\n" + statement +
            "\nprint(json.dumps({'usual': usual, 'now': gc.get_threshold()}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""}).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_loading_raises_the_young_generation_threshold_and_keeps_the_others() -> None:
    seen = thresholds_after("import annotator.core.library")
    assert seen["now"][0] > seen["usual"][0]
    assert seen["now"][1:] == seen["usual"][1:]


def test_settled_puts_pythons_thresholds_back() -> None:
    seen = thresholds_after("import annotator\nannotator.settled()\nannotator.settled()")
    assert seen["now"] == seen["usual"]


def test_a_command_runs_with_pythons_thresholds(tmp_path: Path) -> None:
    project = tmp_path / "p.annotator"
    seen = thresholds_after(
        "from annotator.cli import main\n"
        f"assert main(['-p', {str(project)!r}, 'init']) == 0")
    assert seen["now"] == seen["usual"]


def test_a_program_that_turned_the_collector_off_keeps_it_off() -> None:
    seen = thresholds_after("gc.set_threshold(0)\nimport annotator\nannotator.settled()")
    assert seen["now"][0] == 0
