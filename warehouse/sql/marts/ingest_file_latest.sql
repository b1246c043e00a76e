-- ingest_file_latest derived from the whole ingest_file history: each file's latest outcome
-- in a completed run, and its latest outcome other than rejected.
WITH completed AS (
    SELECT f.*, r.started_at
    FROM ingest_file f JOIN ingest_run r USING (run_id)
    WHERE r.status = 'completed'
),
latest AS (
    SELECT source_path,
           arg_max(struct_pack(run_id, outcome, reason, size_bytes, mtime_ns, content_sha256), started_at) AS f
    FROM completed
    GROUP BY source_path
),
accepted AS (
    SELECT source_path,
           arg_max(struct_pack(outcome, size_bytes, mtime_ns, content_sha256), started_at) AS f
    FROM completed
    WHERE outcome <> 'rejected'
    GROUP BY source_path
)
SELECT l.source_path,
       l.f.run_id AS run_id,
       l.f.outcome AS outcome,
       l.f.reason AS reason,
       l.f.size_bytes AS size_bytes,
       l.f.mtime_ns AS mtime_ns,
       l.f.content_sha256 AS content_sha256,
       a.f.outcome AS accepted_outcome,
       a.f.size_bytes AS accepted_size_bytes,
       a.f.mtime_ns AS accepted_mtime_ns,
       a.f.content_sha256 AS accepted_sha256
FROM latest l LEFT JOIN accepted a USING (source_path)
