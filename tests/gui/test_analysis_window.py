"""The Analysis window driven as a user would: opened from the toolbar, a matrix cell
clicked on the chart lists exactly the excerpts behind it and opening one shows it in the
reader; every view exports PNG, SVG, PDF and CSV; the report prints to PDF."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QToolButton

from annotator.core import analysis
from annotator.core.analysis_filter import AnalysisFilter
from annotator.export.excerpt_report import build_report
from tests.core.analysis_fixture import Fixture, build

REPO = Path(__file__).resolve().parents[2]


def test_main_window_import_does_not_import_matplotlib() -> None:
    code = ("import sys, annotator.gui.main_window, annotator.gui.analysis; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, check=True, env={"QT_QPA_PLATFORM": "offscreen",
                                                     "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "False"


@pytest.fixture
def fx(tmp_path: Path) -> Fixture:
    return build(tmp_path)


def _open_analysis(qtbot, window_on, fx: Fixture):
    main = window_on(fx.library)
    button = main.findChild(QToolButton, "analysisButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    analysis_window = main.analysis_window
    qtbot.waitExposed(analysis_window)
    return main, analysis_window


def _cell_point(view, row: int, column: int) -> QPoint:
    """Where a matrix cell is drawn, in the canvas widget's coordinates."""
    view.canvas.draw()
    ax = view.canvas.figure.axes[0]
    x, y = ax.transData.transform((column, row))
    ratio = view.canvas.device_pixel_ratio
    return QPoint(round(x / ratio), round(view.canvas.height() - y / ratio))


def test_clicking_a_cell_lists_its_excerpts_and_opens_the_reader(qtbot, window_on, fx: Fixture) -> None:
    main, win = _open_analysis(qtbot, window_on, fx)
    view = win.matrix
    with qtbot.waitSignal(view.ready, timeout=20_000):
        view.scope.setCurrentIndex(view.scope.findData(analysis.OVERLAP))
    rows = [r.label for r in view.shown_rows]
    columns = [c.label for c in view.shown_columns]
    assert rows == ["A1", "A2"] and columns == ["T1", "T2"]
    assert view.result.count(fx.tags["A2"], fx.tags["T1"]) == 1
    with qtbot.waitSignal(view.excerpts_listed, timeout=20_000):
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=_cell_point(view, 1, 0))
    spans = [view.excerpts.item(i).data(Qt.ItemDataRole.UserRole + 1)
             for i in range(view.excerpts.count())]
    h1, h5 = fx.h[1], fx.h[5]
    assert spans == [(h5.document_id, h5.start, h5.end), (h1.document_id, h1.start, h1.end)]
    assert "A2 × T1" in view.cell_title.text()
    view.excerpts.itemActivated.emit(view.excerpts.item(0))
    qtbot.waitUntil(lambda: main.reader.document_id == h5.document_id, timeout=10_000)
    # An excerpt opens as its highlight, selected (issue 12), not as a plain text selection.
    qtbot.waitUntil(lambda: main.reader.selected_highlight == h5.id, timeout=10_000)
    assert main.library.document_text(h5.document_id)[h5.start:h5.end] == "alpha"


def test_hover_text_says_what_a_cell_counts(qtbot, window_on, fx: Fixture) -> None:
    _main, win = _open_analysis(qtbot, window_on, fx)
    view = win.matrix
    qtbot.waitUntil(lambda: view.result is not None, timeout=20_000)
    text = view.cell_text(view.shown_rows[0], view.shown_columns[0])
    assert text.startswith("A1 × T1: 2 highlights carrying both tags")


def test_every_view_exports_png_svg_pdf_and_csv(qtbot, window_on, fx: Fixture, tmp_path: Path) -> None:
    _main, win = _open_analysis(qtbot, window_on, fx)
    for index, view in enumerate((win.matrix, win.frequencies, win.timeline)):
        with qtbot.waitSignal(view.ready, timeout=20_000):
            if index == 0:
                view.refresh()
            else:
                win.tabs.setCurrentWidget(view)
        for suffix in ("png", "svg", "pdf", "csv"):
            path = tmp_path / f"{view.file_stem}.{suffix}"
            view.export(path)
            assert path.stat().st_size > (60 if suffix == "csv" else 1000), path
        ET.parse(tmp_path / f"{view.file_stem}.svg")  # well-formed XML
        assert (tmp_path / f"{view.file_stem}.pdf").read_bytes().startswith(b"%PDF")
        assert b"FontFile2" in (tmp_path / f"{view.file_stem}.pdf").read_bytes()  # embedded
    timeline_csv = (tmp_path / "timeline.csv").read_text(encoding="utf-8")
    assert timeline_csv.splitlines()[-1].startswith('"undated"')


def test_filters_and_split_reach_the_views(qtbot, window_on, fx: Fixture) -> None:
    fx.library.define_variable("outlet")
    fx.library.set_documents_variable(fx.docs[:2], "outlet", "Globe")
    _main, win = _open_analysis(qtbot, window_on, fx)
    qtbot.waitUntil(lambda: win.matrix.result is not None, timeout=20_000)
    win.filters.variable.setCurrentIndex(win.filters.variable.findData("outlet"))
    qtbot.waitUntil(lambda: win.matrix.resolved is not None
                    and win.matrix.resolved.filter.variables == (("outlet", ("Globe",)),),
                    timeout=20_000)
    assert win.matrix.result.count(fx.tags["A1"], fx.tags["T1"]) == 1  # document 3 left out
    with qtbot.waitSignal(win.frequencies.ready, timeout=20_000):
        win.tabs.setCurrentWidget(win.frequencies)
    with qtbot.waitSignal(win.frequencies.ready, timeout=20_000):
        win.frequencies.split.setCurrentIndex(win.frequencies.split.findData("outlet"))
    assert {f.value for f in win.frequencies.result.rows} == {"Globe"}
    assert "Globe" in [t.get_text() for t in win.frequencies.canvas.figure.axes[0]
                       .get_legend().get_texts()]


def test_combinations_tab_lists_a_and_not_b_by_document(qtbot, window_on, fx: Fixture) -> None:
    _main, win = _open_analysis(qtbot, window_on, fx)
    view = win.combinations
    with qtbot.waitSignal(view.ready, timeout=20_000):
        win.tabs.setCurrentWidget(view)
        view.choose(fx.tags["A1"], fx.tags["T1"], analysis.NOT)
    assert [h.id for h in view.result.highlights] == [fx.h[6].id]
    assert view.tree.topLevelItem(0).text(0) == "Second"


def test_report_prints_to_a_pdf_file(qtbot, fx: Fixture, tmp_path: Path) -> None:
    from annotator.gui.dialogs.excerpt_report_dialog import print_report

    report = build_report(fx.library, [fx.library.tag(fx.tags["A1"])],
                          AnalysisFilter(date_from=None))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "report.pdf"
    printer.setOutputFileName(str(target))
    print_report(report, printer)
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000


def test_highlights_pane_retrieves_a_and_b_and_a_not_b(qtbot, fx: Fixture) -> None:
    from PySide6.QtGui import QUndoStack

    from annotator.gui.events import LibraryEvents
    from annotator.gui.widgets.highlights_pane import HighlightsPane

    pane = HighlightsPane(fx.library, LibraryEvents(), QUndoStack())
    qtbot.addWidget(pane)
    pane.show()
    pane.set_combination(fx.tags["A1"], "and", fx.tags["T1"])
    assert [h.id for h in pane.model.highlights()] == [fx.h[1].id, fx.h[8].id]
    assert pane.tag_b_combo.isVisible()
    pane.combine_combo.setCurrentIndex(pane.combine_combo.findData("not"))
    assert [h.id for h in pane.model.highlights()] == [fx.h[6].id]
    pane.combine_combo.setCurrentIndex(0)
    assert len(pane.model.highlights()) == 3  # every A1 highlight again
