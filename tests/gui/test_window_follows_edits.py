"""The side panes follow edits in place (only the highlights a change names), so after every
step they must show what the database holds: the Highlights pane's cards, the Library pane's
highlight counts, the reader's paint after a recolour, a hidden pane once it is shown."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor

from annotator.gui.commands import push
from annotator.gui.commands_codebook import RecolourTag
from annotator.gui.commands_notes import SetNote
from annotator.gui.models.document_table import HIGHLIGHTS, ID_ROLE
from annotator.gui.widgets.reader import Reader

from .reader_driver import painted, select_quote

QUOTE = "dairy quotas and digital services taxes are handled by"


def open_brief(window) -> int:
    doc = next(d for d in window.library.documents() if d.format == "pdf")
    window.library_pane.select_document(doc.id)
    QCoreApplication.processEvents()  # the side panes follow once the text is shown
    assert window.reader.document_id == doc.id
    return doc.id


def show_highlights_tab(window) -> None:
    window.side_tabs.setCurrentWidget(window.highlights_pane)
    assert window.highlights_pane.isVisible()


def cards(window) -> list[tuple[int, str, tuple[str, ...], str | None]]:
    """What the Highlights pane lists: id, quote, tag names and note of each card, in order."""
    model = window.highlights_pane.model
    out = []
    for row in range(model.rowCount()):
        h = model.highlight_at(row)
        out.append((h.id, model.index(row).data(), tuple(t.name for t in h.tags), h.note))
    return out


def stored(window, doc_id: int) -> list[tuple[int, str, tuple[str, ...], str | None]]:
    return [(h.id, " ".join(h.text.split()), tuple(t.name for t in h.tags), h.note)
            for h in window.library.highlights(doc_id)]


def count_cell(window, doc_id: int) -> str:
    proxy = window.library_pane.proxy
    for row in range(proxy.rowCount()):
        if proxy.index(row, 0).data(ID_ROLE) == doc_id:
            return proxy.index(row, HIGHLIGHTS).data()
    raise AssertionError(f"document {doc_id} is not listed")


def assert_panes_match(window, doc_id: int) -> None:
    assert cards(window) == stored(window, doc_id)
    count = window.library.document(doc_id).highlight_count
    assert window.highlights_pane.count_label.text() == f"{count} highlight{'s' if count != 1 else ''}"
    assert count_cell(window, doc_id) == str(count)


def test_tag_add_tag_and_undo_keep_the_highlights_pane_and_counts_right(window) -> None:
    doc_id = open_brief(window)
    show_highlights_tab(window)
    library, reader = window.library, window.reader
    before = stored(window, doc_id)
    assert cards(window) == before

    start, _end = select_quote(reader, library, QUOTE)
    thornton = library.find_tag("actor", "Rebecca Thornton")
    window.tagging.apply_tags([thornton.id])
    [new] = [h for h in library.highlights(doc_id) if h.start == start]
    assert_panes_match(window, doc_id)
    # The new card is the selected one, as the reader's highlight is.
    assert [h.id for h in window.highlights_pane.selected_highlights()] == [new.id]

    tariffs = library.find_tag("topic", "tariffs") or library.tags()[-1]
    window.tagging.apply_tags([tariffs.id])
    assert len(library.highlight(new.id).tags) == 2
    assert_panes_match(window, doc_id)

    window.undo_stack.undo()  # the second tag
    assert [t.id for t in library.highlight(new.id).tags] == [thornton.id]
    assert_panes_match(window, doc_id)
    window.undo_stack.undo()  # the highlight
    assert stored(window, doc_id) == before
    assert_panes_match(window, doc_id)
    window.undo_stack.redo()
    assert_panes_match(window, doc_id)


def test_a_hidden_highlights_pane_shows_the_current_state_when_shown(window) -> None:
    doc_id = open_brief(window)
    window.side_tabs.setCurrentWidget(window.codebook)
    assert not window.highlights_pane.isVisible()
    library, reader = window.library, window.reader
    start, _end = select_quote(reader, library, QUOTE)
    window.tagging.apply_tags([library.tags()[0].id])
    [new] = [h for h in library.highlights(doc_id) if h.start == start]
    push(window.undo_stack, SetNote(library, window.events, document_id=doc_id, highlight_id=new.id,
                                    text="seen while hidden"))

    show_highlights_tab(window)
    assert_panes_match(window, doc_id)
    assert [h.id for h in window.highlights_pane.selected_highlights()] == [new.id]
    assert ("seen while hidden" in
            window.highlights_pane.model.index(window.highlights_pane.model.row_of(new.id))
            .data(Qt.ItemDataRole.ToolTipRole))

    # Another document opened while hidden: its cards, not the old ones, once shown again.
    other = next(d for d in library.documents() if d.id != doc_id and d.highlight_count)
    window.side_tabs.setCurrentWidget(window.codebook)
    window.library_pane.select_document(other.id)
    QCoreApplication.processEvents()
    show_highlights_tab(window)
    assert cards(window) == stored(window, other.id)


def test_a_card_grows_when_its_highlight_gets_a_note(window) -> None:
    doc_id = open_brief(window)
    show_highlights_tab(window)
    pane = window.highlights_pane
    highlight = next(h for h in window.library.highlights(doc_id) if not h.note)
    index = pane.model.index(pane.model.row_of(highlight.id))
    height = pane.view.visualRect(index).height()
    push(window.undo_stack, SetNote(window.library, window.events, document_id=doc_id,
                                    highlight_id=highlight.id, text="a note adds a line"))
    QCoreApplication.processEvents()
    index = pane.model.index(pane.model.row_of(highlight.id))
    assert pane.view.visualRect(index).height() > height
    window.undo_stack.undo()
    QCoreApplication.processEvents()
    index = pane.model.index(pane.model.row_of(highlight.id))
    assert pane.view.visualRect(index).height() == height


def test_library_counts_resort_when_sorted_by_them(window) -> None:
    library = window.library
    doc_id = min(library.documents(), key=lambda d: d.highlight_count).id
    window.library_pane.select_document(doc_id)
    table = window.library_pane.table
    table.sortByColumn(HIGHLIGHTS, Qt.SortOrder.DescendingOrder)
    assert window.library_pane.proxy.index(0, 0).data(ID_ROLE) != doc_id  # so it has to move
    # Tag enough new passages that this document holds the most highlights.
    text = library.document_text(doc_id)
    most = max(d.highlight_count for d in library.documents())
    words = [i for i in range(len(text) - 5) if text[i].isalpha() and (i == 0 or text[i - 1] == " ")]
    taken = {h.start for h in library.highlights(doc_id)}
    for start in [w for w in words if w not in taken][: most + 1]:
        window.reader.select_span(start, start + 4)
        window.tagging.apply_tags([library.tags()[0].id])
    assert window.library_pane.proxy.index(0, 0).data(ID_ROLE) == doc_id
    assert count_cell(window, doc_id) == str(library.document(doc_id).highlight_count)
    assert window.library_pane.current_document_id() == doc_id


def test_recolouring_a_tag_repaints_the_reader_as_a_fresh_open_would(window, qtbot) -> None:
    doc_id = open_brief(window)
    library = window.library
    tag = max(library.tags(), key=lambda t: len([h for h in library.highlights(doc_id, tag_ids=[t.id])]))
    tagged = library.highlights(doc_id, tag_ids=[tag.id])
    assert len(tagged) >= 2
    # A highlight of another tag over all of them: the recolour repaints several stretches,
    # and this one must stay painted across each of them.
    other = next(t for t in library.tags() if t.id != tag.id)
    window.reader.select_span(tagged[0].start, tagged[-1].end)
    window.tagging.apply_tags([other.id])
    push(window.undo_stack, RecolourTag(library, window.events, tag.id, "#123456"))

    fresh = Reader()
    qtbot.addWidget(fresh)
    fresh.show_document(library.document(doc_id), library.document_text(doc_id), library.highlights(doc_id))
    length = len(library.document_text(doc_id))
    recoloured = [painted(window.reader, i) for i in range(length)]
    assert recoloured == [painted(fresh, i) for i in range(length)]
    assert any(c is not None and c != QColor() for c in recoloured)
    window.undo_stack.undo()
    fresh.show_document(library.document(doc_id), library.document_text(doc_id), library.highlights(doc_id))
    assert [painted(window.reader, i) for i in range(length)] == [painted(fresh, i) for i in range(length)]


def test_project_wide_tag_view_gains_and_loses_cards_as_tags_change(window) -> None:
    doc_id = open_brief(window)
    show_highlights_tab(window)
    pane, library = window.highlights_pane, window.library
    tag = library.tags()[0]
    pane.set_project_wide(True)
    pane.set_tag_filter(tag.id)

    def expected() -> list[int]:
        return [h.id for h in library.highlights(tag_ids=[tag.id])]

    assert [h.id for h in pane.model.highlights()] == expected()
    start, _end = select_quote(window.reader, library, QUOTE)
    window.tagging.apply_tags([tag.id])
    [new] = [h for h in library.highlights(doc_id) if h.start == start]
    assert new.id in expected()
    assert [h.id for h in pane.model.highlights()] == expected()
    title = library.document(doc_id).title
    row = pane.model.row_of(new.id)
    assert pane.model.index(row).data(Qt.ItemDataRole.ToolTipRole).startswith(title)
    window.undo_stack.undo()
    assert new.id not in expected()
    assert [h.id for h in pane.model.highlights()] == expected()
    assert pane.count_label.text().startswith(str(len(expected())))


def card_chips(window) -> list[tuple[int, tuple[tuple[str, str], ...]]]:
    model = window.highlights_pane.model
    return [(h.id, tuple((t.name, t.colour) for t in h.tags))
            for h in (model.highlight_at(row) for row in range(model.rowCount()))]


def stored_chips(window, doc_id: int) -> list[tuple[int, tuple[tuple[str, str], ...]]]:
    return [(h.id, tuple((t.name, t.colour) for t in h.tags)) for h in window.library.highlights(doc_id)]


def test_renaming_and_recolouring_a_tag_update_its_cards_and_the_reader(window, qtbot) -> None:
    from annotator.gui.commands_codebook import RenameTag

    doc_id = open_brief(window)
    show_highlights_tab(window)
    library = window.library
    tag = max(library.tags(), key=lambda t: len(library.highlights(doc_id, tag_ids=[t.id])))
    assert library.highlights(doc_id, tag_ids=[tag.id])
    push(window.undo_stack, RecolourTag(library, window.events, tag.id, "#a01010"))
    push(window.undo_stack, RenameTag(library, window.events, tag.id, "Zz renamed"))
    assert card_chips(window) == stored_chips(window, doc_id)
    assert any(("Zz renamed", "#a01010") in chips for _id, chips in card_chips(window))
    # The reader's own copies carry the new tag too (the tag bar shows them for a click).
    assert all(t.name == "Zz renamed" for h in window.reader.highlights.values() for t in h.tags
               if t.id == tag.id)
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert card_chips(window) == stored_chips(window, doc_id)
    assert all(t.colour == tag.colour for h in window.reader.highlights.values() for t in h.tags
               if t.id == tag.id)


def test_tagging_reads_no_highlight_back_in_the_window(window, monkeypatch) -> None:
    """Each read-back cost milliseconds of the 20 a tagging repaint may take: the command hands
    the panes the highlight it wrote, and its document's new count."""
    doc_id = open_brief(window)
    show_highlights_tab(window)
    library = window.library
    reads: list[str] = []
    for name in ("highlights", "highlight", "highlight_documents", "document"):
        real = getattr(library, name)
        monkeypatch.setattr(
            library, name, lambda *a, _real=real, _name=name, **k: (reads.append(_name), _real(*a, **k))[1]
        )
    start, _end = select_quote(window.reader, library, QUOTE)
    window.tagging.apply_tags([library.tags()[0].id])
    QCoreApplication.processEvents()
    assert reads == []
    monkeypatch.undo()
    [new] = [h for h in library.highlights(doc_id) if h.start == start]
    assert_panes_match(window, doc_id)
    assert window.reader.highlights[new.id] == new


def test_the_highlights_pane_lists_what_the_reader_read_off_the_gui_thread(window_on, tmp_path, qtbot) -> None:
    """A document with many highlights has them read in the background; the Highlights pane in
    front lists those instead of reading all of them again on the GUI thread."""
    import threading

    from annotator.core.extracted import Extracted
    from annotator.core.library import Library
    from annotator.core.models import Mention
    from annotator.gui.main_window import BACKGROUND_HIGHLIGHTS_FROM

    library = Library.create(tmp_path / "Many.annotator")
    word = "tariff talks resume "
    text = word * (BACKGROUND_HIGHLIGHTS_FROM + 50)
    short = library.add_document(Extracted(text="A short one.", format="txt", title="Short"))
    doc = library.add_document(Extracted(text=text, format="txt", title="Many"))
    tag = library.create_tag("tariffs", "topic")
    library.tag_mentions(tag.id, [Mention(doc.id, "Many", i * len(word), i * len(word) + 6, "tariff", "", "")
                                  for i in range(BACKGROUND_HIGHLIGHTS_FROM + 50)])
    window = window_on(library)
    window.library_pane.select_document(short.id)
    QCoreApplication.processEvents()
    show_highlights_tab(window)
    on_gui_thread: list[int | None] = []
    real = library.highlights

    def spy(document_id=None, **kwargs):
        if threading.current_thread() is threading.main_thread() and not kwargs:
            on_gui_thread.append(document_id)
        return real(document_id, **kwargs)

    library.highlights = spy  # type: ignore[method-assign]
    with qtbot.waitSignal(window.highlights_loaded, timeout=10000):
        window.library_pane.select_document(doc.id)
    QCoreApplication.processEvents()
    assert on_gui_thread == []
    del library.highlights
    assert cards(window) == stored(window, doc.id)
    assert window.highlights_pane.count_label.text() == f"{BACKGROUND_HIGHLIGHTS_FROM + 50} highlights"
