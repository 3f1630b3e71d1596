"""The tag bar as a user meets it: the recent-tag chips keep keys 1, 2, 3… in order with the
rest in a "+N" menu, and the type-ahead completes the tag after the last comma."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt

from .reader_driver import select_quote
from .test_tagging_workflow import QUOTE, highlights_on, open_pdf_brief


def test_recent_chips_stop_at_the_first_that_does_not_fit_and_the_rest_are_in_a_menu(window, qtbot) -> None:
    strip = window.tag_bar.recent
    window.resize(1100, 800)
    QCoreApplication.processEvents()
    shown, hidden = strip.visible_chips(), strip.hidden_chips()
    assert shown and hidden, "the sample's nine recent tags do not fit a 1100 px window"
    # Keys shown are a prefix: 1, 2, … with no gaps, and every chip is whole inside the strip.
    assert [c.text().split()[0] for c in shown] == [str(i + 1) for i in range(len(shown))]
    assert all(c.geometry().right() <= strip.width() for c in shown)
    assert strip.overflow.isVisibleTo(strip)
    assert strip.overflow.text() == f"+{len(hidden)}"
    assert strip.overflow.geometry().right() <= strip.width()
    menu = strip.overflow_menu
    assert [a.text() for a in menu.actions()] == [c.text() for c in hidden]
    assert menu.actions()[0].text().startswith(f"{len(shown) + 1} ")

    # Choosing a tag from the menu applies it to the selection, like its key would.
    open_pdf_brief(window)
    library, reader = window.library, window.reader
    wanted = window.tagging.recent[len(shown)]
    start, end = select_quote(reader, library, QUOTE)
    menu.popup(strip.overflow.mapToGlobal(strip.overflow.rect().bottomLeft()))
    qtbot.waitExposed(menu)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(menu.actions()[0]).center())
    [highlight] = highlights_on(library, reader.document_id, start, end)
    assert [t.id for t in highlight.tags] == [wanted]


def test_a_wide_strip_shows_every_chip_and_no_menu(window) -> None:
    strip = window.tag_bar.recent
    strip.resize(5000, strip.height())
    assert len(strip.visible_chips()) == len(strip.chips) == 9
    assert not strip.overflow.isVisibleTo(strip)


def test_type_ahead_completes_the_tag_after_the_last_comma_and_keeps_the_first(window, qtbot) -> None:
    open_pdf_brief(window)
    library, reader = window.library, window.reader
    start, end = select_quote(reader, library, QUOTE)
    picker = window.tag_bar.picker
    qtbot.keyClick(reader, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(picker, "Mark Carney, tarif")
    completer = picker.completer_
    popup = completer.popup()
    assert popup.isVisible()
    assert completer.completionPrefix() == "Mark Carney, tarif"
    offered = [completer.completionModel().index(r, 0).data() for r in range(completer.completionCount())]
    assert offered and all("tariffs" in text for text in offered)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    assert picker.text() == "Mark Carney, tariffs"
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert not popup.isVisible()
    [highlight] = highlights_on(library, reader.document_id, start, end)
    assert sorted(t.name for t in highlight.tags) == ["Mark Carney", "tariffs"]
    assert picker.text() == ""


def test_clicking_a_suggestion_keeps_the_tags_typed_before_it(window, qtbot) -> None:
    picker = window.tag_bar.picker
    picker.setFocus()
    qtbot.keyClicks(picker, "Mark Carney, NOR")
    completer = picker.completer_
    popup = completer.popup()
    assert popup.isVisible()
    row = popup.visualRect(completer.completionModel().index(0, 0)).center()
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=row)
    assert not popup.isVisible()
    assert picker.text() == "Mark Carney, NORAD"


def test_an_alias_completes_to_its_tag_after_a_semicolon(window, qtbot) -> None:
    picker = window.tag_bar.picker
    alias = next((t, a) for t in window.library.tags() for a in t.aliases)
    tag, name = alias
    picker.setFocus()
    qtbot.keyClicks(picker, f"NORAD; {name[:4]}")
    popup = picker.completer_.popup()
    assert popup.isVisible()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    assert picker.text().startswith("NORAD; ")
    # The popup is wide enough for "alias → tag — Category" in full.
    shown = f"{name}   → {tag.name}"
    assert popup.width() > popup.fontMetrics().horizontalAdvance(shown)


KEY_QUOTES = ("the first joint review", "replaced NAFTA in 2020", "due in July 2026",
              "annual reviews", "exporters guessing", "Officials describe a two-track",
              "steel and aluminium duties", "border enforcement and defence spending",
              "sixteen years")


def test_at_1440_px_five_chips_show_and_every_key_1_to_9_applies_its_tag(window, qtbot) -> None:
    window.resize(1440, 900)
    QCoreApplication.processEvents()
    strip, tagging = window.tag_bar.recent, window.tagging
    assert window.width() == 1440 and len(tagging.recent) == len(strip.chips) == 9
    shown, hidden = strip.visible_chips(), strip.hidden_chips()
    assert len(shown) >= 5, [c.text() for c in shown]
    assert all(c.geometry().right() <= strip.width() for c in shown)
    assert [c.key for c in shown] == list(range(1, len(shown) + 1))
    assert [a.text() for a in strip.overflow_menu.actions()] == [c.text() for c in hidden]
    assert all(c.name in c.toolTip() for c in shown)  # an elided name is whole in its tooltip
    assert window.tag_bar.picker.width() <= 200 and window.tag_bar.target.width() <= 200

    open_pdf_brief(window)
    library, reader = window.library, window.reader
    for key, quote in enumerate(KEY_QUOTES, start=1):
        start, end = select_quote(reader, library, quote)
        wanted = tagging.recent[key - 1]
        reader.setFocus()
        qtbot.keyClick(reader, Qt.Key(Qt.Key.Key_1.value + key - 1))
        [highlight] = highlights_on(library, reader.document_id, start, end)
        assert [t.id for t in highlight.tags] == [wanted], f"key {key}"
    QCoreApplication.processEvents()
    assert len(strip.visible_chips()) >= 5


def test_a_long_selection_is_elided_in_the_bar_and_the_chips_keep_their_room(window, qtbot) -> None:
    window.resize(1440, 900)
    open_pdf_brief(window)
    select_quote(window.reader, window.library, "Officials describe a two-track approach")
    QCoreApplication.processEvents()
    target = window.tag_bar.target
    assert "Officials describe" in target.text() and target.toolTip() == target.text()
    assert target.width() < target.fontMetrics().horizontalAdvance(target.text())
    assert len(window.tag_bar.recent.visible_chips()) >= 5
