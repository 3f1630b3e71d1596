"""SQLite's analysis idioms said in PostgreSQL's words (``_db.analysis_sql.postgres_sql``);
``test_analysis_counts`` runs every count on both backends."""

from __future__ import annotations

from annotator.core._db.analysis_sql import postgres_sql


def test_json_lists_compare_ids_as_numbers_and_other_columns_as_text() -> None:
    assert postgres_sql("WHERE ha.id IN (SELECT value FROM json_each(:f_qh))") == (
        "WHERE ha.id IN (SELECT CAST(value AS bigint) FROM "
        "json_array_elements_text(CAST(%(f_qh)s AS json)))")
    assert postgres_sql('d."published" IN (SELECT value FROM json_each(?))') == (
        'CAST(d."published" AS text) IN (SELECT value FROM '
        "json_array_elements_text(CAST(%s AS json)))")


def test_parameters_nocase_hints_and_literals() -> None:
    sql = ("SELECT id FROM tags t INDEXED BY ix_x WHERE name = :n AND note LIKE '50%:x' "
           "AND t.kind::text = ? ORDER BY name COLLATE NOCASE, id")
    assert postgres_sql(sql) == ("SELECT id FROM tags t WHERE name = %(n)s AND note LIKE "
                                 "'50%%:x' AND t.kind::text = %s ORDER BY lower(name), id")


def test_the_translation_runs_on_postgresql(pg_url: str) -> None:
    from annotator.core._db.analysis_sql import analysis_db
    from annotator.core._db.engine import engine_for_url

    with engine_for_url(pg_url).connect() as conn:
        db = analysis_db(conn)
        assert db.execute("SELECT '5%:x' WHERE 1 = 1").fetchall() == [("5%:x",)]
        got = db.execute("SELECT t_id FROM (VALUES (3), (1), (2)) AS t (t_id) WHERE t_id IN "
                         "(SELECT value FROM json_each(?)) ORDER BY t_id", ("[1, 3]",)).fetchall()
        assert got == [(1,), (3,)]
