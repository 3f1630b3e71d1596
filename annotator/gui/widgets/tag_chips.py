"""The tag bar's chips: a removable tag of the current highlight, and a recent tag on its
number key (the key in a keycap of the tag's colour, then the name), in a strip that elides
long names before it sends chips to a "+N" menu, so a 1440 px window shows five or more."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPixmap
from PySide6.QtWidgets import QAbstractButton, QMenu, QSizePolicy, QToolButton, QWidget

from annotator.gui.pixmap_cache import PixmapCache
from annotator.gui.swatches import chip_text_colour, muted, swatch_icon
from annotator.gui.widgets.highlight_colours import mix

GAP = 3  # between chips
MIN_SHOWN = 5  # chips shown before the "+N" menu, names elided as needed (down to the floor)
NAME_FLOOR_EM = 8  # names are elided no shorter than this many average characters
WHOLE_ROW_EM = 10  # all nine chips in a row only when no name is cut shorter than this
CHIP_FONT_SCALE = 0.92
MAX_RENDERED = 64  # chip looks kept drawn (a few KB each)
_RENDERED = PixmapCache(MAX_RENDERED)
_PAD_LEFT, _CAP_GAP, _PAD_RIGHT = 3, 4, 6


def _scale_font(widget: QWidget) -> None:
    font = widget.font()
    font.setPointSizeF(font.pointSizeF() * CHIP_FONT_SCALE)
    widget.setFont(font)


class _Chip(QAbstractButton):
    """A tag as a small rounded chip: a keycap in the tag's colour (with the key's digit, if
    any), the name elided to ``set_name_limit`` pixels, and a trailing mark (e.g. "×")."""

    def __init__(self, name: str, colour: str, tooltip: str, key: int | None, trail: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key, self.name, self.colour, self.trail = key, name, QColor(colour), trail
        self._limit: int | None = None
        self.setIcon(swatch_icon(colour))
        self.setToolTip(tooltip)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        _scale_font(self)

    def show_tag(self, name: str, colour: str, tooltip: str) -> None:
        """Show another tag on this chip (the tag bar reuses its chips: making nine new ones
        on every tagging, and laying out and painting them, was a third of a click's time)."""
        if (name, QColor(colour), tooltip) == (self.name, self.colour, self.toolTip()):
            return
        self.name, self.colour = name, QColor(colour)
        self.setIcon(swatch_icon(colour))
        self.setToolTip(tooltip)
        self.updateGeometry()
        self.update()

    def name_width(self) -> int:
        return self.fontMetrics().horizontalAdvance(self.name)

    def width_for(self, limit: int | None) -> int:
        name = self.name_width() if limit is None else min(self.name_width(), limit)
        trail = self.fontMetrics().horizontalAdvance(self.trail) + _CAP_GAP if self.trail else 0
        return _PAD_LEFT + self._cap() + _CAP_GAP + name + trail + _PAD_RIGHT

    def set_name_limit(self, limit: int | None) -> None:
        if limit != self._limit:
            self._limit = limit
            self.updateGeometry()
            self.update()

    def _cap(self) -> int:
        return self.fontMetrics().height() + 1

    def sizeHint(self) -> QSize:
        return QSize(self.width_for(self._limit), self.fontMetrics().height() + 6)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Chips are drawn once per look into a kept pixmap: tagging reorders the recent tags,
        so the same few looks come back on other chips (a dozen chip paints a click)."""
        palette = self.palette()
        ratio = self.devicePixelRatioF()
        key = (*self._look(), palette.cacheKey(), ratio)
        pixmap = _RENDERED.get(key, self.size(), ratio, lambda device: self._draw(device, palette))
        painter = QPainter(self)
        painter.drawPixmap(0, 0, pixmap)
        painter.end()

    def _look(self) -> tuple:
        """Everything the chip's pixels depend on but the palette and the pixel ratio."""
        return (self.name, self.colour.rgba(), self.key, self.trail, self.width(), self.height(),
                self.isDown(), self.underMouse(), self.hasFocus(), self.isEnabled(), self.font().key())

    def _draw(self, device: QPixmap, palette: QPalette) -> None:
        window, ink = palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.WindowText)
        shade = 0.22 if self.isDown() else 0.14 if self.underMouse() else 0.07
        painter = QPainter(device)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        frame = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(palette.color(QPalette.ColorRole.Highlight) if self.hasFocus() else Qt.PenStyle.NoPen)
        painter.setBrush(mix(ink, window, shade))
        painter.drawRoundedRect(frame, 4, 4)

        cap = self._cap()
        keycap = QRectF(_PAD_LEFT, (self.height() - cap) / 2, cap, cap)
        painter.setPen(self.colour.darker(130))
        painter.setBrush(self.colour)
        painter.drawRoundedRect(keycap.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        if self.key is not None:
            bold = QFont(self.font())
            bold.setBold(True)
            bold.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.85))
            painter.setFont(bold)
            painter.setPen(chip_text_colour(self.colour))
            painter.drawText(keycap, Qt.AlignmentFlag.AlignCenter, str(self.key))

        metrics = self.fontMetrics()
        painter.setFont(self.font())
        trail = metrics.horizontalAdvance(self.trail) if self.trail else 0
        right = self.width() - _PAD_RIGHT
        if self.trail:
            painter.setPen(muted(palette))
            trail_rect = QRectF(right - trail, 0, trail, self.height())
            painter.drawText(trail_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), self.trail)
            right -= trail + _CAP_GAP
        left = _PAD_LEFT + cap + _CAP_GAP
        room = QRectF(left, 0, right - left + 2, self.height())
        shown = metrics.elidedText(self.name, Qt.TextElideMode.ElideRight, int(room.width()))
        painter.setPen(ink)
        painter.drawText(room, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)
        painter.end()


class RecentChip(_Chip):
    """A tag on its number key (pinned there, or recent). ``text()`` is "key name", as the +N
    menu lists it. A pinned chip's keycap carries a dot."""

    def __init__(self, key: int, name: str, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(name, colour, _recent_tip(name, key, False), key, "", parent)
        self.pinned = False
        self.setText(f"{key} {name}")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show_recent(self, name: str, colour: str, pinned: bool = False) -> None:
        if pinned != self.pinned:
            self.pinned = pinned
            self.update()
        self.show_tag(name, colour, _recent_tip(name, self.key or 0, pinned))
        self.setText(f"{self.key} {name}")

    def _look(self) -> tuple:
        return (*super()._look(), self.pinned)

    def _draw(self, device: QPixmap, palette: QPalette) -> None:
        super()._draw(device, palette)
        if self.pinned:
            painter = QPainter(device)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            cap = self._cap()
            top = (self.height() - cap) / 2
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.WindowText))
            painter.drawEllipse(QRectF(_PAD_LEFT + cap - 4.5, top - 0.5, 5, 5))
            painter.end()


def _recent_tip(name: str, key: int, pinned: bool) -> str:
    where = f"key {key}, pinned" if pinned else f"key {key}"
    return f"Apply “{name}” ({where}) — right-click to {'unpin' if pinned else 'pin it to this key'}"


class TagChip(_Chip):
    """A tag of the current highlight; a click removes it. Long names are elided."""

    def __init__(self, name: str, colour: str, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(name, colour, tooltip, None, "×", parent)
        self.tag_id = 0  # which tag a click removes; the bar sets it
        self.setText(name)
        self.set_name_limit(self.fontMetrics().averageCharWidth() * NAME_FLOOR_EM)

    def show_tag(self, name: str, colour: str, tooltip: str) -> None:
        super().show_tag(name, colour, tooltip)
        self.setText(name)


class ChipStrip(QWidget):
    """A row of recent chips that never widens the window. When they do not all fit, long
    names are elided (down to NAME_FLOOR_EM characters) first; then chips are shown in order
    up to the first that does not fit, and that one and every later one go into a "+N" menu,
    so the keys shown are always 1, 2, 3… with no gaps, and the rest stay one click away."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chips: list[RecentChip] = []
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(RecentChip(1, "x", "#000000").sizeHint().height())
        self.overflow = QToolButton(self)
        self.overflow.setAutoRaise(True)
        self.overflow.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.overflow.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.overflow.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.overflow_menu = QMenu(self.overflow)
        self.overflow.setMenu(self.overflow_menu)
        self.overflow.hide()

    def set_tags(self, tags: list[tuple[str, str]], clicked: Callable[[int], None],
                 pinned: Sequence[bool] = (), menu: Callable[[int, QPoint], None] | None = None) -> None:
        """Show these (name, colour) pairs on keys 1, 2, 3…; a click calls ``clicked`` with
        the chip's index, a right-click ``menu`` with it and the global position. Chips are
        kept and relabelled: tagging reorders them every time."""
        while len(self.chips) > len(tags):
            self.chips.pop().deleteLater()
        for index, (name, colour) in enumerate(tags):
            pin = index < len(pinned) and pinned[index]
            if index < len(self.chips):
                self.chips[index].show_recent(name, colour, pin)
                continue
            chip = RecentChip(index + 1, name, colour, self)
            chip.show_recent(name, colour, pin)
            chip.clicked.connect(lambda _=False, i=index: clicked(i))
            if menu is not None:
                chip.customContextMenuRequested.connect(
                    lambda point, i=index, c=chip: menu(i, c.mapToGlobal(point)))
            self.chips.append(chip)
        self._place()

    def room_for_min_shown(self) -> int:
        """The width MIN_SHOWN chips need at the floor (and the "+N" button), which the tag
        bar keeps for them by eliding its target label first. Not a minimum width: that
        would widen the window when a highlight's own tags take the bar."""
        count = min(MIN_SHOWN, len(self.chips))
        floor = self._em() * NAME_FLOOR_EM
        width = sum(c.width_for(floor) for c in self.chips[:count]) + GAP * max(0, count - 1)
        if count < len(self.chips):
            self.overflow.setText(f"+{len(self.chips)}")
            width += GAP + self.overflow.sizeHint().width()
        return width

    def _em(self) -> int:
        return self.chips[0].fontMetrics().averageCharWidth() if self.chips else self.fontMetrics().averageCharWidth()

    def visible_chips(self) -> list[RecentChip]:
        return [c for c in self.chips if c.isVisibleTo(self)]

    def hidden_chips(self) -> list[RecentChip]:
        return [c for c in self.chips if not c.isVisibleTo(self)]

    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt override
        super().resizeEvent(event)
        self._place()

    def _fits(self, count: int, limit: int | None) -> bool:
        """Whether the first ``count`` chips, names cut to ``limit``, fit (with the "+N"
        button when some are left over)."""
        chips = self.chips[:count]
        width = sum(c.width_for(limit) for c in chips) + GAP * max(0, count - 1)
        if count < len(self.chips):
            self.overflow.setText(f"+{len(self.chips)}")
            width += GAP + self.overflow.sizeHint().width()
        return width <= self.width()

    def _name_limit(self) -> int | None:
        """None (whole names) when every chip fits; else the widest cap at which all do,
        unless that cuts names below WHOLE_ROW_EM; else the widest at which MIN_SHOWN do."""
        if not self.chips or self._fits(len(self.chips), None):
            return None
        em = self._em()
        widest = max(c.name_width() for c in self.chips)
        for count, floor in ((len(self.chips), em * WHOLE_ROW_EM), (MIN_SHOWN, em * NAME_FLOOR_EM)):
            for limit in range(widest, floor - 1, -2):
                if self._fits(min(count, len(self.chips)), limit):
                    return limit
        return em * NAME_FLOOR_EM

    def _place(self) -> None:
        limit = self._name_limit()
        for chip in self.chips:
            chip.set_name_limit(limit)
        widths = [chip.sizeHint().width() for chip in self.chips]
        shown = len(self.chips)
        if sum(widths) + GAP * max(0, shown - 1) > self.width():
            self.overflow.setText(f"+{len(self.chips)}")  # the widest label it can carry
            room = self.width() - self.overflow.sizeHint().width() - GAP
            x, shown = 0, 0
            for width in widths:
                if x + width > room:
                    break
                x += width + GAP
                shown += 1
        x = 0
        for index, chip in enumerate(self.chips):
            chip.setVisible(index < shown)
            if index < shown:
                hint = chip.sizeHint()
                chip.setGeometry(x, (self.height() - hint.height()) // 2, hint.width(), hint.height())
                x += hint.width() + GAP
        self._fill_overflow(self.chips[shown:], x)

    def _fill_overflow(self, hidden: list[RecentChip], x: int) -> None:
        self.overflow_menu.clear()
        if not hidden:
            self.overflow.hide()
            return
        for chip in hidden:
            action = self.overflow_menu.addAction(chip.icon(), chip.text())
            action.setToolTip(chip.toolTip())
            action.triggered.connect(lambda _c=False, c=chip: c.click())
        self.overflow.setText(f"+{len(hidden)}")
        self.overflow.setToolTip("More recent tags: " + ", ".join(c.text() for c in hidden))
        hint = self.overflow.sizeHint()
        self.overflow.setGeometry(x, (self.height() - hint.height()) // 2, hint.width(), hint.height())
        self.overflow.show()
