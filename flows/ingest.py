"""The ``ingest_articles`` flow: discover → read/decode → clean → extract → load.

Orchestration only: every stage is a plain function from transforms/, warehouse/ or
flows/, wrapped in a Prefect task that works on a batch of files (never one task per
article). A batch's read, decode, clean and extract are one task, run in a process pool
(flows/batch.py) so that batches use every core; the load runs in the flow's own
thread, one batch at a time and in order, into a private copy of the warehouse that is
published atomically at the end (warehouse/store.py). docs/scaling.md has the figures.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from core import tables
from flows import early, scaling
from flows.batch import DEFAULT_FILE_SECONDS, TransformedBatch, transform_batch, transform_in
from flows.files import DEFAULT_MAX_BYTES, InputError, batches_by_weight, discover_files, split_records
from flows.pool import WorkerPool
from flows.progress import ProgressReporter
from flows.run_state import IngestState, record_not_read
from flows.settings import settings
from transforms import incremental
from transforms.parsing import whole_files, with_known_articles
from warehouse import backend as backends
from warehouse import checks, load, store

# Batches: large enough that Prefect's per-task cost (tens of ms of its server's CPU per
# task run) vanishes, small enough that a few in flight keep memory flat and every worker
# busy. Without an explicit size a run gets about four batches per worker, within bounds.
MIN_BATCH_FILES = 64
MAX_BATCH_FILES = 2048
# The smallest of the last, shrinking batches of a pool's run, as a share of the batch size.
TAIL_BATCH_SHARE = 8


def batch_size(files: int, workers: int, requested: int | None = None) -> int:
    if requested:
        return max(1, requested)
    return max(MIN_BATCH_FILES, min(MAX_BATCH_FILES, -(-files // (4 * max(1, workers)))))


@dataclass
class RunSummary:
    run_id: str
    warehouse: str
    status: str = "completed"
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0
    error: str | None = None

    def lines(self) -> list[str]:
        c = self.counts
        by_reason = sorted((c.get("rejected_by_reason") or {}).items(), key=lambda kv: (-kv[1], kv[0]))
        return [
            f"run {self.run_id}: {self.status} in {self.seconds:.1f} s → {self.warehouse}",
            f"files seen {c.get('files_seen', 0)} / loaded {c.get('loaded', 0)} / duplicate {c.get('duplicate', 0)}"
            f" / unchanged {c.get('unchanged', 0)} / rejected {c.get('rejected', 0)}",
            *([f"rejected by reason: " + ", ".join(f"{key} {n}" for key, n in by_reason)] if by_reason else []),
            f"articles loaded {c.get('loaded_articles', 0)}, calls found {c.get('calls_found', 0)}"
            f" (calls in warehouse {c.get('calls_total', 0)})",
            *([f"articles too long to read whole: {c['articles_cut']} (calls looked for in their first"
               f" part only; dim_article.extracted_chars)"] if c.get("articles_cut") else []),
        ]


# ---------------------------------------------------------------- tasks


@task(name="discover", cache_policy=NO_CACHE)
def discover_task(paths: list[str], max_bytes: int) -> pl.DataFrame:
    listed = early.take_listing(paths, max_bytes)
    return listed if listed is not None else discover_files(paths, max_bytes)


class BatchHolder:
    """A transformed batch, handed over once. Prefect keeps a task's final state, and
    with it the return value, for as long as anything refers to that state (its futures,
    its event queue): returning the batch itself kept several batches alive at a time.
    The holder is emptied when the batch is loaded, so what Prefect keeps is tiny."""

    def __init__(self, batch: TransformedBatch):
        self._batch: TransformedBatch | None = batch

    def take(self) -> TransformedBatch:
        batch, self._batch = self._batch, None
        if batch is None:
            raise RuntimeError("batch already loaded")
        return batch


# No retries: a file's failure is already that file's (flows/batch.py), so a batch that
# raises anyway would raise again, and a retry's delay held up a SIGTERM'd run.
@task(name="transform", cache_policy=NO_CACHE)
def transform_task(batch: pl.DataFrame, pool: WorkerPool | None, max_bytes: int = DEFAULT_MAX_BYTES,
                   seconds: float = DEFAULT_FILE_SECONDS) -> BatchHolder:
    """One task per batch (a task run costs the Prefect server tens of ms: never one per
    article, and as few per batch as the stages allow)."""
    if pool is None:
        return BatchHolder(transform_batch(batch, max_bytes, seconds))
    return BatchHolder(transform_in(pool, batch, max_bytes, seconds))


# ---------------------------------------------------------------- the flow


def load_batch(state: IngestState, batch: TransformedBatch) -> None:
    """Append a batch's new articles and their staging rows; account for its files.

    A plain call in the flow's loading thread, not a Prefect task: the batch's transform
    task already records it, and a task run per batch more cost the server and the run
    a few seconds of CPU at 100k files (docs/scaling.md, twenty-seventh session). A load
    that raises fails the flow run, which records the error."""
    read, articles, extraction = batch.files, batch.articles, batch.extraction
    # A touched file with the same bytes is unchanged: its articles are already loaded.
    unchanged_paths = incremental.same_bytes_paths(read, batch.outcomes)
    candidates = articles.filter(~pl.col("file_path").is_in(unchanged_paths.implode()))
    # Earlier batches of this run are already in dim_article (same transaction).
    known = load.known_articles(state.con, candidates["article_id"].unique().to_list())
    new = candidates.filter(~pl.col("article_id").is_in(list(known))).unique("article_id", keep="first", maintain_order=True)
    new_ids = set(new["article_id"].to_list())
    if new.height:
        meta = extraction.article_meta.select("article_id", "outlet_in_text", "cited_outlet", "extracted_chars").unique("article_id", keep="first")
        new = new.join(meta, on="article_id", how="left").with_columns(
            pl.coalesce("outlet", "outlet_in_text").alias("outlet")
        )
        new = incremental.with_lineage(new, load.previous_versions(state.con, incremental.changed_paths(read, new)))
        if state.index is not None:
            state.index_from = state.index.next_rowid(state.con)
            state.index_texts = new.select("article_id", "clean_text")
        load.append_articles(state.con, new, state.run_id)
        load.append_staging(state.con, incremental.only_articles(extraction, new_ids))
        state.counts["loaded_articles"] += new.height
        state.counts["articles_cut"] += new["extracted_chars"].is_not_null().sum()
        state.counts["calls_found"] += extraction.mentions.filter(pl.col("article_id").is_in(list(new_ids))).height
    loaded = new["file_path"].unique().to_list() if new.height else []
    files, outcomes, loaded = whole_files(state.parts, read, batch.outcomes, loaded)
    if files.height:
        state.add_files(incremental.file_rows(files, outcomes, loaded))


def rebuild_dimensions_and_facts(con) -> int:
    """Reference dimensions from the seeds and facts from all staging rows; returns the
    number of calls. The warehouse runs the SQL; the consolidation and the calendar are
    transforms/' (imported here, when a rebuild happens: they cost a no-change run nothing)."""
    from transforms.calendar import calendar_days
    from transforms.calls import consolidate_calls
    from transforms.reference import load_reference

    load.load_reference_dimensions(con, load_reference(), calendar_days)
    return load.rebuild_facts(con, consolidate_calls)


@task(name="finish-load", cache_policy=NO_CACHE)
def finish_load_task(
    state: IngestState, unchanged: pl.DataFrame, still_rejected: pl.DataFrame, started_at: datetime, paths: list[str],
    rebuild: bool = True, keep_file_latest: bool = True, unchanged_is_every_known_file: bool = False,
    not_read_recorded: bool = False,
) -> None:
    """``not_read_recorded``: the rows of the files not read, and their ingest_file_latest,
    are in the session already (the head start's: flows/early.py ``record_unchanged_run``)."""
    if not not_read_recorded:
        record_not_read(state, unchanged, still_rejected, keep_file_latest, unchanged_is_every_known_file)
    fingerprint = load.reference_fingerprint()
    # A run that loads nothing new over the same seeds would rebuild identical facts and
    # index: skip that work (it dominated a no-change re-run).
    stale = state.counts["loaded_articles"] > 0 or not load.facts_are_current(state.con, fingerprint)
    state.counts["reference_sha256"] = fingerprint
    rebuild = rebuild and stale
    if rebuild:  # DuckLake rebuilds them after the load commits (warehouse/lake.py)
        with store.end_step(state.con, "rebuild"):
            state.counts["calls_total"] = rebuild_dimensions_and_facts(state.con)
    else:
        state.counts["calls_total"] = state.con.execute("SELECT count(*) FROM fact_call").fetchone()[0]
    load.record_run(state.con, state.run_id, started_at, "completed", state.counts, paths)
    if keep_file_latest and not not_read_recorded:
        with store.end_step(state.con, "rebuild"):  # a row per file the warehouse has seen
            load.update_file_latest(state.con, state.run_id)
    if rebuild:  # a DuckLake checks its rebuild in its own transaction (warehouse/lake.py)
        with store.end_step(state.con, "rebuild"):  # the contract's checks: a breach publishes nothing
            checks.enforce(state.con)
    if rebuild and state.index is not None:  # BM25 index over dim_article.clean_text (warehouse/search.py)
        state.index.finish(state.con)


# Threads only wait on pool futures and load; one per worker plus the loading one.
@flow(name="ingest_articles", task_runner=ThreadPoolTaskRunner(max_workers=(os.cpu_count() or 1) + 2), log_prints=False)
def ingest_articles(
    paths: list[str],
    warehouse: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    workers: int | None = None,
    lock_wait_seconds: float = 0.0,
    batch_files: int | None = None,
    lake_data_path: str | None = None,
) -> RunSummary:
    """Ingest article files and folders into the DuckDB warehouse at ``warehouse``
    (or the DuckLake named by a ``ducklake:...`` warehouse, data under ``lake_data_path``)."""
    started = time.monotonic()
    started_at = datetime.now(timezone.utc)
    run_id = str(uuid.uuid4())
    summary = RunSummary(run_id=run_id, warehouse=str(Path(warehouse)))
    backend = backends.for_warehouse(warehouse, lake_data_path, lock_wait_seconds)
    tuned = settings()
    store.configure_memory(tuned.memory_caps)
    tables.use_directory(tuned.table_cache)
    seconds = DEFAULT_FILE_SECONDS if tuned.file_seconds is None else tuned.file_seconds
    # The state read before the lock, the file copied meanwhile (flows/early.py).
    with early.taken_state(warehouse, paths, max_bytes) as published, backend.lock():
        try:
            with backend.session(published) as con:
                con.execute("BEGIN TRANSACTION")
                state = IngestState(con, run_id, commit_each_batch=backend.commit_each_batch)
                state.counts["schema_sha256"] = backend.schema_sha256()
                discovered = discover_task(paths, max_bytes)
                known, rejected = backend.file_state(con, published)
                unchanged, to_read = incremental.split_unchanged(discovered, known)
                unchanged_is_every_known_file = unchanged.height == known.height
                still_rejected, to_read = incremental.split_still_rejected(to_read, rejected)
                del known, rejected  # not kept to the end of the run
                # Nothing to read: the head start may have recorded the run already (flows/early.py).
                recorded = published.recorded_in_session() if published is not None else None
                if recorded is not None:
                    if not recorded.is_for(unchanged, still_rejected, to_read):
                        raise RuntimeError("the head start recorded other files than this run found not to read")
                    run_id = summary.run_id = state.run_id = recorded.run_id
                    state.counts.update(recorded.counts)
                workers = workers or os.cpu_count() or 1
                to_read = split_records(to_read, max_bytes)  # a big .jsonl: a row per part
                changed = to_read.filter(pl.col("previous_sha256").is_not_null() & pl.col("part_index").is_null())
                to_read = with_known_articles(to_read, load.previous_versions(con, changed["source_path"].to_list()))
                units = int(to_read["weight"].sum()) if to_read.height else 0
                progress = ProgressReporter(
                    total_files=discovered.height, already_done=unchanged.height + still_rejected.height,
                    total_units=units,
                )
                size = batch_size(units, workers, batch_files)
                # Under a Dask task runner the tasks already run on the cluster's workers:
                # no pool. Without a pool, each batch runs in this (main) thread, where its
                # time budget can interrupt it (flows/batch.py).
                local = scaling.runs_tasks_locally()
                # A run transforms in the workers its head start got ready, if they are
                # what it needs (one for a small run, the whole pool for a big one); else,
                # or with nothing left to read, it ends them.
                head_start = early.take_pool(paths, max_bytes) if local else None
                pool = None
                if workers > 1 and units >= early.POOL_MIN_FILES and local:
                    if head_start is not None and head_start.workers == workers:
                        pool, head_start = head_start, None
                    else:
                        pool = WorkerPool(workers, tuned.table_cache, tuned.workers_compiled_dir)
                elif units:
                    pool, head_start = head_start, None
                if head_start is not None:
                    head_start.close(kill=True)
                done = False
                try:
                    pending: deque = deque()
                    # A size the caller asked for is kept; otherwise the pool's workers
                    # get shrinking batches at the end, so they finish together.
                    together = workers if pool is not None and not batch_files else 1
                    for batch in batches_by_weight(to_read, size, finish_together=together,
                                                   min_size=max(MIN_BATCH_FILES, size // TAIL_BATCH_SHARE)):
                        if local and pool is None:
                            _load(transform_task(batch, None, max_bytes, seconds), state, progress)
                            continue
                        pending.append(transform_task.submit(batch, pool, max_bytes, seconds))
                        # Keep a bounded number of batches in flight: memory stays flat
                        # however large the input.
                        while len(pending) > workers:
                            _load(pending.popleft().result(), state, progress)
                    while pending:
                        _load(pending.popleft().result(), state, progress)
                    done = True
                finally:
                    if pool is not None:  # a stopped or failed run does not wait for busy workers
                        pool.close(kill=not done)
                finish_load_task(
                    state, unchanged, still_rejected, started_at, [str(p) for p in paths],
                    rebuild=backend.rebuilds_before_commit, keep_file_latest=backend.keeps_file_latest,
                    unchanged_is_every_known_file=unchanged_is_every_known_file,
                    not_read_recorded=recorded is not None,
                )
                con.execute("COMMIT")
                calls = backend.after_commit(con, rebuild_dimensions_and_facts)
                if calls is not None:
                    state.counts["calls_total"] = calls
                progress.close()
        except BaseException as exc:
            summary.status = "failed"
            summary.error = one_line_error(exc)
            backend.record_failure(run_id, started_at, paths, summary.error)
            raise
    summary.counts = state.counts
    summary.seconds = time.monotonic() - started
    return summary


def one_line_error(exc: BaseException, limit: int = 500) -> str:
    """``Type: first line of the message``, at most ``limit`` characters: what ingest_run
    keeps (DuckDB's messages can carry a C++ stack trace; the CLI logs the full trace)."""
    # A signal, whoever turned it into an exception (Prefect's TerminationSignal for
    # SIGTERM, flows/cli.Stopped for Ctrl-C): one wording for every signal.
    signum = next((v for v in (getattr(exc, "signal", None), getattr(exc, "signum", None)) if isinstance(v, int)), None)
    if signum is not None:
        return f"stopped by {signal.Signals(signum).name}"
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _load(holder: BatchHolder, state: IngestState, progress: ProgressReporter) -> None:
    """Load one transformed batch (batches load in discovery order)."""
    batch = holder.take()
    load_batch(state, batch)
    if state.commit_each_batch:
        # The staged copy is private until published, so a commit per batch exposes
        # nothing half-loaded; one transaction for the whole run would hold every
        # appended row in DuckDB's transaction-local storage and grow with the corpus.
        state.con.execute("COMMIT")
        state.con.execute("BEGIN TRANSACTION")
        if state.index_from is not None:  # committed rows have their rowids (docids)
            state.index.add(state.con, state.index_from, state.index_texts)
            state.index_from = state.index_texts = None
    parts = batch.files["part_index"] if "part_index" in batch.files.columns else None
    whole = batch.files.height if parts is None else int((parts.is_null() | (parts == batch.files["part_count"] - 1)).sum())
    units = int(batch.files["weight"].sum()) if "weight" in batch.files.columns else batch.files.height
    progress.advance(whole, batch.articles.height, units)
