-- An official's call history with evidence: one row per official and call.
CREATE OR REPLACE VIEW v_official_calls AS
WITH counterparts AS (
    SELECT a.call_id,
           a.official_id,
           list(b.official_id ORDER BY b.name_fa)  AS counterpart_ids,
           list(b.name_fa ORDER BY b.name_fa)      AS counterpart_names,
           list(b.country_code ORDER BY b.name_fa) AS counterpart_countries
    FROM stg_participant_named AS a
    JOIN stg_participant_named AS b ON a.call_id = b.call_id AND a.official_id <> b.official_id
    GROUP BY a.call_id, a.official_id
),
topics AS (
    SELECT call_id, list(DISTINCT topic_code ORDER BY topic_code) AS topic_codes
    FROM stg_topic_named
    GROUP BY call_id
),
reports AS (
    SELECT call_id,
           list(evidence ORDER BY published_date NULLS LAST, article_id)      AS evidence,
           list(article_id ORDER BY published_date NULLS LAST, article_id)    AS article_ids,
           list(article_title ORDER BY published_date NULLS LAST, article_id) AS article_titles
    FROM stg_mention_sourced
    GROUP BY call_id
)
SELECT p.official_id,
       p.name_fa          AS official_name_fa,
       p.country_code,
       p.title_fa,
       p.is_initiator,
       c.call_id,
       c.call_date,
       c.call_date_precision,
       c.call_date_jalali,
       c.call_date_gregorian,
       c.call_period_start,
       c.call_year_jalali,
       c.call_month_jalali,
       c.mode,
       k.counterpart_ids,
       k.counterpart_names,
       k.counterpart_countries,
       coalesce(t.topic_codes, []::VARCHAR[]) AS topic_codes,
       c.n_articles,
       r.evidence,
       r.article_ids,
       r.article_titles
FROM stg_participant_named AS p
JOIN stg_call_dated AS c USING (call_id)
LEFT JOIN counterparts AS k ON k.call_id = p.call_id AND k.official_id = p.official_id
LEFT JOIN topics AS t ON t.call_id = p.call_id
LEFT JOIN reports AS r ON r.call_id = p.call_id;
