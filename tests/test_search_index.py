"""The BM25 index kept up batch by batch as a run loads (warehouse/search.py,
IndexAppender; issue 17) is the index the whole build gives (which
tests/test_analyst.py checks against the fts extension's), on the seeds and on awkward
text, however the articles arrive; and a run's index covers what the flow loaded."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from warehouse import search

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds" / "articles"
SCHEMA = search.INDEX_SCHEMA

AWKWARD = [
    "وزير امور خارجه أمريكا با همتای إيرانی و مؤسسه ئی در آستارا گفت‌وگو کرد؛ مُذاکرات ادامه دارد.",
    "Éric MÜLLER (AFP) said: the talks in Genève were «constructive» — 1,730.86 km, ۱۴۰۳/۰۸/۱۲.",
    "سفیر یونان (Ελλάδα) و روسیه (Москва) در سئول (서울) دیدار کردند.",
    "café\u0301 و رئیس‌جمهور 🇮🇷 در تماس تلفنی",
    "",
    "راه آهن رشت و راه آهن آستارا؛ رشت رشت",
    None,
]

SNAPSHOT = [
    f"SELECT docid, name, len FROM {SCHEMA}.docs ORDER BY docid",
    f"SELECT term, df FROM {SCHEMA}.dict ORDER BY term",
    f"SELECT docid, d.term, count(*) FROM {SCHEMA}.terms JOIN {SCHEMA}.dict d USING (termid) GROUP BY ALL ORDER BY ALL",
    f"SELECT * FROM {SCHEMA}.stats",
    f"SELECT count(*), count(DISTINCT termid), count(DISTINCT term) FROM {SCHEMA}.dict",
]
QUERIES = ("آستارا", "راه آهن رشت", "امريكا", "MULLER genève", "Ελλάδα سفیر", "رئیس‌جمهور", "تماس")


def _texts() -> list[str]:
    from transforms.cleaning import clean_texts

    return clean_texts([p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir())]) + AWKWARD


def _warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE dim_article (article_id VARCHAR, clean_text VARCHAR)")
    return con


def _append(con, texts: list[str], start: int) -> None:
    con.executemany("INSERT INTO dim_article VALUES (?, ?)", [[f"a{start + i}", t] for i, t in enumerate(texts)])


def _whole(path: Path, texts: list[str]) -> duckdb.DuckDBPyConnection:
    con = _warehouse(path)
    _append(con, texts, 0)
    search.build_index(con)
    return con


def _run(con, batches: list[list[str]], start: int, fold_here: str = "all") -> int:
    """One run: its batches appended and indexed as the flow does (flows/ingest.py),
    which hands each batch's texts to the appender to fold (``fold_here`` "all"; "some":
    every other one, twice, the rest left to DuckDB; "none": DuckDB folds them all)."""
    appender = search.IndexAppender()
    for batch in batches:
        if not batch:  # a batch with no new article appends nothing (load_batch)
            continue
        first = appender.next_rowid(con)
        _append(con, batch, start)
        texts = pl.DataFrame({"article_id": [f"a{start + i}" for i in range(len(batch))], "clean_text": batch},
                             schema={"article_id": pl.String, "clean_text": pl.String})
        if fold_here == "some":
            texts = pl.concat([texts[::2], texts[::2]])
        start += len(batch)
        appender.add(con, first, None if fold_here == "none" else texts)
    appender.finish(con)
    return start


def _assert_same_index(ours, whole) -> None:
    for sql in SNAPSHOT:
        assert ours.execute(sql).fetchall() == whole.execute(sql).fetchall(), sql
    for query in QUERIES:
        sql = f"SELECT article_id, {SCHEMA}.match_bm25(article_id, ?) AS s FROM dim_article WHERE s IS NOT NULL ORDER BY article_id"
        expected, got = whole.execute(sql, [query]).fetchall(), ours.execute(sql, [query]).fetchall()
        assert [a for a, _ in got] == [a for a, _ in expected], query
        assert [round(s, 9) for _, s in got] == [round(s, 9) for _, s in expected], query


@pytest.mark.parametrize("fold_here", ["all", "some", "none"])
@pytest.mark.parametrize("sizes", [[1, 2, 3, 3], [9], [4, 0, 5], [1, 1, 1, 1, 1, 1, 1, 1, 1]])
def test_batch_by_batch_is_the_whole_build(tmp_path, sizes, fold_here):
    texts = _texts()
    batches, at = [], 0
    for size in sizes:
        batches.append(texts[at:at + size])
        at += size
    ours = _warehouse(tmp_path / "ours.duckdb")
    _run(ours, batches, 0, fold_here)
    _assert_same_index(ours, _whole(tmp_path / "whole.duckdb", texts[:at]))


def test_the_loaders_tokens_are_duckdbs(tmp_path):
    """The appender folds and splits a batch's texts with polars; each text's tokens are
    what _bm25_fold and string_split give it in DuckDB, and a text _bm25_foldable refuses
    (or one the appender is not handed) gets DuckDB's tokenize: the tokens the whole build
    makes."""
    chars = "".join(chr(c) for first, last in search.FOLDED_RANGES for c in range(first, last + 1))
    texts = _texts() + [chars, chars[::-1], "x́y آٓ", "  دو  فاصله  ", ""]
    con = _warehouse(tmp_path / "fold.duckdb")
    _append(con, texts, 0)
    search.build_index(con)  # its tokenize macro
    appender = search.IndexAppender()
    appender._begin(con)
    handed = con.execute("SELECT article_id, clean_text FROM dim_article").pl()
    con.execute(search._tokens_sql("true"))
    whole = sorted(con.execute("SELECT docid, term FROM _bm25_tokens").fetchall())
    for given in (handed, handed[::2], None):
        assert sorted(appender._tokens(con, 0, given).rows()) == whole
    foldable = con.execute("SELECT count(*) FROM dim_article WHERE _bm25_foldable(clean_text)").fetchone()[0]
    assert 0 < foldable < len(texts)  # both kinds are in the batch


def test_later_runs_add_to_an_earlier_runs_index(tmp_path):
    """Three runs; the second and third add to the index the first left (new terms get
    new ids, known terms their old ones), with no article in the third."""
    texts = _texts()
    ours = _warehouse(tmp_path / "ours.duckdb")
    at = _run(ours, [texts[:3]], 0)
    terms_before = dict(ours.execute(f"SELECT term, termid FROM {SCHEMA}.dict").fetchall())
    at = _run(ours, [texts[3:6], texts[6:]], at)
    _run(ours, [], at)
    _assert_same_index(ours, _whole(tmp_path / "whole.duckdb", texts))
    after = dict(ours.execute(f"SELECT term, termid FROM {SCHEMA}.dict").fetchall())
    assert all(after[t] == i for t, i in terms_before.items())


def test_an_index_behind_its_articles_is_built_whole(tmp_path):
    """A warehouse whose index does not cover every article (articles added without
    it, or no index at all) gets the whole build at the end of the next run."""
    texts = _texts()
    ours = _whole(tmp_path / "ours.duckdb", texts[:2])
    _append(ours, texts[2:4], 2)  # behind by two articles
    _run(ours, [texts[4:]], 4)
    _assert_same_index(ours, _whole(tmp_path / "whole.duckdb", texts))

    bare = _warehouse(tmp_path / "bare.duckdb")
    _append(bare, texts[:3], 0)  # articles, no index
    _run(bare, [texts[3:]], 3)
    _assert_same_index(bare, _whole(tmp_path / "whole2.duckdb", texts))


def test_the_flow_indexes_every_article_it_loads(prefect_server, tmp_path):
    """Two runs of the real flow over the seeds, a file at a time: the index is the
    whole build's over what they loaded."""
    from flows.ingest import ingest_articles

    target = tmp_path / "w" / "tamas.duckdb"
    seeds = sorted(SEEDS.iterdir())
    for seed in seeds:
        ingest_articles(paths=[str(seed)], warehouse=str(target))
    ours = duckdb.connect(str(target), read_only=True)
    texts = [t for (t,) in ours.execute("SELECT clean_text FROM dim_article ORDER BY rowid").fetchall()]
    assert len(texts) == len(seeds)
    whole = _whole(tmp_path / "whole.duckdb", texts)
    for sql in SNAPSHOT[1:]:  # docs are named by article_id in the flow's warehouse
        assert ours.execute(sql).fetchall() == whole.execute(sql).fetchall(), sql
