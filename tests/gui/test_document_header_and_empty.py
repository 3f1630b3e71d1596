"""The document line above the reader elides with "…" and keeps the full text as a tooltip;
a project with no documents shows what to do instead of a blank reader."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt

from annotator.core.library import Library
from annotator.gui.main_window import MainWindow
from annotator.gui.widgets.document_header import DocumentHeader

from .test_documents_and_import import make_articles


def test_a_narrow_header_elides_with_an_ellipsis_and_the_tooltip_has_everything(window) -> None:
    header = window.doc_header
    doc = window.library.document(window.reader.document_id)
    full = header.full_text()
    assert full.startswith(doc.title) and "highlight" in full
    assert header.toolTip() == full
    header.resize(4000, header.height())
    assert header.shown_text() == full
    for width in (520, 380, 260, 140):
        header.resize(width, header.height())
        shown = header.shown_text()
        assert shown != full and "…" in shown, width
        # Every piece shown is the start of a piece of the full text: elided, not cut apart.
        for piece in shown.split("  ·  "):
            assert any(p.startswith(piece.rstrip("…")) for p in full.split("  ·  ")), (width, piece)
        assert header.fontMetrics().horizontalAdvance(shown) <= width
    header.resize(260, header.height())
    assert header.shown_text().startswith(doc.title[:8])  # the title keeps its share


def test_header_alone_shows_the_hint_in_full_when_there_is_room(qtbot) -> None:
    header = DocumentHeader()
    qtbot.addWidget(header)
    header.resize(900, 30)
    header.set_hint("No document open")
    assert header.shown_text() == "No document open"
    assert "<i>" in header.text()


def test_an_empty_project_says_so_and_its_button_imports(qtbot, tmp_path: Path, monkeypatch) -> None:
    window = MainWindow(Library.create(tmp_path / "Empty.annotator"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.runner.wait()
    QCoreApplication.processEvents()
    assert window.reader_stack.currentWidget() is window.empty_project
    assert window.empty_project.isVisible() and not window.reader.isVisible()
    assert not window.tag_bar.isVisible()
    assert "No documents yet" in window.doc_header.shown_text()

    files = make_articles(tmp_path / "in", 2)
    asked: list[str] = []

    def choose(*args: object, **kwargs: object) -> tuple[list[str], str]:
        asked.append(str(args[1]))
        return [str(p) for p in files], ""

    monkeypatch.setattr("annotator.gui.main_window.QFileDialog.getOpenFileNames", choose)
    qtbot.mouseClick(window.empty_project.import_button, Qt.MouseButton.LeftButton)
    assert asked == ["Import Files"]
    [dialog] = window.import_dialogs
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        pass
    dialog.close()
    assert len(window.library.documents()) == 2
    assert window.reader_stack.currentWidget() is window.reader
    assert window.tag_bar.isVisible()
    assert window.reader.document_id is not None
    assert window.doc_header.shown_text().startswith("Article number")
    window.runner.wait()
    window.close()
