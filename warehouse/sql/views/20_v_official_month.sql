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
