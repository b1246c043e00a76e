-- Staging: each participant of each call with the person's and the country's names.
CREATE OR REPLACE VIEW stg_participant_named AS
SELECT cp.call_id,
       cp.official_id,
       coalesce(o.name_fa, cp.official_id) AS name_fa,
       o.name_en,
       cp.country_code,
       co.name_fa                          AS country_name_fa,
       co.name_en                          AS country_name_en,
       cp.title_fa,
       cp.role_code,
       cp.is_initiator
FROM call_participant AS cp
LEFT JOIN dim_official AS o USING (official_id)
LEFT JOIN dim_country AS co ON co.country_code = cp.country_code;
