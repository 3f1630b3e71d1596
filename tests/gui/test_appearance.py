"""Appearance in Preferences (System / Light / Dark): chosen like a user, saved, applied at
once to the palette, the reader's page and its highlight tints; Cancel puts it back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from annotator.gui import settings
from annotator.gui.appearance import ENV, apply_appearance
from annotator.gui.dialogs.preferences import PreferencesDialog
from annotator.gui.icons import icon
from annotator.gui.widgets.highlight_colours import tint

from .reader_driver import painted


@pytest.fixture(autouse=True)
def _light_again_after(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(ENV, raising=False)
    yield
    app = QApplication.instance()
    app.setPalette(app.style().standardPalette())


def choose(qtbot, window, label: str, button: QDialogButtonBox.StandardButton, monkeypatch) -> None:
    """Open Preferences from the menu action, pick ``label`` in Appearance, press ``button``."""
    def run(dialog: PreferencesDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        combo = dialog.appearance
        combo.setFocus()
        wanted = combo.findText(label)
        for _ in range(combo.count()):
            if combo.currentIndex() == wanted:
                break
            qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < wanted else Qt.Key.Key_Up)
        assert combo.currentText() == label
        box = dialog.findChild(QDialogButtonBox)
        qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(PreferencesDialog, "exec", run)
    window.actions_.preferences.trigger()


def is_dark(colour) -> bool:
    return colour.lightness() < 128


def ink_of(name: str) -> str:
    image = icon(name).pixmap(QSize(24, 24)).toImage()
    return next(image.pixelColor(x, y).name() for y in range(24) for x in range(24)
                if image.pixelColor(x, y).alpha() > 200)


def check_reader(window, dark: bool) -> None:
    reader = window.reader
    QApplication.processEvents()  # palette changes reach child widgets through the event loop
    base = reader.palette().color(QPalette.ColorRole.Base)
    assert is_dark(base) is dark
    assert reader.palette().color(QPalette.ColorRole.Window) == base  # the margins are page too
    highlight = next(iter(reader.highlights.values()))
    expected = tint(QColor(highlight.tags[0].colour), base)
    assert painted(reader, highlight.start) == expected


def test_dark_then_cancelled_light_then_light(window, qtbot, monkeypatch) -> None:
    app = QApplication.instance()
    assert settings.appearance() == "system"
    light_ink = ink_of("import")
    check_reader(window, dark=False)

    choose(qtbot, window, "Dark", QDialogButtonBox.StandardButton.Ok, monkeypatch)
    assert settings.appearance() == "dark"
    assert is_dark(app.palette().color(QPalette.ColorRole.Window))
    check_reader(window, dark=True)
    assert ink_of("import") != light_ink  # icons redraw in the new ink

    choose(qtbot, window, "Light", QDialogButtonBox.StandardButton.Cancel, monkeypatch)
    assert settings.appearance() == "dark"
    check_reader(window, dark=True)

    choose(qtbot, window, "Light", QDialogButtonBox.StandardButton.Ok, monkeypatch)
    assert settings.appearance() == "light"
    assert not is_dark(app.palette().color(QPalette.ColorRole.Window))
    check_reader(window, dark=False)
    assert ink_of("import") == light_ink


def test_the_saved_choice_is_applied_at_start_up(qtbot) -> None:
    settings.set_appearance("dark")
    apply_appearance()
    assert is_dark(QApplication.instance().palette().color(QPalette.ColorRole.Base))


def test_the_environment_variable_wins_and_the_choice_says_so(qtbot, monkeypatch) -> None:
    monkeypatch.setenv(ENV, "light")
    settings.set_appearance("dark")
    apply_appearance()
    assert not is_dark(QApplication.instance().palette().color(QPalette.ColorRole.Base))
    dialog = PreferencesDialog()
    qtbot.addWidget(dialog)
    assert not dialog.appearance.isEnabled() and ENV in dialog.appearance.toolTip()
