"""A project inside a sync client's folder gets one warning (CLI stderr, once per location)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.cloud_folders import sync_service
from tests.cli.test_cli_foundation import SAMPLE_TXT, cli


@pytest.mark.parametrize("path, service", [
    ("/home/ann/Dropbox/Research/P.annotator", "Dropbox"),
    ("/home/ann/Dropbox (Personal)/P.annotator", "Dropbox"),
    ("C:/Users/ann/OneDrive - University/P.annotator", "OneDrive"),
    ("/Users/ann/Google Drive/My Drive/P.annotator", "Google Drive"),
    ("/Users/ann/Library/Mobile Documents/com~apple~CloudDocs/P.annotator", "iCloud Drive"),
    ("/home/ann/Nextcloud/P.annotator", "Nextcloud"),
    ("/home/ann/Documents/P.annotator", None),
    ("/home/ann/dropboxes-of-notes/P.annotator", None),
])
def test_sync_folders_are_recognised(path: str, service: str | None) -> None:
    assert sync_service(Path(path)) == service


def test_the_cli_warns_once_per_location(tmp_path: Path) -> None:
    folder = tmp_path / "OneDrive" / "P.annotator"
    assert cli("init", str(folder)).returncode == 0
    first = cli("import", str(SAMPLE_TXT), project=folder)
    second = cli("tag", "1", "--span", "0:5", "--topic", "x", project=folder)
    warnings = [r.stderr.count("inside a OneDrive folder") for r in (first, second)]
    assert sum(warnings) == 1, (first.stderr, second.stderr)
