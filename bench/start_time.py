"""Start time of an installed Annotator as a user sees it: seconds from launching
``COMMAND gui -p SAMPLE`` on a virtual X screen (Xvfb, the xcb platform) until the main
window is mapped, cold-ish (first run) and warm (the runs after, median). For the bundle:

    .venv/bin/python -m bench.start_time dist/Annotator/annotator .venv/bin/annotator

Needs Xvfb and xwininfo (Debian: xvfb, x11-utils). Each run gets a fresh copy of the sample
project (a killed app leaves its lock behind) and a home of its own. Prints one line per
command; the figures go to BENCHMARKS.md by hand.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 4
TIMEOUT_S = 60
TITLE = "— Annotator"


def window_mapped(display: str) -> bool:
    tree = subprocess.run(["xwininfo", "-root", "-tree"], env={**os.environ, "DISPLAY": display},
                          capture_output=True, text=True).stdout
    for line in tree.splitlines():
        if TITLE in line:
            window_id = line.split()[0]
            info = subprocess.run(["xwininfo", "-id", window_id], env={**os.environ, "DISPLAY": display},
                                  capture_output=True, text=True).stdout
            if "IsViewable" in info:
                return True
    return False


def time_start(command: str, project: Path, home: Path, display: str) -> float:
    copy = home / f"run-{time.monotonic_ns()}.annotator"
    shutil.copytree(project, copy)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=str(home),
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))
    started = time.perf_counter()
    app = subprocess.Popen([command, "gui", "-p", str(copy)], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        while not window_mapped(display):
            if app.poll() is not None:
                raise RuntimeError(f"{command} exited {app.returncode} before showing a window")
            if time.perf_counter() - started > TIMEOUT_S:
                raise RuntimeError(f"{command} showed no window in {TIMEOUT_S} s")
            time.sleep(0.02)
        return time.perf_counter() - started
    finally:
        app.terminate()
        app.wait(10)


def main(commands: list[str]) -> int:
    from annotator.sample_project import build_sample_project

    with tempfile.TemporaryDirectory(prefix="annotator-start-") as scratch:
        root = Path(scratch)
        project = build_sample_project(root / "Sample.annotator")
        display = f":{random.randint(200, 600)}"
        xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(1)
            for command in commands:
                home = root / f"home-{Path(command).parent.name}"
                home.mkdir()
                times = [time_start(command, project, home, display) for _ in range(RUNS)]
                print(f"{command}: first {times[0]:.2f} s, then median {statistics.median(times[1:]):.2f} s "
                      f"(runs: {', '.join(f'{t:.2f}' for t in times)})")
        finally:
            xvfb.terminate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
