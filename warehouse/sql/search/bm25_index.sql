-- BM25 index over dim_article.clean_text, in the layout DuckDB's fts extension gives
--   PRAGMA create_fts_index('dim_article', 'article_id', 'clean_text', stemmer='none',
--       stopwords='none', ignore='[^\p{L}\p{N}]+', strip_accents=1, lower=1)
-- (schema fts_main_dim_article: docs, terms, dict, stats, fields, stopwords, and the
-- tokenize and match_bm25 macros), so that readers query it the same way:
--   SELECT fts_main_dim_article.match_bm25(article_id, 'راه آهن رشت') FROM dim_article
--
-- The whole build: for a warehouse without the index (or one that does not cover every
-- article). A run on a warehouse that has it adds each batch's articles as it loads
-- them (bm25_append.sql) and ends with bm25_finish.sql.
--
-- Why not the pragma: at 100,000 articles it took 22 s on one core at the end of every
-- run. Most of it was tokenising with strip_accents (a Unicode decomposition of every
-- character) and correlated UPDATEs. Here an article whose characters all fall in the
-- scripts the corpus is written in (_bm25_foldable) is folded with one translate()
-- (_bm25_fold: what lower(strip_accents(c)) gives for each of those characters, and a
-- space for one that is no letter or digit, taken from DuckDB itself, warehouse/search.py)
-- and split at the spaces;
-- any other article goes through the tokenize macro. Either way an article gets the
-- tokens tokenize() gives it (tests/test_analyst.py compares them).
--
-- Runs inside the ingest's transaction; the _bm25_* macros and table are temporary.

DROP SCHEMA IF EXISTS fts_main_dim_article CASCADE;
CREATE SCHEMA fts_main_dim_article;
CREATE TABLE fts_main_dim_article.stopwords (sw VARCHAR);
CREATE TABLE fts_main_dim_article.fields (fieldid BIGINT, field VARCHAR);
INSERT INTO fts_main_dim_article.fields VALUES (0, 'clean_text');

-- Queries are tokenised by this macro (the fts extension's, with the options above).
CREATE MACRO fts_main_dim_article.tokenize(s) AS
    string_split_regex(regexp_replace(lower(strip_accents(CAST(s AS VARCHAR))), '[^\p{L}\p{N}]+', ' ', 'g'), '\s+');

-- One row per word occurrence (bm25_tokens.sql, from the first article on).
$tokens

-- Term ids in term order; documents and document frequencies counted on the ids
-- (counting distinct documents per term string cost twice as much).
CREATE TEMP TABLE _bm25_vocabulary AS
SELECT (row_number() OVER (ORDER BY term) - 1)::BIGINT AS termid, term
FROM (SELECT DISTINCT term FROM _bm25_tokens);

CREATE TABLE fts_main_dim_article.terms AS
SELECT t.docid::BIGINT AS docid, 0::BIGINT AS fieldid, v.termid
FROM _bm25_tokens AS t
JOIN _bm25_vocabulary AS v USING (term);

CREATE TABLE fts_main_dim_article.dict AS
WITH document_frequency AS (
    SELECT termid, count(DISTINCT docid)::BIGINT AS df
    FROM fts_main_dim_article.terms
    GROUP BY termid
)
SELECT v.termid, v.term, f.df
FROM _bm25_vocabulary AS v
JOIN document_frequency AS f USING (termid);

CREATE TABLE fts_main_dim_article.docs AS
WITH lengths AS (
    SELECT docid, count(*) AS len
    FROM _bm25_tokens
    GROUP BY docid
)
SELECT a.rowid::BIGINT AS docid, a.article_id AS "name", coalesce(l.len, 0)::BIGINT AS len
FROM dim_article AS a
LEFT JOIN lengths AS l ON l.docid = a.rowid;

CREATE TABLE fts_main_dim_article.stats AS
SELECT count(docid) AS num_docs, sum(len) / count(len) AS avgdl
FROM fts_main_dim_article.docs;

DROP TABLE _bm25_tokens;
DROP TABLE _bm25_vocabulary;

-- The fts extension's ranking macro, unchanged but for stem(): with no stemmer it
-- returns its input, and without it readers do not need the extension loaded.
CREATE MACRO fts_main_dim_article.match_bm25(docname, query_string, fields := NULL, k := 1.2, b := 0.75, conjunctive := 0) AS (
    WITH tokens AS (
        SELECT DISTINCT unnest(fts_main_dim_article.tokenize(query_string)) AS t
    ),
    fieldids AS (
        SELECT fieldid
        FROM fts_main_dim_article.fields
        WHERE CASE WHEN fields IS NULL THEN 1 ELSE field IN (SELECT * FROM (SELECT unnest(string_split(fields, ','))) AS fsq) END
    ),
    qtermids AS (
        SELECT termid
        FROM fts_main_dim_article.dict AS dict, tokens
        WHERE dict.term = tokens.t
    ),
    qterms AS (
        SELECT termid, docid
        FROM fts_main_dim_article.terms AS terms
        WHERE CASE WHEN fields IS NULL THEN 1 ELSE fieldid IN (SELECT * FROM fieldids) END
          AND termid IN (SELECT qtermids.termid FROM qtermids)
    ),
    term_tf AS (
        SELECT termid, docid, count(*) AS tf
        FROM qterms
        GROUP BY docid, termid
    ),
    cdocs AS (
        SELECT docid
        FROM qterms
        GROUP BY docid
        HAVING CASE WHEN conjunctive THEN count(DISTINCT termid) = (SELECT count(*) FROM tokens) ELSE 1 END
    ),
    subscores AS (
        SELECT docs.docid, len, term_tf.termid, tf, df,
               (log(((SELECT num_docs FROM fts_main_dim_article.stats) - df + 0.5) / (df + 0.5) + 1)
                * ((tf * (k + 1) / (tf + k * (1 - b + b * (len / (SELECT avgdl FROM fts_main_dim_article.stats))))))) AS subscore
        FROM term_tf, cdocs, fts_main_dim_article.docs AS docs, fts_main_dim_article.dict AS dict
        WHERE term_tf.docid = cdocs.docid
          AND term_tf.docid = docs.docid
          AND term_tf.termid = dict.termid
    ),
    scores AS (
        SELECT docid, sum(subscore) AS score
        FROM subscores
        GROUP BY docid
    )
    SELECT score
    FROM scores, fts_main_dim_article.docs AS docs
    WHERE scores.docid = docs.docid
      AND docs."name" = docname
);
