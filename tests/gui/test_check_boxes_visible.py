"""Unticked check boxes are clearly visible in the dark appearance (and the light one): the
box's frame, as rendered, stands out from the page at 3:1 or more (WCAG's ratio for a
control's boundary). Checked in the export dialog and in the codebook's tree."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QStyle, QStyleOptionButton, QStyleOptionViewItem

from annotator.gui.appearance import ENV, apply_appearance, install_style
from annotator.gui.check_style import contrast
from annotator.gui.dialogs.export_dialog import ExportDialog
from annotator.gui.models.codebook_model import TAG_ID_ROLE

MIN_CONTRAST = 3.0


@pytest.fixture(params=["dark", "light"])
def appearance(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    app = QApplication.instance()
    monkeypatch.setenv(ENV, request.param)
    install_style(app)
    apply_appearance(app)
    yield request.param
    app.setStyle("Fusion")
    app.setPalette(app.style().standardPalette())


def _frame_contrast(image: QImage, box: QRect, background: QColor) -> float:
    """The strongest contrast against ``background`` along the box's outer ring of pixels."""
    ring = [(x, y) for x in range(box.left(), box.right() + 1) for y in (box.top(), box.bottom())]
    ring += [(x, y) for y in range(box.top(), box.bottom() + 1) for x in (box.left(), box.right())]
    return max(contrast(image.pixelColor(x, y), background) for x, y in ring
               if 0 <= x < image.width() and 0 <= y < image.height())


def test_an_unticked_export_option_shows_its_box(window, qtbot, appearance) -> None:
    dialog = ExportDialog(window.library, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    box: QCheckBox = dialog.per_tag_check
    if box.isChecked():
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert not box.isChecked()
    assert (box.palette().color(QPalette.ColorRole.Window).lightness() < 128) == (appearance == "dark")
    option = QStyleOptionButton()
    box.initStyleOption(option)
    indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    image = box.grab().toImage()
    page = box.palette().color(QPalette.ColorRole.Window)
    assert _frame_contrast(image, indicator, page) >= MIN_CONTRAST


def test_an_unticked_tag_in_the_codebook_shows_its_box(window, qtbot, appearance) -> None:
    codebook = window.codebook
    tree = codebook.tree
    tag = window.library.find_tag("topic", "NORAD")
    codebook.select_tag(tag.id)
    index = tree.currentIndex()
    assert index.data(TAG_ID_ROLE) == tag.id
    option = QStyleOptionViewItem()
    tree.initViewItemOption(option)
    option.rect = tree.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    indicator = tree.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, tree)
    # Untick it like a user: a click on its box.
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=indicator.center())
    assert index.data(Qt.ItemDataRole.CheckStateRole) in (Qt.CheckState.Unchecked, Qt.CheckState.Unchecked.value)
    tree.clearSelection()
    tree.setCurrentIndex(tree.model().index(0, 0))
    tree.clearSelection()
    image = tree.viewport().grab().toImage()
    page = tree.palette().color(QPalette.ColorRole.Base)
    assert _frame_contrast(image, indicator, page) >= MIN_CONTRAST
