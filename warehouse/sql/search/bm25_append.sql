-- One batch's new articles added to the BM25 index (bm25_index.sql has the layout), while
-- the run loads: the articles of dim_article from rowid $first on. Tokens as the whole
-- build makes them; a term the dictionary lacks gets the next id (ids only join terms to
-- dict: the extension's are in term order, these in order of arrival). Document
-- frequencies are kept apart (_bm25_df, summed into dict by bm25_finish.sql), so a batch
-- reads the dictionary once and never rewrites it.

-- One row per word occurrence of the batch's articles (bm25_tokens.sql).
$tokens

CREATE OR REPLACE TEMP TABLE _bm25_batch AS
SELECT term, count(DISTINCT docid)::BIGINT AS df
FROM _bm25_tokens
GROUP BY term;

CREATE OR REPLACE TEMP TABLE _bm25_ids AS
SELECT d.termid, d.term
FROM fts_main_dim_article.dict AS d
SEMI JOIN _bm25_batch AS b USING (term);

INSERT INTO _bm25_ids
SELECT (SELECT coalesce(max(termid), -1) FROM fts_main_dim_article.dict) + row_number() OVER (ORDER BY b.term), b.term
FROM _bm25_batch AS b
ANTI JOIN _bm25_ids AS i USING (term);

INSERT INTO fts_main_dim_article.dict
SELECT i.termid, i.term, 0
FROM _bm25_ids AS i
ANTI JOIN fts_main_dim_article.dict AS d USING (termid);

INSERT INTO _bm25_df
SELECT i.termid, b.df
FROM _bm25_batch AS b
JOIN _bm25_ids AS i USING (term);

INSERT INTO fts_main_dim_article.terms
SELECT t.docid::BIGINT, 0::BIGINT, i.termid
FROM _bm25_tokens AS t
JOIN _bm25_ids AS i USING (term);

INSERT INTO fts_main_dim_article.docs
WITH lengths AS (
    SELECT docid, count(*) AS len
    FROM _bm25_tokens
    GROUP BY docid
)
SELECT a.rowid::BIGINT, a.article_id, coalesce(l.len, 0)::BIGINT
FROM dim_article AS a
LEFT JOIN lengths AS l ON l.docid = a.rowid
WHERE a.rowid >= $first;

DROP TABLE _bm25_tokens;
DROP TABLE _bm25_batch;
DROP TABLE _bm25_ids;
