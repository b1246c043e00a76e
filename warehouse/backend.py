"""Where an ingest run writes: the warehouse file or a DuckLake, behind one interface, so
the flow (flows/ingest.py) has no branch on which it is. ``for_warehouse`` chooses.

The two differ in how a run is made safe against other writers and readers:

- ``FileWarehouse``: a writer lock, a private copy of the file loaded and published
  atomically (warehouse/store.py); a commit per batch (the copy is private until
  published); dimensions, facts, ingest_file_latest, the checks and the BM25 index are
  rebuilt before the publish.
- ``LakeWarehouse``: no lock and no copy; the load is one DuckLake transaction and the
  derived tables a second, retried one (warehouse/lake.py); concurrent writers keep no
  ingest_file_latest, so a run's incremental state comes from the history.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Protocol

import duckdb
import polars as pl

from warehouse import lake, load, store

Derive = Callable[[duckdb.DuckDBPyConnection], int]


@dataclass
class PublishedState:
    """A warehouse's file state and rejected state (``load.file_state``,
    ``load.rejected_state``) read before the run took the writer lock, the identity of
    the file they were read from (``store.file_identity``; None: there was none), and the
    copy of that file being made meanwhile (``store.EarlyCopy``; None while another run
    held the lock: its publish would make the copy stale)."""

    files: pl.DataFrame | None
    rejected: pl.DataFrame | None
    source: tuple | None
    copy: store.EarlyCopy | None = None
    # What the head start wrote into the copy (``EarlyCopy.write``) and says of it: the
    # rows of a run with nothing to read (flows/early.py). The run's only if it took the copy.
    recorded: object | None = None

    def recorded_in_session(self) -> object | None:
        """``recorded``, once the run's session holds the copy it was written into."""
        return self.recorded if self.copy is not None and self.copy.taken else None

    def take_frames(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        """The two frames, handed over once: the run does not keep them to its end."""
        frames = self.files, self.rejected
        self.files = self.rejected = None
        return frames

    def discard(self) -> None:
        """What no run took: the early copy is stopped and its file removed."""
        if self.copy is not None:
            self.copy.discard()


class Backend(Protocol):
    commit_each_batch: bool  # commit after each batch (else the whole load is one transaction)
    rebuilds_before_commit: bool  # derived tables, file state, checks and index in the load's transaction
    keeps_file_latest: bool  # ingest_file_latest is maintained (else state comes from ingest_file)

    def lock(self) -> AbstractContextManager: ...

    def session(self, early: PublishedState | None = None) -> AbstractContextManager[duckdb.DuckDBPyConnection]: ...

    def after_commit(self, con: duckdb.DuckDBPyConnection, derive: Derive) -> int | None: ...

    def record_failure(self, run_id: str, started_at: datetime, paths: list[str], error: str) -> None: ...

    def schema_sha256(self) -> str | None: ...  # what a completed run records (store.schema_is_current)

    def head_start(self) -> PublishedState | None: ...  # before the run, without the lock: the state as published, if cheap

    def file_state(self, con: duckdb.DuckDBPyConnection, early: PublishedState | None) -> tuple[pl.DataFrame, pl.DataFrame]:
        ...  # under the lock: (file state, rejected state) of the run's session


class FileWarehouse:
    commit_each_batch = True
    rebuilds_before_commit = True
    keeps_file_latest = True

    def __init__(self, path: Path, lock_wait_seconds: float = 0.0):
        self.path = Path(path)
        self.lock_wait_seconds = lock_wait_seconds

    def lock(self):
        return store.writer_lock(self.path, self.lock_wait_seconds)

    def session(self, early=None):
        return store.staged_copy(self.path, early.copy if early is not None else None)

    def after_commit(self, con, derive):
        return None  # everything was rebuilt before the publish

    def schema_sha256(self):
        return store.schema_sha256()  # the session's staged copy has this schema (store.apply_schema)

    def head_start(self):
        """Before the run, without its lock (a reader's view: never in a writer's way):
        the schema SQL built, and the state as published now (empty for a new warehouse),
        or None when the file cannot be read now or was replaced while it was read."""
        store.schema_sql()
        source = store.file_identity(self.path)
        if source is None:
            return PublishedState(load.empty_file_state(), load.empty_rejected_state(), None)
        if source[-1]:  # a log beside the file: a reader replays it, a copy of the file would not
            return None
        # copies in a thread while the state is read
        copy = None if store.writer_lock_is_held(self.path) else store.EarlyCopy(self.path, source)
        state = None
        try:
            state = self._published_state(source, copy)
        finally:
            if state is None and copy is not None:  # unusable, or an error: the copy goes too
                copy.discard()
        return state

    def _published_state(self, source: tuple, copy: store.EarlyCopy | None) -> PublishedState | None:
        try:
            con = store.connect_readonly(self.path)
        except (OSError, duckdb.Error):
            return None
        try:
            files, rejected = load.file_state(con), load.rejected_state(con)
        except duckdb.Error:  # e.g. a warehouse from before ingest_file_latest
            return None
        finally:
            con.close()
        if store.file_identity(self.path) != source:  # replaced while it was read
            return None
        return PublishedState(files, rejected, source, copy)

    def file_state(self, con, early):
        """The head start's state while the warehouse is still the file it was read from
        (under the lock nothing can publish, so the session's copy holds the same rows):
        a no-change run over many files then does not read them again on one thread."""
        if early is not None and early.files is not None and store.file_identity(self.path) == early.source:
            return early.take_frames()
        return load.file_state(con), load.rejected_state(con)

    def record_failure(self, run_id, started_at, paths, error):
        """A failed run still leaves its trace in ingest_run (status failed, the error);
        called under the lock, after the run's copy was discarded."""
        try:
            with store.staged_copy(self.path) as con:
                load.record_run(con, run_id, started_at, "failed", {}, [str(p) for p in paths], error)
        except Exception:  # the original error matters more than a failure to record it
            pass


class LakeWarehouse:
    commit_each_batch = False  # other writers and readers share the lake: one transaction
    rebuilds_before_commit = False
    keeps_file_latest = False

    def __init__(self, spec: str, data_path: str | None = None):
        self.spec = spec
        self.data_path = data_path

    def lock(self):
        return nullcontext()  # concurrent runs are safe by DuckLake's transactions

    def session(self, early=None):
        return lake.session(self.spec, self.data_path)

    def after_commit(self, con, derive):
        return lake.rebuild_derived(con, derive)

    def schema_sha256(self):
        return None  # the lake's schema is created once, then only its missing columns added (lake.apply_schema)

    def head_start(self):
        return None  # reading the lake's state means a catalog connection: not worth it ahead

    def file_state(self, con, early):
        return load.file_state(con, from_history=True), load.rejected_state(con, from_history=True)

    def record_failure(self, run_id, started_at, paths, error):
        lake.record_failure(self.spec, self.data_path, run_id, started_at, paths, error)


def for_warehouse(warehouse: str, lake_data_path: str | None = None, lock_wait_seconds: float = 0.0) -> Backend:
    """The backend of a ``--warehouse`` value: a ``ducklake:`` spec or a file path."""
    if lake.is_lake(warehouse):
        return LakeWarehouse(warehouse, lake_data_path)
    return FileWarehouse(Path(warehouse), lock_wait_seconds)
