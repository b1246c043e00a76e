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
    calls = rows(seeded, "SELECT call_date_precision, call_date_gregorian, call_date_jalali, call_year_jalali, "
                         "call_month_jalali, participant_names, call_date FROM v_calls ORDER BY call_period_start")
    # 31 July 2020 (Eid al-Adha, a Friday); March 2021 (Nowruz 1400 ahead, no day given):
    # a Gregorian month is Esfand 1399 and Farvardin 1400, never "1399-12-11".
    assert [c[:3] for c in calls] == [("day", "2020-07-31", "1399-05-10"), ("month", "March 2021", "اسفند ۱۳۹۹–فروردین ۱۴۰۰")]
    assert calls[0][3:5] == (1399, 5) and calls[1][3:5] == (None, None)
    assert calls[1][6] is None  # no made-up first day
    assert set(calls[0][5]) == {"الهام علی‌اف", "حسن روحانی"}
    history = rows(seeded, "SELECT counterpart_names, evidence, article_titles FROM v_official_calls "
                           "WHERE official_id = 'hassan-rouhani'")
    assert len(history) == 1
    counterparts, evidence, titles = history[0]
    assert counterparts == ["الهام علی‌اف"] and "تماس تلفنی" in evidence[0] and titles[0].startswith("روحانی")
    top = rows(seeded, "SELECT calendar, year, counterpart_code, n_calls FROM v_country_counterparts_year "
                       "WHERE country_code = 'IR' ORDER BY calendar, year NULLS LAST")
    # March 2021 is in Jalali 1399 and 1400: that call has no Jalali year
    assert top == [("gregorian", 2020, "AZ", 1), ("gregorian", 2021, "AZ", 1), ("jalali", 1399, "AZ", 1), ("jalali", None, "AZ", 1)]
    months = rows(seeded, "SELECT calendar, month, month_label, n_calls, n_initiated FROM v_official_month "
                          "WHERE official_id IN ('ilham-aliyev', 'mahmoud-vaezi') ORDER BY official_id, calendar")
    assert months == [
        ("gregorian", "2020-07", "July 2020", 1, 1), ("jalali", "1399-05", "مرداد ۱۳۹۹", 1, 1),
        ("gregorian", "2021-03", "March 2021", 1, 0), ("jalali", "1399-12/1400-01", "اسفند ۱۳۹۹–فروردین ۱۴۰۰", 1, 0),
    ]


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


def test_bm25_fold_is_lower_strip_accents_with_separators_as_spaces(tmp_path):
    """_bm25_fold gives, character by character, what the tokenize macro's
    lower(strip_accents(...)) gives, with a space for every character that separates
    tokens, for every character _bm25_foldable accepts."""
    from warehouse import search

    con = duckdb.connect()
    search.define_fold_macros(con)
    chars = [chr(c) for first, last in search.FOLDED_RANGES for c in range(first, last + 1)]
    differ = con.execute(
        "SELECT c FROM (SELECT unnest(?) AS c) WHERE _bm25_foldable(c)"
        " AND _bm25_fold(c) <> regexp_replace(lower(strip_accents(c)), ?, ' ', 'g')",
        [chars, search.IGNORE],
    ).fetchall()
    assert differ == []
    # NFD takes the hamza or madda off: ئ is Arabic yeh, ۀ is U+06D5 (ae); ZWNJ, the
    # Persian comma and a dash separate words
    folded = "\u0627\u0627\u0627\u0648\u064a\u06d5 ea \u0647\u0645 \u0647\u0627 x y"
    assert con.execute("SELECT _bm25_fold('آأإؤئۀ ÉA هم\u200cها x،y'), _bm25_foldable('Ελλάδα')").fetchone() == (folded, False)


def test_search_cli(seeded, capsys):
    from flows.cli import main

    assert main(["search", "راه آهن رشت", "--limit", "2", "--warehouse", str(seeded)]) == 0
    out = capsys.readouterr().out
    assert "001_48a1204ac61837a3.txt" in out.splitlines()[4]  # first result row of the table
    assert "راه‌آهن رشت" in out  # the snippet
    assert "1399-05-10: الهام علی‌اف – حسن روحانی" in out  # the call the article reports


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


def test_csv_export_for_excel_has_a_bom_and_tehran_times(seeded, tmp_path):
    from flows.cli import main

    plain, excel = tmp_path / "plain", tmp_path / "excel"
    assert main(["export", str(plain), "--format", "csv", "--warehouse", str(seeded)]) == 0
    assert main(["export", str(excel), "--format", "csv", "--excel", "--warehouse", str(seeded)]) == 0
    for path in plain.iterdir():
        data, with_bom = path.read_bytes(), (excel / path.name).read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf") and with_bom.startswith(b"\xef\xbb\xbf"), path.name
        # the same rows (a view's row order is not fixed)
        assert sorted(with_bom[3:].splitlines()) == sorted(data.splitlines()), path.name
    text = (excel / "v_calls.csv").read_text(encoding="utf-8-sig")
    assert "اسفند ۱۳۹۹–فروردین ۱۴۰۰" in text  # Persian survives, read as Excel reads it
    assert main(["export", str(tmp_path / "p"), "--format", "parquet", "--excel", "--warehouse", str(seeded)]) == 2


def test_docs_cli(tmp_path):
    from flows.cli import main

    target = tmp_path / "warehouse.md"
    assert main(["docs", "--out", str(target)]) == 0
    assert "## v_official_calls" in target.read_text(encoding="utf-8")


def _dated_catalog(calls: list[tuple]) -> duckdb.DuckDBPyConnection:
    """A catalog with dim_date (the real calendar) and fact_call rows (call_id, call_date,
    precision, basis), one participant pair each (IR-OM) and one topic."""
    from datetime import date

    from transforms.calendar import calendar_days

    con = docs.fresh_catalog()
    days = calendar_days(date(2019, 1, 1), date(2027, 12, 31))
    con.register("days", days.to_arrow())
    con.execute("INSERT INTO dim_date SELECT * FROM days")
    for call_id, day, precision, basis in calls:
        con.execute("INSERT INTO fact_call VALUES (?, ?, ?, ?, NULL, 'phone', 1, [])", [call_id, day, precision, basis])
        con.execute("INSERT INTO call_participant VALUES (?, 'a', 'IR', NULL, NULL, true), (?, 'b', 'OM', NULL, NULL, false)",
                    [call_id, call_id])
        con.execute("INSERT INTO call_topic VALUES (?, 'trade_economy', 'شاهد', 'x', 0, 1)", [call_id])
    return con


def test_dates_show_only_what_the_evidence_gives():
    con = _dated_catalog([
        ("day", "2026-05-11", "day", "stated"),          # 21 Ordibehesht 1405
        ("may", "2026-05-01", "month", "published"),     # May 2026: 11 Ordibehesht - 10 Khordad
        ("ordibehesht", "2026-04-21", "month", "stated"),  # 1 Ordibehesht 1405: a Jalali month
        ("y2026", "2026-01-01", "year", "stated"),
        ("y1405", "2026-03-21", "year", "stated"),       # 1 Farvardin 1405: a Jalali year
        ("none", None, None, None),
    ])
    got = {r[0]: r[1:] for r in con.execute(
        "SELECT call_id, call_date, call_date_precision, call_date_gregorian, call_date_jalali, "
        "CAST(call_period_start AS VARCHAR), CAST(call_period_end AS VARCHAR) FROM v_calls").fetchall()}
    from datetime import date

    assert got["day"] == (date(2026, 5, 11), "day", "2026-05-11", "1405-02-21", "2026-05-11", "2026-05-11")
    assert got["may"] == (None, "month", "May 2026", "اردیبهشت–خرداد ۱۴۰۵", "2026-05-01", "2026-05-31")
    assert got["ordibehesht"] == (None, "month", "April–May 2026", "اردیبهشت ۱۴۰۵", "2026-04-21", "2026-05-21")
    assert got["y2026"] == (None, "year", "2026", "۱۴۰۴–۱۴۰۵", "2026-01-01", "2026-12-31")
    assert got["y1405"] == (None, "year", "2026–2027", "۱۴۰۵", "2026-03-21", "2027-03-20")
    assert got["none"] == (None, "none", None, None, None, None)
    # No view shows a day for a call that has none: every DATE column of every view is
    # null for those calls but the period bounds, and no text column looks like a day.
    coarse = ("may", "ordibehesht", "y2026", "y1405", "none")
    for (view,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'").fetchall():
        columns = [c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [view]).fetchall()]
        if "call_id" not in columns:
            continue
        for row in con.execute(f"SELECT * FROM {view} WHERE call_id IN {coarse}").fetchall():
            for column, value in zip(columns, row):
                if column in ("call_period_start", "call_period_end"):
                    continue
                assert not isinstance(value, date), (view, column, value)
                assert not (isinstance(value, str) and __import__("re").fullmatch(r"\d{4}-\d\d-\d\d", value)), (view, column, value)


def test_monthly_views_split_a_gregorian_month_between_two_jalali_months():
    # 2026-05-05 is 15 Ordibehesht, 2026-05-20 is 30 Ordibehesht... 2026-05-25 is 4 Khordad
    con = _dated_catalog([
        ("a", "2026-05-05", "day", "stated"), ("b", "2026-05-25", "day", "stated"),
        ("c", "2026-05-01", "month", "published"),
    ])
    for view in ("v_country_pair_month", "v_topic_month"):
        got = con.execute(f"SELECT calendar, year, month, month_label, n_calls FROM {view} ORDER BY calendar, month").fetchall()
        assert got == [
            ("gregorian", 2026, "2026-05", "May 2026", 3),
            ("jalali", 1405, "1405-02", "اردیبهشت ۱۴۰۵", 1),
            ("jalali", 1405, "1405-02/1405-03", "اردیبهشت–خرداد ۱۴۰۵", 1),
            ("jalali", 1405, "1405-03", "خرداد ۱۴۰۵", 1),
        ], view


def test_publication_time_is_tehran_time_with_its_offset():
    con = _dated_catalog([])
    con.execute("INSERT INTO dim_article (article_id, source_path, content_sha256, raw_text, clean_text, run_id, published_at) VALUES "
                "('x', 'a.json', 's', 't', 't', 'r', TIMESTAMPTZ '2026-05-12 03:57:00+00'), "
                "('y', 'b.json', 's', 't', 't', 'r', TIMESTAMPTZ '2020-07-31 10:00:00+00')")
    con.execute("INSERT INTO call_mention VALUES ('c', 'x', 0, 0, 0, 1, 'e'), ('c', 'y', 0, 0, 0, 1, 'e')")
    got = [r[0] for r in con.execute("SELECT published_at_tehran FROM stg_mention_sourced ORDER BY article_id").fetchall()]
    assert got == ["2026-05-12 07:27 +03:30 (Asia/Tehran)", "2020-07-31 14:30 +04:30 (Asia/Tehran)"]


# ------------------------------------------------------------------ tamas sql (issue 15)

def _tamas(*args):
    import subprocess
    import sys

    tamas = Path(sys.executable).with_name("tamas")
    return subprocess.run([str(tamas), *map(str, args)], capture_output=True, text=True, timeout=120)


def test_sql_csv_in_a_pipe_reads_back_every_column(seeded):
    import csv
    import io
    import json

    columns = [r[0] for r in rows(seeded, "DESCRIBE v_calls")]
    out = _tamas("sql", "SELECT * FROM v_calls ORDER BY call_period_start", "--format", "csv", "--warehouse", seeded)
    assert out.returncode == 0, out.stderr
    table = list(csv.reader(io.StringIO(out.stdout)))
    assert table[0] == columns and len(table) == 3 and all(len(r) == len(columns) for r in table)
    first = dict(zip(table[0], table[1]))
    assert set(json.loads(first["participant_names"])) == {"الهام علی‌اف", "حسن روحانی"}
    assert first["call_date_jalali"] == "1399-05-10" and dict(zip(table[0], table[2]))["call_date"] == ""


def test_sql_table_in_a_pipe_shows_every_column_whole(seeded):
    out = _tamas("sql", "SELECT * FROM v_calls", "--warehouse", seeded)
    assert out.returncode == 0, out.stderr
    for column, _, *rest in rows(seeded, "DESCRIBE v_calls"):
        assert column in out.stdout
    assert "shown)" not in out.stdout and "…" not in out.stdout
    assert "اسفند ۱۳۹۹–فروردین ۱۴۰۰" in out.stdout


def test_sql_json_markdown_and_several_statements_in_order(seeded):
    import json

    out = _tamas("sql", "SELECT 1 AS first; SELECT call_date_gregorian, participant_names FROM v_calls "
             "WHERE call_date_precision = 'month'", "--format", "json", "--warehouse", seeded)
    assert out.returncode == 0, out.stderr
    decoder, text = json.JSONDecoder(), out.stdout.strip()
    first, end = decoder.raw_decode(text)
    second = json.loads(text[end:])
    assert first == [{"first": 1}]
    assert second[0]["call_date_gregorian"] == "March 2021" and len(second[0]["participant_names"]) == 2
    md = _tamas("sql", "SELECT 'a|b' AS x, 2 AS y", "--format", "markdown", "--warehouse", seeded)
    assert md.stdout.splitlines() == ["| x | y |", "|---|---|", "| a\\|b | 2 |"]
    table = _tamas("sql", "SELECT 'first' AS s; SELECT 'second' AS s", "--warehouse", seeded)
    assert 0 < table.stdout.index("first") < table.stdout.index("second")


def test_sql_keeps_duckdb_hints(seeded):
    out = _tamas("sql", "SELECT * FROM v_call", "--warehouse", seeded)
    assert out.returncode == 2
    assert out.stderr.startswith("tamas: error: Catalog Error: Table with name v_call does not exist!")
    assert 'Did you mean "v_calls"' in out.stderr
    syntax = _tamas("sql", "SELEC 1", "--warehouse", seeded)
    assert syntax.returncode == 2 and "LINE 1: SELEC 1" in syntax.stderr and "Traceback" not in syntax.stderr


# ------------------------------------------------------------- tamas search (issue 15)

# Articles written for this test, each spelling "conversation" its own way (or not at all).
SPELLINGS = {
    "a-zwnj": "وزیران خارجه ایران و عمان روز دوشنبه در یک گفت‌وگوی تلفنی درباره تردد کشتی‌ها در تنگه هرمز رایزنی کردند.",
    "b-glued": "رئیس‌جمهور در گفتگوی تلفنی با نخست‌وزیر پاکستان از تلاش‌های اسلام‌آباد برای آتش‌بس قدردانی کرد.",
    "c-spaced": "وزیر امور خارجه کشورمان در گفت و گو با همتای ترکیه‌ای خود تحولات منطقه را بررسی کرد.",
    "d-said": "سخنگوی دولت گفت که جلسه هیئت دولت فردا برگزار می‌شود و درباره بودجه تصمیم می‌گیرد.",
}


@pytest.fixture(scope="module")
def spelled(tmp_path_factory):
    from transforms.cleaning import clean_text
    from warehouse import search

    path = tmp_path_factory.mktemp("search") / "w.duckdb"
    con = docs.fresh_catalog()
    con.execute(f"ATTACH '{path}' AS w")
    con.execute("COPY FROM DATABASE memory TO w")
    con.close()
    con = duckdb.connect(str(path))
    for article_id, text in SPELLINGS.items():
        con.execute("INSERT INTO dim_article (article_id, source_path, content_sha256, title, raw_text, clean_text, run_id, "
                    "published_at) VALUES (?, ?, 's', ?, ?, ?, 'r', TIMESTAMPTZ '2026-05-12 03:57:00+00')",
                    [article_id, f"/in/{article_id}.json", text[:30], text, clean_text(text)])
    search.build_index(con)
    con.close()
    return path


@pytest.mark.parametrize("query", ["گفتگو", "گفت‌وگو", "گفت و گو", "گفت وگو"])
def test_search_spelling_variants_find_the_same_articles(spelled, query):
    from transforms.cleaning import clean_text
    from warehouse.search import search

    con = connect_readonly(spelled)
    try:
        hits = search(con, query, clean=clean_text)
    finally:
        con.close()
    # every spelling of the word, and never the article that only "said" (گفت)
    assert sorted(h["article_id"] for h in hits) == ["a-zwnj", "b-glued", "c-spaced"]
    by_id = {h["article_id"]: h for h in hits}
    assert by_id["b-glued"]["snippet"]["match"] == "گفت‌وگوی"
    assert by_id["a-zwnj"]["snippet"]["before"].endswith("در یک ")
    assert by_id["a-zwnj"]["published_tehran"] == "2026-05-12 07:27 +03:30"


def test_csv_export_writes_times_in_tehran_time(spelled, tmp_path):
    from flows.cli import main

    assert main(["export", str(tmp_path), "--format", "csv", "--warehouse", str(spelled)]) == 0
    articles = (tmp_path / "dim_article.csv").read_text(encoding="utf-8")
    assert articles.count("2026-05-12 07:27:00+03:30") == len(SPELLINGS) and "03:57:00" not in articles


def test_search_cli_formats_and_exit_status(spelled):
    import csv
    import io
    import json

    out = _tamas("search", "گفت و گو", "--format", "csv", "--warehouse", spelled)
    assert out.returncode == 0, out.stderr
    table = list(csv.reader(io.StringIO(out.stdout)))
    assert table[0][:3] == ["rank", "score", "title"] and len(table) == 4
    assert all("گفت‌وگو" in dict(zip(table[0], row))["snippet"] for row in table[1:])
    js = json.loads(_tamas("search", "گفتگو", "--format", "json", "--warehouse", spelled).stdout)
    assert {h["file"] for h in js} == {"a-zwnj.json", "b-glued.json", "c-spaced.json"} and js[0]["calls"] == []
    md = _tamas("search", "گفتگو", "--format", "markdown", "--warehouse", spelled).stdout.splitlines()
    assert md[0].startswith("| rank | score | title |") and len(md) == 5
    none = _tamas("search", "زلزله", "--warehouse", spelled)
    assert none.returncode == 1 and none.stdout == "" and "no article matches" in none.stderr


def test_every_documentation_link_resolves():
    """README.md and docs/*.md link only to files the repository has (the table contract
    and the topic codes are docs/contract.md and docs/topics.md, not the spec's copies)."""
    import re

    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    checked = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = (page.parent / target.split("#")[0]).resolve()
            assert path.exists(), f"{page.name} links to {target}, which is not in the repository"
            checked += 1
        # a bare mention of the spec's files is a reference a reader cannot follow
        if page.name in ("README.md", "warehouse.md", "analysts.md", "contract.md", "topics.md"):
            assert not re.search(r"(?<![/\w])(WAREHOUSE|TOPICS)\.md", text), page.name
    assert checked >= 10
    assert "## v_calls" in (REPO / "docs" / "warehouse.md").read_text(encoding="utf-8")
    topics = (REPO / "docs" / "topics.md").read_text(encoding="utf-8")
    from warehouse.load import load_topics

    for code in load_topics()["topic_code"]:
        assert f"`{code}`" in topics


def test_calendar_days_agree_with_jdatetime_on_every_day():
    """dim_date's Jalali columns follow the first day a day at a time
    (transforms/calendar.py): every day of 1990-2060, leap years and month ends
    included, is the date jdatetime converts it to."""
    from datetime import date

    import jdatetime

    from transforms.calendar import JALALI_MONTHS, calendar_days

    days = calendar_days(date(1990, 1, 1), date(2060, 12, 31))
    assert days.height == (date(2060, 12, 31) - date(1990, 1, 1)).days + 1
    for day, text, year, month, mday, month_name, _ in days.iter_rows():
        j = jdatetime.date.fromgregorian(date=day)
        assert (year, month, mday) == (j.year, j.month, j.day), day
        assert text == f"{j.year:04d}-{j.month:02d}-{j.day:02d}" and month_name == JALALI_MONTHS[j.month - 1]
