"""Full-text search over ``dim_article.clean_text`` that works for Persian.

DuckDB's fts extension, with its defaults, lower-cases, strips accents and then replaces
every run of characters matching ``(\\.|[^a-z])+`` by a space: every Persian letter is
dropped and nothing is indexed. The index here is built with

- ``ignore='[^\\p{L}\\p{N}]+'``: a token is a run of letters (any script) and digits;
  everything else separates tokens, ZWNJ included, so ``همکاری‌ها`` indexes
  ``همکاری`` and ``ها`` (a cheap stand-in for the stemmer Persian does not have);
- ``strip_accents=1``: NFD then drop combining marks, so ``آ`` = ``ا``, ``أ`` = ``ا``,
  ``ۀ`` = ``ه`` and diacritics (harakat) vanish, on the text and on the query alike;
- ``stemmer='none'`` (Snowball has no Persian), ``stopwords='none'`` (BM25's idf already
  weighs down از، و، به), ``lower=1`` (Latin words match case-insensitively).

The index lives in the warehouse (schema ``fts_main_dim_article``) and is rebuilt by
every run before it publishes (``build_index``, called from the flow's finish step), so
any reader can rank articles in SQL::

    SELECT article_id, title, fts_main_dim_article.match_bm25(article_id, 'راه آهن رشت') AS score
    FROM dim_article WHERE score IS NOT NULL ORDER BY score DESC;

The fts extension cannot be downloaded at run time: it comes from the
``duckdb-ext-fts`` wheel, whose folder ``enable_fts`` sets as DuckDB's extension
directory (``store.connect_readonly`` does it for every reader).
"""

from __future__ import annotations

import importlib.metadata
import os
from functools import lru_cache
from pathlib import Path

import duckdb

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


def build_index(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build the BM25 index over dim_article.clean_text (inside the run's transaction).

    The build holds a row per word occurrence and does not spill all of it: with the
    load's 256 MB buffer cap it ran out of memory at 300,000 articles. It gets its own
    cap (``TAMAS_DUCKDB_INDEX_MEMORY``, default 512 MB) and no insertion order to keep.
    Measured on the bench corpus: 512 MB builds 300,000 articles in +680 MB of RSS;
    1 GB was ~20 % faster at 100k but took +1,150 MB, the run's peak."""
    enable_fts(con)
    memory_limit, order = con.execute(
        "SELECT current_setting('memory_limit'), current_setting('preserve_insertion_order')"
    ).fetchone()
    con.execute(f"SET memory_limit = '{os.environ.get('TAMAS_DUCKDB_INDEX_MEMORY', '512MB')}'")
    con.execute("SET preserve_insertion_order = false")
    try:
        con.execute(
            "PRAGMA create_fts_index('dim_article', 'article_id', 'clean_text', "
            f"stemmer='none', stopwords='none', ignore='{IGNORE}', strip_accents=1, lower=1, overwrite=1)"
        )
    finally:
        con.execute(f"SET memory_limit = '{memory_limit}'")
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
