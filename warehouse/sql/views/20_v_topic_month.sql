-- Calls per topic per month.
CREATE OR REPLACE VIEW v_topic_month AS
SELECT t.topic_code,
       CAST(date_trunc('month', c.call_date) AS DATE) AS month,
       count(DISTINCT t.call_id)                      AS n_calls
FROM call_topic AS t
JOIN fact_call AS c USING (call_id)
GROUP BY ALL;
COMMENT ON VIEW v_topic_month IS 'Calls per topic per month; month is null for undated calls.';
COMMENT ON COLUMN v_topic_month.topic_code IS 'Topic (dim_topic).';
COMMENT ON COLUMN v_topic_month.month IS 'First day of the Gregorian month; null for undated calls.';
COMMENT ON COLUMN v_topic_month.n_calls IS 'Calls with that topic that month.';
