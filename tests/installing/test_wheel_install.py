"""A user's install, outside the repository: the wheel built from this checkout goes into a
fresh virtual environment and ``annotator self-test`` passes there (resources, every import
format, tag, search, export, the window offscreen); the desktop files land under share/. Then
the sdist is built and installed over it, and passes too (it must carry resources/ as well).

Slow: about 1-2 minutes (a wheel build with setuptools in an isolated environment, one venv
with every dependency from the pip cache, two self-test runs). Runs in CI with the rest."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from annotator.app import APP_ID

from .helpers import ROOT, run, source_copy, user_env

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]


def test_wheel_and_sdist_install_into_a_fresh_venv_and_pass_self_test(tmp_path: Path) -> None:
    source = source_copy(tmp_path / "src")
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    python, bin_dir = venv / "bin" / "python", venv / "bin"
    dist = tmp_path / "dist"
    run([python, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, source], cwd=tmp_path)
    [wheel] = dist.glob("annotator-*.whl")
    run([python, "-m", "pip", "install", "-q", wheel], cwd=tmp_path)

    home = tmp_path / "home"
    env = user_env(home)
    done = run([bin_dir / "annotator", "self-test"], cwd=tmp_path, env=env)
    assert done.stdout.splitlines()[-1].startswith("self-test passed")
    assert "ok   window" in done.stdout
    # The resources came from the installed package, not from this checkout.
    resources_line = done.stdout.splitlines()[0]
    assert str(venv) in resources_line and str(ROOT) not in resources_line
    share = venv / "share"
    assert (share / "applications" / f"{APP_ID}.desktop").is_file()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    for size in ("16x16", "48x48", "512x512"):
        assert (share / "icons" / "hicolor" / size / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert run([bin_dir / "annotator-gui", "--version"], cwd=tmp_path, env=env).stdout.strip()

    # The sdist: built by setuptools' own backend (what `python -m build --sdist` calls), then
    # installed over the wheel, so pip builds its wheel from the unpacked sdist.
    run([python, "-m", "pip", "install", "-q", "setuptools>=77"], cwd=tmp_path)
    run([python, "-c", f"from setuptools import build_meta; build_meta.build_sdist({str(dist)!r})"],
        cwd=source)
    [sdist] = dist.glob("annotator-*.tar.gz")
    run([python, "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", sdist], cwd=tmp_path)
    done = run([bin_dir / "annotator", "self-test", "--no-window"], cwd=tmp_path, env=env)
    assert done.stdout.splitlines()[-1].startswith("self-test passed")
