-- dim_official = gazetteer people + people first seen in text, with every name form
-- the loaded articles used. Reads ref_officials (seeds) and stg_official.
WITH gazetteer AS (
    SELECT official_id, name_fa, name_en, country_code, aliases, 'gazetteer' AS source
    FROM ref_officials
),
text_only AS (
    SELECT official_id,
           arg_min(name_fa, article_id)      AS name_fa,
           max(name_en)                      AS name_en,
           arg_min(country_code, article_id) AS country_code,
           []::VARCHAR[]                     AS aliases,
           'text'                            AS source
    FROM stg_official
    WHERE source = 'text'
      AND official_id NOT IN (SELECT official_id FROM gazetteer)
    GROUP BY official_id
),
seen_forms AS (
    SELECT official_id, flatten(list(coalesce(aliases, []))) AS forms
    FROM stg_official
    GROUP BY official_id
),
people AS (
    SELECT * FROM gazetteer
    UNION ALL
    SELECT * FROM text_only
)
SELECT p.official_id,
       p.name_fa,
       p.name_en,
       p.country_code,
       list_sort(list_distinct(list_filter(
           list_concat(coalesce(p.aliases, []), coalesce(s.forms, [])),
           a -> a IS NOT NULL AND a <> p.name_fa))) AS aliases,
       p.source
FROM people AS p
LEFT JOIN seen_forms AS s USING (official_id)
ORDER BY p.official_id
