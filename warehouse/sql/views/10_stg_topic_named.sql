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
COMMENT ON VIEW stg_topic_named IS 'Staging: call_topic with the topic''s Persian and English names.';
COMMENT ON COLUMN stg_topic_named.call_id IS 'The call (fact_call).';
COMMENT ON COLUMN stg_topic_named.topic_code IS 'Topic (dim_topic).';
COMMENT ON COLUMN stg_topic_named.topic_name_fa IS 'Persian name of the topic.';
COMMENT ON COLUMN stg_topic_named.topic_name_en IS 'English name of the topic.';
COMMENT ON COLUMN stg_topic_named.evidence IS 'Sentence that shows the topic.';
COMMENT ON COLUMN stg_topic_named.article_id IS 'Article the evidence comes from.';
