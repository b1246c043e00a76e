-- Calls per unordered country pair per month, in both calendars.
-- A month key is a label, never a made-up first day: 2026-05 (Gregorian), 1405-02 (Jalali).
-- A call known only to a month of the other calendar straddles two months of this one and
-- counts under the key of both, joined: 1405-02/1405-03 for May 2026 (between the two
-- months' keys when sorted). A call known only to the year has a null month.
CREATE OR REPLACE VIEW v_country_pair_month AS
WITH pairs AS (
    SELECT DISTINCT a.call_id, a.country_code AS country_a, b.country_code AS country_b
    FROM call_participant AS a
    JOIN call_participant AS b
      ON a.call_id = b.call_id AND a.country_code < b.country_code
),
both_calendars AS (
    SELECT p.*, 'gregorian' AS calendar, c.call_year AS year, c.call_month_label AS month, c.call_month_name AS month_label
    FROM pairs AS p JOIN stg_call_dated AS c USING (call_id)
    UNION ALL
    SELECT p.*, 'jalali' AS calendar, c.call_year_jalali, c.call_month_jalali_label, c.call_month_jalali_name
    FROM pairs AS p JOIN stg_call_dated AS c USING (call_id)
)
SELECT country_a,
       country_b,
       calendar,
       year,
       month,
       month_label,
       count(DISTINCT call_id) AS n_calls
FROM both_calendars
GROUP BY ALL;
COMMENT ON VIEW v_country_pair_month IS 'Calls per unordered country pair (country_a < country_b) per month; filter calendar = ''gregorian'' or ''jalali'' (each call counts once per calendar).';
COMMENT ON COLUMN v_country_pair_month.country_a IS 'One country of the pair (the smaller code).';
COMMENT ON COLUMN v_country_pair_month.country_b IS 'The other country (the larger code).';
COMMENT ON COLUMN v_country_pair_month.calendar IS 'gregorian | jalali: which calendar month and year are in.';
COMMENT ON COLUMN v_country_pair_month.year IS 'Year in that calendar; null for undated calls or a period straddling two years.';
COMMENT ON COLUMN v_country_pair_month.month IS 'Month key YYYY-MM in that calendar (2026-05, 1405-02); YYYY-MM/YYYY-MM for a month of the other calendar straddling two; null for year precision or undated calls.';
COMMENT ON COLUMN v_country_pair_month.month_label IS 'The month as people write it: May 2026, اردیبهشت ۱۴۰۵, اردیبهشت–خرداد ۱۴۰۵; null when month is null.';
COMMENT ON COLUMN v_country_pair_month.n_calls IS 'Calls between officials of the two countries that month.';
