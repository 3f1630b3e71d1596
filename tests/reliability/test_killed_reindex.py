"""Fault 1: a `reindex` killed while its writer processes run must not leave them behind
holding the project lock, nor its scratch folder."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest

from tests.reliability.helpers import (
    alive,
    annotator_argv,
    children_of,
    start,
    wait_until,
)

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_reindex_leaves_no_workers_and_no_lock(big_copy: Path, sig: signal.Signals) -> None:
    folder = big_copy
    proc = start(annotator_argv("reindex", project=folder))
    # Wait for the rebuild's writer processes, then kill the command under them.
    assert wait_until(lambda: len(children_of(proc.pid)) >= 1 or proc.poll() is not None, 120)
    assert proc.poll() is None, f"reindex ended before its workers were seen: {proc.stderr.read()}"
    workers = children_of(proc.pid)
    proc.send_signal(sig)
    proc.wait(timeout=30)
    assert wait_until(lambda: not any(alive(pid) for pid in workers), 10), \
        "rebuild workers outlived the killed reindex"
    if sig == signal.SIGTERM:  # a plain kill cleans up after itself at once
        assert not (folder / "index.rebuilding").exists()
    # The next writer gets the project at once and clears what the kill left.
    tag = subprocess.run(annotator_argv("tag", "1", "--span", "0:8", "--topic", "after kill",
                                        project=folder),
                         capture_output=True, text=True, timeout=120)
    assert tag.returncode == 0, tag.stderr
    assert "another window" not in tag.stderr and "waiting" not in tag.stderr
    assert not (folder / "index.rebuilding").exists()
    check = subprocess.run(annotator_argv("check", project=folder), capture_output=True,
                           text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
