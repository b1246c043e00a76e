"""Issue 16, point 2: the warehouse contract as data (warehouse/contract.yml).

The contract must describe exactly what the schema and views build; the DDL, comments and
dictionary come from it; the post-load checks catch a breach on real DuckDB and fail a
real run before it publishes. (The DuckLake side is in test_scaling.py, beside its
PostgreSQL.)"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from warehouse import checks, contract, docs, lake, store

REPO = Path(__file__).resolve().parents[1]

PERSIAN_CALL = (
    "به گزارش خبرگزاری ایرنا، سید عباس عراقچی وزیر امور خارجه کشورمان روز دوشنبه در تماس تلفنی با "
    "هاکان فیدان وزیر امور خارجه ترکیه درباره آخرین تحولات منطقه و همکاری‌های اقتصادی گفت‌وگو کرد."
)


# ------------------------------------------------------------ contract = catalog = dictionary


def test_contract_describes_every_table_view_and_column_of_the_catalog():
    con = docs.fresh_catalog()
    assert docs.drift(con) == []
    assert docs.missing_comments(con) == []
    catalog = set(con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main' AND NOT internal"
    ).fetchall())
    declared = {(r.name, c.name) for r in contract.load().values() for c in r.columns}
    assert catalog == declared
    assert len(declared) > 250  # the whole warehouse, not a sample
    for relation in contract.load().values():
        assert relation.description and all(c.description and c.type for c in relation.columns)


def test_drift_names_what_the_contract_does_not_describe():
    con = docs.fresh_catalog()
    con.execute("ALTER TABLE fact_call ADD COLUMN extra INTEGER")
    con.execute("COMMENT ON COLUMN dim_article.title IS 'something else'")
    con.execute("CREATE VIEW v_undeclared AS SELECT 1 AS a")
    problems = docs.drift(con)
    assert any(p.startswith("fact_call: columns") and "extra" in p for p in problems), problems
    assert "dim_article.title: comment is not the contract's" in problems
    assert "view v_undeclared is not in the contract" in problems


def test_generated_dictionary_equals_docs_warehouse_md_and_shows_the_rules():
    committed = (REPO / "docs" / "warehouse.md").read_text(encoding="utf-8")
    assert committed == docs.render(), "docs/warehouse.md is stale: run `tamas docs`"
    for relation in contract.load().values():
        section = committed.split(f"\n## {relation.name}\n", 1)[1].split("\n## ", 1)[0]
        for column in relation.columns:
            assert f"| `{column.name}` | {column.type} |" in section, (relation.name, column.name)
        if relation.unique_key:
            assert "Unique key: (" + ", ".join(f"`{k}`" for k in relation.unique_key) + ")" in section
    assert "| `mode` | VARCHAR | no | phone \\| video. | one of `phone`, `video` |" in committed
    assert "in `fact_call.call_id`" in committed


# A column name means one thing across the views, except these, whose meaning depends on
# the view (the article of a mention vs of a topic's evidence, a country represented on a
# call vs an official's country, ...).
VIEW_NAMES_WITH_VIEW_MEANINGS = {
    "article_id", "evidence", "official_id", "country_code", "country_name_fa", "title_fa",
    "is_initiator", "calendar", "n_calls",
}


def test_a_column_passed_between_views_has_one_description():
    descriptions: dict[str, set[str]] = defaultdict(set)
    for relation in contract.views():
        for column in relation.columns:
            descriptions[column.name].add(column.description)
    disagree = {n: d for n, d in descriptions.items() if len(d) > 1 and n not in VIEW_NAMES_WITH_VIEW_MEANINGS}
    assert disagree == {}
    # the example: call_date_jalali read the same in every view
    assert len(descriptions["call_date_jalali"]) == 1
    assert {"v_calls", "v_official_calls", "stg_call_dated"} <= {
        r.name for r in contract.views() if any(c.name == "call_date_jalali" for c in r.columns)
    }


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "contract.yml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
tables:
  t:
    description: A table.
    unique_key: [id]
    columns:
      id: {type: VARCHAR, not_null: true, description: Key.}
      kind: {type: VARCHAR, accepted_values: [a, b], description: Kind.}
      parent: {type: VARCHAR, references: t.id, description: Parent.}
views:
  v:
    description: A view.
    columns:
      id: {type: VARCHAR, like: t}
"""


@pytest.mark.parametrize(
    "change, message",
    [
        (("not_null: true", "not_nul: true"), "unknown keys"),
        (("references: t.id", "references: u.id"), "unknown table u"),
        (("references: t.id", "references: t.nope"), "t.nope"),
        (("unique_key: [id]", "unique_key: [nope]"), "t.nope"),
        (("like: t", "like: w"), "like names unknown"),
        (("like: t}", "like: t, not_null: true}"), "tables only"),
        (("description: Kind.", "description: ''"), "needs a type and a description"),
    ],
)
def test_a_malformed_contract_is_refused(tmp_path, change, message):
    assert contract.load(_write(tmp_path, GOOD))["v"].columns[0].description == "Key."
    with pytest.raises(contract.ContractError, match=message):
        contract.load(_bad(tmp_path, change))


def _bad(tmp_path: Path, change) -> Path:
    folder = tmp_path / "bad"
    folder.mkdir(exist_ok=True)
    return _write(folder, GOOD.replace(*change))


# ------------------------------------------------------------ DDL from the contract


def test_file_ddl_keeps_constraints_and_the_lake_ddl_has_none():
    fact_call = contract.load()["fact_call"]
    file_sql, lake_sql = contract.create_table_sql(fact_call), contract.create_table_sql(fact_call, constraints=False)
    assert "CHECK (mode IN ('phone', 'video'))" in file_sql
    assert "CHECK" not in lake_sql and "NOT NULL" in lake_sql
    assert "PRIMARY KEY" in contract.create_table_sql(contract.load()["dim_country"])
    assert not any("PRIMARY KEY" in s or "CHECK" in s for s in lake.lake_schema_sql())
    # the texts' compression is the file's; DuckLake writes Parquet
    assert "clean_text VARCHAR NOT NULL USING COMPRESSION zstd" in contract.create_table_sql(contract.load()["dim_article"])
    assert not any("COMPRESSION" in s for s in lake.lake_schema_sql())
    con = docs.fresh_catalog()
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO fact_call (call_id, mode, n_articles) VALUES ('c', 'fax', 1)")


def test_an_older_warehouse_gets_the_columns_it_lacks(tmp_path):
    """A warehouse made before dim_article.supersedes_article_id and extracted_chars gets
    the columns, in the contract's order, rows kept."""
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    old = (contract.create_table_sql(contract.load()["dim_article"])
           .replace(",\n    supersedes_article_id VARCHAR", "").replace(",\n    extracted_chars INTEGER", ""))
    assert "supersedes_article_id" not in old and "extracted_chars" not in old
    con.execute(old)
    con.execute("INSERT INTO dim_article (article_id, source_path, content_sha256, raw_text, clean_text, run_id)"
                " VALUES ('a', 'p', 's', 'r', 'c', 'run')")
    store.apply_schema(con)
    assert con.execute("SELECT article_id, supersedes_article_id, extracted_chars FROM dim_article").fetchall() == [
        ("a", None, None)]
    assert docs.drift(con) == []
    con.close()


def test_an_older_lake_gets_the_columns_it_lacks(tmp_path):
    """A DuckLake made before dim_article.extracted_chars (and before a whole table) gets
    them when a run opens it (a run's load names every column, so without it the run
    would fail)."""
    spec = f"ducklake:{tmp_path / 'catalog.ducklake'}"
    con = lake.connect(spec, str(tmp_path / "data"))
    try:
        for statement in lake.lake_schema_sql():
            if "ingest_file_latest (" not in statement:
                con.execute(statement.replace(",\n    extracted_chars INTEGER", ""))
        con.execute("CREATE TABLE lake_writer (rebuilds BIGINT)")

        def columns() -> list[str]:
            return [r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE database_name = ?"
                                              " AND table_name = 'dim_article'", [lake.ALIAS]).fetchall()]

        assert "extracted_chars" not in columns()
        lake.apply_schema(con)
        assert columns() == [c.name for c in contract.load()["dim_article"].columns]
        assert con.execute("SELECT count(*) FROM ingest_file_latest").fetchone() == (0,)
    finally:
        con.close()


# ------------------------------------------------------------ post-load checks


def _lake_form_catalog() -> duckdb.DuckDBPyConnection:
    """The tables as DuckLake gets them (no PRIMARY KEY, no CHECK), in a real DuckDB."""
    con = duckdb.connect(":memory:")
    for statement in lake.lake_schema_sql():
        con.execute(statement)
    return con


def test_checks_report_each_broken_rule():
    con = _lake_form_catalog()
    assert checks.run_checks(con) == []  # empty tables break nothing
    con.execute("INSERT INTO ingest_run (run_id, started_at, status) VALUES ('r', now(), 'completed')")
    article = "INSERT INTO dim_article (article_id, source_path, content_sha256, raw_text, clean_text, run_id) VALUES ('a', 'p', 's', 'r', 'c', 'r')"
    con.execute(article)
    con.execute("INSERT INTO fact_call (call_id, mode, n_articles) VALUES ('c', 'phone', 1)")
    con.execute("INSERT INTO call_participant (call_id, official_id, is_initiator) VALUES ('c', 'o', false)")
    con.execute("INSERT INTO dim_official (official_id, name_fa, source) VALUES ('o', 'نام', 'gazetteer')")
    assert checks.run_checks(con) == []  # consistent rows pass
    con.execute(article)  # a second row with the same article_id
    con.execute("INSERT INTO fact_call (call_id, mode, n_articles) VALUES ('d', 'fax', 1)")
    con.execute("INSERT INTO call_participant (call_id, official_id, is_initiator) VALUES ('gone', 'o', false)")
    found = {(f.table, f.check, f.columns[0]): f for f in checks.run_checks(con)}
    assert set(found) == {
        ("dim_article", "unique", "article_id"),
        ("fact_call", "accepted_values", "mode"),
        ("call_participant", "relationship", "call_id"),
    }
    assert found[("dim_article", "unique", "article_id")].example == "a"
    assert found[("fact_call", "accepted_values", "mode")].example == "fax"
    with pytest.raises(checks.ContractViolation, match=r"dim_article: 1 duplicated value\(s\) of unique key \(article_id\)"):
        checks.enforce(con)


def test_not_null_is_checked_where_the_database_does_not_enforce_it(tmp_path):
    declared = contract.load(_write(tmp_path, GOOD))["t"]
    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE t (id VARCHAR, kind VARCHAR, parent VARCHAR)")  # no NOT NULL in the database
    con.execute("INSERT INTO t VALUES ('x', 'a', NULL), (NULL, 'b', 'x')")
    assert [(f.check, f.columns) for f in checks.run_checks(con, [declared])] == [("not_null", ("id",))]


def test_a_planted_duplicate_key_fails_the_run_and_publishes_nothing(ingest, seed_dir, warehouse, query):
    first = ingest(seed_dir)
    assert first.status != "failed"
    con = duckdb.connect(str(warehouse))
    assert checks.run_checks(con) == []  # a real run's warehouse keeps the contract
    con.execute("INSERT INTO dim_article SELECT * FROM dim_article LIMIT 1")
    con.close()
    before = query("SELECT count(*) FROM dim_article")[0][0]
    (seed_dir / "new.txt").write_text(PERSIAN_CALL, encoding="utf-8")  # new article: the facts rebuild
    with pytest.raises(checks.ContractViolation, match="dim_article.*unique key \\(article_id\\)"):
        ingest(seed_dir)
    assert query("SELECT count(*) FROM dim_article")[0][0] == before  # the run published nothing
    status, error = query("SELECT status, error FROM ingest_run ORDER BY started_at DESC LIMIT 1")[0]
    assert status == "failed" and "ContractViolation" in error and "dim_article" in error
