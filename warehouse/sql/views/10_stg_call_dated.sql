-- Staging layer (10_*): thin, readable renames and joins of the facts and dimensions.
-- The marts views (20_v_*) read these, never the raw tables twice.
-- Each call with its date in both calendars.
CREATE OR REPLACE VIEW stg_call_dated AS
SELECT c.call_id,
       c.call_date,
       c.call_date_precision,
       c.date_basis,
       c.mode,
       c.initiator_official_id,
       c.n_articles,
       year(c.call_date)                      AS call_year,
       month(c.call_date)                     AS call_month,
       strftime(c.call_date, '%Y-%m')         AS call_month_label,
       d.jalali_date                          AS call_date_jalali,
       d.jalali_year                          AS call_year_jalali,
       d.jalali_month                         AS call_month_jalali,
       CASE WHEN d.jalali_year IS NOT NULL
            THEN printf('%04d-%02d', d.jalali_year, d.jalali_month) END AS call_month_jalali_label,
       d.jalali_month_name                    AS call_month_jalali_name
FROM fact_call AS c
LEFT JOIN dim_date AS d ON d.date_day = c.call_date;
COMMENT ON VIEW stg_call_dated IS 'Staging: one row per call (fact_call) with its date as Gregorian and Jalali parts.';
COMMENT ON COLUMN stg_call_dated.call_id IS 'The call (fact_call).';
COMMENT ON COLUMN stg_call_dated.call_date IS 'Gregorian date of the call (first day of the month/year when the precision is coarser); null if unknown.';
COMMENT ON COLUMN stg_call_dated.call_date_precision IS 'day | month | year; null when unknown.';
COMMENT ON COLUMN stg_call_dated.date_basis IS 'stated | inferred | published.';
COMMENT ON COLUMN stg_call_dated.mode IS 'phone | video.';
COMMENT ON COLUMN stg_call_dated.initiator_official_id IS 'Who placed the call, when the text says so.';
COMMENT ON COLUMN stg_call_dated.n_articles IS 'Number of articles reporting the call.';
COMMENT ON COLUMN stg_call_dated.call_year IS 'Gregorian year of call_date.';
COMMENT ON COLUMN stg_call_dated.call_month IS 'Gregorian month 1-12 of call_date.';
COMMENT ON COLUMN stg_call_dated.call_month_label IS 'Gregorian month as YYYY-MM (2020-07).';
COMMENT ON COLUMN stg_call_dated.call_date_jalali IS 'call_date in the Jalali calendar as YYYY-MM-DD (1399-05-10).';
COMMENT ON COLUMN stg_call_dated.call_year_jalali IS 'Jalali year of call_date.';
COMMENT ON COLUMN stg_call_dated.call_month_jalali IS 'Jalali month 1-12 of call_date.';
COMMENT ON COLUMN stg_call_dated.call_month_jalali_label IS 'Jalali month as YYYY-MM (1399-05).';
COMMENT ON COLUMN stg_call_dated.call_month_jalali_name IS 'Persian name of the Jalali month (مرداد).';
