-- One batch's new articles added to the BM25 index (bm25_index.sql has the layout), while
-- the run loads: the articles of dim_article from rowid $first on. The loader hands over
-- their tokens as the whole build makes them (warehouse/search.py, IndexAppender.add):
-- _bm25_made (docid, term), one row per word occurrence; _bm25_batch (term, df), the
-- number of the batch's articles each term is in; _bm25_lengths (docid, len). A term the
-- dictionary lacks gets the next id (ids only join terms to dict: the extension's are in
-- term order, these in order of arrival). Document frequencies are kept apart (_bm25_df,
-- summed into dict by bm25_finish.sql), so a batch reads the dictionary once and never
-- rewrites it.

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
FROM _bm25_made AS t
JOIN _bm25_ids AS i USING (term);

INSERT INTO fts_main_dim_article.docs
SELECT a.rowid::BIGINT, a.article_id, coalesce(l.len, 0)::BIGINT
FROM dim_article AS a
LEFT JOIN _bm25_lengths AS l ON l.docid = a.rowid
WHERE a.rowid >= $first;

DROP TABLE _bm25_ids;
