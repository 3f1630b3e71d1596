"""How a highlight's coders are named in the window (tooltips, cards, the Notes pane): only
where a project has more than one coder, so a researcher working alone never sees them."""

from __future__ import annotations

from annotator.core.models import Highlight

UNKNOWN_CODER = "(unknown coder)"


def coder_name(name: str) -> str:
    return name or UNKNOWN_CODER


def coded_by(highlight: Highlight) -> str:
    """"coded by alice", and who wrote the note when that is someone else."""
    text = f"coded by {coder_name(highlight.author)}"
    if highlight.note and highlight.note_author and highlight.note_author != highlight.author:
        text += f"; note by {coder_name(highlight.note_author)}"
    return text
