-- One row per word occurrence of the articles of dim_article from rowid $first on, as the
-- whole build (bm25_index.sql, from 0) and each batch's append (bm25_append.sql) tokenise
-- them: an article the _bm25_fold table covers is folded with one translate(), which also
-- turns every character that is no letter or digit into a space, and split at the spaces;
-- any other goes through the tokenize macro (bm25_index.sql says why).
CREATE OR REPLACE TEMP TABLE _bm25_tokens AS
WITH tokenized AS (
    SELECT rowid AS docid,
           unnest(CASE WHEN _bm25_foldable(clean_text)
                       THEN string_split(_bm25_fold(clean_text), ' ')
                       ELSE fts_main_dim_article.tokenize(clean_text) END) AS term
    FROM dim_article
    WHERE rowid >= $first
)
SELECT docid, term
FROM tokenized
WHERE term <> '';
