-- Staging: what extraction found in each article, as found. Written once per article,
-- never updated; the facts are rebuilt from these rows on every load, so an article
-- that reports an already-known call merges into it whatever the load order.
-- unique key: (article_id, call_seq)  [see the note at the end of 01_operations.sql]
CREATE TABLE IF NOT EXISTS stg_call_mention (
    article_id          VARCHAR NOT NULL,
    call_seq            INTEGER NOT NULL,
    mode                VARCHAR NOT NULL,
    call_date           DATE,
    call_date_precision VARCHAR,
    date_basis          VARCHAR,
    sentence_index      INTEGER,
    char_start          INTEGER NOT NULL,
    char_end            INTEGER NOT NULL,
    evidence            VARCHAR NOT NULL
);
COMMENT ON TABLE stg_call_mention IS 'Staging: each call an article reports, before merging calls across articles.';
COMMENT ON COLUMN stg_call_mention.article_id IS 'Article (dim_article).';
COMMENT ON COLUMN stg_call_mention.call_seq IS 'Index of the call within its article.';
COMMENT ON COLUMN stg_call_mention.mode IS 'phone | video.';
COMMENT ON COLUMN stg_call_mention.call_date IS 'Date the article gives or implies for the call.';
COMMENT ON COLUMN stg_call_mention.call_date_precision IS 'day | month | year.';
COMMENT ON COLUMN stg_call_mention.date_basis IS 'stated | inferred | published.';
COMMENT ON COLUMN stg_call_mention.sentence_index IS 'Index of the evidence sentence in clean_text.';
COMMENT ON COLUMN stg_call_mention.char_start IS 'Evidence start offset in dim_article.clean_text.';
COMMENT ON COLUMN stg_call_mention.char_end IS 'Evidence end offset (exclusive) in dim_article.clean_text.';
COMMENT ON COLUMN stg_call_mention.evidence IS 'The sentence reporting the call.';

CREATE TABLE IF NOT EXISTS stg_call_participant (
    article_id      VARCHAR NOT NULL,
    call_seq        INTEGER NOT NULL,
    official_id     VARCHAR NOT NULL,
    country_code    VARCHAR,
    title_fa        VARCHAR,
    role_code       VARCHAR,
    is_initiator    BOOLEAN NOT NULL,
    dq_flag         VARCHAR
);
COMMENT ON TABLE stg_call_participant IS 'Staging: participants of each article-level call.';
COMMENT ON COLUMN stg_call_participant.article_id IS 'Article (dim_article).';
COMMENT ON COLUMN stg_call_participant.call_seq IS 'Call within the article (stg_call_mention.call_seq).';
COMMENT ON COLUMN stg_call_participant.official_id IS 'The person (dim_official).';
COMMENT ON COLUMN stg_call_participant.country_code IS 'Country or organisation the person represented on the call.';
COMMENT ON COLUMN stg_call_participant.title_fa IS 'Title the article gives for this call.';
COMMENT ON COLUMN stg_call_participant.role_code IS 'Role code of that title.';
COMMENT ON COLUMN stg_call_participant.is_initiator IS 'True when the article says this person placed the call.';
COMMENT ON COLUMN stg_call_participant.dq_flag IS 'Data-quality flag, e.g. name_contradicts_gazetteer.';

CREATE TABLE IF NOT EXISTS stg_call_topic (
    article_id      VARCHAR NOT NULL,
    call_seq        INTEGER NOT NULL,
    topic_code      VARCHAR NOT NULL,
    evidence        VARCHAR NOT NULL,
    char_start      INTEGER NOT NULL,
    char_end        INTEGER NOT NULL
);
COMMENT ON TABLE stg_call_topic IS 'Staging: topics of each article-level call with their evidence sentence.';
COMMENT ON COLUMN stg_call_topic.article_id IS 'Article (dim_article).';
COMMENT ON COLUMN stg_call_topic.call_seq IS 'Call within the article.';
COMMENT ON COLUMN stg_call_topic.topic_code IS 'Topic (dim_topic).';
COMMENT ON COLUMN stg_call_topic.evidence IS 'Sentence that shows the topic.';
COMMENT ON COLUMN stg_call_topic.char_start IS 'Evidence start offset in clean_text.';
COMMENT ON COLUMN stg_call_topic.char_end IS 'Evidence end offset (exclusive) in clean_text.';

CREATE TABLE IF NOT EXISTS stg_statement (
    article_id      VARCHAR NOT NULL,
    call_seq        INTEGER,
    official_id     VARCHAR,
    verb            VARCHAR NOT NULL,
    text            VARCHAR NOT NULL,
    char_start      INTEGER NOT NULL,
    char_end        INTEGER NOT NULL
);
COMMENT ON TABLE stg_statement IS 'Staging: statements found in each article.';
COMMENT ON COLUMN stg_statement.article_id IS 'Article (dim_article).';
COMMENT ON COLUMN stg_statement.call_seq IS 'Call the statement was made in, when known.';
COMMENT ON COLUMN stg_statement.official_id IS 'Speaker, when resolved.';
COMMENT ON COLUMN stg_statement.verb IS 'Reporting verb (گفت، افزود، تاکید کرد...).';
COMMENT ON COLUMN stg_statement.text IS 'What was said.';
COMMENT ON COLUMN stg_statement.char_start IS 'Start offset of text in clean_text.';
COMMENT ON COLUMN stg_statement.char_end IS 'End offset (exclusive) of text in clean_text.';

CREATE TABLE IF NOT EXISTS stg_official (
    article_id      VARCHAR NOT NULL,
    official_id     VARCHAR NOT NULL,
    name_fa         VARCHAR NOT NULL,
    name_en         VARCHAR,
    country_code    VARCHAR,
    aliases         VARCHAR[],
    title_fa        VARCHAR,
    role_code       VARCHAR,
    source          VARCHAR NOT NULL
);
COMMENT ON TABLE stg_official IS 'Staging: officials an article revealed: people missing from the gazetteer (source text) and new name forms of known people (source alias).';
COMMENT ON COLUMN stg_official.article_id IS 'Article that revealed them.';
COMMENT ON COLUMN stg_official.official_id IS 'The person.';
COMMENT ON COLUMN stg_official.name_fa IS 'Name (or title) as the article gives it.';
COMMENT ON COLUMN stg_official.name_en IS 'English name if known.';
COMMENT ON COLUMN stg_official.country_code IS 'Country or organisation.';
COMMENT ON COLUMN stg_official.aliases IS 'Name forms the article used.';
COMMENT ON COLUMN stg_official.title_fa IS 'Title in the article.';
COMMENT ON COLUMN stg_official.role_code IS 'Role code of that title.';
COMMENT ON COLUMN stg_official.source IS 'text | alias.';
