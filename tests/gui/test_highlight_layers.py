"""Layers of nested highlights keep their order when only a stretch is repainted."""

from __future__ import annotations

from annotator.gui.widgets.highlight_layers import segments


def test_the_nested_highlight_is_innermost_even_when_clipped_to_its_own_span() -> None:
    spans = [(0, 100, 2), (10, 20, 1)]  # the outer one is the newer highlight
    assert list(segments(spans)) == [(0, 10, [2]), (10, 20, [2, 1]), (20, 100, [2])]
    assert list(segments(spans, 10, 20)) == [(10, 20, [2, 1])]


def test_equal_spans_put_the_older_highlight_outside_whatever_the_order() -> None:
    assert list(segments([(5, 9, 7), (5, 9, 3)])) == [(5, 9, [3, 7])]
    assert list(segments([(5, 9, 3), (5, 9, 7)])) == [(5, 9, [3, 7])]
