"""The tag entry as a researcher types into it: Enter takes the tag offered, a fragment or a
lower-case alias applies the one tag it fits, "category:name" makes a new tag there without a
question, and a new name's dialog offers the close existing tags first and starts in the
category chosen last. Each step is checked against the database."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.gui import settings
from annotator.gui.dialogs.new_tag_dialog import CHOICE_ROLE, NewTagDialog
from annotator.gui.widgets import tag_picker

from .reader_driver import select_quote
from .test_tagging_workflow import QUOTE, highlights_on, open_pdf_brief


def _type_and_enter(qtbot, window, text: str) -> None:
    picker = window.tag_bar.picker
    window.tagging.focus_picker()
    qtbot.keyClicks(picker, text)
    qtbot.keyClick(picker, Qt.Key.Key_Return)


def _tagged(window, quote: str) -> list[str]:
    library, reader = window.library, window.reader
    start, end = select_quote(reader, library, quote)
    [highlight] = highlights_on(library, reader.document_id, start, end)
    return sorted(t.name for t in highlight.tags)


def test_enter_takes_the_only_tag_offered_after_the_comma(window, qtbot) -> None:
    open_pdf_brief(window)
    tags_before = {t.name for t in window.library.tags()}
    select_quote(window.reader, window.library, QUOTE)
    picker = window.tag_bar.picker
    window.tagging.focus_picker()
    qtbot.keyClicks(picker, "NORAD, Arctic sov")
    assert picker.completer_.popup().isVisible()
    qtbot.keyClick(picker, Qt.Key.Key_Return)
    assert _tagged(window, QUOTE) == ["Arctic sovereignty", "NORAD"]
    assert {t.name for t in window.library.tags()} == tags_before  # no "Arctic sov"
    assert picker.text() == ""


def test_a_lower_case_fragment_or_alias_applies_the_one_tag_it_fits(window, qtbot) -> None:
    open_pdf_brief(window)
    tags_before = len(window.library.tags())
    select_quote(window.reader, window.library, QUOTE)
    _type_and_enter(qtbot, window, "carney")
    assert _tagged(window, QUOTE) == ["Mark Carney"]
    # With the popup gone (Escape), the fragment still names one tag only.
    picker = window.tag_bar.picker
    qtbot.keyClicks(picker, "whitc")
    qtbot.keyClick(picker.completer_.popup(), Qt.Key.Key_Escape)
    qtbot.keyClick(picker, Qt.Key.Key_Return)
    assert _tagged(window, QUOTE) == ["Daniel Whitcomb", "Mark Carney"]
    assert len(window.library.tags()) == tags_before


def test_category_prefixes_create_the_tag_there_without_a_dialog(window, qtbot) -> None:
    open_pdf_brief(window)
    select_quote(window.reader, window.library, QUOTE)
    _type_and_enter(qtbot, window, "actor:Howard Lutnick, topic:energy")
    _type_and_enter(qtbot, window, "stance:hawkish")
    library = window.library
    assert library.find_tag("actor", "Howard Lutnick") is not None
    assert library.find_tag("topic", "energy") is not None
    assert library.find_tag("stance", "hawkish") is not None
    assert "stance" in {c.name for c in library.categories()}
    assert _tagged(window, QUOTE) == ["Howard Lutnick", "energy", "hawkish"]
    # An existing tag named with its category is applied, not made twice.
    _type_and_enter(qtbot, window, "Topic: NORAD")
    assert _tagged(window, QUOTE) == ["Howard Lutnick", "NORAD", "energy", "hawkish"]
    assert len([t for t in library.tags() if t.name == "NORAD"]) == 1


def test_a_new_name_asks_with_close_matches_first_and_the_last_category(window, qtbot, monkeypatch) -> None:
    open_pdf_brief(window)
    asked: list[tuple[str, list[str], str]] = []

    def choose(parent, name, categories, close=(), default=""):
        asked.append((name, [t.name for t in close], default))
        return close[0] if name == "tarifs" else "stance"

    monkeypatch.setattr(tag_picker, "choose_category", choose)
    select_quote(window.reader, window.library, QUOTE)
    _type_and_enter(qtbot, window, "tarifs")  # a typo: offered "tariffs", and taken
    assert asked[-1][0] == "tarifs" and asked[-1][1][0] == "tariffs"
    assert _tagged(window, QUOTE) == ["tariffs"]
    _type_and_enter(qtbot, window, "border security")
    assert window.library.find_tag("stance", "border security") is not None
    assert settings.last_tag_category() == "stance"
    _type_and_enter(qtbot, window, "trade war rhetoric")
    assert asked[-1][2] == "stance"  # the dialog starts where the last new tag went


def test_the_new_tag_dialog_lists_matches_then_categories_with_the_default_selected(window) -> None:
    library = window.library
    tariffs = library.find_tag("topic", "tariffs")
    dialog = NewTagDialog("tarifs", library.categories(), [tariffs], "topic", window)
    items = [dialog.choices.item(i) for i in range(dialog.choices.count())]
    assert items[0].data(CHOICE_ROLE) == tariffs
    assert dialog.choice() == "topic"
    dialog.choices.setCurrentRow(0)
    assert dialog.choice() == tariffs
