"""A document with many highlights: its text shows at once and its highlights are read in the
background, then painted; an edit made meanwhile is not lost."""

from __future__ import annotations

from pathlib import Path

from annotator.core.extracted import Extracted
from annotator.core.library import Library
from annotator.core.models import Mention
from annotator.gui.main_window import BACKGROUND_HIGHLIGHTS_FROM, MainWindow

from .reader_driver import painted, select_quote

PARAGRAPH = "Ottawa and Washington discussed tariffs on steel and aluminium at length today. "


def test_long_document_shows_text_first_then_paints_its_highlights(qtbot, tmp_path: Path) -> None:
    count = BACKGROUND_HIGHLIGHTS_FROM + 20
    text = (PARAGRAPH * 10 + "\n\n") * (count // 10 + 2) + "The closing line is here."
    library = Library.create(tmp_path / "Long.annotator")
    doc = library.add_document(Extracted(text=text, format="txt", title="Long"))
    tag = library.create_tag("tariffs", "topic", colour="#ffb26b")
    starts = [i * len(PARAGRAPH) + (i // 10) * 2 for i in range(count)]
    library.tag_mentions(tag.id, [Mention(doc.id, "Long", s, s + 6, text[s:s + 6], "", "") for s in starts])

    window = MainWindow(library)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.highlights_loaded, timeout=30_000) as blocker:
        window.show()
        assert window.reader.document_id == doc.id
        assert window.reader.toPlainText().startswith("Ottawa and Washington")
        # An edit before the highlights arrive: tagged now, painted now, and kept afterwards.
        start, end = select_quote(window.reader, library, "The closing line")
        window.tagging.apply_tags([tag.id])
    assert blocker.args == [doc.id]
    assert len(window.reader.highlights) == count + 1
    assert painted(window.reader, starts[0]) is not None
    assert painted(window.reader, starts[-1] + 3) is not None
    assert painted(window.reader, start) is not None
    assert painted(window.reader, starts[0] + 7) is None
    window.runner.wait()
    window.close()
