-- Each country's most frequent counterparts per year, in both calendars.
CREATE OR REPLACE VIEW v_country_counterparts_year AS
WITH sides AS (
    SELECT DISTINCT call_id, country_code
    FROM stg_participant_named
    WHERE country_code IS NOT NULL
),
pairs AS (
    SELECT a.call_id, a.country_code, b.country_code AS counterpart_code
    FROM sides AS a
    JOIN sides AS b ON a.call_id = b.call_id AND a.country_code <> b.country_code
),
dated AS (
    SELECT p.*, 'gregorian' AS calendar, c.call_year AS year
    FROM pairs AS p JOIN stg_call_dated AS c USING (call_id)
    UNION ALL
    SELECT p.*, 'jalali' AS calendar, c.call_year_jalali AS year
    FROM pairs AS p JOIN stg_call_dated AS c USING (call_id)
),
counted AS (
    SELECT calendar, year, country_code, counterpart_code, count(DISTINCT call_id) AS n_calls
    FROM dated
    GROUP BY ALL
)
SELECT k.calendar,
       k.year,
       k.country_code,
       a.name_fa AS country_name_fa,
       k.counterpart_code,
       b.name_fa AS counterpart_name_fa,
       k.n_calls,
       rank() OVER (PARTITION BY k.calendar, k.year, k.country_code ORDER BY k.n_calls DESC) AS rank_in_year
FROM counted AS k
LEFT JOIN dim_country AS a ON a.country_code = k.country_code
LEFT JOIN dim_country AS b ON b.country_code = k.counterpart_code;
