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
COMMENT ON VIEW v_official_calls IS 'An official''s call history with evidence: one row per official and call (WHERE official_id = ... ORDER BY call_period_start).';
COMMENT ON COLUMN v_official_calls.official_id IS 'The official (dim_official).';
COMMENT ON COLUMN v_official_calls.official_name_fa IS 'The official''s Persian name.';
COMMENT ON COLUMN v_official_calls.country_code IS 'Country or organisation the official represented on this call.';
COMMENT ON COLUMN v_official_calls.title_fa IS 'The official''s title in the reporting article.';
COMMENT ON COLUMN v_official_calls.is_initiator IS 'True when this official placed the call.';
COMMENT ON COLUMN v_official_calls.call_id IS 'The call (fact_call).';
COMMENT ON COLUMN v_official_calls.call_date IS 'Gregorian date of a day-precision call; null when only the month or year is known, or undated.';
COMMENT ON COLUMN v_official_calls.call_date_precision IS 'day | month | year | none (undated).';
COMMENT ON COLUMN v_official_calls.call_date_jalali IS 'Jalali label of what is known (1405-02-21, اردیبهشت ۱۴۰۵).';
COMMENT ON COLUMN v_official_calls.call_date_gregorian IS 'Gregorian label of what is known (2026-05-21, May 2026).';
COMMENT ON COLUMN v_official_calls.call_period_start IS 'First day the evidence allows; ORDER BY it.';
COMMENT ON COLUMN v_official_calls.call_year_jalali IS 'Jalali year; null when the period straddles two.';
COMMENT ON COLUMN v_official_calls.call_month_jalali IS 'Jalali month 1-12; null when the period straddles two.';
COMMENT ON COLUMN v_official_calls.mode IS 'phone | video.';
COMMENT ON COLUMN v_official_calls.counterpart_ids IS 'The other participants'' official_id.';
COMMENT ON COLUMN v_official_calls.counterpart_names IS 'The other participants'' Persian names, same order.';
COMMENT ON COLUMN v_official_calls.counterpart_countries IS 'The other participants'' country codes, same order.';
COMMENT ON COLUMN v_official_calls.topic_codes IS 'Topic codes of the call.';
COMMENT ON COLUMN v_official_calls.n_articles IS 'Number of articles reporting the call.';
COMMENT ON COLUMN v_official_calls.evidence IS 'Evidence sentences, one per reporting article (oldest article first).';
COMMENT ON COLUMN v_official_calls.article_ids IS 'The reporting articles (dim_article), same order as evidence.';
COMMENT ON COLUMN v_official_calls.article_titles IS 'Titles of the reporting articles, same order.';
