-- Marts layer (20_*): what analysts and the dashboard query. Built on the 10_stg_* views.
-- One readable row per call: date (Gregorian and Jalali), participants, initiator,
-- topic codes, number of reporting articles.
CREATE OR REPLACE VIEW v_calls AS
WITH participants AS (
    SELECT call_id,
           list(name_fa ORDER BY is_initiator DESC, name_fa)      AS participant_names,
           list(title_fa ORDER BY is_initiator DESC, name_fa)     AS participant_titles,
           list(country_code ORDER BY is_initiator DESC, name_fa) AS participant_countries,
           list(official_id ORDER BY is_initiator DESC, name_fa)  AS participant_ids
    FROM stg_participant_named
    GROUP BY call_id
),
topics AS (
    SELECT call_id, list(topic_code ORDER BY topic_code) AS topic_codes
    FROM stg_topic_named
    GROUP BY call_id
)
SELECT c.call_id,
       c.call_date,
       c.call_date_precision,
       c.date_basis,
       c.call_date_jalali,
       c.call_date_gregorian,
       c.call_year_jalali,
       c.call_month_jalali,
       c.mode,
       p.participant_names,
       p.participant_titles,
       p.participant_countries,
       i.name_fa AS initiator_name,
       coalesce(t.topic_codes, []::VARCHAR[]) AS topic_codes,
       c.n_articles,
       p.participant_ids,
       c.initiator_official_id,
       c.call_year,
       c.call_month,
       c.call_period_start,
       c.call_period_end
FROM stg_call_dated AS c
LEFT JOIN participants AS p USING (call_id)
LEFT JOIN topics AS t USING (call_id)
LEFT JOIN dim_official AS i ON i.official_id = c.initiator_official_id;
COMMENT ON VIEW v_calls IS 'One readable row per call: date as precise as the evidence (labels in both calendars), participants, initiator, topics, articles.';
COMMENT ON COLUMN v_calls.call_id IS 'The call (fact_call).';
COMMENT ON COLUMN v_calls.call_date IS 'Gregorian date of a day-precision call; null when only the month or year is known, or undated (never a made-up first day).';
COMMENT ON COLUMN v_calls.call_date_precision IS 'day | month | year | none (undated).';
COMMENT ON COLUMN v_calls.date_basis IS 'stated | inferred | published; null when undated.';
COMMENT ON COLUMN v_calls.call_date_jalali IS 'Jalali label of what is known: 1405-02-21 (day), اردیبهشت ۱۴۰۵ (month), اردیبهشت–خرداد ۱۴۰۵ (a Gregorian month); null when undated.';
COMMENT ON COLUMN v_calls.call_date_gregorian IS 'Gregorian label of what is known: 2026-05-21 (day), May 2026 (month), 2026 (year); null when undated.';
COMMENT ON COLUMN v_calls.call_year_jalali IS 'Jalali year, for grouping; null when the period straddles two.';
COMMENT ON COLUMN v_calls.call_month_jalali IS 'Jalali month 1-12, for grouping; null when the period straddles two.';
COMMENT ON COLUMN v_calls.mode IS 'phone | video.';
COMMENT ON COLUMN v_calls.participant_names IS 'Participants'' Persian names, initiator first.';
COMMENT ON COLUMN v_calls.participant_titles IS 'Participants'' titles, same order.';
COMMENT ON COLUMN v_calls.participant_countries IS 'Participants'' country codes, same order.';
COMMENT ON COLUMN v_calls.initiator_name IS 'Persian name of who placed the call, when known.';
COMMENT ON COLUMN v_calls.topic_codes IS 'Topic codes of the call (dim_topic), sorted.';
COMMENT ON COLUMN v_calls.n_articles IS 'Number of articles reporting the call.';
COMMENT ON COLUMN v_calls.participant_ids IS 'Participants'' official_id, same order as participant_names.';
COMMENT ON COLUMN v_calls.initiator_official_id IS 'official_id of who placed the call, when known.';
COMMENT ON COLUMN v_calls.call_year IS 'Gregorian year, for grouping; null when the period straddles two.';
COMMENT ON COLUMN v_calls.call_month IS 'Gregorian month 1-12, for grouping; null when the period straddles two.';
COMMENT ON COLUMN v_calls.call_period_start IS 'First day the evidence allows (the day itself for day precision); sort and filter on it.';
COMMENT ON COLUMN v_calls.call_period_end IS 'Last day the evidence allows (end of the month or year).';
