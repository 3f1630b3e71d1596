"""What the figures were measured on: CPU, cores, RAM, Python, platform, package versions."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

# Distribution names as pip knows them (whoosh ships as Whoosh-Reloaded).
PACKAGES = {
    "PySide6": ("PySide6-Essentials", "PySide6"),
    "SQLAlchemy": ("SQLAlchemy",),
    "whoosh": ("Whoosh-Reloaded", "whoosh-reloaded", "Whoosh"),
    "pypdf": ("pypdf",),
    "trafilatura": ("trafilatura",),
    "fpdf2": ("fpdf2",),
}


def machine_info() -> dict[str, Any]:
    return {
        "cpu_model": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": _ram_gb(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
    }


def package_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for label, dists in PACKAGES.items():
        versions[label] = None
        for dist in dists:
            try:
                versions[label] = metadata.version(dist)
                break
            except metadata.PackageNotFoundError:
                continue
    return versions


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float | None:
    try:
        pages = os.sysconf("SC_PHYS_PAGES")
        page_size = os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None
    return round(pages * page_size / 2**30, 1)


def code_version(repo: Path) -> dict[str, Any]:
    """The commit measured, and whether annotator/ had uncommitted changes: engineers land
    work in a shared tree, so two runs an hour apart can measure different code."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                                  timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {"commit": git("rev-parse", "--short", "HEAD") or None,
            "annotator_changed_files": len(git("status", "--porcelain", "--", "annotator")
                                           .splitlines())}
