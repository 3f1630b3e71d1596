"""``annotator report agreement`` from the command line: two coders (the login names that
wrote the highlights) tag the same document; the figures match the core's hand-checked ones."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.cli.test_cli_foundation import cli

TEXT = "Carney said the tariffs would stay. " * 4 + "Nothing else happened here at all.\n"


@pytest.fixture()
def coded(tmp_path: Path) -> Path:
    project = tmp_path / "Two coders.annotator"
    assert cli("init", str(project)).returncode == 0
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert cli("import", str(article), project=project).returncode == 0
    # ann tags [0,4) as tariffs and [6,10) as Carney; bob [2,6) and [6,10): the fixture of
    # tests/core/test_agreement.py::test_shifted_boundaries_hand_computed.
    for who, span, flag, name in (("ann", "0:4", "--topic", "tariffs"),
                                  ("ann", "6:10", "--actor", "Mark Carney"),
                                  ("bob", "2:6", "--topic", "tariffs"),
                                  ("bob", "6:10", "--actor", "Mark Carney")):
        result = cli("tag", "1", "--span", span, flag, name, project=project,
                     env={"LOGNAME": who, "USER": who})
        assert result.returncode == 0, result.stderr
    return project


def test_agreement_json_per_tag(coded: Path) -> None:
    result = cli("report", "agreement", "--coders", "ann,bob", "--json", project=coded)
    assert result.returncode == 0, result.stderr
    rows = {r["tag"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"topic:tariffs", "actor:Mark Carney"}
    tariffs = rows["topic:tariffs"]
    assert (tariffs["documents"], tariffs["units"]) == (1, 10)
    stored = cli("text", "1", project=coded).stdout
    assert tariffs["left_out"] == len(stored) - 10
    assert tariffs["percent_agreement"] == pytest.approx(0.6)
    assert tariffs["cohen_kappa"] == pytest.approx(0.08 / 0.48)
    assert tariffs["krippendorff_alpha"] == pytest.approx(1 - 76 / 96)
    assert tariffs["krippendorff_alpha_u"] == pytest.approx(1 - 0.08 * 356 / 36.8)
    assert tariffs["tagged"] == {"ann": 4, "bob": 4}
    assert "left out" in result.stderr


def test_agreement_text_table_and_csv(coded: Path, tmp_path: Path) -> None:
    out = tmp_path / "agreement.csv"
    result = cli("report", "agreement", "--coders", "ann,bob", "--tag", "tariffs",
                 "--csv", str(out), project=coded)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["tag", "agree"]
    assert lines[1].startswith("topic:tariffs") and "0.600" in lines[1]
    with out.open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert [r["tag"] for r in table] == ["topic:tariffs"]
    assert table[0]["percent_agreement"] == "0.6000"


@pytest.mark.parametrize(("coders", "message"), [
    ("ann", "two or more"),
    ("ann,ann", "two or more"),
    ("ann,zoe", "no highlights by zoe (coders in this project: ann, bob)"),
])
def test_bad_coders_are_named(coded: Path, coders: str, message: str) -> None:
    result = cli("report", "agreement", "--coders", coders, project=coded)
    assert result.returncode in (1, 2)
    assert message in result.stderr
    assert "Traceback" not in result.stderr
