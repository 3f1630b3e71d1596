"""Typed access to UI state kept in QSettings. Project data never lives here.

The organisation/application names set in ``app.py`` (or a test's own) decide where QSettings
stores this; tests point it at a temporary folder so the user's settings are never touched.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from annotator.importers.limits import ImportLimits

DEFAULT_FONT_SIZE = 12
MIN_FONT_SIZE = 8
MAX_FONT_SIZE = 40
MAX_RECENT = 8
DEFAULT_IMPORT_LIMIT_MB = 200
DEFAULT_IMPORT_MAX_CHARS = ImportLimits().max_chars
MIN_IMPORT_MAX_CHARS = 1_000
MAX_IMPORT_MAX_CHARS = 2_000_000_000  # QSpinBox holds a 32-bit int


def _settings() -> QSettings:
    return QSettings()


def _bytes(key: str) -> QByteArray | None:
    value = _settings().value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def window_geometry() -> QByteArray | None:
    return _bytes("window/geometry")


def set_window_geometry(value: QByteArray) -> None:
    _settings().setValue("window/geometry", value)


def window_state() -> QByteArray | None:
    return _bytes("window/state")


def set_window_state(value: QByteArray) -> None:
    _settings().setValue("window/state", value)


def splitter_state(name: str) -> QByteArray | None:
    return _bytes(f"splitters/{name}")


def set_splitter_state(name: str, value: QByteArray) -> None:
    _settings().setValue(f"splitters/{name}", value)


def header_state(name: str) -> QByteArray | None:
    """A table header's saved column widths, order, hidden columns and sort column."""
    return _bytes(f"headers/{name}")


def set_header_state(name: str, value: QByteArray) -> None:
    _settings().setValue(f"headers/{name}", value)


def last_project() -> Path | None:
    value = _settings().value("projects/last", "")
    return Path(str(value)) if value else None


def set_last_project(folder: Path) -> None:
    _settings().setValue("projects/last", str(folder))
    recent = [p for p in recent_projects() if p != folder]
    _settings().setValue("projects/recent", [str(p) for p in [folder, *recent][:MAX_RECENT]])


def recent_projects() -> list[Path]:
    value = _settings().value("projects/recent", [])
    if isinstance(value, str):  # QSettings hands back a one-element list as a plain string
        value = [value]
    return [Path(str(v)) for v in value or [] if v]


def forget_recent_project(folder: Path) -> None:
    _settings().setValue(
        "projects/recent", [str(p) for p in recent_projects() if p != folder]
    )


def reader_font_size() -> int:
    return _clamped_int("reader/font_size", DEFAULT_FONT_SIZE, MIN_FONT_SIZE, MAX_FONT_SIZE)


def set_reader_font_size(size: int) -> None:
    _settings().setValue("reader/font_size", max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, size)))


def reader_font_family() -> str:
    return str(_settings().value("reader/font_family", "") or "")


def set_reader_font_family(family: str) -> None:
    _settings().setValue("reader/font_family", family)


APPEARANCES = ("system", "light", "dark")


def appearance() -> str:
    """"system" (follow the desktop), "light" or "dark"."""
    value = str(_settings().value("appearance/scheme", "system") or "system").lower()
    return value if value in APPEARANCES else "system"


def set_appearance(value: str) -> None:
    _settings().setValue("appearance/scheme", value if value in APPEARANCES else "system")


def import_limit_mb() -> int:
    return _clamped_int("import/limit_mb", DEFAULT_IMPORT_LIMIT_MB, 1, 10_000)


def set_import_limit_mb(megabytes: int) -> None:
    _settings().setValue("import/limit_mb", int(megabytes))


def import_max_chars() -> int:
    return _clamped_int("import/max_chars", DEFAULT_IMPORT_MAX_CHARS, MIN_IMPORT_MAX_CHARS,
                        MAX_IMPORT_MAX_CHARS)


def set_import_max_chars(characters: int) -> None:
    _settings().setValue("import/max_chars", int(characters))


def keep_page_furniture() -> bool:
    """Whether imports keep the "Skip to content"/"Comments" lines of text saved from a browser."""
    return str(_settings().value("import/keep_furniture", "false")).lower() in ("true", "1")


def set_keep_page_furniture(keep: bool) -> None:
    _settings().setValue("import/keep_furniture", bool(keep))


def _project_key(project: Path) -> str:
    # Tag ids belong to one project, so recent tags are remembered per project folder.
    return hashlib.sha1(str(project).encode("utf-8")).hexdigest()[:16]


def recent_tag_ids(project: Path) -> list[int]:
    value = _settings().value(f"recent_tags/{_project_key(project)}", [])
    if isinstance(value, (str, int)):
        value = [value]
    out = []
    for v in value or []:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            continue
    return out


def set_recent_tag_ids(project: Path, ids: list[int]) -> None:
    _settings().setValue(f"recent_tags/{_project_key(project)}", [str(i) for i in ids])


def _clamped_int(key: str, default: int, low: int, high: int) -> int:
    try:
        value = int(_settings().value(key, default))
    except (TypeError, ValueError):
        return default
    return max(low, min(high, value))


def last_tag_category() -> str:
    """The category last chosen for a new tag: the next new tag's dialog starts there."""
    return str(_settings().value("tagging/last_category", "") or "")


def set_last_tag_category(name: str) -> None:
    _settings().setValue("tagging/last_category", name)


def pinned_tag_keys(project: Path) -> dict[int, int]:
    """Number key (1–9) -> tag id pinned to it, for this project. A user's own keyboard
    layout, like the window's: kept with the user's settings, not in the shared project."""
    value = _settings().value(f"pinned_tags/{_project_key(project)}", [])
    if isinstance(value, str):
        value = [value]
    out: dict[int, int] = {}
    for entry in value or []:
        key, _, tag = str(entry).partition(":")
        try:
            if 1 <= int(key) <= 9:
                out[int(key)] = int(tag)
        except ValueError:
            continue
    return out


def set_pinned_tag_keys(project: Path, pins: dict[int, int]) -> None:
    _settings().setValue(f"pinned_tags/{_project_key(project)}", [f"{k}:{t}" for k, t in sorted(pins.items())])
