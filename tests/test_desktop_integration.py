"""The desktop files in packaging/ tell the truth and validate: one id names the .desktop file,
its icon (hicolor PNGs 16-512 px and an SVG, the app's own icon) and the AppStream metadata;
the MIME types it claims are formats the app imports (files opened with it are imported:
tests/gui/test_open_files_and_sample.py). The validators run where installed; scripts/setup
--test installs them (desktop-file-utils, appstream)."""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from annotator.app import APP_ID
from annotator.importers import SUPPORTED_SUFFIXES

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
HICOLOR = PACKAGING / "icons" / "hicolor"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
MIME_SUFFIX = {
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/html": ".html",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/epub+zip": ".epub",
}


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, comment_prefixes=("#",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_one_lower_case_reverse_dns_id_names_everything() -> None:
    assert APP_ID == APP_ID.lower() and APP_ID.count(".") >= 2
    entry = desktop_entry()
    assert entry["Icon"] == APP_ID
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.find("releases/release") is not None
    assert root.find("screenshots") is None  # none until there is a public URL for one
    setup = (ROOT / "setup.py").read_text()
    assert f'APP_ID = "{APP_ID}"' in setup


def test_exec_takes_files_and_every_mime_type_is_one_we_import() -> None:
    entry = desktop_entry()
    assert entry["Exec"] == "annotator-gui %F"
    claimed = [m for m in entry["MimeType"].split(";") if m]
    assert claimed and all(MIME_SUFFIX[m] in SUPPORTED_SUFFIXES for m in claimed)


def test_icons_in_every_hicolor_size_and_scalable() -> None:
    for size in SIZES:
        path = HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png_size(path) == (size, size), path
    svg = HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg"
    assert svg.read_bytes() == (ROOT / "resources" / "icons" / "app.svg").read_bytes()
    assert sorted(p.name for p in HICOLOR.iterdir()) == sorted(
        [f"{s}x{s}" for s in SIZES] + ["scalable"])


def test_committed_pngs_are_the_svg_rendered(qapp) -> None:
    """packaging/make_icons.py made them; a changed app.svg needs them made again."""
    import sys

    from PySide6.QtGui import QImage

    sys.path.insert(0, str(PACKAGING))
    try:
        import make_icons
    finally:
        sys.path.remove(str(PACKAGING))
    for size in (16, 48, 128):
        committed = QImage(str(make_icons.png_path(size)))
        fresh = QImage.fromData(make_icons.render(size))
        differing = sum(
            committed.pixel(x, y) != fresh.pixel(x, y) for x in range(size) for y in range(size))
        assert differing <= size * size // 100, f"{size}px icon is stale: run packaging/make_icons.py"


def run_validator(*command: str) -> subprocess.CompletedProcess[str]:
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed (scripts/setup --test installs it)")
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_desktop_file_validates_clean() -> None:
    done = run_validator("desktop-file-validate", str(DESKTOP))
    assert done.returncode == 0 and done.stdout.strip() == "", done.stdout + done.stderr


def test_appstream_metainfo_validates_pedantically() -> None:
    done = run_validator("appstreamcli", "validate", "--no-net", "--pedantic", str(METAINFO))
    problems = [line for line in done.stdout.splitlines() if line[:2] in ("E:", "W:", "I:", "P:")]
    assert done.returncode == 0 and problems == [], done.stdout + done.stderr
