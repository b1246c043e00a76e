-- official_role = gazetteer roles (SCD2 from seeds) + the title a text-only official
-- had in the article that revealed them (dated by that article).
WITH gazetteer AS (
    SELECT official_id, title_fa, role_code, country_code, valid_from, valid_to, 'gazetteer' AS source
    FROM ref_official_roles
),
text_roles AS (
    SELECT s.official_id, s.title_fa, coalesce(s.role_code, 'unknown') AS role_code, s.country_code,
           min(a.published_date) AS valid_from, max(a.published_date) AS valid_to, 'text' AS source
    FROM stg_official AS s
    JOIN dim_article AS a USING (article_id)
    WHERE s.source = 'text'
      AND s.official_id NOT IN (SELECT official_id FROM ref_officials)
    GROUP BY ALL
)
SELECT * FROM gazetteer
UNION ALL
SELECT * FROM text_roles
ORDER BY official_id, valid_from NULLS FIRST, role_code
