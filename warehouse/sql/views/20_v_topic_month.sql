-- Calls per topic per month, in both calendars (month keys and labels as in
-- v_country_pair_month: never a made-up first day).
CREATE OR REPLACE VIEW v_topic_month AS
WITH topics AS (
    SELECT DISTINCT call_id, topic_code FROM call_topic
),
both_calendars AS (
    SELECT t.*, 'gregorian' AS calendar, c.call_year AS year, c.call_month_label AS month, c.call_month_name AS month_label
    FROM topics AS t JOIN stg_call_dated AS c USING (call_id)
    UNION ALL
    SELECT t.*, 'jalali' AS calendar, c.call_year_jalali, c.call_month_jalali_label, c.call_month_jalali_name
    FROM topics AS t JOIN stg_call_dated AS c USING (call_id)
)
SELECT topic_code,
       calendar,
       year,
       month,
       month_label,
       count(DISTINCT call_id) AS n_calls
FROM both_calendars
GROUP BY ALL;
COMMENT ON VIEW v_topic_month IS 'Calls per topic per month; filter calendar = ''gregorian'' or ''jalali'' (each call counts once per calendar).';
COMMENT ON COLUMN v_topic_month.topic_code IS 'Topic (dim_topic).';
COMMENT ON COLUMN v_topic_month.calendar IS 'gregorian | jalali: which calendar month and year are in.';
COMMENT ON COLUMN v_topic_month.year IS 'Year in that calendar; null for undated calls or a period straddling two years.';
COMMENT ON COLUMN v_topic_month.month IS 'Month key YYYY-MM in that calendar; YYYY-MM/YYYY-MM for a month of the other calendar straddling two; null for year precision or undated calls.';
COMMENT ON COLUMN v_topic_month.month_label IS 'The month as people write it: May 2026, اردیبهشت ۱۴۰۵, اردیبهشت–خرداد ۱۴۰۵; null when month is null.';
COMMENT ON COLUMN v_topic_month.n_calls IS 'Calls with that topic that month.';
