-- Dimensions. Reference dimensions are rebuilt from seeds/ on every load.
-- unique key: (article_id)  [see the note at the end of 01_operations.sql]
CREATE TABLE IF NOT EXISTS dim_article (
    article_id      VARCHAR NOT NULL,
    source_path     VARCHAR NOT NULL,
    content_sha256  VARCHAR NOT NULL,
    title           VARCHAR,
    outlet          VARCHAR,
    cited_outlet    VARCHAR,
    url             VARCHAR,
    published_at    TIMESTAMPTZ,
    published_date  DATE,
    raw_text        VARCHAR NOT NULL,
    clean_text      VARCHAR NOT NULL,
    run_id          VARCHAR NOT NULL,
    supersedes_article_id VARCHAR
);
-- Warehouses created before lineage existed get the column on their next run.
ALTER TABLE dim_article ADD COLUMN IF NOT EXISTS supersedes_article_id VARCHAR;
COMMENT ON TABLE dim_article IS 'One input article, deduplicated by normalized content.';
COMMENT ON COLUMN dim_article.article_id IS 'SHA-256 (first 16 hex) of the article text after Unicode and whitespace normalization.';
COMMENT ON COLUMN dim_article.source_path IS 'File the article was first loaded from (with #L<n> for a .jsonl line).';
COMMENT ON COLUMN dim_article.content_sha256 IS 'SHA-256 of the source file bytes.';
COMMENT ON COLUMN dim_article.title IS 'Title: the record''s title when it has words, else the text''s first line with words (emoji, bullets, #tags, @handles and a bare byline skipped; cut near 200 characters).';
COMMENT ON COLUMN dim_article.outlet IS 'Publishing outlet: the record''s outlet, else the agency named in "به گزارش ...".';
COMMENT ON COLUMN dim_article.cited_outlet IS 'The outlet the article cites ("به نقل از ...").';
COMMENT ON COLUMN dim_article.url IS 'Source URL when the record has one.';
COMMENT ON COLUMN dim_article.published_at IS 'Publication time when the record has one.';
COMMENT ON COLUMN dim_article.published_date IS 'Publication date in Tehran time; null if unknown.';
COMMENT ON COLUMN dim_article.raw_text IS 'Text exactly as read (after decoding).';
COMMENT ON COLUMN dim_article.clean_text IS 'Cleaned text that extraction reads; evidence offsets refer to it.';
COMMENT ON COLUMN dim_article.run_id IS 'Run that loaded the article.';
COMMENT ON COLUMN dim_article.supersedes_article_id IS 'Lineage: the article this one replaces because the file at the same path (same .jsonl line) changed content; the older row stays, and facts are built from the newest version only. Null for a first version.';

CREATE TABLE IF NOT EXISTS dim_country (
    country_code    VARCHAR PRIMARY KEY,
    kind            VARCHAR NOT NULL,
    name_fa         VARCHAR NOT NULL,
    name_en         VARCHAR NOT NULL
);
COMMENT ON TABLE dim_country IS 'ISO 3166-1 countries and international organisations.';
COMMENT ON COLUMN dim_country.country_code IS 'ISO 3166-1 alpha-2, or a short code for an organisation (UN, EU, IAEA...).';
COMMENT ON COLUMN dim_country.kind IS 'country | org.';
COMMENT ON COLUMN dim_country.name_fa IS 'Persian name (CLDR via Babel for countries).';
COMMENT ON COLUMN dim_country.name_en IS 'English name.';

CREATE TABLE IF NOT EXISTS dim_official (
    official_id     VARCHAR PRIMARY KEY,
    name_fa         VARCHAR NOT NULL,
    name_en         VARCHAR,
    country_code    VARCHAR,
    aliases         VARCHAR[],
    source          VARCHAR NOT NULL
);
COMMENT ON TABLE dim_official IS 'One real person: gazetteer officials and officials first seen in text.';
COMMENT ON COLUMN dim_official.official_id IS 'Gazetteer slug (hassan-rouhani), or x-<hash> for an official found only in text.';
COMMENT ON COLUMN dim_official.name_fa IS 'Canonical Persian name without honorifics (for a text-only official named by title: the title as written).';
COMMENT ON COLUMN dim_official.name_en IS 'English name when known.';
COMMENT ON COLUMN dim_official.country_code IS 'Country or organisation the person serves.';
COMMENT ON COLUMN dim_official.aliases IS 'Other forms: gazetteer aliases plus forms seen in loaded articles.';
COMMENT ON COLUMN dim_official.source IS 'gazetteer | text.';

CREATE TABLE IF NOT EXISTS official_role (
    official_id     VARCHAR NOT NULL,
    title_fa        VARCHAR,
    role_code       VARCHAR NOT NULL,
    country_code    VARCHAR,
    valid_from      DATE,
    valid_to        DATE,
    source          VARCHAR NOT NULL
);
COMMENT ON TABLE official_role IS 'Titles a person held (SCD type 2); text-only officials get the title of the article.';
COMMENT ON COLUMN official_role.official_id IS 'The person (dim_official).';
COMMENT ON COLUMN official_role.title_fa IS 'Persian title.';
COMMENT ON COLUMN official_role.role_code IS 'Role code (head_of_state, foreign_minister, ...; see seeds/reference/titles.csv).';
COMMENT ON COLUMN official_role.country_code IS 'Country or organisation of the role.';
COMMENT ON COLUMN official_role.valid_from IS 'First day in the role; null if unknown.';
COMMENT ON COLUMN official_role.valid_to IS 'Last day in the role; null while in office or unknown.';
COMMENT ON COLUMN official_role.source IS 'gazetteer | text.';

CREATE TABLE IF NOT EXISTS dim_topic (
    topic_code      VARCHAR PRIMARY KEY,
    name_fa         VARCHAR NOT NULL,
    name_en         VARCHAR NOT NULL
);
COMMENT ON TABLE dim_topic IS 'Topic codes (docs/topics.md).';
COMMENT ON COLUMN dim_topic.topic_code IS 'Topic code (covid19, trade_economy, ...).';
COMMENT ON COLUMN dim_topic.name_fa IS 'Persian name.';
COMMENT ON COLUMN dim_topic.name_en IS 'English name.';

CREATE TABLE IF NOT EXISTS dim_date (
    date_day        DATE PRIMARY KEY,
    jalali_date     VARCHAR NOT NULL,
    jalali_year     INTEGER NOT NULL,
    jalali_month    INTEGER NOT NULL,
    jalali_day      INTEGER NOT NULL,
    jalali_month_name VARCHAR NOT NULL,
    weekday_fa      VARCHAR NOT NULL
);
COMMENT ON TABLE dim_date IS 'Calendar: every day from 2000 to 2040 with its Jalali (Solar Hijri) form.';
COMMENT ON COLUMN dim_date.date_day IS 'Gregorian date.';
COMMENT ON COLUMN dim_date.jalali_date IS 'Jalali date as YYYY-MM-DD (1399-05-10).';
COMMENT ON COLUMN dim_date.jalali_year IS 'Jalali year.';
COMMENT ON COLUMN dim_date.jalali_month IS 'Jalali month 1-12.';
COMMENT ON COLUMN dim_date.jalali_day IS 'Jalali day of month.';
COMMENT ON COLUMN dim_date.jalali_month_name IS 'Persian month name (فروردین...).';
COMMENT ON COLUMN dim_date.weekday_fa IS 'Persian weekday name (شنبه...).';
