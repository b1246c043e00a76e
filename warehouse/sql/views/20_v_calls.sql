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
