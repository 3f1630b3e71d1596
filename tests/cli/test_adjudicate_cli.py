"""``annotator report disagreements`` and ``annotator adjudicate`` from the command line, on the
two-coder fixture of test_agreement_cli: ann tags [0,4) tariffs and [6,10) Carney, bob [2,6)
tariffs and [6,10) Carney."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_agreement_cli import coded  # noqa: F401 - the fixture
from tests.cli.test_cli_foundation import cli


def test_list_settle_and_compare_with_the_consensus(coded: Path) -> None:  # noqa: F811
    listed = cli("report", "disagreements", "--coders", "ann,bob", "--json", project=coded)
    assert listed.returncode == 0, listed.stderr
    [passage] = json.loads(listed.stdout)
    assert passage["passage"] == "1:0-6" and passage["kinds"] == ["boundaries"]
    assert [h["start"] for h in passage["sides"]["bob"]] == [2]

    bad = cli("adjudicate", "--coders", "ann,bob", "--accept", "bob", "--passage", "1:0-7",
              project=coded)
    assert bad.returncode == 1 and "no disagreement 1:0-7" in bad.stderr

    accepted = cli("adjudicate", "--coders", "ann,bob", "--accept", "bob", "--passage", "1:0-6",
                   "--json", project=coded)
    assert accepted.returncode == 0, accepted.stderr
    [done] = json.loads(accepted.stdout)
    assert done["consensus"] == "consensus" and len(done["added"]) == 1 and done["removed"] == []

    copied = cli("adjudicate", "--coders", "ann,bob", "--copy-agreed", project=coded)
    assert copied.returncode == 0 and "1 highlight(s) written" in copied.stdout

    # bob against the settled coding: the same passages, so full agreement on tariffs.
    report = cli("report", "agreement", "--coders", "bob,consensus", "--json", project=coded)
    rows = {r["tag"]: r for r in json.loads(report.stdout)}
    assert rows["topic:tariffs"]["percent_agreement"] == 1.0


def test_groups_pool_coders_in_the_agreement_report(coded: Path) -> None:  # noqa: F811
    result = cli("report", "agreement", "--coders", "team,bob", "--group", "team=ann",
                 "--tag", "tariffs", "--json", project=coded)
    assert result.returncode == 0, result.stderr
    [row] = json.loads(result.stdout)
    assert row["coders"] == "team,bob" and row["tagged"] == {"team": 4, "bob": 4}
    assert row["percent_agreement"] == 0.6  # as ann alone: the hand-computed 0.6
    wrong = cli("report", "agreement", "--coders", "ann,bob", "--group", "team", project=coded)
    assert wrong.returncode == 2 and "NAME=CODER+CODER" in wrong.stderr
