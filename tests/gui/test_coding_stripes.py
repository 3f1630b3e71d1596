"""Coding stripes in the reader's margin: one per tag of each highlight on screen, in the
tag's colour, side by side where highlights overlap; hovering names the tag, a click selects
the highlight (its chips and note in the tag bar); a mark shows a passage has a note. A nested
highlight's text keeps its own colour."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from .reader_driver import painted, select_quote
from .test_tagging_workflow import expected_colour, highlights_on, open_pdf_brief

OUTER = "such as steel and aluminium duties, dairy quotas and digital services taxes"
INNER = "dairy quotas"


def _stripes_of(window, highlight_id: int):
    stripes = window.reader.stripes
    stripes.layout_stripes()
    return [s for s in stripes.stripes if s.highlight_id == highlight_id]


def test_every_tag_of_a_passage_has_its_own_stripe_and_a_click_selects_it(window, qtbot) -> None:
    open_pdf_brief(window)
    library, reader = window.library, window.reader
    start, end = select_quote(reader, library, OUTER)
    window.tagging.apply_typed("critical minerals, Mark Carney")
    [outer] = highlights_on(library, reader.document_id, start, end)
    istart, iend = select_quote(reader, library, INNER)
    window.tagging.apply_typed("NORAD")
    [inner] = highlights_on(library, reader.document_id, istart, iend)
    reader.select_highlight(0)

    outer_stripes = _stripes_of(window, outer.id)
    assert sorted(s.tag.name for s in outer_stripes) == ["Mark Carney", "critical minerals"]
    [inner_stripe] = _stripes_of(window, inner.id)
    # Side by side, none on top of another.
    xs = {s.rect.x() for s in [*outer_stripes, inner_stripe]}
    assert len(xs) == 3
    # Painted in the tags' own colours.
    image = reader.stripes.grab().toImage()
    for stripe in [*outer_stripes, inner_stripe]:
        centre = stripe.rect.center()
        assert image.pixelColor(centre) == QColor(stripe.tag.colour), stripe.tag.name
    # The nested highlight's text shows its own colour, not a blend with the outer one.
    assert painted(reader, istart) == expected_colour(window, library.find_tag("topic", "NORAD").colour)
    assert painted(reader, start) == expected_colour(window, outer.tags[0].colour)

    # Hover names the tag; a click selects the highlight and the tag bar shows its tags.
    carney = next(s for s in outer_stripes if s.tag.name == "Mark Carney")
    hid, tip = reader.stripes.item_at(carney.rect.center())
    assert hid == outer.id and "Mark Carney" in tip
    qtbot.mouseClick(reader.stripes, Qt.MouseButton.LeftButton, pos=carney.rect.center())
    assert reader.selected_highlight == outer.id
    shown = [window.tag_bar.current.itemAt(i).widget().name for i in range(window.tag_bar.current.count())]
    assert sorted(shown) == ["Mark Carney", "critical minerals"]


def test_a_passage_with_a_note_has_a_mark_that_shows_the_note(window) -> None:
    open_pdf_brief(window)
    library, reader = window.library, window.reader
    noted = next(h for h in library.highlights(reader.document_id) if h.note)
    reader.select_highlight(noted.id)  # scrolls it into view
    reader.stripes.layout_stripes()
    [mark] = [rect for rect, hid in reader.stripes.note_marks if hid == noted.id]
    hid, tip = reader.stripes.item_at(mark.center())
    assert hid == noted.id and noted.note[:20] in tip
    plain = [h for h in library.highlights(reader.document_id) if not h.note]
    assert all(hid != h.id for _, hid in reader.stripes.note_marks for h in plain)


def test_only_highlights_on_screen_get_stripes_and_the_tag_filter_applies(window) -> None:
    open_pdf_brief(window)
    library, reader = window.library, window.reader
    reader.resize(reader.width(), 120)
    reader.verticalScrollBar().setValue(0)
    reader.stripes.layout_stripes()
    on_screen = {s.highlight_id for s in reader.stripes.stripes}
    all_ids = {h.id for h in library.highlights(reader.document_id)}
    assert on_screen < all_ids  # a short window shows some, not all
    carney = library.find_tag("actor", "Mark Carney")
    window.events.tag_filter_changed.emit({carney.id})
    reader.verticalScrollBar().setValue(0)
    reader.stripes.layout_stripes()
    assert all(s.tag is not None and s.tag.id == carney.id for s in reader.stripes.stripes)
    window.events.tag_filter_changed.emit(None)


def test_stripes_do_not_cover_the_text(window) -> None:
    reader = window.reader
    stripes = reader.stripes.geometry()
    assert stripes.right() < reader.viewport().geometry().left()
