"""Issue 6: views, data dictionary, full-text search, exports (the dashboard has its own
browser test in test_dashboard.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from warehouse import docs
from warehouse.store import connect_readonly

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds" / "articles"


@pytest.fixture(scope="module")
def seeded(prefect_server, tmp_path_factory) -> Path:
    """One warehouse of the two seed articles, built by the real flow, for the module."""
    from flows.ingest import ingest_articles

    target = tmp_path_factory.mktemp("analyst") / "tamas.duckdb"
    ingest_articles(paths=[str(SEEDS)], warehouse=str(target))
    return target


def rows(path: Path, sql: str, params=None):
    con = connect_readonly(path)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_every_table_view_and_column_has_a_comment():
    assert docs.missing_comments() == []


def test_committed_data_dictionary_is_current():
    expected = docs.render()
    committed = (REPO / "docs" / "warehouse.md").read_text(encoding="utf-8")
    assert committed == expected, "docs/warehouse.md is stale: run `tamas docs`"
    con = docs.fresh_catalog()
    for table, column in con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main' AND NOT internal"
    ).fetchall():
        assert f"## {table}\n" in committed and f"| `{column}` |" in committed


def test_views_are_layered_staging_first():
    from warehouse.store import sql_files

    names = [p.name for p in sql_files("views")]
    staging = [n for n in names if n.startswith("10_stg_")]
    marts = [n for n in names if n.startswith("20_v_")]
    assert staging and marts and names == staging + marts
    for name in ("v_calls", "v_country_pair_month", "v_topic_month", "v_official_calls",
                 "v_country_counterparts_year", "v_official_month"):
        assert f"20_{name}.sql" in names


def test_views_on_the_seeds(seeded):
    calls = rows(seeded, "SELECT call_date, call_date_jalali, call_year_jalali, call_month_jalali, participant_names "
                         "FROM v_calls ORDER BY call_date")
    assert [c[1] for c in calls] == ["1399-05-10", "1399-12-11"]
    assert calls[0][2:4] == (1399, 5)
    assert set(calls[0][4]) == {"الهام علی‌اف", "حسن روحانی"}
    history = rows(seeded, "SELECT counterpart_names, evidence, article_titles FROM v_official_calls "
                           "WHERE official_id = 'hassan-rouhani'")
    assert len(history) == 1
    counterparts, evidence, titles = history[0]
    assert counterparts == ["الهام علی‌اف"] and "تماس تلفنی" in evidence[0] and titles[0].startswith("روحانی")
    top = rows(seeded, "SELECT counterpart_code, n_calls, rank_in_year FROM v_country_counterparts_year "
                       "WHERE country_code = 'IR' AND calendar = 'jalali' AND year = 1399")
    assert top == [("AZ", 2, 1)]
    months = rows(seeded, "SELECT calendar, month_label, n_calls, n_initiated FROM v_official_month "
                          "WHERE official_id = 'ilham-aliyev' ORDER BY calendar")
    assert months == [("gregorian", "2020-07", 1, 1), ("jalali", "1399-05", 1, 1)]


def test_search_finds_seed_001_first(seeded):
    from warehouse.search import search

    con = connect_readonly(seeded)
    try:
        hits = search(con, "راه آهن رشت")
        assert Path(hits[0]["source_path"]).name == "001_48a1204ac61837a3.txt"
        # Arabic-keyboard letters and ZWNJ in the query match too.
        assert search(con, "كرونا")[0]["score"] > 0
        # The index is plain SQL for any reader.
        sql_hits = con.execute(
            "SELECT source_path FROM (SELECT *, fts_main_dim_article.match_bm25(article_id, 'آستارا') AS s "
            "FROM dim_article) WHERE s IS NOT NULL"
        ).fetchall()
        assert [Path(p).name for (p,) in sql_hits] == ["001_48a1204ac61837a3.txt"]
    finally:
        con.close()


# Texts beside the seeds for the index comparison: Arabic letter forms, harakat, Latin
# accents and case, ZWNJ, and characters outside the folded scripts (Greek, Cyrillic,
# Hangul, a combining accent, an emoji), which take the tokenize() path.
INDEX_TEXTS = [
    "وزير امور خارجه أمريكا با همتای إيرانی و مؤسسه ئی در آستارا گفت‌وگو کرد؛ مُذاکرات ادامه دارد.",
    "Éric MÜLLER (AFP) said: the talks in Genève were «constructive» — 1,730.86 km, ۱۴۰۳/۰۸/۱۲.",
    "سفیر یونان (Ελλάδα) و روسیه (Москва) در سئول (서울) دیدار کردند.",
    "café\u0301 و رئیس‌جمهور 🇮🇷 در تماس تلفنی",
    "",
]


def test_bm25_index_is_the_fts_extension_index(tmp_path):
    """Our build (warehouse/sql/search/bm25_index.sql) gives the tables and the scores
    of the fts extension's create_fts_index, on the seeds and on awkward text."""
    from transforms.cleaning import clean_text
    from warehouse import search

    texts = [clean_text(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.iterdir())] + INDEX_TEXTS

    def build(path: Path, ours: bool) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(str(path))
        con.execute("CREATE TABLE dim_article (article_id VARCHAR, clean_text VARCHAR)")
        con.executemany("INSERT INTO dim_article VALUES (?, ?)", [[f"a{i}", t] for i, t in enumerate(texts)])
        search.enable_fts(con)  # the extension's build, and its stem() for the reference's macro
        if ours:
            search.build_index(con)
        else:
            con.execute(
                "PRAGMA create_fts_index('dim_article', 'article_id', 'clean_text', stemmer='none', "
                f"stopwords='none', ignore='{search.IGNORE}', strip_accents=1, lower=1)"
            )
        return con

    reference, ours = build(tmp_path / "reference.duckdb", False), build(tmp_path / "ours.duckdb", True)
    schema = search.INDEX_SCHEMA
    snapshot = [
        f"SELECT docid, name, len FROM {schema}.docs ORDER BY docid",
        f"SELECT term, df FROM {schema}.dict ORDER BY term",
        f"SELECT docid, d.term, count(*) FROM {schema}.terms JOIN {schema}.dict d USING (termid) GROUP BY ALL ORDER BY ALL",
        f"SELECT * FROM {schema}.stats",
    ]
    for sql in snapshot:
        assert ours.execute(sql).fetchall() == reference.execute(sql).fetchall(), sql
    assert ours.execute(f"SELECT count(*) FROM {schema}.dict WHERE term IN ('ελλαδα', 'москва', 'eric', 'امريكا')").fetchone()[0] == 4

    # both tokenising paths were taken: folded articles, and ones with other scripts
    search.define_fold_macros(ours)
    foldable = ours.execute("SELECT count(*) FILTER (_bm25_foldable(clean_text)), count(*) FROM dim_article").fetchone()
    assert 0 < foldable[0] < foldable[1]

    for query in ("آستارا", "راه آهن رشت", "امريكا", "MULLER genève", "Ελλάδα سفیر", "رئیس‌جمهور"):
        sql = f"SELECT article_id, {schema}.match_bm25(article_id, ?) AS s FROM dim_article WHERE s IS NOT NULL ORDER BY article_id"
        expected, got = reference.execute(sql, [query]).fetchall(), ours.execute(sql, [query]).fetchall()
        assert expected and [a for a, _ in got] == [a for a, _ in expected], query
        assert [round(s, 9) for _, s in got] == [round(s, 9) for _, s in expected], query


def test_bm25_fold_is_lower_strip_accents(tmp_path):
    """_bm25_fold gives, character by character, what the tokenize macro's
    lower(strip_accents(...)) gives, for every character _bm25_foldable accepts."""
    from warehouse import search

    con = duckdb.connect()
    search.define_fold_macros(con)
    chars = [chr(c) for first, last in search.FOLDED_RANGES for c in range(first, last + 1)]
    differ = con.execute(
        "SELECT c FROM (SELECT unnest(?) AS c) WHERE _bm25_foldable(c) AND _bm25_fold(c) <> lower(strip_accents(c))",
        [chars],
    ).fetchall()
    assert differ == []
    # NFD takes the hamza or madda off: ئ is Arabic yeh, ۀ is U+06D5 (ae)
    folded = "\u0627\u0627\u0627\u0648\u064a\u06d5 ea"
    assert con.execute("SELECT _bm25_fold('آأإؤئۀ ÉA'), _bm25_foldable('Ελλάδα')").fetchone() == (folded, False)


def test_search_cli(seeded, capsys):
    from flows.cli import main

    assert main(["search", "راه آهن رشت", "--limit", "2", "--warehouse", str(seeded)]) == 0
    out = capsys.readouterr().out
    assert "001_48a1204ac61837a3.txt" in out.splitlines()[3]  # first result row of the table


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export(seeded, tmp_path, fmt):
    from flows.cli import main

    out = tmp_path / "export"
    assert main(["export", str(out), "--format", fmt, "--warehouse", str(seeded)]) == 0
    names = {p.stem for p in out.iterdir()}
    assert {"fact_call", "call_participant", "call_topic", "call_mention", "dim_official", "dim_country",
            "dim_article", "dim_date", "v_calls", "v_official_calls", "v_country_counterparts_year",
            "v_official_month", "v_country_pair_month", "v_topic_month"} <= names
    reader = "read_parquet" if fmt == "parquet" else "read_csv_auto"
    n = duckdb.sql(f"SELECT count(*) FROM {reader}('{out / ('v_calls.' + fmt)}')").fetchone()[0]
    assert n == 2


def test_docs_cli(tmp_path):
    from flows.cli import main

    target = tmp_path / "warehouse.md"
    assert main(["docs", "--out", str(target)]) == 0
    assert "## v_official_calls" in target.read_text(encoding="utf-8")
