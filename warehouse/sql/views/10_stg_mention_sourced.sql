-- Staging: each report of a call with the article it comes from.
CREATE OR REPLACE VIEW stg_mention_sourced AS
SELECT m.call_id,
       m.article_id,
       m.sentence_index,
       m.char_start,
       m.char_end,
       m.evidence,
       a.title          AS article_title,
       a.outlet,
       a.url,
       a.published_date,
       -- Tehran wall-clock time with its UTC offset (+03:30; +04:30 in summers before 2022)
       CASE WHEN a.published_at IS NOT NULL THEN
           strftime(a.published_at AT TIME ZONE 'Asia/Tehran', '%Y-%m-%d %H:%M') || ' ' ||
           CASE WHEN epoch(a.published_at AT TIME ZONE 'Asia/Tehran') >= epoch(a.published_at) THEN '+' ELSE '-' END ||
           strftime(make_timestamp(CAST(abs(epoch(a.published_at AT TIME ZONE 'Asia/Tehran') - epoch(a.published_at)) * 1000000 AS BIGINT)), '%H:%M') ||
           ' (Asia/Tehran)'
       END AS published_at_tehran,
       a.source_path
FROM call_mention AS m
LEFT JOIN dim_article AS a USING (article_id);
COMMENT ON VIEW stg_mention_sourced IS 'Staging: call_mention with the reporting article''s title, outlet, date and file.';
COMMENT ON COLUMN stg_mention_sourced.call_id IS 'The call (fact_call).';
COMMENT ON COLUMN stg_mention_sourced.article_id IS 'The reporting article (dim_article).';
COMMENT ON COLUMN stg_mention_sourced.sentence_index IS 'Index of the evidence sentence in the article.';
COMMENT ON COLUMN stg_mention_sourced.char_start IS 'Evidence start offset in dim_article.clean_text.';
COMMENT ON COLUMN stg_mention_sourced.char_end IS 'Evidence end offset (exclusive).';
COMMENT ON COLUMN stg_mention_sourced.evidence IS 'The sentence reporting the call.';
COMMENT ON COLUMN stg_mention_sourced.article_title IS 'Title of the article.';
COMMENT ON COLUMN stg_mention_sourced.outlet IS 'Publishing outlet of the article.';
COMMENT ON COLUMN stg_mention_sourced.url IS 'Source URL when known.';
COMMENT ON COLUMN stg_mention_sourced.published_date IS 'Publication date of the article; null if unknown.';
COMMENT ON COLUMN stg_mention_sourced.published_at_tehran IS 'Publication time in Tehran time with its offset, 2026-05-12 07:27 +03:30 (Asia/Tehran); null when the record has no time.';
COMMENT ON COLUMN stg_mention_sourced.source_path IS 'File the article was loaded from.';
