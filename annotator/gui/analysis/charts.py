"""Matplotlib, set up once for the Analysis window: its Qt canvas, a house style readable at a
paper's column width, and exports (PNG at 200 dpi, SVG with text as outlines, PDF with the
TrueType fonts embedded).

Why matplotlib: it draws the three charts (annotated heatmap, horizontal bars, lines and
stacked bars) with one API, exports vector PDF/SVG with embedded fonts that journals accept,
and has a maintained Qt backend (QtAgg) that works with PySide6. pyqtgraph has no vector
export with embedded fonts; QtCharts lives in PySide6-Addons, a second 100 MB wheel, and has
no heatmap. It is imported only here, when the Analysis window opens, so neither the app's
start nor the test run pays for it.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_API", "pyside6")

import matplotlib

matplotlib.use("QtAgg")

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure

from annotator.core.errors import InvalidInput
from annotator.export.errors import ExportFailed

matplotlib.rcParams.update({
    "pdf.fonttype": 42,  # TrueType embedded: selectable, searchable text in the PDF
    "ps.fonttype": 42,
    "svg.fonttype": "path",  # the SVG looks the same on a machine without the font
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titleweight": "bold",
    "figure.dpi": 100,
})

PICTURE_FORMATS = ("png", "svg", "pdf")
# A palette that stays apart in print and for the commonest colour blindness (Okabe-Ito).
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
                  "#F0E442", "#000000", "#999999", "#882255")


class ChartCanvas(FigureCanvasQTAgg):
    """A figure in a widget."""

    def __init__(self) -> None:
        self.figure = Figure(figsize=(7, 4.5), layout="constrained")
        super().__init__(self.figure)
        self.setMinimumSize(320, 240)


def save_picture(figure: Figure, path: Path) -> None:
    """Write the chart as PNG, SVG or PDF (by the file's suffix)."""
    kind = path.suffix.lower().lstrip(".")
    if kind not in PICTURE_FORMATS:
        raise InvalidInput(f"pictures are saved as {', '.join(PICTURE_FORMATS)}, not {kind!r}")
    try:
        figure.savefig(path, format=kind, dpi=200 if kind == "png" else None,
                       bbox_inches="tight", facecolor="white")
    except OSError as exc:
        raise ExportFailed(f"cannot write {path}: {exc.strerror or exc}") from exc


def series_colour(index: int) -> str:
    return SERIES_COLOURS[index % len(SERIES_COLOURS)]


def readable_on(hex_colour: str) -> str:
    """Black or white, whichever reads better on the colour."""
    value = hex_colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return "#000000" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "#ffffff"


def shorten(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
