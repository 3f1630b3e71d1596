"""Who the coder is in a local project, and where their blind-coding setting is kept.

Kept apart from ``core.coders`` (which builds SQL) so the search command's quick path
(``core.quick_search``) can ask whether blind coding is on without importing SQLAlchemy.
"""

from __future__ import annotations

import getpass

# meta row ``blind_coding:<user>`` = "on" | "off": one setting per coder, in the project.
BLIND_META_PREFIX = "blind_coding:"
BLIND_ON = "on"


def current_user() -> str:
    """The OS login name: a local project's coder."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (containers): fall back quietly
        return ""


def blind_key(user: str) -> str:
    return f"{BLIND_META_PREFIX}{user}"
