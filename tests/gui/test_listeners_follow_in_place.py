"""The window's listeners follow a tagging edit in proportion to it: the codebook updates the
count cells of the tags a change names, the Notes pane reads only when it is in front, the
search panel's actor/topic lists change only with the codebook. After every step they must
still show what the database holds, whether updated in place or while hidden."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from annotator.gui.commands import push
from annotator.gui.commands_codebook import CreateTag
from annotator.gui.commands_notes import SetNote
from annotator.gui.models.codebook_model import COUNT, TAG_ID_ROLE

from .reader_driver import select_quote

QUOTE = "dairy quotas and digital services taxes are handled by"


def open_brief(window) -> int:
    doc = next(d for d in window.library.documents() if d.format == "pdf")
    window.library_pane.select_document(doc.id)
    QCoreApplication.processEvents()
    assert window.reader.document_id == doc.id
    return doc.id


def codebook_counts(window) -> dict[int, str]:
    """Each tag row's count cell as the codebook tree shows it."""
    model, shown = window.codebook.model, {}

    def walk(parent) -> None:
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            tag_id = index.data(TAG_ID_ROLE)
            if tag_id is not None:
                shown[tag_id] = index.siblingAtColumn(COUNT).data()
            walk(index)

    walk(model.index(-1, -1))
    return shown


def assert_codebook_matches(window) -> None:
    tags = window.library.tags()
    assert codebook_counts(window) == {t.id: str(t.highlight_count) for t in tags}
    assert {t.id: t.highlight_count for t in window.codebook.model.tags()} == {
        t.id: t.highlight_count for t in tags}


def filter_names(window, category: str) -> list[str]:
    combo = window.search_panel.actor if category == "actor" else window.search_panel.topic
    return [combo.itemText(i) for i in range(1, combo.count())]


def assert_filters_match(window) -> None:
    for category in ("actor", "topic"):
        names = sorted({t.name for t in window.library.tags(category)}, key=str.casefold)
        assert filter_names(window, category) == names


def test_codebook_counts_follow_tag_untag_undo_and_new_tags(window) -> None:
    doc_id = open_brief(window)
    window.side_tabs.setCurrentWidget(window.codebook)
    library, reader = window.library, window.reader
    assert_codebook_matches(window)
    rows_before = window.codebook.model.rowCount()

    start, _end = select_quote(reader, library, QUOTE)
    thornton = library.find_tag("actor", "Rebecca Thornton")
    window.tagging.apply_tags([thornton.id])
    [new] = [h for h in library.highlights(doc_id) if h.start == start]
    assert_codebook_matches(window)
    assert window.codebook.model.rowCount() == rows_before  # updated in place, not rebuilt

    other = next(t for t in library.tags() if t.id != thornton.id)
    window.tagging.apply_tags([other.id])
    assert_codebook_matches(window)
    window.tagging.untag(thornton.id)
    assert [t.id for t in library.highlight(new.id).tags] == [other.id]
    assert_codebook_matches(window)

    for _step in range(3):  # untag, second tag, the highlight itself
        window.undo_stack.undo()
        assert_codebook_matches(window)
    assert all(h.id != new.id for h in library.highlights(doc_id))
    window.undo_stack.redo()
    assert_codebook_matches(window)

    # A tag made while tagging: its row appears (a rebuild), then its count moves in place.
    create = CreateTag(library, window.events, "Zed Quillfeather", "actor")
    push(window.undo_stack, create)
    select_quote(reader, library, QUOTE)
    window.tagging.apply_tags([create.tag_id])
    assert library.tag(create.tag_id).highlight_count == 1
    assert_codebook_matches(window)
    assert codebook_counts(window)[create.tag_id] == "1"
    window.undo_stack.undo()  # the tagging
    assert codebook_counts(window)[create.tag_id] == "0"
    window.undo_stack.undo()  # the new tag
    assert create.tag_id not in codebook_counts(window)
    assert_codebook_matches(window)


def test_search_filter_lists_follow_codebook_edits_only(window) -> None:
    open_brief(window)
    library, reader = window.library, window.reader
    assert_filters_match(window)
    window.search_panel.actor.setCurrentIndex(window.search_panel.actor.findText("Rebecca Thornton"))

    select_quote(reader, library, QUOTE)
    window.tagging.apply_tags([library.find_tag("actor", "Rebecca Thornton").id])
    assert_filters_match(window)
    window.undo_stack.undo()
    assert_filters_match(window)

    create = CreateTag(library, window.events, "Zed Quillfeather", "actor")
    push(window.undo_stack, create)
    assert "Zed Quillfeather" in filter_names(window, "actor")
    assert_filters_match(window)
    assert window.search_panel.actor.currentText() == "Rebecca Thornton"  # the choice stays
    window.undo_stack.undo()
    assert "Zed Quillfeather" not in filter_names(window, "actor")
    assert_filters_match(window)


def test_a_hidden_notes_pane_shows_the_current_target_when_shown(window) -> None:
    doc_id = open_brief(window)
    notes, library, reader = window.notes, window.library, window.reader
    window.side_tabs.setCurrentWidget(window.codebook)
    assert not notes.isVisible()

    select_quote(reader, library, QUOTE)
    window.tagging.apply_tags([library.tags()[0].id])
    new = library.highlight(reader.selected_highlight)
    assert notes.highlight_id == new.id and notes.document_id == doc_id  # followed while hidden
    push(window.undo_stack, SetNote(library, window.events, document_id=doc_id, highlight_id=new.id,
                                    text="written while the pane was hidden"))

    window.side_tabs.setCurrentWidget(notes)
    assert notes.editor.toPlainText() == "written while the pane was hidden"
    assert notes.target_label.text().startswith("Note on highlight")
    assert "dairy quotas" in notes.target_label.text()

    # Undo while hidden: the note goes, then the highlight; shown again, the pane says so.
    window.side_tabs.setCurrentWidget(window.codebook)
    window.undo_stack.undo()
    window.side_tabs.setCurrentWidget(notes)
    assert notes.editor.toPlainText() == ""
    window.side_tabs.setCurrentWidget(window.codebook)
    window.undo_stack.undo()
    assert all(h.id != new.id for h in library.highlights(doc_id))
    window.side_tabs.setCurrentWidget(notes)
    assert notes.highlight_id is None
    assert notes.target_label.text() == f"Note on document: {library.document(doc_id).title}"
    assert notes.editor.toPlainText() == (library.document(doc_id).note or "")
    assert notes.editor.isEnabled()


def test_the_notes_pane_in_front_follows_tagging_of_its_highlight(window) -> None:
    doc_id = open_brief(window)
    notes, library, reader = window.notes, window.library, window.reader
    window.side_tabs.setCurrentWidget(notes)
    select_quote(reader, library, QUOTE)
    window.tagging.apply_tags([library.tags()[0].id])
    new = library.highlight(reader.selected_highlight)
    assert notes.highlight_id == new.id
    assert notes.target_label.text().startswith("Note on highlight")
    push(window.undo_stack, SetNote(library, window.events, document_id=doc_id, highlight_id=new.id,
                                    text="kept"))
    window.tagging.apply_tags([library.tags()[1].id])  # another tag: the note stays shown
    assert notes.editor.toPlainText() == "kept"
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert notes.editor.toPlainText() == ""
    assert notes.highlight_id == new.id
