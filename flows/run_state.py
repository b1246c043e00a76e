"""What a run accumulates while it loads into its session (``IngestState``), and the
rows it records for the files it does not read (``record_not_read``). Imports no Prefect:
a run's head start (flows/early.py) records those rows too, for a run with nothing to
read, before the flow starts."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from transforms import incremental
from warehouse import load, search


class IngestState:
    """What the loading thread accumulates over the batches of one run."""

    def __init__(self, con, run_id: str, commit_each_batch: bool = False):
        self.con = con
        self.run_id = run_id
        self.commit_each_batch = commit_each_batch
        self.counts = {"files_seen": 0, "loaded": 0, "duplicate": 0, "unchanged": 0, "rejected": 0, "loaded_articles": 0, "calls_found": 0,
                       "articles_cut": 0}
        self.counts["rejected_by_reason"] = {}
        self.parts: dict = {}  # a .jsonl's parts loaded so far, until its last (parsing.whole_files)
        # The BM25 index, kept up batch by batch on a file warehouse (DuckLake stores no
        # FTS macros: no index on a lake)
        self.index = search.IndexAppender() if commit_each_batch else None
        self.index_from: int | None = None  # first rowid of the batch's articles
        self.index_texts: pl.DataFrame | None = None  # and their (article_id, clean_text)

    def add_files(self, frame: pl.DataFrame) -> None:
        """Record a batch's ingest_file rows now (same transaction), so memory does not
        grow with the number of files in the run."""
        load.record_files(self.con, self.run_id, frame)
        for outcome, n in frame.group_by("outcome").len().iter_rows():
            self.counts[outcome] += n
        by_reason = self.counts["rejected_by_reason"]
        keys = frame.filter(pl.col("outcome") == "rejected").select(pl.col("reason").str.extract(r"^([a-z_]+)", 1))
        for (key,) in keys.iter_rows():
            by_reason[key] = by_reason.get(key, 0) + 1
        self.counts["files_seen"] += frame.height

    def add_unchanged(self, paths: pl.Series | None) -> None:
        """Record the files not read (their rows made from the warehouse's own state:
        ``load.record_unchanged``); ``paths`` None: every file it has accepted."""
        recorded = load.record_unchanged(self.con, self.run_id, incremental.UNCHANGED_NOTE, paths)
        self.counts["unchanged"] += recorded
        self.counts["files_seen"] += recorded


def record_not_read(state: IngestState, unchanged: pl.DataFrame, still_rejected: pl.DataFrame,
                    keep_file_latest: bool, unchanged_is_every_known_file: bool) -> None:
    """The ingest_file rows of the files a run does not read: unchanged since their last
    accepted state (made from ingest_file_latest where the warehouse keeps it), and
    still rejected for the same bytes."""
    if unchanged.height and keep_file_latest:  # the state they match is in ingest_file_latest
        state.add_unchanged(None if unchanged_is_every_known_file else unchanged["source_path"])
    elif unchanged.height:
        state.add_files(incremental.unchanged_rows(unchanged))
    if still_rejected.height:
        state.add_files(still_rejected)


@dataclass
class RecordedRun:
    """The rows a run's head start recorded for a run with nothing to read
    (flows/early.py ``record_unchanged_run``): its id, its counts, the files it
    recorded as unchanged and as still rejected, and the input they were listed from
    (paths and file size limit)."""

    run_id: str
    counts: dict
    unchanged: pl.DataFrame
    still_rejected: pl.DataFrame
    listing: tuple

    def is_for(self, unchanged: pl.DataFrame, still_rejected: pl.DataFrame, to_read: pl.DataFrame) -> bool:
        """Whether these are the files the flow found not to read, and nothing to read."""
        return not to_read.height and all(
            mine.height == theirs.height and not theirs.join(mine, on="source_path", how="anti").height
            for mine, theirs in ((self.unchanged, unchanged), (self.still_rejected, still_rejected))
        )
