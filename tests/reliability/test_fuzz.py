"""Fuzzing in the suite (issue 14, item 6): mutated real files of every importer, random bytes,
the query language and the command line. Each test stops at its time budget (about 50 s in
all by default; `scripts/fuzz --minutes N` runs them far longer). Every outcome must be a
result or a one-line refusal a researcher can read, never another exception."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core._search.query_syntax import parse
from annotator.core.errors import ImportFailed, InvalidQuery
from annotator.core.library import Library
from annotator.importers import SUPPORTED_SUFFIXES, read
from tests.core.helpers import add_text, new_library
from tests.reliability.fuzz_support import (
    Clock,
    assert_clear,
    fuzz_settings,
    generated_seeds,
    real_seeds,
)

SEEDS = generated_seeds() + real_seeds()
_clocks = {name: Clock(name) for name in ("importers", "random_bytes", "query", "cli")}


def _read_or_refuse(path: Path) -> None:
    try:
        read(path)
    except ImportFailed as exc:
        assert_clear(str(exc))


mutations = st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 255)), max_size=12)


@fuzz_settings(examples=400)
@given(seed=st.integers(0, len(SEEDS) - 1), cut=st.floats(0.05, 1.0), flips=mutations,
       insert=st.binary(max_size=64), at=st.integers(0, 10**7))
def test_mutated_files_of_every_importer(tmp_path_factory: pytest.TempPathFactory, seed: int,
                                         cut: float, flips: list[tuple[int, int]], insert: bytes,
                                         at: int) -> None:
    if _clocks["importers"].spent():
        return
    suffix, original = SEEDS[seed]
    data = bytearray(original[: max(1, int(len(original) * cut))])
    for position, value in flips:
        data[position % len(data)] = value
    data[at % len(data):at % len(data)] = insert
    path = tmp_path_factory.mktemp("fuzz") / f"mutated{suffix}"
    path.write_bytes(bytes(data))
    _read_or_refuse(path)


@fuzz_settings(examples=300)
@given(suffix=st.sampled_from(sorted(SUPPORTED_SUFFIXES)), data=st.binary(min_size=1,
                                                                          max_size=4096))
def test_random_bytes_of_every_type(tmp_path_factory: pytest.TempPathFactory, suffix: str,
                                    data: bytes) -> None:
    if _clocks["random_bytes"].spent():
        return
    path = tmp_path_factory.mktemp("fuzz") / f"random{suffix}"
    path.write_bytes(data)
    _read_or_refuse(path)


_QUERY_WORDS = st.sampled_from(['"', "(", ")", "OR", "AND", "NOT", "-", "*", "?", "~", ":",
                                "actor:", "topic:", "published:", "2025", "..", "tariff",
                                "title:", "note:", "«", " ", "\\", "^", "~2", "[", "]", "tag:"])
queries = st.one_of(st.text(max_size=60), st.lists(_QUERY_WORDS, max_size=14).map("".join),
                    st.lists(_QUERY_WORDS, max_size=10).map(" ".join))


@pytest.fixture(scope="module")
def searchable(tmp_path_factory: pytest.TempPathFactory):
    library = new_library(tmp_path_factory.mktemp("fuzzlib"))
    for n in range(5):
        add_text(library, f"Story {n}: tariff retaliation, steel duties and NORAD talks.")
        library.add_highlight(n + 1, 0, 8, new_tags=[("actor", "Mark Carney"), ("topic", "t")],
                              note=f"note {n}")
    folder = library.folder
    library.close()
    # Writing commands get their own copy: the open Library below holds this one's lock.
    shutil.copytree(folder, WRITABLE[0] if WRITABLE else _writable(folder))
    library = Library.open(folder)
    yield library
    library.close()


WRITABLE: list[Path] = []


def _writable(folder: Path) -> Path:
    WRITABLE.append(folder.with_name(folder.name + "-copy"))
    return WRITABLE[0]


@fuzz_settings(examples=300)
@given(query=queries)
def test_query_language(searchable, query: str) -> None:
    if _clocks["query"].spent():
        return
    try:
        parse(query)
        searchable.search(query, limit=5)
    except InvalidQuery as exc:
        assert_clear(str(exc))


_COMMANDS = ["docs", "text", "doc-edit", "tags", "tag", "highlights", "search", "check",
             "export", "backups", "backup"]
_OPTIONS = ["--json", "--quote", "--span", "--actor", "--topic", "--tag", "--note",
            "--occurrence", "--limit", "--deep", "--title", "--published", "--per-tag",
            "--excel", "--delimiter", "--context", "csv", "--repair", "--to"]
_VALUES = st.one_of(st.sampled_from(["1", "0", "-1", "99999", "0:5", "5:2", "x:y", "", "tab",
                                     ";", "2025-02-30", "actor:", "out.csv", "nul\x00l",
                                     "\x1b[2J", "é" * 300]),
                    st.text(max_size=20))


@fuzz_settings(examples=150)
@given(command=st.sampled_from(_COMMANDS),
       rest=st.lists(st.one_of(st.sampled_from(_OPTIONS), _VALUES), max_size=6))
def test_command_line_arguments(searchable, tmp_path_factory: pytest.TempPathFactory,
                                monkeypatch: pytest.MonkeyPatch, command: str,
                                rest: list[str]) -> None:
    if _clocks["cli"].spent():
        return
    from annotator.cli import main

    if any("\x00" in arg for arg in rest):  # no process can receive a NUL in its argv
        return
    searchable._store.index.commit_all()
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
    out, err = io.StringIO(), io.StringIO()
    argv = ["-p", str(searchable.folder), command, *rest]
    writing = command in ("tag", "doc-edit", "export", "backup") or "--repair" in rest
    code: object
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            if writing:  # the fixture's Library holds the lock: writers would wait and refuse
                argv = ["-p", str(WRITABLE[0]), command, *rest]
            code = main(argv)
        except SystemExit as exc:  # argparse: usage errors (2) and --help (0)
            code = exc.code
    assert code in (0, 1, 2, None), (argv, code, err.getvalue())
    assert "Traceback" not in err.getvalue()
    for line in err.getvalue().splitlines():
        if line.startswith("annotator: ") and "unexpected error" in line:
            raise AssertionError(f"{argv}: {line}")


def test_budgets_are_bounded() -> None:
    """The default run's fuzzing stays within its fixed total."""
    from tests.reliability.fuzz_support import DEFAULT_SECONDS

    assert sum(DEFAULT_SECONDS.values()) <= 60
