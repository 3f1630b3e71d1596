"""A hard-wrapped plain-text article (wire copy at 68 characters) reads as paragraphs in the
reader, as PDFs do; the stored text and its offsets do not change, so a passage picked across
a wrapped line is stored exactly."""

from __future__ import annotations

import re
import textwrap

from PySide6.QtCore import QCoreApplication, Qt

from tests.importers.test_reflow_plain_text import PARAGRAPHS

from .reader_driver import drag_select


def test_a_hard_wrapped_txt_is_reflowed_and_tagging_across_a_wrap_stores_the_text(window, qtbot, tmp_path) -> None:
    source = tmp_path / "wire.txt"
    # Wire copy breaks lines between words; a break inside "second-quarter" would stay a break.
    body = "\n\n".join(textwrap.fill(p, 68, break_on_hyphens=False) for p in PARAGRAPHS)
    source.write_text("Tariff talks stay open\n\n" + body + "\n", encoding="utf-8")
    dialog = window.import_paths([source])
    with qtbot.waitSignal(dialog.imported, timeout=20_000) as blocker:
        pass
    [doc_id] = blocker.args[0]
    window.library_pane.select_document(doc_id)
    QCoreApplication.processEvents()
    reader, library = window.reader, window.library
    stored = library.document_text(doc_id)
    assert "\n" in stored.split("\n\n")[1]  # still stored as wrapped
    shown = reader.toPlainText()
    assert len(shown) == len(stored)
    assert [p for p in shown.split("\n\n") if p.strip()][1:] == PARAGRAPHS
    # The reader lays the first paragraph out as one block, wrapped to its own width.
    first = reader.document().findBlock(reader.offsets.to_qt(stored.index("OTTAWA")))
    assert first.text() == PARAGRAPHS[0]

    # Drag across a wrapped line end and tag it: the stored quote keeps the stored newline.
    quote_start = re.search(r"United\sStates", stored).start()
    quote_end = re.search(r"on\sFriday", stored).end()
    assert "\n" in stored[quote_start:quote_end]
    drag_select(qtbot, reader, quote_start, quote_end)
    assert reader.selection_span() == (quote_start, quote_end)
    window.tagging.focus_picker()
    qtbot.keyClicks(window.tag_bar.picker, "tariffs")
    qtbot.keyClick(window.tag_bar.picker, Qt.Key.Key_Return)
    [highlight] = [h for h in library.highlights(doc_id) if (h.start, h.end) == (quote_start, quote_end)]
    assert highlight.text == stored[quote_start:quote_end]
    assert [t.name for t in highlight.tags] == ["tariffs"]
