"""Loading a run into the (staged copy of the) warehouse.

Every function takes an open read-write connection inside ``store.staged_copy`` and
polars frames; the flow calls them in order. Article-level rows are appended once per
article; reference dimensions and facts are rebuilt from seeds and staging on every
load (see transforms/calls.py for why facts are rebuilt, not appended).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb
import polars as pl

from core.seeds import LEXICON_DIR, LINE, REFERENCE_DIR, read_csv
from warehouse.store import read_sql

STAGING_TABLES = {
    "mentions": "stg_call_mention",
    "participants": "stg_call_participant",
    "topics": "stg_call_topic",
    "statements": "stg_statement",
    "officials": "stg_official",
}
FACT_TABLES = ("fact_call", "call_participant", "call_topic", "call_mention", "statement")


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Append a polars frame by column name (columns the table lacks are an error)."""
    if frame.height == 0:
        return
    con.register("_incoming", frame.to_arrow())
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _incoming")
    finally:
        con.unregister("_incoming")


def _replace(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    con.execute(f"DELETE FROM {table}")
    _insert(con, table, frame)


def _replace_from_model(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Rebuild ``table`` from the SELECT in warehouse/sql/marts/<table>.sql."""
    con.execute(f"DELETE FROM {table}")
    con.execute(f"INSERT INTO {table} BY NAME ({read_sql('marts', table)})")


def load_topics(directory: Path = LEXICON_DIR) -> pl.DataFrame:
    return read_csv(directory / "topics.csv", ["topic_code", "name_fa", "name_en"]).drop(LINE)


def load_reference_dimensions(
    con: duckdb.DuckDBPyConnection, reference, calendar_days: Callable[[date, date], pl.DataFrame]
) -> None:
    """dim_country, dim_topic, dim_date from seeds; dim_official and official_role from
    seeds plus what articles revealed (stg_official).

    The flow hands in what transforms/ computes (warehouse/ imports nothing from it):
    ``reference``, the seeds' countries, officials and official roles as frames
    (transforms.reference.Reference), and ``calendar_days(first, last)``, dim_date's rows,
    called only while dim_date is empty (it takes seconds)."""
    _replace(con, "dim_country", reference.countries.select("country_code", "kind", "name_fa", "name_en"))
    _replace(con, "dim_topic", load_topics().select("topic_code", "name_fa", "name_en"))
    if con.execute("SELECT count(*) FROM dim_date").fetchone()[0] == 0:
        _insert(con, "dim_date", calendar_days(date(2000, 1, 1), date(2040, 12, 31)))
    con.register("ref_officials", reference.officials.select("official_id", "name_fa", "name_en", "country_code", "aliases").to_arrow())
    con.register(
        "ref_official_roles",
        reference.official_roles.select("official_id", "title_fa", "role_code", "country_code", "valid_from", "valid_to").to_arrow(),
    )
    try:
        _replace_from_model(con, "dim_official")
        _replace_from_model(con, "official_role")
    finally:
        con.unregister("ref_officials")
        con.unregister("ref_official_roles")


def known_articles(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> set[str]:
    if not article_ids:
        return set()
    con.register("_ids", pl.DataFrame({"article_id": article_ids}).to_arrow())
    try:
        rows = con.execute("SELECT a.article_id FROM dim_article a JOIN _ids USING (article_id)").fetchall()
    finally:
        con.unregister("_ids")
    return {r[0] for r in rows}


def append_articles(con: duckdb.DuckDBPyConnection, articles: pl.DataFrame, run_id: str) -> None:
    _insert(
        con,
        "dim_article",
        articles.select(
            "article_id", "source_path", "content_sha256", "title", "outlet", "cited_outlet", "url",
            "published_at", "published_date", "raw_text", "clean_text",
        ).with_columns(
            (articles["extracted_chars"] if "extracted_chars" in articles.columns
             else pl.lit(None, dtype=pl.Int32)).alias("extracted_chars"),
            pl.lit(run_id).alias("run_id"),
            (articles["supersedes_article_id"] if "supersedes_article_id" in articles.columns
             else pl.lit(None, dtype=pl.String)).alias("supersedes_article_id"),
        ),
    )


def previous_versions(con: duckdb.DuckDBPyConnection, file_paths: list[str]) -> dict[str, list[tuple[str, str]]]:
    """For each file path, the articles it held when a completed run last read it:
    ``{file_path: [(article_id, dim_article.source_path), ...]}``."""
    if not file_paths:
        return {}
    con.register("_paths", pl.DataFrame({"source_path": file_paths}).to_arrow())
    try:
        rows = con.execute(
            """
            WITH last AS (
                SELECT f.source_path, f.article_ids
                FROM ingest_file f JOIN ingest_run r USING (run_id) JOIN _paths USING (source_path)
                WHERE r.status = 'completed' AND len(f.article_ids) > 0
                QUALIFY row_number() OVER (PARTITION BY f.source_path ORDER BY r.started_at DESC) = 1
            )
            SELECT u.source_path, a.article_id, a.source_path
            FROM (SELECT source_path, unnest(article_ids) AS article_id FROM last) u
            JOIN dim_article a ON a.article_id = u.article_id
            """
        ).fetchall()
    finally:
        con.unregister("_paths")
    out: dict[str, list[tuple[str, str]]] = {}
    for path, article_id, article_source in rows:
        out.setdefault(path, []).append((article_id, article_source))
    return out


def append_staging(con: duckdb.DuckDBPyConnection, extraction) -> None:
    """Staging rows of newly loaded articles (an ``Extraction`` from transforms.extraction)."""
    for attribute, table in STAGING_TABLES.items():
        frame: pl.DataFrame = getattr(extraction, attribute)
        columns = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()]
        _insert(con, table, frame.select([c for c in columns if c in frame.columns]))


# Articles a newer version of the same file replaced (dim_article.supersedes_article_id)
# keep their rows, but the facts come from the newest version only.
_SUPERSEDED = "(SELECT supersedes_article_id FROM dim_article WHERE supersedes_article_id IS NOT NULL)"


# Calls only merge among mentions with the same set of participants (transforms/calls.py),
# so the facts are consolidated bucket by bucket of participant sets: memory is that of
# one bucket, not of every staging row (reading them all took +1.26 GB at 300k articles).
# A bucket per this many call mentions: each bucket reads every staging table again.
FACT_BUCKET_MENTIONS = 25_000


def fact_buckets(con: duckdb.DuckDBPyConnection) -> int:
    mentions = con.execute("SELECT count(*) FROM stg_call_mention").fetchone()[0]
    return max(1, -(-mentions // FACT_BUCKET_MENTIONS))


def rebuild_facts(con: duckdb.DuckDBPyConnection, consolidate: Callable, buckets: int | None = None) -> int:
    """Replace the fact tables with the consolidation of all staging rows of current
    (not superseded) articles; returns #calls. ``consolidate(mentions, participants,
    topics, statements)`` is transforms.calls.consolidate_calls, handed in by the flow; it
    returns the frames of FACT_TABLES as attributes. ``buckets``: how many; by default
    one per FACT_BUCKET_MENTIONS staged mentions (the facts are the same for any number).

    Each bucket's rows are read in staging order, so every order-dependent step of the
    consolidation (which stays within one call) sees them as a single pass would. A
    statement is kept once per article span (its first staging row, as the single pass
    kept it) and goes with its call's bucket; statements of no call go with bucket 0."""
    buckets = buckets or fact_buckets(con)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _fact_bucket AS
        SELECT m.article_id, m.call_seq,
               hash(list_sort(list(DISTINCT p.official_id) FILTER (WHERE p.official_id IS NOT NULL))) % {buckets} AS bucket
        FROM stg_call_mention m LEFT JOIN stg_call_participant p USING (article_id, call_seq)
        WHERE m.article_id NOT IN {_SUPERSEDED}
        GROUP BY m.article_id, m.call_seq
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _statement_first AS
        SELECT *, rowid AS _row FROM stg_statement WHERE article_id NOT IN {_SUPERSEDED}
        QUALIFY row_number() OVER (PARTITION BY article_id, char_start, char_end ORDER BY rowid) = 1
        """
    )
    for table in FACT_TABLES:
        con.execute(f"DELETE FROM {table}")
    calls = 0
    for bucket in range(buckets):
        mentions = con.execute(
            "SELECT m.*, a.published_date FROM stg_call_mention m JOIN dim_article a USING (article_id)"
            " JOIN _fact_bucket b USING (article_id, call_seq) WHERE b.bucket = ? ORDER BY m.rowid",
            [bucket],
        ).pl()
        statements = con.execute(
            "SELECT s.* EXCLUDE (_row) FROM _statement_first s LEFT JOIN _fact_bucket b USING (article_id, call_seq)"
            " WHERE coalesce(b.bucket, 0) = ? ORDER BY s._row",
            [bucket],
        ).pl()
        if mentions.height == 0 and statements.height == 0:
            continue
        participants, topics = (
            con.execute(
                f"SELECT x.* FROM {staging} x JOIN _fact_bucket b USING (article_id, call_seq)"
                " WHERE b.bucket = ? ORDER BY x.rowid",
                [bucket],
            ).pl()
            for staging in ("stg_call_participant", "stg_call_topic")
        )
        facts = consolidate(mentions, participants, topics, statements)
        for table in FACT_TABLES:
            _insert(con, table, getattr(facts, table))
        calls += facts.fact_call.height
    con.execute("DROP TABLE _fact_bucket")
    con.execute("DROP TABLE _statement_first")
    return calls


def reference_fingerprint(reference_dir: Path = REFERENCE_DIR, lexicon_dir: Path = LEXICON_DIR) -> str:
    """SHA-256 over the seed files the rebuilt dimensions and facts depend on."""
    digest = hashlib.sha256()
    for path in sorted(reference_dir.glob("*.csv")) + [lexicon_dir / "topics.csv"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def facts_are_current(con: duckdb.DuckDBPyConnection, fingerprint: str) -> bool:
    """True when the last completed run rebuilt the facts from the same seeds."""
    row = con.execute(
        "SELECT reference_sha256 FROM ingest_run WHERE status = 'completed' ORDER BY started_at DESC LIMIT 1"
    ).fetchone()
    return row is not None and row[0] == fingerprint


def _file_latest(from_history: bool) -> str:
    """ingest_file_latest, or the same rows derived from the ingest_file history (a
    DuckLake, whose concurrent writers do not keep that table)."""
    return f"({read_sql('marts', 'ingest_file_latest')})" if from_history else "ingest_file_latest"


_FILE_STATE_SCHEMA = {"source_path": pl.String, "size_bytes": pl.Int64, "mtime_ns": pl.Int64,
                      "content_sha256": pl.String, "outcome": pl.String}
_REJECTED_STATE_SCHEMA = {"source_path": pl.String, "size_bytes": pl.Int64, "mtime_ns": pl.Int64,
                          "reason": pl.String, "content_sha256": pl.String}


def empty_file_state() -> pl.DataFrame:
    """``file_state`` of a warehouse that does not exist yet."""
    return pl.DataFrame(schema=_FILE_STATE_SCHEMA)


def empty_rejected_state() -> pl.DataFrame:
    """``rejected_state`` of a warehouse that does not exist yet."""
    return pl.DataFrame(schema=_REJECTED_STATE_SCHEMA)


def file_state(con: duckdb.DuckDBPyConnection, from_history: bool = False) -> pl.DataFrame:
    """Last known size, mtime and hash of every file a completed run loaded or skipped."""
    return con.execute(
        f"""
        SELECT source_path, accepted_size_bytes AS size_bytes, accepted_mtime_ns AS mtime_ns,
               accepted_sha256 AS content_sha256, accepted_outcome AS outcome
        FROM {_file_latest(from_history)} WHERE accepted_outcome IS NOT NULL
        """
    ).pl()


def rejected_state(con: duckdb.DuckDBPyConnection, from_history: bool = False) -> pl.DataFrame:
    """Files whose latest outcome in a completed run was a rejection: size, mtime, reason."""
    return con.execute(
        f"""
        SELECT source_path, size_bytes, mtime_ns, reason, content_sha256
        FROM {_file_latest(from_history)} WHERE outcome = 'rejected'
        """
    ).pl()


def update_file_latest(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Fold a completing run's ingest_file rows into ingest_file_latest (same
    transaction as the run's 'completed' row): its files get this run's outcome, and
    keep their last accepted state when this run rejected them."""
    # Most files of a run are as the last run left them (a re-run's unchanged files):
    # their rows gain only this run's id, updated in place, rather than each row being
    # deleted and inserted again (docs/scaling.md).
    con.execute(
        """
        UPDATE ingest_file_latest l SET run_id = f.run_id
        FROM ingest_file f
        WHERE f.run_id = ? AND f.source_path = l.source_path AND f.outcome = l.outcome
          AND f.reason IS NOT DISTINCT FROM l.reason AND f.size_bytes IS NOT DISTINCT FROM l.size_bytes
          AND f.mtime_ns IS NOT DISTINCT FROM l.mtime_ns AND f.content_sha256 IS NOT DISTINCT FROM l.content_sha256
          AND (f.outcome = 'rejected' OR (l.accepted_outcome = f.outcome
               AND l.accepted_size_bytes IS NOT DISTINCT FROM f.size_bytes
               AND l.accepted_mtime_ns IS NOT DISTINCT FROM f.mtime_ns
               AND l.accepted_sha256 IS NOT DISTINCT FROM f.content_sha256))
        """,
        [run_id],
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _run_latest AS
        SELECT f.source_path, f.run_id, f.outcome, f.reason, f.size_bytes, f.mtime_ns, f.content_sha256,
               CASE WHEN f.outcome <> 'rejected' THEN f.outcome ELSE l.accepted_outcome END AS accepted_outcome,
               CASE WHEN f.outcome <> 'rejected' THEN f.size_bytes ELSE l.accepted_size_bytes END AS accepted_size_bytes,
               CASE WHEN f.outcome <> 'rejected' THEN f.mtime_ns ELSE l.accepted_mtime_ns END AS accepted_mtime_ns,
               CASE WHEN f.outcome <> 'rejected' THEN f.content_sha256 ELSE l.accepted_sha256 END AS accepted_sha256
        FROM ingest_file f LEFT JOIN ingest_file_latest l USING (source_path)
        WHERE f.run_id = ? AND l.run_id IS DISTINCT FROM f.run_id
        """,
        [run_id],
    )
    con.execute("DELETE FROM ingest_file_latest WHERE source_path IN (SELECT source_path FROM _run_latest)")
    con.execute("INSERT INTO ingest_file_latest BY NAME SELECT * FROM _run_latest")
    con.execute("DROP TABLE _run_latest")


def record_files(con: duckdb.DuckDBPyConnection, run_id: str, files: pl.DataFrame) -> None:
    _insert(con, "ingest_file", files.with_columns(pl.lit(run_id).alias("run_id")))


def record_unchanged(con: duckdb.DuckDBPyConnection, run_id: str, reason: str, paths: pl.Series | None = None) -> int:
    """The ingest_file rows (outcome 'unchanged', ``reason``) of files not read because
    their size and mtime are those of their last accepted state in ingest_file_latest,
    made from that state by DuckDB: a re-run over many files then hands over no frame of
    them (docs/scaling.md). ``paths``: those files; None: every file with an accepted
    state. Returns the number of rows, which must be one per file."""
    where = "accepted_outcome IS NOT NULL"
    if paths is not None:
        con.register("_unchanged_paths", pl.DataFrame({"source_path": paths}).to_arrow())
        where += " AND source_path IN (SELECT source_path FROM _unchanged_paths)"
    try:
        recorded = con.execute(
            f"""
            INSERT INTO ingest_file BY NAME
            SELECT ? AS run_id, source_path, accepted_size_bytes AS size_bytes, accepted_mtime_ns AS mtime_ns,
                   accepted_sha256 AS content_sha256, 'unchanged' AS outcome, ? AS reason
            FROM ingest_file_latest WHERE {where}
            """,
            [run_id, reason],
        ).fetchone()[0]
    finally:
        if paths is not None:
            con.unregister("_unchanged_paths")
    if paths is not None and recorded != paths.len():
        raise RuntimeError(f"{paths.len()} unchanged files, but {recorded} of them have an accepted state")
    return recorded


def record_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    started_at: datetime,
    status: str,
    counts: dict,
    input_paths: list[str],
    error: str | None = None,
) -> None:
    row = {
        "run_id": run_id, "started_at": started_at, "finished_at": datetime.now(timezone.utc), "status": status,
        "files_seen": counts.get("files_seen", 0), "articles_loaded": counts.get("loaded_articles", 0),
        "duplicates": counts.get("duplicate", 0), "unchanged": counts.get("unchanged", 0),
        "rejected": counts.get("rejected", 0), "calls_found": counts.get("calls_found", 0),
        "input_paths": input_paths, "error": error, "reference_sha256": counts.get("reference_sha256"),
    }
    # Named only when known (a file warehouse's run; a lake records no schema hash).
    if counts.get("schema_sha256") is not None:
        row["schema_sha256"] = counts["schema_sha256"]
    con.execute(
        f"INSERT INTO ingest_run ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
    )
