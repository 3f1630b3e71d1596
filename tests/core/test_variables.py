"""Document variables: types, values, built-ins, CSV import, search and undo data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from annotator.core.errors import InvalidInput, InvalidQuery, NotFound
from annotator.core.library import Library
from tests.core.helpers import add_text, new_library


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = new_library(tmp_path)
    add_text(library, "Tariffs on steel were announced by Ottawa.", "Steel story",
             published=date(2025, 6, 1), author="Jane Hoekstra")
    add_text(library, "Washington answered the steel tariffs.", "Answer")
    add_text(library, "Nothing about trade here at all.", "Other")
    yield library
    library.close()


def test_builtins_first_then_user_variables_in_order(lib: Library) -> None:
    lib.define_variable("outlet", "text")
    lib.define_variable("country", "one-of-list", ["CA", "US"])
    listed = [(v.name, v.type, v.builtin) for v in lib.variables()]
    assert listed == [("published", "date", True), ("author", "text", True),
                      ("source", "text", True), ("format", "text", True),
                      ("outlet", "text", False), ("country", "choice", False)]


def test_values_are_checked_and_normalised_by_type(lib: Library) -> None:
    lib.define_variable("words", "number")
    lib.define_variable("seen", "date")
    lib.define_variable("country", "choice", ["CA", "US"])
    assert lib.set_document_variable(1, "words", "1,200") is None
    assert lib.set_document_variable(1, "seen", " 2025-06-03 ") is None
    lib.set_document_variable(1, "country", "ca")
    assert lib.document_variables(1) == {"words": "1200", "seen": "2025-06-03", "country": "CA"}
    with pytest.raises(InvalidInput, match="words is a number"):
        lib.set_document_variable(2, "words", "many")
    with pytest.raises(InvalidInput, match="want YYYY-MM-DD"):
        lib.set_document_variable(2, "seen", "June")
    with pytest.raises(InvalidInput, match="one of 'CA', 'US'"):
        lib.set_document_variable(2, "country", "MX")
    assert lib.document_variables(2) == {}
    assert lib.set_document_variable(1, "words", "") == "1200"
    assert "words" not in lib.document_variables(1)


def test_names_that_a_query_could_not_reach_are_refused(lib: Library) -> None:
    for bad in ("actor", "published", "two words", "9lives"):
        with pytest.raises(InvalidInput):
            lib.define_variable(bad)
    lib.add_category("stance", "Stance")
    with pytest.raises(InvalidInput, match="tag category"):
        lib.define_variable("Stance")
    lib.define_variable("outlet")
    with pytest.raises(InvalidInput, match="already a variable"):
        lib.define_variable("OUTLET")


def test_several_documents_at_once_and_undo_data(lib: Library) -> None:
    lib.define_variable("outlet")
    lib.set_document_variable(1, "outlet", "Globe")
    before = lib.set_documents_variable([1, 2], "outlet", "Star")
    assert before == {1: "Globe", 2: None}
    assert lib.all_document_variables() == {1: {"outlet": "Star"}, 2: {"outlet": "Star"}}
    lib.restore_document_variable("outlet", before)
    assert lib.all_document_variables() == {1: {"outlet": "Globe"}}
    values = lib.delete_variable("outlet")
    assert values == {1: "Globe"} and lib.all_document_variables() == {}
    lib.restore_variable(lib.variables()[0].__class__("outlet", "text"), values)
    assert lib.document_variables(1) == {"outlet": "Globe"}


def test_retyping_converts_values_or_changes_nothing(lib: Library) -> None:
    lib.define_variable("rank")
    lib.set_document_variable(1, "rank", "3")
    lib.set_document_variable(2, "rank", "high")
    with pytest.raises(InvalidInput, match="document 2"):
        lib.change_variable("rank", type="number")
    assert lib.variable("rank").type == "text"
    lib.set_document_variable(2, "rank", "4.50")
    lib.change_variable("rank", type="number", new_name="position")
    assert lib.all_document_variables() == {1: {"position": "3"}, 2: {"position": "4.5"}}


def test_builtin_variables_edit_the_document(lib: Library) -> None:
    lib.set_document_variable(2, "published", "2025-07-01")
    assert lib.document(2).published == date(2025, 7, 1)
    assert lib.variable_values("published") == ["2025-06-01", "2025-07-01"]
    with pytest.raises(InvalidInput, match="set on import"):
        lib.set_document_variable(2, "format", "pdf")
    with pytest.raises(NotFound):
        lib.set_document_variable(2, "nosuch", "x")


def test_search_by_variable_value_finds_documents_and_their_passages(lib: Library) -> None:
    lib.define_variable("outlet")
    lib.define_variable("words", "number")
    lib.define_variable("country", "choice", ["CA", "US"])
    lib.set_document_variable(1, "outlet", "Globe and Mail")
    lib.set_document_variable(2, "outlet", "Washington Post")
    lib.set_documents_variable([1, 3], "country", "CA")
    lib.set_document_variable(1, "words", 800)
    lib.set_document_variable(2, "words", 1200)
    lib.add_highlight(1, 0, 7, new_tags=[("topic", "tariffs")])

    def found(query: str) -> set[tuple[str, int]]:
        return {(h.kind, h.document_id) for h in lib.search(query, limit=50).hits}

    assert found('outlet:"Globe and Mail"') == {("document", 1), ("highlight", 1)}
    assert found("outlet:globe") == {("document", 1), ("highlight", 1)}
    assert found("outlet:glob") == set()
    assert found("outlet:wash*") == {("document", 2)}
    assert found("country:CA steel") == {("document", 1)}
    assert found("words:>=1000") == {("document", 2)}
    assert found("words:[500 to 900] in:highlights") == {("highlight", 1)}
    with pytest.raises(InvalidQuery, match="not a number"):
        lib.search("words:lots")
    assert any("not a number" in w for w in lib.search("steel words:lots").warnings)


def test_csv_import_in_one_step(lib: Library, tmp_path: Path) -> None:
    lib.define_variable("country", "choice", ["CA", "US"])
    path = tmp_path / "vars.csv"
    path.write_text("title,country,words,outlet,published\n"
                    "Steel story,CA,800,Globe,\n"
                    "answer,us,1200,Post,2025-07-02\n", encoding="utf-8")
    done = lib.import_variables_csv(path)
    assert done.created == ("words", "outlet") and done.documents == 2
    assert lib.variable("words").type == "number"
    assert lib.all_document_variables() == {
        1: {"country": "CA", "words": "800", "outlet": "Globe"},
        2: {"country": "US", "words": "1200", "outlet": "Post"}}
    assert lib.document(2).published == date(2025, 7, 2)
    assert lib.index_is_current()


def test_csv_import_with_a_bad_cell_saves_nothing_and_says_where(lib: Library, tmp_path: Path) -> None:
    lib.define_variable("country", "choice", ["CA", "US"])
    path = tmp_path / "bad.csv"
    path.write_text("id;country;outlet\n1;CA;Globe\n2;MX;Post\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"bad.csv, line 3, column 'country'"):
        lib.import_variables_csv(path)
    assert lib.all_document_variables() == {}
    assert [v.name for v in lib.variables() if not v.builtin] == ["country"]
    for text, message in (("id,country\n99,CA\n", "no document 99"),
                          ("name,country\nx,CA\n", "needs an 'id' or a 'title'"),
                          ("title,country\nNo such,CA\n", "no document titled")):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InvalidInput, match=message):
            lib.import_variables_csv(path)
    with pytest.raises(InvalidInput, match="cannot read"):
        lib.import_variables_csv(tmp_path / "missing.csv")
