-- Calls per topic per month, in both calendars (month keys and labels as in
-- v_country_pair_month: never a made-up first day).
CREATE OR REPLACE VIEW v_topic_month AS
WITH topics AS (
    SELECT DISTINCT call_id, topic_code FROM call_topic
),
both_calendars AS (
    SELECT t.*, m.calendar, m.year, m.month, m.month_label
    FROM topics AS t JOIN stg_call_month AS m USING (call_id)
)
SELECT topic_code,
       calendar,
       year,
       month,
       month_label,
       count(DISTINCT call_id) AS n_calls
FROM both_calendars
GROUP BY ALL;
