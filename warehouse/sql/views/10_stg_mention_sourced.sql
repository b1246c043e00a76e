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
