"""Resources come from the installed ``annotator.resources`` package (resources/ mapped into
it at build time), and ``annotator self-test`` checks an installation step by step. The
wheel, sdist and bundle runs of the self-test are in tests/installing/."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from annotator import self_test
from annotator.core.library import Library
from annotator.paths import guide_path, resources_dir, samples_dir
from annotator.sample_project import SampleIncomplete, build_sample, build_sample_project, ensure_sample_project

ROOT = Path(__file__).resolve().parents[1]


def test_resources_are_read_through_the_installed_package() -> None:
    assert resources_dir() == Path(str(resources.files("annotator.resources")))
    assert resources_dir().resolve() == (ROOT / "resources").resolve()  # editable: the repository's
    assert (resources_dir() / "icons" / "app.svg").is_file()
    assert guide_path().is_file()
    assert sorted(self_test.sample_files()) == sorted(self_test.FORMATS)


def test_self_test_passes_and_prints_one_line_per_step() -> None:
    out = io.StringIO()
    assert self_test.run_self_test(out, window=False) == 0
    lines = out.getvalue().splitlines()
    steps = ["resources", "project", *(f"import {f[1:]}" for f in self_test.FORMATS),
             "import batch", "tag", "search", "export csv", "team driver"]
    assert [line[5:17].strip() for line in lines[:-1]] == steps
    assert all(line.startswith("ok ") for line in lines[:-1])
    assert lines[-1] == f"self-test passed: {len(steps)} of {len(steps)} steps passed"


def test_self_test_fails_naming_what_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "samples"
    empty.mkdir()
    monkeypatch.setattr(self_test, "samples_dir", lambda: empty)
    out = io.StringIO()
    assert self_test.run_self_test(out, window=False) == 1
    text = out.getvalue()
    assert "FAIL resources" in text and "no sample for .txt, .md, .html, .pdf" in text
    assert "FAIL import txt" in text and "ok   import docx" in text
    assert text.splitlines()[-1].startswith("self-test FAILED:")


def test_self_test_command_opens_the_window_offscreen(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-m", "annotator", "self-test"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok   window" in done.stdout
    assert not (tmp_path / "config").exists()  # the window's layout went to the temporary folder


def test_a_sample_that_failed_to_import_is_kept_aside_and_reported(tmp_path: Path) -> None:
    source = tmp_path / "samples"
    source.mkdir()
    for path in samples_dir().glob("*.md"):
        (source / path.name).write_bytes(path.read_bytes())
    (source / "broken.html").write_bytes(b"")
    target = tmp_path / "Sample.annotator"
    build = build_sample(target, source)
    assert not build.complete and not target.exists()
    assert build.folder.name == "Sample.annotator.incomplete"
    assert len(build.failures) == 1 and build.failures[0].startswith("broken.html: ")
    assert "broken.html" in build.report()
    with pytest.raises(SampleIncomplete, match="broken.html"):
        build_sample_project(target, source)
    (source / "broken.html").unlink()
    assert build_sample_project(target, source) == target


def test_an_empty_sample_left_by_a_broken_install_is_built_again(tmp_path: Path) -> None:
    target = tmp_path / "Sample.annotator"
    with Library.create(target) as library:  # what the old wheel built: the codebook, no articles
        library.create_tag("Mark Carney", "actor")
    assert ensure_sample_project(target) == target
    with Library.open(target, readonly=True) as library:
        assert len(library.documents()) == 4
    assert (tmp_path / "Sample.annotator.empty" / "project.sqlite").exists()  # moved aside, kept
    assert ensure_sample_project(target) == target  # a complete sample is left as it is
