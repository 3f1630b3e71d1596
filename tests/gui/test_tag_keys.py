"""Number keys 1–9: a tag pinned to a key keeps it whatever is used since (and after the
window is reopened); the other keys follow recent use; an undone tagging gives the keys back
the order they had. Pinning is done from a chip's menu and from the codebook's."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt

from annotator.core.library import Library
from annotator.gui import settings
from annotator.gui.widgets import tag_picker

from .reader_driver import select_quote
from .test_tagging_workflow import QUOTE, highlights_on, open_pdf_brief

OTHER = "Security spending is where the pressure is most visible"


def _menu_action(menu, starts: str):
    return next(a for a in menu.actions() if a.text().startswith(starts))


def test_a_pinned_tag_keeps_its_key_and_survives_reopening(window, qtbot, window_on) -> None:
    open_pdf_brief(window)
    library, reader, tagging, bar = window.library, window.reader, window.tagging, window.tag_bar
    norad = library.find_tag("topic", "NORAD")
    key = tagging.recent.index(norad.id) + 1
    # Right-click the chip on NORAD's key and pin it there.
    chip = bar.recent.chips[key - 1]
    menu = bar.key_menu(key - 1)
    _menu_action(menu, "Pin “NORAD”").trigger()
    assert chip.pinned and tagging.tag_keys.pins == {key: norad.id}

    # Tagging with three other tags moves them to the front, but NORAD stays on its key.
    for name in ("Mark Carney", "tariffs", "Arctic sovereignty"):
        select_quote(reader, library, QUOTE)
        tagging.apply_tags([library.find_tag("actor" if name == "Mark Carney" else "topic", name).id])
    assert tagging.recent[key - 1] == norad.id
    assert tagging.recent[0 if key != 1 else 1] == library.find_tag("topic", "Arctic sovereignty").id

    # The key applies it.
    select_quote(reader, library, OTHER)
    reader.setFocus()
    qtbot.keyClick(reader, getattr(Qt.Key, f"Key_{key}"))
    start, end = select_quote(reader, library, OTHER)
    [highlight] = highlights_on(library, reader.document_id, start, end)
    assert [t.id for t in highlight.tags] == [norad.id]

    folder = library.folder
    window.close()
    assert settings.pinned_tag_keys(folder) == {key: norad.id}
    again = window_on(Library.open(folder))
    assert again.tagging.recent[key - 1] == norad.id
    assert again.tag_bar.recent.chips[key - 1].pinned

    # Unpin from the chip's menu: the key follows recent use again.
    _menu_action(again.tag_bar.key_menu(key - 1), "Unpin").trigger()
    assert again.tagging.tag_keys.pins == {}
    assert settings.pinned_tag_keys(folder) == {}


def test_pin_from_the_codebook_menu(window) -> None:
    codebook, library = window.codebook, window.library
    minerals = library.find_tag("topic", "critical minerals")
    codebook.select_tag(minerals.id)
    menu = codebook.context_menu()
    pin_menu = _menu_action(menu, "Pin to key").menu()
    _menu_action(pin_menu, "3").trigger()
    assert window.tagging.recent[2] == minerals.id
    assert settings.pinned_tag_keys(library.folder) == {3: minerals.id}
    _menu_action(codebook.context_menu(), "Unpin").trigger()
    assert settings.pinned_tag_keys(library.folder) == {}


def test_an_undone_tagging_does_not_move_its_tag_to_key_1(window, qtbot) -> None:
    open_pdf_brief(window)
    library, reader, tagging = window.library, window.reader, window.tagging
    before = list(tagging.recent)
    last = before[-1]
    select_quote(reader, library, QUOTE)
    reader.setFocus()
    qtbot.keyClick(reader, Qt.Key.Key_9)
    assert tagging.recent[0] == last
    qtbot.keyClick(reader, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    start, end = select_quote(reader, library, QUOTE)
    assert highlights_on(library, reader.document_id, start, end) == []
    assert tagging.recent == before
    assert [c.text().split()[0] for c in window.tag_bar.recent.chips] == [str(i) for i in range(1, 10)]
    # Redo brings the tagging, and its key order, back.
    qtbot.keyClick(reader, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert tagging.recent[0] == last
    # Undo, then another edit in its place: the undone tagging's order stays forgotten.
    qtbot.keyClick(reader, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    select_quote(reader, library, OTHER)
    tagging.apply_tags([before[0]])
    assert tagging.recent == before
    window.tagging.save_recent()
    QCoreApplication.processEvents()
    assert settings.recent_tag_ids(library.folder)[:9] == before


def test_right_click_on_a_chip_offers_to_pin_its_tag_to_that_key(window, qtbot, monkeypatch) -> None:
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QMenu

    offered: list[list[str]] = []

    def show(menu: QMenu, _where: object) -> None:
        offered.append([a.text() for a in menu.actions()])
        menu.actions()[0].trigger()

    monkeypatch.setattr(tag_picker, "show_menu", show)
    chip = window.tag_bar.recent.chips[2]
    tag_id = window.tagging.recent[2]
    # What a right click delivers (the offscreen platform turns no click into one itself).
    centre = chip.rect().center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, centre, chip.mapToGlobal(centre))
    QCoreApplication.sendEvent(chip, event)
    assert offered and offered[0][0].startswith("Pin “") and offered[0][0].endswith("to key 3")
    assert settings.pinned_tag_keys(window.library.folder) == {3: tag_id}
    assert chip.pinned
