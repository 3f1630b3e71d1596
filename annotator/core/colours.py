"""Default tag colours: readable as a text background in light and dark themes."""

from __future__ import annotations

import re

# Light, distinct hues; text stays legible on top of each in both themes once blended.
PALETTE = (
    "#f4c542", "#7cc6fe", "#f49ac2", "#9be59b", "#ffb26b", "#c3a6ff",
    "#7ee0d2", "#ff8a80", "#d4e157", "#b0bec5", "#ffd180", "#80deea",
)

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def colour_for(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def is_colour(value: str) -> bool:
    return bool(_HEX.match(value))
