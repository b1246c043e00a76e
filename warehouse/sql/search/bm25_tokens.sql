-- One row per word occurrence of the articles of dim_article that $which selects, as the
-- whole build (bm25_index.sql, every article) tokenises them, and a batch's append those
-- the loader does not fold itself (warehouse/search.py, IndexAppender._tokens, which makes
-- the same tokens): an article the _bm25_fold table covers is folded with one translate(),
-- which also turns every character that is no letter or digit into a space, and split at
-- the spaces; any other goes through the tokenize macro (bm25_index.sql says why).
CREATE OR REPLACE TEMP TABLE _bm25_tokens AS
WITH tokenized AS (
    SELECT a.rowid AS docid,
           unnest(CASE WHEN _bm25_foldable(a.clean_text) THEN string_split(_bm25_fold(a.clean_text), ' ')
                       ELSE fts_main_dim_article.tokenize(a.clean_text) END) AS term
    FROM dim_article AS a
    WHERE $which
)
SELECT docid, term
FROM tokenized
WHERE term <> '';
