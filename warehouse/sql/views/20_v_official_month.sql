-- Calls per month per official, in both calendars.
CREATE OR REPLACE VIEW v_official_month AS
WITH dated AS (
    SELECT p.official_id, p.is_initiator, c.*
    FROM stg_participant_named AS p
    JOIN stg_call_dated AS c USING (call_id)
),
both_calendars AS (
    SELECT official_id, call_id, is_initiator, 'gregorian' AS calendar,
           call_year AS year, call_month AS month, call_month_label AS month_label
    FROM dated
    UNION ALL
    SELECT official_id, call_id, is_initiator, 'jalali' AS calendar,
           call_year_jalali, call_month_jalali, call_month_jalali_label
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
COMMENT ON COLUMN v_official_month.year IS 'Year in that calendar; null for undated calls.';
COMMENT ON COLUMN v_official_month.month IS 'Month 1-12 in that calendar.';
COMMENT ON COLUMN v_official_month.month_label IS 'YYYY-MM in that calendar (2020-07 or 1399-05).';
COMMENT ON COLUMN v_official_month.n_calls IS 'Calls the official took part in that month.';
COMMENT ON COLUMN v_official_month.n_initiated IS 'Of those, calls the official placed.';
