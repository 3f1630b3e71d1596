"""What a codebook edit does to highlights the user cannot see now.

Deleting or merging a tag reaches every coder's highlights, also those the coder filter or
blind coding hides: the confirmation must say so, or the counts it shows would understate the
edit. Under blind coding it says that other coders' work is affected without their number.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.library import Library


def hidden_work_sentence(library: Library, tag_ids: Sequence[int]) -> str:
    """"" when every coder is shown or no hidden highlight carries these tags; else a sentence
    saying the edit reaches the hidden ones too."""
    if library.visible_coders() is None or not tag_ids:
        return ""
    shown = sum(library.tag_counts(tag_ids).values())
    hidden = sum(library.tag_counts(tag_ids, every_coder=True).values()) - shown
    if hidden <= 0:
        return ""
    if library.blind_coding():
        return "It also reaches other coders' highlights, hidden by blind coding."
    plural = "highlight" if hidden == 1 else "highlights"
    return f"It also reaches {hidden} {plural} of coders not shown now."
