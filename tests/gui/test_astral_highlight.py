"""A highlight after an emoji or a supplementary CJK character lands exactly on its quote."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.extracted import Extracted
from annotator.core.library import Library

from .reader_driver import drag_select, painted, select_quote

TEXT = (
    "Reactions \U0001F600\U0001F44D poured in from Ottawa.\n\n"
    "The archive lists \U00020000\U0002A6D6 (Extension B) before the minister's name.\n\n"
    "Then Mark Carney spoke about tariffs \U0001F1E8\U0001F1E6 and the USMCA review."
)


@pytest.fixture
def astral_window(window_on, tmp_path: Path):
    library = Library.create(tmp_path / "Astral.annotator")
    library.add_document(Extracted(text=TEXT, format="txt", title="Emoji and CJK"))
    library.create_tag("Mark Carney", "actor", colour="#f4c542")
    library.create_tag("tariffs", "topic", colour="#ffb26b")
    return window_on(library)


@pytest.mark.parametrize("quote", ["Mark Carney", "minister's name", "poured in from Ottawa",
                                   "\U0001F600\U0001F44D poured", "tariffs \U0001F1E8\U0001F1E6 and"])
def test_keyboard_selection_after_astral_characters_stores_the_exact_quote(astral_window, quote: str) -> None:
    window = astral_window
    start, end = select_quote(window.reader, window.library, quote)
    window.tagging.apply_typed("Mark Carney")
    [highlight] = [h for h in window.library.highlights(window.reader.document_id) if h.start == start]
    assert highlight.text == quote and highlight.end == end
    assert painted(window.reader, start) is not None
    assert painted(window.reader, end - 1) is not None
    if end < len(TEXT):
        assert painted(window.reader, end) is None
    if start > 0:
        assert painted(window.reader, start - 1) is None


def test_mouse_selection_after_astral_characters_stores_the_exact_quote(astral_window, qtbot) -> None:
    window = astral_window
    start = TEXT.index("Mark Carney")
    end = start + len("Mark Carney")
    drag_select(qtbot, window.reader, start, end)
    assert window.reader.selection_span() == (start, end)
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.tag_bar.picker, "tariffs")
    qtbot.keyClick(window.tag_bar.picker, Qt.Key.Key_Return)
    [highlight] = window.library.highlights(window.reader.document_id)
    assert highlight.text == "Mark Carney"
    assert [t.name for t in highlight.tags] == ["tariffs"]
