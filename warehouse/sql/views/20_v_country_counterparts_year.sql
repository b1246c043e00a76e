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
COMMENT ON VIEW v_country_counterparts_year IS 'Calls between each country and each counterpart country per year, ranked; every pair appears from both sides; filter calendar = ''gregorian'' or ''jalali''.';
COMMENT ON COLUMN v_country_counterparts_year.calendar IS 'gregorian | jalali: which calendar year is in (each call counts once per calendar).';
COMMENT ON COLUMN v_country_counterparts_year.year IS 'Year of the calls in that calendar; null for undated calls and for a period straddling two years of it (a Gregorian March is Esfand and Farvardin).';
COMMENT ON COLUMN v_country_counterparts_year.country_code IS 'The country (dim_country).';
COMMENT ON COLUMN v_country_counterparts_year.country_name_fa IS 'Persian name of the country.';
COMMENT ON COLUMN v_country_counterparts_year.counterpart_code IS 'A country its officials spoke with on calls (never the country itself).';
COMMENT ON COLUMN v_country_counterparts_year.counterpart_name_fa IS 'Persian name of the counterpart.';
COMMENT ON COLUMN v_country_counterparts_year.n_calls IS 'Calls between the two countries that year.';
COMMENT ON COLUMN v_country_counterparts_year.rank_in_year IS '1 for the country''s most frequent counterpart(s) that year (ties share a rank).';
