"""The one-pass indexing analysis (``analysis.text_positions``/``tag_positions``, used by
``text_field.AnalysedText``) indexes exactly what Whoosh's chain of analyser generators
indexes: the same words, frequencies, weights and encoded positions."""

from __future__ import annotations

import random

import pytest
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import TEXT
from whoosh.formats import Positions

from annotator.core._search.analysis import TAG_SEPARATOR, tag_analyzer, text_analyzer
from annotator.core._search.schema import build_schema
from annotator.core._search.text_field import AnalysedText, encode_positions, positioner

TRICKY = [
    "",
    "   ",
    "The trade war",  # a stop word first: kept words are numbered from the first one's place
    "a I x trade of the U.S and 3.5 percent",
    "Carney's steel-tariffs; negotiations negotiated NEGOTIATING negotiator",
    f"Mark Carney{TAG_SEPARATOR}PM Carney{TAG_SEPARATOR}Carney",
    f"{TAG_SEPARATOR}the{TAG_SEPARATOR}{TAG_SEPARATOR}The Hague",
    "ZZTAGSEPZZ zztagsepzz Zztagsepzz",  # folded to the separator after the tag gap filter
    "Québec MONTRÉAL Straße İstanbul ǅemal ﬁnance Ⅻ ½ ²",
    "e\u0301te\u0301 cafe\u0301 \u0301 \u0301a",  # combining accents, folded away
    "日本語 テキスト 中文 العربية русский текст",
    "www.nytimes.com C:/files/memo.pdf 2025-06-14 #trade @carney",
    "us may US MAY can will",
    "x" * 300 + " " + "ab",
]


def stock_and_ours(analyzer: object) -> tuple[TEXT, AnalysedText]:
    return TEXT(analyzer=analyzer), AnalysedText(analyzer=analyzer)


def indexed(field: TEXT, value: str) -> list[tuple[bytes, int, float, bytes]]:
    return sorted(field.index(value))


def random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    pieces = ["the", "a", "of", "us", "may", "Trade", "tariffs", "U.S", "3.5", "Québec",
              "é", "x", "négociations", "running", "ran", TAG_SEPARATOR, "—", ",", "'s",
              "ZZTAGSEPZZ", "ﬂow", "İ", "\u0301", "12", "co-operation", "..."]
    return [("" if rng.random() < 0.3 else " ").join(
        rng.choice(pieces) for _ in range(rng.randint(0, 60))) for _ in range(count)]


@pytest.mark.parametrize("make", [text_analyzer, tag_analyzer], ids=["text", "tags"])
def test_one_pass_indexes_what_the_analyser_chain_indexes(make: object) -> None:
    stock, ours = stock_and_ours(make())  # type: ignore[operator]
    assert positioner(ours.analyzer) is not None
    for value in TRICKY + random_texts(400, seed=11):
        assert indexed(ours, value) == indexed(stock, value), value


def test_every_text_field_of_the_schema_takes_the_one_pass() -> None:
    schema = build_schema()
    text_fields = [name for name, field in schema.items() if isinstance(field, TEXT)]
    assert text_fields
    for name in text_fields:
        assert isinstance(schema[name], AnalysedText), name
        assert positioner(schema[name].analyzer) is not None, name
    assert positioner(schema["tag_anything"].analyzer) is not None


def test_other_analysers_and_values_are_indexed_the_stock_way() -> None:
    stock, ours = stock_and_ours(StandardAnalyzer())
    assert positioner(ours.analyzer) is None
    assert indexed(ours, "The trade war") == indexed(stock, "The trade war")
    stock, ours = stock_and_ours(text_analyzer())
    words = ["Trade", "tariffs", "trade"]
    assert sorted(ours.index(words)) == sorted(stock.index(words))


@pytest.mark.parametrize("where", [[0], [5], [255], [256], [70_000], [(1 << 20) + 3],
                                   [3, 9, 12], [0, 1], [7, 300, 70_000]])
def test_positions_are_encoded_as_whoosh_encodes_them(where: list[int]) -> None:
    stock = Positions().encode(where)
    first, second = encode_positions(where), encode_positions(where)
    assert first == second == stock
    assert first is not second  # a block pickles a repeated object as a reference to it


def test_columns_are_what_index_gives() -> None:
    field = AnalysedText(analyzer=text_analyzer())
    value = "Steel tariffs: the steel talks and Québec's tariffs, steel again"
    columns = field.columns(value)
    assert columns is not None
    assert sorted(zip(*columns)) == indexed(TEXT(analyzer=text_analyzer()), value)
    assert field.columns(["steel"]) is None  # a list of words: the stock way
