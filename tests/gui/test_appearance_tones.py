"""Error and warning text (the search status line, the find bar's "no matches", the export and
document-info dialogs) is drawn in a shade picked for the theme's background, with a WCAG
contrast of at least 4.5:1, and picks it again on a live Light → Dark switch."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from annotator.gui.appearance import dark_palette
from annotator.gui.tones import set_tone

from .test_appearance import _light_again_after, choose  # noqa: F401 - autouse: light again after


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance, computed here rather than trusting the app's own."""
    channels = []
    for value in (colour.redF(), colour.greenF(), colour.blueF()):
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def ratio(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def is_red(colour: QColor) -> bool:
    return colour.red() > 1.5 * colour.green() and colour.red() > 1.5 * colour.blue()


def status_colours(panel) -> list[QColor]:
    """The colours the status line's spans are drawn in, as written in its rich text."""
    return [QColor(c) for c in re.findall(r"color:\s*(#[0-9a-fA-F]{6})", panel.status.text())]


def window_colour() -> QColor:
    return QApplication.instance().palette().color(QPalette.ColorRole.Window)


def test_error_colours_read_well_in_light_and_after_a_switch_to_dark(window, qtbot, monkeypatch) -> None:
    choose(qtbot, window, "Light", QDialogButtonBox.StandardButton.Ok, monkeypatch)
    QCoreApplication.processEvents()
    panel = window.search_panel
    window.actions_.show_search.setChecked(True)
    qtbot.waitUntil(panel.isVisible)
    panel.query_box.setFocus()
    qtbot.keyClicks(panel.query_box, "page:99999999999")
    qtbot.waitUntil(lambda: "page numbers go up to" in panel.status.text(), timeout=10_000)

    window.actions_.find.trigger()
    bar = window.find_bar
    qtbot.waitUntil(bar.edit.isVisible)
    qtbot.keyClicks(bar.edit, "zzqxv never in the text")
    assert bar.status.text() == "No matches"

    shown: dict[str, tuple[QColor, QColor]] = {}
    for theme in ("Light", "Dark"):
        if theme == "Dark":
            choose(qtbot, window, "Dark", QDialogButtonBox.StandardButton.Ok, monkeypatch)
            QCoreApplication.processEvents()
            assert window_colour() == dark_palette().color(QPalette.ColorRole.Window)
        assert "page numbers go up to" in panel.status.text()  # the same error, not searched again
        [error] = status_colours(panel)
        background = panel.status.palette().color(panel.status.backgroundRole())
        assert background == window_colour()
        assert is_red(error), error.name()
        assert ratio(error, background) >= 4.5, f"{theme}: {error.name()} on {background.name()}"

        not_found = bar.edit.palette().color(QPalette.ColorRole.Text)
        field = bar.edit.palette().color(QPalette.ColorRole.Base)
        assert field == QApplication.instance().palette().color(QPalette.ColorRole.Base)
        assert is_red(not_found), not_found.name()
        assert ratio(not_found, field) >= 4.5, f"{theme}: {not_found.name()} on {field.name()}"
        shown[theme] = error, not_found
    assert shown["Light"][0] != shown["Dark"][0] and shown["Light"][1] != shown["Dark"][1]
    # The red the app used before: unreadable on the dark window, which is why the shade moves.
    assert ratio(QColor("#b00020"), window_colour()) < 4.5

    bar.edit.clear()
    qtbot.keyClicks(bar.edit, "the")
    assert bar.status.text() != "No matches"
    assert bar.edit.palette().color(QPalette.ColorRole.Text) == dark_palette().color(QPalette.ColorRole.Text)


def test_a_warning_line_follows_the_switch_too(window, qtbot, monkeypatch) -> None:
    panel = window.search_panel
    window.actions_.show_search.setChecked(True)
    qtbot.waitUntil(panel.isVisible)
    panel.query_box.setFocus()
    with qtbot.waitSignal(panel.searched, timeout=10_000):
        qtbot.keyClicks(panel.query_box, "(tariffs")
    [light] = status_colours(panel)
    assert "was not closed" in panel.status.text()
    assert ratio(light, window_colour()) >= 4.5

    choose(qtbot, window, "Dark", QDialogButtonBox.StandardButton.Ok, monkeypatch)
    QCoreApplication.processEvents()
    [dark] = status_colours(panel)
    assert dark != light
    assert ratio(dark, window_colour()) >= 4.5, dark.name()


def test_a_toned_label_keeps_its_tone_through_palette_changes(qtbot) -> None:
    label = QLabel("Cannot count excerpts")
    qtbot.addWidget(label)
    app = QApplication.instance()
    for tone in ("error", "warning", "success"):
        set_tone(label, tone)
        for palette in (dark_palette(), app.style().standardPalette()):
            app.setPalette(palette)
            QCoreApplication.processEvents()
            colour = label.palette().color(label.foregroundRole())
            background = palette.color(QPalette.ColorRole.Window)
            assert ratio(colour, background) >= 4.5, f"{tone}: {colour.name()} on {background.name()}"
    set_tone(label, None)
    assert label.palette().color(label.foregroundRole()) == app.palette().color(QPalette.ColorRole.WindowText)
