"""The import-quality bench's scoring helpers on generated data (the bench itself never runs
in the test suite)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

# By path: inside pytest the name "bench" is tests/bench, not the repository's bench/.
_SPEC = importlib.util.spec_from_file_location(
    "import_quality_modes",
    Path(__file__).resolve().parents[2] / "bench" / "import_quality_modes.py",
)
assert _SPEC is not None and _SPEC.loader is not None
modes = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = modes  # dataclasses look their module up while being defined
_SPEC.loader.exec_module(modes)
author_matches, score_authors, score_encodings = (
    modes.author_matches, modes.score_authors, modes.score_encodings
)


@pytest.mark.parametrize(
    ("byline", "author", "match"),
    [
        ("By Joshua Sokol", "Joshua Sokol", True),
        ("by Lucas Nolan22 Dec 2016651", "Lucas Nolan", True),
        ("By Nathan Willis\n   March 25, 2015", "Nathan Willis March", False),
        ("By Erin Cunningham", "Username", False),
        ("Nelson D. Schwartz", "Nelson D Schwartz", True),
        ("Ben Silverman", "", False),
    ],
)
def test_author_matches_byline(byline: str, author: str, match: bool) -> None:
    assert author_matches(byline, author) is match


def test_score_authors_skips_pages_without_a_byline(tmp_path: Path) -> None:
    for page, meta in {"a": '{"byline": "By Ana Ruiz"}', "b": '{"byline": null}'}.items():
        (tmp_path / page).mkdir()
        (tmp_path / page / "expected-metadata.json").write_text(meta, encoding="utf-8")
    scores = score_authors(tmp_path, {"a": "Ana Ruiz", "b": "Someone"})
    assert [(s.page, s.match) for s in scores] == [("a", True)]


def test_score_encodings_counts_exact_decodings(tmp_path: Path) -> None:
    text = "Ça va très bien, merci — à bientôt.\n" * 5
    (tmp_path / "good.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "bad.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "good.ref").write_text(text, encoding="utf-8")
    (tmp_path / "bad.ref").write_text("something else\n", encoding="utf-8")
    (tmp_path / "labels.tsv").write_text(
        "file\treference_utf8_decoding\ngood.txt\tgood.ref\nbad.txt\tbad.ref\n", encoding="utf-8"
    )
    assert score_encodings(tmp_path) == (1, 2, ["bad.txt"])
