-- One row per word occurrence of the articles of dim_article that $which selects, as the
-- whole build (bm25_index.sql, every article) and each batch's append (bm25_append.sql)
-- tokenise them: an article the _bm25_fold table covers is folded with one translate(),
-- which also turns every character that is no letter or digit into a space, and split at
-- the spaces; any other goes through the tokenize macro (bm25_index.sql says why).
-- $made holds (docid, term) rows the loader has already made for its batch's other
-- articles, with the same fold and split (warehouse/search.py, IndexAppender.add): the
-- same tokens without reading the texts back from the table.
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
WHERE term <> ''
UNION ALL
SELECT docid, term
FROM $made;
