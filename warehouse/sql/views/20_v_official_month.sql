-- Calls per month per official, in both calendars (month keys and labels as in
-- v_country_pair_month: never a made-up first day).
CREATE OR REPLACE VIEW v_official_month AS
WITH dated AS (
    SELECT p.official_id, p.is_initiator, c.*
    FROM stg_participant_named AS p
    JOIN stg_call_dated AS c USING (call_id)
),
both_calendars AS (
    SELECT official_id, call_id, is_initiator, 'gregorian' AS calendar,
           call_year AS year, call_month_label AS month, call_month_name AS month_label
    FROM dated
    UNION ALL
    SELECT official_id, call_id, is_initiator, 'jalali' AS calendar,
           call_year_jalali, call_month_jalali_label, call_month_jalali_name
    FROM dated
)
SELECT b.official_id,
       o.name_fa AS official_name_fa,
       o.country_code,
       b.calendar,
       b.year,
       b.month,
       b.month_label,
       count(DISTINCT b.call_id)                               AS n_calls,
       count(DISTINCT b.call_id) FILTER (WHERE b.is_initiator) AS n_initiated
FROM both_calendars AS b
LEFT JOIN dim_official AS o USING (official_id)
GROUP BY ALL;
COMMENT ON VIEW v_official_month IS 'Calls per official per month; filter calendar = ''gregorian'' or ''jalali'' (each call counts once per calendar).';
COMMENT ON COLUMN v_official_month.official_id IS 'The official (dim_official).';
COMMENT ON COLUMN v_official_month.official_name_fa IS 'The official''s Persian name.';
COMMENT ON COLUMN v_official_month.country_code IS 'The official''s country (dim_official).';
COMMENT ON COLUMN v_official_month.calendar IS 'gregorian | jalali: which calendar year and month are in.';
COMMENT ON COLUMN v_official_month.year IS 'Year in that calendar; null for undated calls or a period straddling two years.';
COMMENT ON COLUMN v_official_month.month IS 'Month key YYYY-MM in that calendar (2020-07, 1399-05); YYYY-MM/YYYY-MM for a month of the other calendar straddling two; null for year precision or undated calls.';
COMMENT ON COLUMN v_official_month.month_label IS 'The month as people write it: July 2020, مرداد ۱۳۹۹, اسفند ۱۳۹۹–فروردین ۱۴۰۰; null when month is null.';
COMMENT ON COLUMN v_official_month.n_calls IS 'Calls the official took part in that month.';
COMMENT ON COLUMN v_official_month.n_initiated IS 'Of those, calls the official placed.';
