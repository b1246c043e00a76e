-- One batch's new articles added to the BM25 index (bm25_index.sql has the layout), while
-- the run loads: the articles of dim_article from rowid $first on. The loader hands over
-- their tokens as the whole build makes them, with the term ids of the dictionary it
-- keeps as the run goes (warehouse/search.py, IndexAppender.add): _bm25_made (docid,
-- termid), one row per word occurrence; _bm25_new_terms (termid, term), the terms the
-- dictionary lacked, with the next ids (ids only join terms to dict: the extension's are
-- in term order, these in order of arrival); _bm25_batch (termid, df), the number of the
-- batch's articles each term is in; _bm25_lengths (docid, len). Document frequencies are
-- kept apart (_bm25_df, summed into dict by bm25_finish.sql), so a batch never rewrites
-- the dictionary.

INSERT INTO fts_main_dim_article.dict
SELECT termid, term, 0
FROM _bm25_new_terms;

INSERT INTO _bm25_df
SELECT termid, df
FROM _bm25_batch;

INSERT INTO fts_main_dim_article.terms
SELECT docid::BIGINT, 0::BIGINT, termid
FROM _bm25_made;

INSERT INTO fts_main_dim_article.docs
SELECT a.rowid::BIGINT, a.article_id, coalesce(l.len, 0)::BIGINT
FROM dim_article AS a
LEFT JOIN _bm25_lengths AS l ON l.docid = a.rowid
WHERE a.rowid >= $first;
