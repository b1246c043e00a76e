"""Full-text search over ``dim_article.clean_text`` that works for Persian.

DuckDB's fts extension, with its defaults, lower-cases, strips accents and then replaces
every run of characters matching ``(\\.|[^a-z])+`` by a space: every Persian letter is
dropped and nothing is indexed. The index here is the one the extension builds with

- ``ignore='[^\\p{L}\\p{N}]+'``: a token is a run of letters (any script) and digits;
  everything else separates tokens, ZWNJ included, so ``همکاری‌ها`` indexes
  ``همکاری`` and ``ها`` (a cheap stand-in for the stemmer Persian does not have);
- ``strip_accents=1``: NFD then drop combining marks, so ``آ`` = ``ا``, ``أ`` = ``ا``,
  ``ۀ`` = ``ه`` and diacritics (harakat) vanish, on the text and on the query alike;
- ``stemmer='none'`` (Snowball has no Persian), ``stopwords='none'`` (BM25's idf already
  weighs down از، و، به), ``lower=1`` (Latin words match case-insensitively).

The index lives in the warehouse (schema ``fts_main_dim_article``, the extension's
tables and macros) and is rebuilt by every run before it publishes (``build_index``,
called from the flow's finish step), so any reader can rank articles in SQL::

    SELECT article_id, title, fts_main_dim_article.match_bm25(article_id, 'راه آهن رشت') AS score
    FROM dim_article WHERE score IS NOT NULL ORDER BY score DESC;

It is built by our own SQL (``warehouse/sql/search/bm25_index.sql``, faster than the
extension's ``create_fts_index``; why there), which needs no extension, and neither do
its macros. Readers still load fts (``enable_fts``, from the ``duckdb-ext-fts`` wheel,
never downloaded): an index built by an earlier version calls the extension's stem().
"""

from __future__ import annotations

import importlib.metadata
from functools import lru_cache
from pathlib import Path

import duckdb

from warehouse.store import read_sql, step_memory

INDEX_SCHEMA = "fts_main_dim_article"
IGNORE = r"[^\p{L}\p{N}]+"

# Arabic letter forms that clean_text already maps to Persian ones; queries typed on an
# Arabic keyboard get the same treatment (the index cannot see the difference otherwise).
_QUERY_TRANSLATION = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "\u200c": " "})


@lru_cache(maxsize=1)
def extension_directory() -> str:
    """The folder holding ``v<version>/<platform>/fts.duckdb_extension`` (the wheel's)."""
    files = importlib.metadata.files("duckdb-ext-fts") or []
    for file in files:
        if file.name == "fts.duckdb_extension":
            return str(Path(file.locate()).resolve().parents[2])
    raise RuntimeError("the duckdb-ext-fts package is not installed: pip install duckdb-ext-fts")


def enable_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load fts from the installed wheel (never from the network)."""
    con.execute(f"SET extension_directory = '{extension_directory()}'")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("LOAD fts")


# Characters (code point ranges) whose lower(strip_accents(c)) is at most one character:
# ASCII, Latin-1 and Latin Extended-A, Arabic and Arabic Supplement, general
# punctuation (ZWNJ, dashes, quotes), Arabic presentation forms. An article written
# only in these is tokenised by one translate() (bm25_index.sql).
FOLDED_RANGES = (
    (0x09, 0x0D), (0x20, 0x7E), (0xA0, 0x17F), (0x600, 0x6FF), (0x750, 0x77F),
    (0x2000, 0x206F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF),
)


def _sql_string(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def define_fold_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Temporary macros ``_bm25_foldable(s)`` (every character of s is in FOLDED_RANGES)
    and ``_bm25_fold(s)`` (lower(strip_accents(s)) for such an s, as one translate()).
    The table is read from DuckDB's own strip_accents and lower, so it follows them: a
    character they map to more than one character leaves the folded set."""
    chars = [chr(c) for first, last in FOLDED_RANGES for c in range(first, last + 1)]
    folded = con.execute(
        "SELECT c, lower(strip_accents(c)) FROM (SELECT unnest(?) AS c)", [chars]
    ).fetchall()
    multi = {c for c, f in folded if len(f) > 1}
    mapped = [(c, f) for c, f in folded if f != c and len(f) == 1]
    dropped = [c for c, f in folded if f == ""]
    # translate(): characters of `from` past the end of `to` are deleted
    source = "".join(c for c, _ in mapped) + "".join(dropped)
    target = "".join(f for _, f in mapped)
    ranges = "".join(f"\\x{{{first:x}}}-\\x{{{last:x}}}" for first, last in FOLDED_RANGES)
    excluded = "".join(f"\\x{{{ord(c):x}}}" for c in sorted(multi))
    unfoldable = f"[^{ranges}]" + (f"|[{excluded}]" if excluded else "")
    con.execute(
        f"CREATE OR REPLACE TEMP MACRO _bm25_foldable(s) AS NOT regexp_matches(s, {_sql_string(unfoldable)})"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP MACRO _bm25_fold(s) AS translate(s, {_sql_string(source)}, {_sql_string(target)})"
    )


def build_index(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build the BM25 index over dim_article.clean_text (inside the run's
    transaction), with warehouse/sql/search/bm25_index.sql.

    The build holds a row per word occurrence: it runs under its own memory cap
    (``store.MEMORY_CAPS["index"]``) with no insertion order to keep."""
    order = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()[0]
    con.execute("SET preserve_insertion_order = false")
    try:
        with step_memory(con, "index"):
            define_fold_macros(con)
            con.execute(read_sql("search", "bm25_index"))
    finally:
        con.execute("DROP MACRO IF EXISTS _bm25_foldable")
        con.execute("DROP MACRO IF EXISTS _bm25_fold")
        con.execute(f"SET preserve_insertion_order = {str(order).lower()}")


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = 'docs'", [INDEX_SCHEMA]
        ).fetchone()[0]
    )


def normalize_query(query: str) -> str:
    return " ".join(query.translate(_QUERY_TRANSLATION).split())


def search(con: duckdb.DuckDBPyConnection, query: str, limit: int = 10) -> list[dict]:
    """Articles matching ``query`` (any of its words), best BM25 score first."""
    if not has_index(con):
        raise LookupError("the warehouse has no search index yet: run `tamas ingest` (every run builds it)")
    query = normalize_query(query)
    if not query:
        return []
    rows = con.execute(
        f"""
        SELECT article_id, score, title, outlet, published_date, source_path,
               (SELECT count(*) FROM call_mention m WHERE m.article_id = s.article_id) AS n_calls
        FROM (
            SELECT *, {INDEX_SCHEMA}.match_bm25(article_id, ?) AS score FROM dim_article
        ) AS s
        WHERE score IS NOT NULL
        ORDER BY score DESC, article_id
        LIMIT ?
        """,
        [query, limit],
    ).fetchall()
    keys = ("article_id", "score", "title", "outlet", "published_date", "source_path", "n_calls")
    return [dict(zip(keys, row)) for row in rows]
