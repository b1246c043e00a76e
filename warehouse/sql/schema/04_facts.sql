-- Facts: rebuilt from staging on every load (see warehouse/load.py).
-- unique key: (call_id)  [see the note at the end of 01_operations.sql]
CREATE TABLE IF NOT EXISTS fact_call (
    call_id                 VARCHAR NOT NULL,
    call_date               DATE,
    call_date_precision     VARCHAR CHECK (call_date_precision IN ('day', 'month', 'year')),
    date_basis              VARCHAR CHECK (date_basis IN ('stated', 'inferred', 'published')),
    initiator_official_id   VARCHAR,
    mode                    VARCHAR NOT NULL CHECK (mode IN ('phone', 'video')),
    n_articles              INTEGER NOT NULL,
    dq_flags                VARCHAR[]
);
COMMENT ON TABLE fact_call IS 'One real call, however many articles report it.';
COMMENT ON COLUMN fact_call.call_id IS 'Hash of the participants (unordered) and the call date: stable across re-runs.';
COMMENT ON COLUMN fact_call.call_date IS 'Date of the call (first day of the month/year when precision is coarser).';
COMMENT ON COLUMN fact_call.call_date_precision IS 'day | month | year; null when unknown.';
COMMENT ON COLUMN fact_call.date_basis IS 'stated (the text gives it) | inferred (weekday, occasion, relative word) | published (publication date of a fresh report).';
COMMENT ON COLUMN fact_call.initiator_official_id IS 'Who placed the call, when the text says so.';
COMMENT ON COLUMN fact_call.mode IS 'phone | video.';
COMMENT ON COLUMN fact_call.n_articles IS 'Number of articles reporting the call.';
COMMENT ON COLUMN fact_call.dq_flags IS 'Data-quality flags of the call (e.g. name_contradicts_gazetteer).';

-- unique key: (call_id, official_id)  [see the note at the end of 01_operations.sql]
CREATE TABLE IF NOT EXISTS call_participant (
    call_id         VARCHAR NOT NULL,
    official_id     VARCHAR NOT NULL,
    country_code    VARCHAR,
    title_fa        VARCHAR,
    role_code       VARCHAR,
    is_initiator    BOOLEAN NOT NULL
);
COMMENT ON TABLE call_participant IS 'Call x official: who was on each call, in which capacity.';
COMMENT ON COLUMN call_participant.call_id IS 'The call (fact_call).';
COMMENT ON COLUMN call_participant.official_id IS 'The person (dim_official).';
COMMENT ON COLUMN call_participant.country_code IS 'Country or organisation represented.';
COMMENT ON COLUMN call_participant.title_fa IS 'Title the reporting article gives.';
COMMENT ON COLUMN call_participant.role_code IS 'Role code of that title.';
COMMENT ON COLUMN call_participant.is_initiator IS 'True for the person who placed the call.';

-- unique key: (call_id, topic_code)  [see the note at the end of 01_operations.sql]
CREATE TABLE IF NOT EXISTS call_topic (
    call_id         VARCHAR NOT NULL,
    topic_code      VARCHAR NOT NULL,
    evidence        VARCHAR NOT NULL,
    article_id      VARCHAR NOT NULL,
    char_start      INTEGER NOT NULL,
    char_end        INTEGER NOT NULL
);
COMMENT ON TABLE call_topic IS 'Call x topic, with the sentence that shows it.';
COMMENT ON COLUMN call_topic.call_id IS 'The call (fact_call).';
COMMENT ON COLUMN call_topic.topic_code IS 'Topic (dim_topic).';
COMMENT ON COLUMN call_topic.evidence IS 'Evidence sentence.';
COMMENT ON COLUMN call_topic.article_id IS 'Article the evidence comes from.';
COMMENT ON COLUMN call_topic.char_start IS 'Evidence start offset in that article''s clean_text.';
COMMENT ON COLUMN call_topic.char_end IS 'Evidence end offset (exclusive).';

-- unique key: (article_id, call_seq)  [see the note at the end of 01_operations.sql]
CREATE TABLE IF NOT EXISTS call_mention (
    call_id         VARCHAR NOT NULL,
    article_id      VARCHAR NOT NULL,
    call_seq        INTEGER NOT NULL,
    sentence_index  INTEGER,
    char_start      INTEGER NOT NULL,
    char_end        INTEGER NOT NULL,
    evidence        VARCHAR NOT NULL
);
COMMENT ON TABLE call_mention IS 'Call x article that reports it.';
COMMENT ON COLUMN call_mention.call_id IS 'The call (fact_call).';
COMMENT ON COLUMN call_mention.article_id IS 'The reporting article (dim_article).';
COMMENT ON COLUMN call_mention.call_seq IS 'Index of the call within the article.';
COMMENT ON COLUMN call_mention.sentence_index IS 'Index of the evidence sentence.';
COMMENT ON COLUMN call_mention.char_start IS 'Evidence start offset in clean_text.';
COMMENT ON COLUMN call_mention.char_end IS 'Evidence end offset (exclusive) in clean_text.';
COMMENT ON COLUMN call_mention.evidence IS 'The sentence reporting the call.';

-- unique key: (statement_id)  [see the note at the end of 01_operations.sql]
CREATE TABLE IF NOT EXISTS statement (
    statement_id    VARCHAR NOT NULL,
    article_id      VARCHAR NOT NULL,
    call_id         VARCHAR,
    official_id     VARCHAR,
    verb            VARCHAR NOT NULL,
    text            VARCHAR NOT NULL,
    char_start      INTEGER NOT NULL,
    char_end        INTEGER NOT NULL
);
COMMENT ON TABLE statement IS 'A quoted or reported statement.';
COMMENT ON COLUMN statement.statement_id IS 'Hash of article and offsets.';
COMMENT ON COLUMN statement.article_id IS 'Article (dim_article).';
COMMENT ON COLUMN statement.call_id IS 'Call the statement belongs to, when known.';
COMMENT ON COLUMN statement.official_id IS 'Speaker, when resolved.';
COMMENT ON COLUMN statement.verb IS 'Reporting verb.';
COMMENT ON COLUMN statement.text IS 'What was said.';
COMMENT ON COLUMN statement.char_start IS 'Start offset of text in clean_text.';
COMMENT ON COLUMN statement.char_end IS 'End offset (exclusive).';
