-- One row per word occurrence of the articles of dim_article from rowid $first on, as the
-- whole build (bm25_index.sql, from 0) and each batch's append (bm25_append.sql) tokenise
-- them: an article the _bm25_fold table covers is folded with one translate(), which also
-- turns every character that is no letter or digit into a space, and split at the spaces;
-- any other goes through the tokenize macro (bm25_index.sql says why). $folded holds
-- (article_id, folded): articles the loader has already folded with the same table
-- (warehouse/search.py, IndexAppender.add), the same text faster than translate().
CREATE OR REPLACE TEMP TABLE _bm25_tokens AS
WITH tokenized AS (
    SELECT a.rowid AS docid,
           unnest(CASE WHEN f.folded IS NOT NULL THEN string_split(f.folded, ' ')
                       WHEN _bm25_foldable(a.clean_text) THEN string_split(_bm25_fold(a.clean_text), ' ')
                       ELSE fts_main_dim_article.tokenize(a.clean_text) END) AS term
    FROM dim_article AS a
    LEFT JOIN $folded AS f USING (article_id)
    WHERE a.rowid >= $first
)
SELECT docid, term
FROM tokenized
WHERE term <> '';
