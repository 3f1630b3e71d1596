"""Runs a probe module (``bench.qt_probe``, ``bench.window_probe``) in fresh offscreen
processes, one per repeat, and reads the JSON line each prints last."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from bench.context import REPO_DIR


def run_probes(args: list[str], repeats: int, timeout_s: float) -> list[dict[str, Any]] | str:
    """One result per repeat, or why the probe failed (its last line of stderr)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    results = []
    for _ in range(repeats):
        proc = subprocess.run([sys.executable, "-m", *args], cwd=REPO_DIR, env=env,
                              capture_output=True, text=True, timeout=timeout_s)
        if proc.returncode != 0:
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            return f"exit {proc.returncode}: {tail}"
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return results
