"""Shared test set-up: Qt offscreen and no test ever touches the user's real data folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.pg_server import REQUIRE_VARIABLE, NoServer, TempServer

# pytest-qt has no ini option for the platform; it must be set before Qt is imported.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# CI explores the same examples on every run, so a red CI names a bug a rerun reproduces;
# developers' runs (and scripts/fuzz) keep exploring new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
# ANNOTATOR_SHARED_DATA points a checkout that does not sit beside ../shared (a git worktree).
SHARED_DATA = Path(os.environ.get("ANNOTATOR_SHARED_DATA") or REPO.parent / "shared" / "data")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("ANNOTATOR_PROJECT", raising=False)
    yield


@pytest.fixture(scope="session")
def pg_server() -> Iterator[TempServer]:
    """A throwaway PostgreSQL cluster for the session (tests/pg_server.py), or a skip saying
    why none could be started (a failure when ANNOTATOR_REQUIRE_POSTGRES is set)."""
    try:
        server = TempServer()
    except NoServer as error:
        if os.environ.get(REQUIRE_VARIABLE):
            pytest.fail(f"no PostgreSQL server for the team-project tests: {error}")
        pytest.skip(f"no PostgreSQL server for the team-project tests: {error}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: TempServer) -> Iterator[str]:
    """The URL of a new empty database on the throwaway server (as its superuser), dropped after."""
    name = pg_server.database()
    try:
        yield pg_server.url(name)
    finally:
        pg_server.drop_database(name)


def shared_data(*parts: str) -> Path:
    """A folder of ../shared/data, or skip the test with a message saying it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared test data not present: {path}")
    return path
