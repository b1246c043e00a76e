-- One readable row per call: date (Gregorian and Jalali), participants, initiator,
-- topic codes, number of reporting articles.
CREATE OR REPLACE VIEW v_calls AS
WITH participants AS (
    SELECT cp.call_id,
           list(o.name_fa ORDER BY cp.is_initiator DESC, o.name_fa)       AS participant_names,
           list(cp.title_fa ORDER BY cp.is_initiator DESC, o.name_fa)     AS participant_titles,
           list(cp.country_code ORDER BY cp.is_initiator DESC, o.name_fa) AS participant_countries
    FROM call_participant AS cp
    JOIN dim_official AS o USING (official_id)
    GROUP BY cp.call_id
),
topics AS (
    SELECT call_id, list(topic_code ORDER BY topic_code) AS topic_codes
    FROM call_topic
    GROUP BY call_id
)
SELECT c.call_id,
       c.call_date,
       c.call_date_precision,
       c.date_basis,
       d.jalali_date  AS call_date_jalali,
       d.jalali_year  AS call_year_jalali,
       d.jalali_month AS call_month_jalali,
       c.mode,
       p.participant_names,
       p.participant_titles,
       p.participant_countries,
       i.name_fa AS initiator_name,
       coalesce(t.topic_codes, []::VARCHAR[]) AS topic_codes,
       c.n_articles
FROM fact_call AS c
LEFT JOIN participants AS p USING (call_id)
LEFT JOIN topics AS t USING (call_id)
LEFT JOIN dim_official AS i ON i.official_id = c.initiator_official_id
LEFT JOIN dim_date AS d ON d.date_day = c.call_date;
COMMENT ON VIEW v_calls IS 'One readable row per call: dates (Gregorian and Jalali), participants, initiator, topics, articles.';
