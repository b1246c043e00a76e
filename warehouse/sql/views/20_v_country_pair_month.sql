-- Calls per unordered country pair per month.
CREATE OR REPLACE VIEW v_country_pair_month AS
WITH pairs AS (
    SELECT DISTINCT a.call_id, a.country_code AS country_a, b.country_code AS country_b
    FROM call_participant AS a
    JOIN call_participant AS b
      ON a.call_id = b.call_id AND a.country_code < b.country_code
)
SELECT p.country_a,
       p.country_b,
       CAST(date_trunc('month', c.call_date) AS DATE) AS month,
       count(DISTINCT p.call_id)                      AS n_calls
FROM pairs AS p
JOIN fact_call AS c USING (call_id)
GROUP BY ALL;
COMMENT ON VIEW v_country_pair_month IS 'Calls per unordered country pair (country_a < country_b) per month; month is null for undated calls.';
COMMENT ON COLUMN v_country_pair_month.country_a IS 'One country of the pair (the smaller code).';
COMMENT ON COLUMN v_country_pair_month.country_b IS 'The other country (the larger code).';
COMMENT ON COLUMN v_country_pair_month.month IS 'First day of the Gregorian month; null for undated calls.';
COMMENT ON COLUMN v_country_pair_month.n_calls IS 'Calls between officials of the two countries that month.';
