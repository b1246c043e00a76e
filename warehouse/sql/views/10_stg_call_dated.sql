-- Staging layer (10_*): thin, readable renames and joins of the facts and dimensions.
-- The marts views (20_v_*) read these, never the raw tables twice.
-- Each call with its date as precise as the evidence, in both calendars.
--
-- fact_call stores a month- or year-precision date as the first day of that period. Here
-- that day never shows: `call_date` is set only for a day-precision call, and the period
-- the evidence gives is [call_period_start, call_period_end]. Which calendar the period is
-- in follows from its first day: the 1st of a Gregorian month is a Gregorian month; the
-- 1st of a Jalali month (which never falls on a Gregorian 1st) is a Jalali month. A month
-- of one calendar straddles two months of the other: May 2026 is 11 Ordibehesht to
-- 10 Khordad 1405, so its Jalali label is «اردیبهشت–خرداد ۱۴۰۵», its Jalali month key
-- `1405-02/1405-03`, and it has no single Jalali month number.
CREATE OR REPLACE VIEW stg_call_dated AS
WITH base AS (
    SELECT c.*,
           d.jalali_year  AS first_jalali_year,
           d.jalali_month AS first_jalali_month,
           CASE
               WHEN c.call_date IS NULL OR c.call_date_precision IS NULL THEN 'none'
               ELSE c.call_date_precision
           END AS precision,
           CASE
               WHEN c.call_date_precision = 'month' AND day(c.call_date) <> 1 AND d.jalali_day = 1 THEN 'jalali'
               WHEN c.call_date_precision = 'year' AND strftime(c.call_date, '%m-%d') <> '01-01'
                    AND d.jalali_day = 1 AND d.jalali_month = 1 THEN 'jalali'
               ELSE 'gregorian'
           END AS period_calendar
    FROM fact_call AS c
    LEFT JOIN dim_date AS d ON d.date_day = c.call_date
),
jalali_bounds AS (
    SELECT jalali_year, jalali_month, max(date_day) AS last_day_of_month
    FROM dim_date GROUP BY ALL
),
periods AS (
    SELECT b.*,
           CASE
               WHEN b.precision = 'none' THEN NULL
               WHEN b.precision = 'day' OR b.period_calendar = 'jalali' THEN b.call_date
               WHEN b.precision = 'month' THEN CAST(date_trunc('month', b.call_date) AS DATE)
               ELSE CAST(date_trunc('year', b.call_date) AS DATE)
           END AS period_start,
           CASE
               WHEN b.precision = 'none' THEN NULL
               WHEN b.precision = 'day' THEN b.call_date
               WHEN b.period_calendar = 'gregorian' AND b.precision = 'month' THEN last_day(b.call_date)
               WHEN b.period_calendar = 'gregorian' THEN make_date(year(b.call_date), 12, 31)
               WHEN b.precision = 'month' THEN
                   (SELECT j.last_day_of_month FROM jalali_bounds AS j
                    WHERE j.jalali_year = b.first_jalali_year AND j.jalali_month = b.first_jalali_month)
               ELSE (SELECT max(j.last_day_of_month) FROM jalali_bounds AS j WHERE j.jalali_year = b.first_jalali_year)
           END AS period_end
    FROM base AS b
),
parts AS (
    SELECT p.*,
           year(p.period_start)  AS g_year_start,  month(p.period_start) AS g_month_start,
           year(p.period_end)    AS g_year_end,    month(p.period_end)   AS g_month_end,
           s.jalali_year AS j_year_start, s.jalali_month AS j_month_start, s.jalali_month_name AS j_name_start,
           e.jalali_year AS j_year_end,   e.jalali_month AS j_month_end,   e.jalali_month_name AS j_name_end,
           s.jalali_date AS j_date_start
    FROM periods AS p
    LEFT JOIN dim_date AS s ON s.date_day = p.period_start
    LEFT JOIN dim_date AS e ON e.date_day = p.period_end
),
named AS (
    SELECT q.*,
           ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
            'September', 'October', 'November', 'December'] AS g_names,
           translate(CAST(q.j_year_start AS VARCHAR), '0123456789', '۰۱۲۳۴۵۶۷۸۹') AS j_year_start_fa,
           translate(CAST(q.j_year_end AS VARCHAR), '0123456789', '۰۱۲۳۴۵۶۷۸۹')   AS j_year_end_fa
    FROM parts AS q
)
SELECT n.call_id,
       CASE WHEN n.precision = 'day' THEN n.call_date END AS call_date,
       n.precision AS call_date_precision,
       n.date_basis,
       n.mode,
       n.initiator_official_id,
       n.n_articles,
       n.period_start AS call_period_start,
       n.period_end   AS call_period_end,
       -- Gregorian parts: set only when the period lies within one year / one month
       CASE WHEN n.g_year_start = n.g_year_end THEN n.g_year_start END AS call_year,
       CASE WHEN n.g_year_start = n.g_year_end AND n.g_month_start = n.g_month_end THEN n.g_month_start END AS call_month,
       CASE
           WHEN n.g_year_start = n.g_year_end AND n.g_month_start = n.g_month_end
               THEN printf('%04d-%02d', n.g_year_start, n.g_month_start)
           WHEN n.precision = 'month'
               THEN printf('%04d-%02d/%04d-%02d', n.g_year_start, n.g_month_start, n.g_year_end, n.g_month_end)
       END AS call_month_label,
       CASE
           WHEN n.precision = 'none' THEN NULL
           WHEN n.precision = 'day' THEN strftime(n.period_start, '%Y-%m-%d')
           WHEN n.g_year_start = n.g_year_end AND n.g_month_start = n.g_month_end
               THEN n.g_names[n.g_month_start] || ' ' || n.g_year_start
           WHEN n.precision = 'month' AND n.g_year_start = n.g_year_end
               THEN n.g_names[n.g_month_start] || '–' || n.g_names[n.g_month_end] || ' ' || n.g_year_start
           WHEN n.precision = 'month'
               THEN n.g_names[n.g_month_start] || ' ' || n.g_year_start || '–' || n.g_names[n.g_month_end] || ' ' || n.g_year_end
           WHEN n.g_year_start = n.g_year_end THEN CAST(n.g_year_start AS VARCHAR)
           ELSE n.g_year_start || '–' || n.g_year_end
       END AS call_date_gregorian,
       -- Jalali parts, the same way
       CASE
           WHEN n.precision = 'none' THEN NULL
           WHEN n.precision = 'day' THEN n.j_date_start
           WHEN n.j_year_start = n.j_year_end AND n.j_month_start = n.j_month_end
               THEN n.j_name_start || ' ' || n.j_year_start_fa
           WHEN n.precision = 'month' AND n.j_year_start = n.j_year_end
               THEN n.j_name_start || '–' || n.j_name_end || ' ' || n.j_year_start_fa
           WHEN n.precision = 'month'
               THEN n.j_name_start || ' ' || n.j_year_start_fa || '–' || n.j_name_end || ' ' || n.j_year_end_fa
           WHEN n.j_year_start = n.j_year_end THEN n.j_year_start_fa
           ELSE n.j_year_start_fa || '–' || n.j_year_end_fa
       END AS call_date_jalali,
       CASE WHEN n.j_year_start = n.j_year_end THEN n.j_year_start END AS call_year_jalali,
       CASE WHEN n.j_year_start = n.j_year_end AND n.j_month_start = n.j_month_end THEN n.j_month_start END AS call_month_jalali,
       CASE
           WHEN n.j_year_start = n.j_year_end AND n.j_month_start = n.j_month_end
               THEN printf('%04d-%02d', n.j_year_start, n.j_month_start)
           WHEN n.precision = 'month'
               THEN printf('%04d-%02d/%04d-%02d', n.j_year_start, n.j_month_start, n.j_year_end, n.j_month_end)
       END AS call_month_jalali_label,
       -- human month labels (what a chart axis shows)
       CASE
           WHEN n.precision IN ('none', 'year') THEN NULL
           WHEN n.g_year_start = n.g_year_end AND n.g_month_start = n.g_month_end
               THEN n.g_names[n.g_month_start] || ' ' || n.g_year_start
           WHEN n.g_year_start = n.g_year_end
               THEN n.g_names[n.g_month_start] || '–' || n.g_names[n.g_month_end] || ' ' || n.g_year_start
           ELSE n.g_names[n.g_month_start] || ' ' || n.g_year_start || '–' || n.g_names[n.g_month_end] || ' ' || n.g_year_end
       END AS call_month_name,
       CASE
           WHEN n.precision IN ('none', 'year') THEN NULL
           WHEN n.j_year_start = n.j_year_end AND n.j_month_start = n.j_month_end
               THEN n.j_name_start || ' ' || n.j_year_start_fa
           WHEN n.j_year_start = n.j_year_end
               THEN n.j_name_start || '–' || n.j_name_end || ' ' || n.j_year_start_fa
           ELSE n.j_name_start || ' ' || n.j_year_start_fa || '–' || n.j_name_end || ' ' || n.j_year_end_fa
       END AS call_month_jalali_name
FROM named AS n;
