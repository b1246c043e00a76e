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

CREATE TABLE IF NOT EXISTS ingest_file (
    run_id          VARCHAR NOT NULL,
    source_path     VARCHAR NOT NULL,
    content_sha256  VARCHAR,
    outcome         VARCHAR NOT NULL CHECK (outcome IN ('loaded', 'duplicate', 'unchanged', 'rejected')),
    reason          VARCHAR,
    size_bytes      BIGINT,
    mtime_ns        BIGINT,
    article_ids     VARCHAR[],
    PRIMARY KEY (run_id, source_path)
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
