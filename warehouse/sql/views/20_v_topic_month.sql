-- Calls per topic per month.
CREATE OR REPLACE VIEW v_topic_month AS
SELECT t.topic_code,
       CAST(date_trunc('month', c.call_date) AS DATE) AS month,
       count(DISTINCT t.call_id)                      AS n_calls
FROM call_topic AS t
JOIN fact_call AS c USING (call_id)
GROUP BY ALL;
COMMENT ON VIEW v_topic_month IS 'Calls per topic per month; month is null for undated calls.';
