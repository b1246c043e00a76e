-- Operations: what each run saw and did. Written by every run, failed ones included.
CREATE TABLE IF NOT EXISTS ingest_run (
    run_id          VARCHAR PRIMARY KEY,
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ,
    status          VARCHAR NOT NULL CHECK (status IN ('completed', 'failed')),
    files_seen      INTEGER NOT NULL DEFAULT 0,
    articles_loaded INTEGER NOT NULL DEFAULT 0,
    duplicates      INTEGER NOT NULL DEFAULT 0,
    unchanged       INTEGER NOT NULL DEFAULT 0,
    rejected        INTEGER NOT NULL DEFAULT 0,
    calls_found     INTEGER NOT NULL DEFAULT 0,
    input_paths     VARCHAR[],
    error           VARCHAR,
    reference_sha256 VARCHAR
);
ALTER TABLE ingest_run ADD COLUMN IF NOT EXISTS reference_sha256 VARCHAR;
COMMENT ON TABLE ingest_run IS 'One row per ingestion run, completed or failed.';
COMMENT ON COLUMN ingest_run.run_id IS 'Run identifier (UUID), also stamped on the dim_article rows the run loaded.';
COMMENT ON COLUMN ingest_run.started_at IS 'When the run started (UTC).';
COMMENT ON COLUMN ingest_run.finished_at IS 'When the run committed or failed (UTC).';
COMMENT ON COLUMN ingest_run.status IS 'completed: the load committed; failed: nothing was loaded, see error.';
COMMENT ON COLUMN ingest_run.files_seen IS 'Files the run discovered; equals the number of its ingest_file rows.';
COMMENT ON COLUMN ingest_run.articles_loaded IS 'New articles added to dim_article by this run.';
COMMENT ON COLUMN ingest_run.duplicates IS 'Files whose articles were already in the warehouse under other content or another path.';
COMMENT ON COLUMN ingest_run.unchanged IS 'Files skipped because path, size and mtime (or content hash) were unchanged since they were last loaded.';
COMMENT ON COLUMN ingest_run.rejected IS 'Files that could not be loaded; ingest_file.reason says why.';
COMMENT ON COLUMN ingest_run.calls_found IS 'Call mentions extracted from the articles this run loaded.';
COMMENT ON COLUMN ingest_run.input_paths IS 'The paths the run was asked to ingest.';
COMMENT ON COLUMN ingest_run.reference_sha256 IS 'Fingerprint of the seeds (gazetteers, topics) the facts were last rebuilt with; a run with no new article and the same fingerprint skips the rebuild.';
COMMENT ON COLUMN ingest_run.error IS 'For a failed run: the error that stopped it.';

-- unique key: (run_id, source_path)  [see the note at the end of 01_operations.sql]
CREATE TABLE IF NOT EXISTS ingest_file (
    run_id          VARCHAR NOT NULL,
    source_path     VARCHAR NOT NULL,
    content_sha256  VARCHAR,
    outcome         VARCHAR NOT NULL CHECK (outcome IN ('loaded', 'duplicate', 'unchanged', 'rejected')),
    reason          VARCHAR,
    size_bytes      BIGINT,
    mtime_ns        BIGINT,
    article_ids     VARCHAR[]
);
COMMENT ON TABLE ingest_file IS 'Every file a run saw, exactly once per run, with what became of it.';
COMMENT ON COLUMN ingest_file.run_id IS 'The run (ingest_run.run_id).';
COMMENT ON COLUMN ingest_file.source_path IS 'Absolute path of the file as discovered.';
COMMENT ON COLUMN ingest_file.content_sha256 IS 'SHA-256 of the file bytes; null when the file was not read (unchanged by stat, unreadable).';
COMMENT ON COLUMN ingest_file.outcome IS 'loaded | duplicate | unchanged | rejected.';
COMMENT ON COLUMN ingest_file.reason IS 'Why: for rejected files the cause (see README), for others a short note.';
COMMENT ON COLUMN ingest_file.size_bytes IS 'File size at discovery.';
COMMENT ON COLUMN ingest_file.mtime_ns IS 'File modification time at discovery (ns since epoch).';
COMMENT ON COLUMN ingest_file.article_ids IS 'Articles the file holds (several for .jsonl).';

-- The latest word on every file, kept by each completed run (warehouse/load.py,
-- update_file_latest), so that the next run's "unchanged" and "still rejected" checks read
-- one row per file instead of ranking the whole ingest_file history, which grows by one
-- row per file per run. warehouse/sql/marts/ingest_file_latest.sql derives it from that
-- history: it builds the table once for a warehouse that predates it
-- (store.apply_schema), and a DuckLake reads it directly (warehouse/load.py).
CREATE TABLE IF NOT EXISTS ingest_file_latest (
    source_path         VARCHAR NOT NULL,
    run_id              VARCHAR NOT NULL,
    outcome             VARCHAR NOT NULL,
    reason              VARCHAR,
    size_bytes          BIGINT,
    mtime_ns            BIGINT,
    content_sha256      VARCHAR,
    accepted_outcome    VARCHAR,
    accepted_size_bytes BIGINT,
    accepted_mtime_ns   BIGINT,
    accepted_sha256     VARCHAR
);
COMMENT ON TABLE ingest_file_latest IS 'One row per file any completed run saw: its latest ingest_file outcome, and its latest outcome other than rejected. Kept by every completed run; what the next run compares files against.';
COMMENT ON COLUMN ingest_file_latest.source_path IS 'Absolute path of the file.';
COMMENT ON COLUMN ingest_file_latest.run_id IS 'The last completed run that saw the file.';
COMMENT ON COLUMN ingest_file_latest.outcome IS 'That run''s outcome for the file (ingest_file.outcome).';
COMMENT ON COLUMN ingest_file_latest.reason IS 'That run''s reason (ingest_file.reason).';
COMMENT ON COLUMN ingest_file_latest.size_bytes IS 'File size that run saw.';
COMMENT ON COLUMN ingest_file_latest.mtime_ns IS 'File modification time that run saw.';
COMMENT ON COLUMN ingest_file_latest.content_sha256 IS 'SHA-256 of the bytes that run read, if it read them.';
COMMENT ON COLUMN ingest_file_latest.accepted_outcome IS 'The latest outcome other than rejected (loaded, duplicate, unchanged); null if the file was only ever rejected.';
COMMENT ON COLUMN ingest_file_latest.accepted_size_bytes IS 'File size at that accepted outcome.';
COMMENT ON COLUMN ingest_file_latest.accepted_mtime_ns IS 'File modification time at that accepted outcome.';
COMMENT ON COLUMN ingest_file_latest.accepted_sha256 IS 'SHA-256 of the content at that accepted outcome (what "unchanged" compares against).';

-- Keys. A table marked "-- unique key: (...)" has that key unique, but no PRIMARY KEY
-- constraint: the loader keeps the key unique (it appends only articles not already
-- loaded, staging rows of those, and rebuilds the facts whole), and
-- tests/test_ingest.py checks every declared key after real runs. A DuckDB primary key
-- is an ART index kept in the file and rewritten whole at every checkpoint: on 100,000
-- articles the indexes of these tables took ~250 MB of a 950 MB warehouse, and every
-- run copies the warehouse before it writes. Without them a cold 100k ingest took
-- 199 s instead of ~215-224 s and a no-change re-run 12 s instead of 14-16 s.
-- (Warehouses created before keep their constraints; nothing depends on them.)
