-- The end of a run that added its articles to the BM25 index batch by batch
-- (bm25_append.sql): the batches' document frequencies summed into dict, and stats.

UPDATE fts_main_dim_article.dict AS d
SET df = d.df + a.df
FROM (SELECT termid, sum(df)::BIGINT AS df FROM _bm25_df GROUP BY termid) AS a
WHERE d.termid = a.termid;

CREATE OR REPLACE TABLE fts_main_dim_article.stats AS
SELECT count(docid) AS num_docs, sum(len) / count(len) AS avgdl
FROM fts_main_dim_article.docs;

DROP TABLE _bm25_df;
