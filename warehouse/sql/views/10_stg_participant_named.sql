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
COMMENT ON VIEW stg_participant_named IS 'Staging: call_participant with the names of the person and of the country represented.';
COMMENT ON COLUMN stg_participant_named.call_id IS 'The call (fact_call).';
COMMENT ON COLUMN stg_participant_named.official_id IS 'The person (dim_official).';
COMMENT ON COLUMN stg_participant_named.name_fa IS 'Canonical Persian name (the official_id if the person is missing from dim_official).';
COMMENT ON COLUMN stg_participant_named.name_en IS 'English name when known.';
COMMENT ON COLUMN stg_participant_named.country_code IS 'Country or organisation represented on the call.';
COMMENT ON COLUMN stg_participant_named.country_name_fa IS 'Persian name of that country.';
COMMENT ON COLUMN stg_participant_named.country_name_en IS 'English name of that country.';
COMMENT ON COLUMN stg_participant_named.title_fa IS 'Title the reporting article gives.';
COMMENT ON COLUMN stg_participant_named.role_code IS 'Role code of that title.';
COMMENT ON COLUMN stg_participant_named.is_initiator IS 'True for the person who placed the call.';
