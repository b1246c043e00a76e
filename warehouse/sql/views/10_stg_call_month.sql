-- Each dated call once per calendar: its year, month key and month name in the Gregorian
-- and in the Jalali calendar (the monthly marts count a call once per calendar).
CREATE OR REPLACE VIEW stg_call_month AS
SELECT call_id, 'gregorian' AS calendar, call_year AS year, call_month_label AS month, call_month_name AS month_label
FROM stg_call_dated
UNION ALL
SELECT call_id, 'jalali' AS calendar, call_year_jalali AS year, call_month_jalali_label AS month,
       call_month_jalali_name AS month_label
FROM stg_call_dated;
