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

import re
import unicodedata
from contextlib import contextmanager
from typing import Callable

import duckdb
import polars as pl

from core.script import ARABIC_FORMS, ZWNJ
from warehouse.store import enable_fts, read_sql, end_step  # noqa: F401 (enable_fts: readers import it from here)

INDEX_SCHEMA = "fts_main_dim_article"
IGNORE = r"[^\p{L}\p{N}]+"

# Arabic letter forms that clean_text already maps to Persian ones; queries typed on an
# Arabic keyboard get the same treatment (the index cannot see the difference otherwise).
_QUERY_TRANSLATION = str.maketrans({**ARABIC_FORMS, ZWNJ: " "})


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


def fold_table(con: duckdb.DuckDBPyConnection) -> tuple[str, str, str]:
    """(source, target, unfoldable) of the fold: ``translate(s, source, target)`` is
    lower(strip_accents(s)) with every character that is no letter or digit as a space
    (characters of ``source`` past the end of ``target`` are deleted), for an s that does
    not match the regex ``unfoldable``. The table is read from DuckDB's own strip_accents,
    lower and regex classes, so it follows them: a character they map to more than one
    character is unfoldable."""
    # The characters are made in SQL: a Python list of them as a parameter took DuckDB
    # longer to bind than all the rest of this function.
    code_points = " UNION ALL ".join(f"SELECT range AS cp FROM range({first}, {last + 1})" for first, last in FOLDED_RANGES)
    folded = con.execute(
        "SELECT c, f, regexp_matches(f, ?) FROM (SELECT cp, c, lower(strip_accents(c)) AS f FROM"
        f" (SELECT cp, chr(cp::INTEGER) AS c FROM ({code_points}))) ORDER BY cp",
        ["^" + IGNORE.replace("[^", "[", 1).removesuffix("+") + "$"],  # a character a token is made of
    ).fetchall()
    multi = {c for c, f, _ in folded if len(f) > 1}
    mapped = [(c, f if in_token else " ") for c, f, in_token in folded if len(f) == 1]
    mapped = [(c, f) for c, f in mapped if f != c]
    dropped = [c for c, f, _ in folded if f == ""]
    source = "".join(c for c, _ in mapped) + "".join(dropped)
    target = "".join(f for _, f in mapped)
    ranges = "".join(f"\\x{{{first:x}}}-\\x{{{last:x}}}" for first, last in FOLDED_RANGES)
    excluded = "".join(f"\\x{{{ord(c):x}}}" for c in sorted(multi))
    unfoldable = f"[^{ranges}]" + (f"|[{excluded}]" if excluded else "")
    return source, target, unfoldable


def define_fold_macros(con: duckdb.DuckDBPyConnection, table: tuple[str, str, str] | None = None) -> None:
    """Temporary macros ``_bm25_foldable(s)`` (s does not match ``fold_table``'s
    unfoldable) and ``_bm25_fold(s)`` (the fold, as one translate(): the tokens are then
    the words between single spaces). ``table``: ``fold_table(con)``, if already made."""
    source, target, unfoldable = table or fold_table(con)
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
    try:
        with end_step(con, "index"), _no_insertion_order(con):
            define_fold_macros(con)
            con.execute(read_sql("search", "bm25_index").replace("$tokens", _tokens_sql("true")))
    finally:
        _drop_fold_macros(con)


@contextmanager
def _no_insertion_order(con: duckdb.DuckDBPyConnection):
    """A row per word occurrence need not keep its order: DuckDB may then run it in parallel."""
    order = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()[0]
    con.execute("SET preserve_insertion_order = false")
    try:
        yield
    finally:
        con.execute(f"SET preserve_insertion_order = {str(order).lower()}")


def _tokens_sql(which: str) -> str:
    """bm25_tokens.sql for the articles of dim_article (``a``) that ``which`` selects."""
    return read_sql("search", "bm25_tokens").replace("$which", which)


def _tokens_by_sql(con: duckdb.DuckDBPyConnection, which: str) -> pl.DataFrame:
    """(docid, term) that bm25_tokens.sql makes for the articles ``which`` selects."""
    con.execute(_tokens_sql(which))
    try:
        return con.execute("SELECT docid::BIGINT AS docid, term FROM _bm25_tokens").pl()
    finally:
        con.execute("DROP TABLE _bm25_tokens")


def _drop_fold_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP MACRO IF EXISTS _bm25_foldable")
    con.execute("DROP MACRO IF EXISTS _bm25_fold")


class IndexAppender:
    """The BM25 index kept up as a run loads, batch by batch, instead of rebuilt whole at
    its end (which tokenised every article on one core: ~8 s at 100,000 articles).

    ``add(con, first, texts)`` after each batch's articles are appended (dim_article's
    rows from rowid ``first`` on); ``finish(con)`` once, at the end. The first batch decides:
    an index that covers every earlier article is added to; a warehouse that had no
    articles gets the whole build (of that batch); otherwise (no index, or one behind
    the articles) the whole build runs at the end, as it did. The result is the index
    the whole build gives, but for the term ids (tests/test_analyst.py)."""

    def __init__(self) -> None:
        self.incremental: bool | None = None  # None: no batch yet
        self._vocabulary: pl.DataFrame | None = None  # (term, termid): the dictionary, kept as it grows
        self._next_termid = 0

    @staticmethod
    def next_rowid(con: duckdb.DuckDBPyConnection) -> int:
        """The rowid dim_article's next row gets (the table only ever appends)."""
        return con.execute("SELECT coalesce(max(rowid), -1) + 1 FROM dim_article").fetchone()[0]

    def add(self, con: duckdb.DuckDBPyConnection, first: int, texts: pl.DataFrame | None = None) -> None:
        """``texts``: (article_id, clean_text) of the batch's articles, whose tokens are
        made here (``_tokens``); an article not among them is tokenised by DuckDB."""
        if self.incremental is None:
            if _covers(con, first):
                self._begin(con)
            elif first == 0:
                build_index(con)  # this batch's articles are all there are
                self._begin(con)
                return
            else:
                self.incremental = False
        if not self.incremental:
            return
        with _no_insertion_order(con):
            made, new_terms = self._with_term_ids(self._tokens(con, first, texts))
            handed = {
                "_bm25_made": made.select("docid", "termid"),
                "_bm25_new_terms": new_terms,
                "_bm25_batch": made.group_by("termid").agg(df=pl.col("docid").n_unique().cast(pl.Int64)),
                "_bm25_lengths": made.group_by("docid").agg(len=pl.len().cast(pl.Int64)),
            }
            for name, frame in handed.items():
                con.register(name, frame.to_arrow())
            try:
                con.execute(read_sql("search", "bm25_append").replace("$first", str(int(first))))
            finally:
                for name in handed:
                    con.unregister(name)

    def _tokens(self, con: duckdb.DuckDBPyConnection, first: int, texts: pl.DataFrame | None) -> pl.DataFrame:
        """(docid, term), a row per word occurrence, of dim_article's articles from rowid
        ``first`` on. Those ``texts`` has and the fold covers are folded and split here
        with polars (one Aho-Corasick pass, then a split: cheaper than DuckDB's translate()
        and string_split() over texts read back from the table); the others' tokens are
        made by DuckDB (bm25_tokens.sql)."""
        if texts is None:
            return _tokens_by_sql(con, f"a.rowid >= {int(first)}")
        source, replacements, unfoldable = self._fold
        ids = con.execute("SELECT rowid AS docid, article_id FROM dim_article WHERE rowid >= ?", [first]).pl()
        texts = texts.unique("article_id", keep="first", maintain_order=True)
        folded = ids.join(
            texts.filter(~pl.col("clean_text").str.contains(unfoldable)).select(
                "article_id", folded=pl.col("clean_text").str.replace_many(source, replacements)),
            on="article_id", how="left",
        )
        made = (folded.filter(pl.col("folded").is_not_null())
                .select("docid", term=pl.col("folded").str.split(" "))
                .explode("term", empty_as_null=True)
                .filter(pl.col("term") != ""))
        rest = folded.filter(pl.col("folded").is_null())["docid"].to_list()
        if not rest:
            return made
        return pl.concat([made, _tokens_by_sql(con, f"a.rowid IN ({', '.join(map(str, rest))})")])

    def _with_term_ids(self, made: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """``made`` (docid, term) with each term's id from the dictionary as the run keeps it
        (``_vocabulary``), and the (termid, term) of the terms it lacked, which get the next
        ids. Joined here, on the batch's strings once, not by DuckDB against the dictionary
        table on every batch."""
        joined = made.join(self._vocabulary, on="term", how="left")
        unknown = joined.filter(pl.col("termid").is_null())
        if unknown.height == 0:
            return joined, pl.DataFrame(schema={"termid": pl.Int64, "term": pl.String})
        # The new terms are copied out of the batch: a polars string split from a text is a
        # view of that text's buffer, and the dictionary would keep every batch's texts alive.
        terms = unknown["term"].unique(maintain_order=True).to_list()
        new_terms = pl.DataFrame({"termid": range(self._next_termid, self._next_termid + len(terms)), "term": terms},
                                 schema={"termid": pl.Int64, "term": pl.String})
        self._next_termid += new_terms.height
        self._vocabulary = pl.concat([self._vocabulary, new_terms.select("term", "termid")])
        found = unknown.drop("termid").join(new_terms, on="term").select(joined.columns)
        return pl.concat([joined.filter(pl.col("termid").is_not_null()), found]), new_terms

    def _begin(self, con: duckdb.DuckDBPyConnection) -> None:
        self.incremental = True
        self._vocabulary = con.execute(f"SELECT term, termid::BIGINT AS termid FROM {INDEX_SCHEMA}.dict").pl()
        self._next_termid = int(self._vocabulary["termid"].max() + 1) if self._vocabulary.height else 0
        table = source, target, unfoldable = fold_table(con)
        # translate() deletes the characters of its source past the end of its target
        self._fold = (list(source), list(target) + [""] * (len(source) - len(target)), unfoldable)
        define_fold_macros(con, table)
        con.execute("CREATE OR REPLACE TEMP TABLE _bm25_df (termid BIGINT, df BIGINT)")

    def finish(self, con: duckdb.DuckDBPyConnection) -> None:
        if self.incremental:
            try:
                con.execute(read_sql("search", "bm25_finish"))
            finally:
                _drop_fold_macros(con)
        elif self.incremental is False or not _covers(con, self.next_rowid(con)):
            build_index(con)


def _covers(con: duckdb.DuckDBPyConnection, articles: int) -> bool:
    """The index exists and has a document for each of the first ``articles`` rows."""
    return has_index(con) and con.execute(f"SELECT count(*) FROM {INDEX_SCHEMA}.docs").fetchone()[0] == articles


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = ?"
            " AND table_name = 'docs'", [INDEX_SCHEMA]
        ).fetchone()[0]
    )


def normalize_query(query: str, clean: Callable[[str], str] | None = None) -> str:
    """The query as the index sees the text. ``clean`` is the cleaning the articles'
    clean_text went through (transforms.cleaning.clean_text, handed in by the caller:
    warehouse/ does not import transforms/): it joins گفتگو, گفت و گو and گفت‌وگو into
    the one form the text has, maps Arabic letters to Persian, repairs glued words.
    Without it only the Arabic-keyboard letters are mapped."""
    if clean is not None:
        query = clean(query)
    return " ".join(query.translate(_QUERY_TRANSLATION).split())


def tehran_time(moment) -> str | None:
    """A publication time as Tehran wall-clock time with its offset: 2026-05-12 07:27 +03:30."""
    if moment is None:
        return None
    from zoneinfo import ZoneInfo

    local = moment.astimezone(ZoneInfo("Asia/Tehran"))
    offset = local.strftime("%z")
    return local.strftime("%Y-%m-%d %H:%M ") + offset[:3] + ":" + offset[3:]


SNIPPET_CONTEXT = 70  # characters of text either side of the match

# Suffixes Persian glues to a word without a ZWNJ (after the index's folding): ezafe and
# indefinite ی, plurals, and the third-person possessives. With a ZWNJ they are words of
# their own and need nothing.
SUFFIXES = ("ی", "ای", "یی", "ها", "های", "هایی", "ان", "ش", "شان")


def _fold_with_positions(text: str) -> tuple[str, list[int]]:
    """lower(strip_accents(text)) as the index folds it, with the position in ``text``
    of every character of the result (a decomposed character may leave several)."""
    folded, positions = [], []
    for i, ch in enumerate(text):
        for part in unicodedata.normalize("NFD", ch):
            if unicodedata.combining(part):
                continue
            for low in part.lower():
                folded.append(low)
                positions.append(i)
    return "".join(folded), positions


def snippet(text: str, tokens: list[str], context: int = SNIPPET_CONTEXT) -> dict | None:
    """Where the query's tokens are in ``text``: the whole query as a phrase if it is
    there, else its first token found. Returns {before, match, after} (text around it,
    cut at spaces, with "…" where cut), or None when no token occurs (a hit on a word
    only the index's folding sees)."""
    if not tokens:
        return None
    folded, positions = _fold_with_positions(text)
    edge_l, edge_r = r"(?<![^\W_])", r"(?![^\W_])"
    suffix = "(?:" + "|".join(sorted(SUFFIXES, key=len, reverse=True)) + ")?"
    words = [re.escape(t) + suffix for t in tokens]
    # the longest run of the query's words that the text has, side by side
    patterns = [r"[\W_]+".join(words[i:i + n]) for n in range(len(words), 0, -1) for i in range(len(words) - n + 1)]
    for pattern in patterns:
        found = re.search(edge_l + pattern + edge_r, folded)
        if found:
            break
    else:
        return None
    start, end = positions[found.start()], positions[found.end() - 1] + 1
    left = max(0, start - context)
    right = min(len(text), end + context)
    if left > 0 and " " in text[left:start]:
        left = text.index(" ", left) + 1
    if right < len(text) and " " in text[end:right]:
        right = text.rindex(" ", end, right)
    clean = lambda s: " ".join(s.split())  # noqa: E731  (paragraph breaks as spaces)
    return {
        "before": ("…" if left > 0 else "") + clean(text[left:start]) + (" " if text[left:start][-1:].isspace() else ""),
        "match": clean(text[start:end]),
        "after": (" " if text[end:right][:1].isspace() else "") + clean(text[end:right]) + ("…" if right < len(text) else ""),
    }


def search(con: duckdb.DuckDBPyConnection, query: str, limit: int = 10, *, clean: Callable[[str], str] | None = None,
           any_word: bool = False) -> list[dict]:
    """Articles with every word of ``query`` (any of them with ``any_word``), best BM25
    score first, each with a snippet around the match and the calls it reports.

    The query is normalised as the indexed text was (``normalize_query``), so spelling
    variants find the same articles."""
    if not has_index(con):
        raise LookupError("the warehouse has no search index yet: run `tamas ingest` (every run builds it)")
    query = normalize_query(query, clean)
    if not query:
        return []
    tokens = list(dict.fromkeys(t for t in con.execute(f"SELECT {INDEX_SCHEMA}.tokenize(?)", [query]).fetchone()[0] if t))
    if not tokens:
        return []
    # Each query word matches the index's words that are it or it plus a Persian suffix
    # glued to it (گفت‌وگو finds گفت‌وگوی, همکاری finds همکاری‌های); an article must
    # have a form of every word (of any, with any_word); BM25 ranks on the forms found.
    forms = con.execute(
        f"""
        SELECT q.word, d.termid, d.term
        FROM (SELECT unnest(?) AS t, generate_subscripts(?, 1) AS word) AS q
        JOIN {INDEX_SCHEMA}.dict AS d
          ON d.term = q.t OR (starts_with(d.term, q.t) AND list_contains(?, d.term[length(q.t) + 1:]))
        """,
        [tokens, tokens, list(SUFFIXES)],
    ).fetchall()
    if not forms:
        return []
    rows = con.execute(
        f"""
        WITH forms AS (SELECT unnest(?) AS word, unnest(?) AS termid),
        matching AS (
            SELECT t.docid
            FROM {INDEX_SCHEMA}.terms AS t JOIN forms AS f USING (termid)
            GROUP BY t.docid
            HAVING count(DISTINCT f.word) >= ?
        )
        SELECT a.article_id, {INDEX_SCHEMA}.match_bm25(a.article_id, ?) AS score,
               a.title, a.outlet, a.published_date, a.source_path, a.url, a.clean_text, a.published_at
        FROM matching JOIN {INDEX_SCHEMA}.docs AS docs USING (docid)
        JOIN dim_article AS a ON a.article_id = docs."name"
        ORDER BY score DESC, a.article_id
        LIMIT ?
        """,
        [[w for w, _, _ in forms], [i for _, i, _ in forms], 1 if any_word else len(tokens),
         " ".join(term for _, _, term in forms), limit],
    ).fetchall()
    keys = ("article_id", "score", "title", "outlet", "published_date", "source_path", "url", "clean_text", "published_at")
    hits = [dict(zip(keys, row)) for row in rows]
    calls: dict[str, list[dict]] = {}
    if hits:
        for article_id, call_id, jalali, gregorian, names in con.execute(
            """
            SELECT DISTINCT m.article_id, v.call_id, v.call_date_jalali, v.call_date_gregorian, v.participant_names
            FROM call_mention AS m JOIN v_calls AS v USING (call_id)
            WHERE m.article_id IN (SELECT unnest(?))
            ORDER BY m.article_id, v.call_id
            """,
            [[h["article_id"] for h in hits]],
        ).fetchall():
            calls.setdefault(article_id, []).append(
                {"call_id": call_id, "date_jalali": jalali, "date_gregorian": gregorian, "participants": names or []}
            )
    for hit in hits:
        hit["snippet"] = snippet(hit.pop("clean_text"), tokens)
        hit["published_tehran"] = tehran_time(hit["published_at"])
        hit["calls"] = calls.get(hit["article_id"], [])
        hit["n_calls"] = len(hit["calls"])
    return hits
