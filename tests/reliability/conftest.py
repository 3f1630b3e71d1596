from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.reliability.helpers import big_project


@pytest.fixture(scope="session")
def big_project_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,200 records: above the 2,000 at which a rebuild forks writer processes. Copy it
    (``big_copy``) before changing it."""
    return big_project(tmp_path_factory.mktemp("big") / "Big.annotator",
                       documents=200, highlights=2000, words=1500)


@pytest.fixture()
def big_copy(big_project_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "Big.annotator"
    subprocess.run(["cp", "-a", str(big_project_template), str(target)], check=True)
    return target
