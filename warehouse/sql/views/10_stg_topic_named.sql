-- Staging: each topic of each call with its names.
CREATE OR REPLACE VIEW stg_topic_named AS
SELECT t.call_id,
       t.topic_code,
       tp.name_fa AS topic_name_fa,
       tp.name_en AS topic_name_en,
       t.evidence,
       t.article_id
FROM call_topic AS t
LEFT JOIN dim_topic AS tp USING (topic_code);
