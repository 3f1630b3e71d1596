"""Item 5: a second CLI writer waits for the lock (saying so after a second) instead of failing
at once, and gives up with the usual message when the other writer keeps the project."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.cli.test_cli_foundation import SAMPLE_TXT, cli
from tests.reliability.helpers import annotator_argv, start, wait_until

_HOLD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from annotator.core.project_lock import ProjectLock
    lock = ProjectLock(Path(sys.argv[1]))
    lock.acquire()
    print("held", flush=True)
    if sys.argv[2] == "until-told":
        sys.stdin.readline()
    else:
        time.sleep(float(sys.argv[2]))
    lock.release()
""")


def _project(tmp_path: Path) -> Path:
    folder = tmp_path / "P.annotator"
    assert cli("init", str(folder)).returncode == 0
    assert cli("import", str(SAMPLE_TXT), project=folder).returncode == 0
    return folder


def _hold(folder: Path, seconds: float | str) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(folder), str(seconds)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    holder = _hold(folder, "until-told")
    tag = start(annotator_argv("tag", "1", "--span", "0:5", "--topic", "queued", project=folder))
    assert tag.stderr is not None and holder.stdin is not None
    told = tag.stderr.readline()  # blocks until the command says it waits
    holder.stdin.write("release\n")
    holder.stdin.flush()
    holder.wait(timeout=30)
    out, err = tag.communicate(timeout=60)
    assert "waiting" in told, told + err
    assert tag.returncode == 0, err
    assert out.strip().isdigit()


def test_a_writer_gives_up_when_the_project_stays_taken(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    holder = _hold(folder, 60)
    try:
        result = cli("tag", "1", "--span", "0:5", "--topic", "refused", project=folder)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    assert "waiting" in result.stderr
    assert "project is open in another window" in result.stderr
    assert wait_until(lambda: holder.poll() is not None, 5)
