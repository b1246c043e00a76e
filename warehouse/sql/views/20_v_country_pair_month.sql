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
    SELECT p.*, m.calendar, m.year, m.month, m.month_label
    FROM pairs AS p JOIN stg_call_month AS m USING (call_id)
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
