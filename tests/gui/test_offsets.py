"""Qt positions (UTF-16 units) and core offsets (code points) convert exactly, in both
directions, for any text, including emoji and supplementary CJK characters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.gui.offsets import OffsetMap

ASTRAL_HEAVY = st.text(
    alphabet=st.one_of(
        st.sampled_from("ab \n\u00e9\u4e2d"),
        st.sampled_from("\U0001F600\U0001F44D\U00020000\U0002A6D6\U0001D11E"),
        st.characters(exclude_categories=("Cs",)),  # lone surrogates cannot be stored
    ),
    max_size=80,
)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@given(ASTRAL_HEAVY, st.data())
def test_to_qt_counts_utf16_units_before_the_offset(text: str, data: st.DataObject) -> None:
    offsets = OffsetMap(text)
    offset = data.draw(st.integers(0, len(text)))
    assert offsets.to_qt(offset) == utf16_length(text[:offset])
    assert offsets.units == utf16_length(text)


@given(ASTRAL_HEAVY, st.data())
def test_round_trip_from_core_offsets(text: str, data: st.DataObject) -> None:
    offsets = OffsetMap(text)
    offset = data.draw(st.integers(0, len(text)))
    assert offsets.to_core(offsets.to_qt(offset)) == offset
    assert offsets.to_core(offsets.to_qt(offset), round_up=True) == offset


@given(ASTRAL_HEAVY, st.data())
def test_positions_inside_a_surrogate_pair_snap_to_the_character(text: str, data: st.DataObject) -> None:
    offsets = OffsetMap(text)
    units = data.draw(st.integers(0, offsets.units))
    down, up = offsets.to_core(units), offsets.to_core(units, round_up=True)
    assert utf16_length(text[:down]) <= units <= utf16_length(text[:up])
    assert up - down in (0, 1)


@given(ASTRAL_HEAVY, st.data())
def test_spans_keep_their_quote(text: str, data: st.DataObject) -> None:
    offsets = OffsetMap(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    qt_start, qt_end = offsets.span_to_qt(start, end)
    as_utf16 = text.encode("utf-16-le")[2 * qt_start: 2 * qt_end].decode("utf-16-le")
    assert as_utf16 == text[start:end]
    assert offsets.span_to_core(qt_start, qt_end) == (start, end)


def test_plain_text_takes_the_fast_path() -> None:
    offsets = OffsetMap("plain ascii and \u00e9\u4e2d but nothing astral" * 1000)
    assert not offsets.has_astral
    assert offsets.to_qt(12345) == 12345 and offsets.to_core(12345) == 12345


def test_emoji_shift_later_positions_by_one_each() -> None:
    text = "a\U0001F600b\U00020000c"
    offsets = OffsetMap(text)
    assert [offsets.to_qt(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 7]
    assert offsets.to_core(2) == 1 and offsets.to_core(2, round_up=True) == 2
