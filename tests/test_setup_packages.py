"""scripts/setup finds the system libraries Qt needs under either Debian name: the old one
(Debian 12, Ubuntu 22.04) or its 64-bit time_t rename (libglib2.0-0t64 on Debian 13, Ubuntu
24.04), and asks apt for the name the release knows. dpkg-query and apt-cache are stand-ins
here, so each release can be played on any machine."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

DPKG_QUERY = """#!/bin/sh
for name in $INSTALLED; do
  [ "$name" = "$3" ] && { printf 'install ok installed'; exit 0; }
done
echo "dpkg-query: no packages found matching $3" >&2; exit 1
"""
APT_CACHE = """#!/bin/sh
for name in $KNOWN; do
  [ "$name" = "$3" ] && { printf 'Package: %s\\nVersion: 1.0\\n\\n' "$3"; exit 0; }
done
echo "E: No packages found" >&2; exit 100
"""


def helpers(tmp_path: Path, installed: str, known: str, script: str) -> list[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, body in (("dpkg-query", DPKG_QUERY), ("apt-cache", APT_CACHE)):
        path = bin_dir / name
        path.write_text(body)
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "INSTALLED": installed,
           "KNOWN": known}
    out = subprocess.run(["bash", "-c", f"set -euo pipefail; . scripts/lib/system-packages.sh; {script}"],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return out.stdout.split()


@pytest.mark.parametrize(
    ("release", "installed", "known", "missing", "names"),
    [
        ("debian-12", "libglib2.0-0 libegl1", "libglib2.0-0 libegl1 libgl1 libasound2",
         ["libgl1", "libasound2"], ["libglib2.0-0", "libgl1", "libasound2"]),
        ("debian-13", "libglib2.0-0t64 libegl1", "libglib2.0-0t64 libegl1 libgl1 libasound2t64",
         ["libgl1", "libasound2"], ["libglib2.0-0t64", "libgl1", "libasound2t64"]),
        ("fresh-ubuntu-24.04", "", "libglib2.0-0t64 libegl1 libgl1 libasound2t64",
         ["libglib2.0-0", "libegl1", "libgl1", "libasound2"],
         ["libglib2.0-0t64", "libgl1", "libasound2t64"]),
    ],
)
def test_either_name_counts_and_apt_gets_the_one_it_knows(
    tmp_path: Path, release: str, installed: str, known: str, missing: list[str],
    names: list[str],
) -> None:
    wanted = "libglib2.0-0 libegl1 libgl1 libasound2"
    assert helpers(tmp_path, installed, known, f"missing_packages {wanted}") == missing
    assert helpers(tmp_path, installed, known, "apt_names libglib2.0-0 libgl1 libasound2") == names


def test_setup_uses_the_helpers() -> None:
    setup = (ROOT / "scripts" / "setup").read_text()
    assert ". scripts/lib/system-packages.sh" in setup
    assert "missing_packages $wanted" in setup and "apt_names $missing" in setup
