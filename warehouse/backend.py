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
from datetime import datetime
from pathlib import Path
from typing import Callable, Protocol

import duckdb

from warehouse import lake, load, store

Derive = Callable[[duckdb.DuckDBPyConnection], int]


class Backend(Protocol):
    commit_each_batch: bool  # commit after each batch (else the whole load is one transaction)
    rebuilds_before_commit: bool  # derived tables, file state, checks and index in the load's transaction
    keeps_file_latest: bool  # ingest_file_latest is maintained (else state comes from ingest_file)

    def lock(self) -> AbstractContextManager: ...

    def session(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]: ...

    def after_commit(self, con: duckdb.DuckDBPyConnection, derive: Derive) -> int | None: ...

    def record_failure(self, run_id: str, started_at: datetime, paths: list[str], error: str) -> None: ...

    def schema_sha256(self) -> str | None: ...  # what a completed run records (store.schema_is_current)

    def head_start(self) -> tuple | None: ...  # before the run: (file state, rejected state) as published, if cheap


class FileWarehouse:
    commit_each_batch = True
    rebuilds_before_commit = True
    keeps_file_latest = True

    def __init__(self, path: Path, lock_wait_seconds: float = 0.0):
        self.path = Path(path)
        self.lock_wait_seconds = lock_wait_seconds

    def lock(self):
        return store.writer_lock(self.path, self.lock_wait_seconds)

    def session(self):
        return store.staged_copy(self.path)

    def after_commit(self, con, derive):
        return None  # everything was rebuilt before the publish

    def schema_sha256(self):
        return store.schema_sha256()  # the session's staged copy has this schema (store.apply_schema)

    def head_start(self):
        """Before the run, without its lock (a reader's view: never in a writer's way):
        the schema SQL built, and the file state and rejected state as published now
        (empty for a new warehouse), or None when the file cannot be read now."""
        store.schema_sql()
        if not self.path.exists():
            return load.empty_file_state(), load.empty_rejected_state()
        try:
            con = store.connect_readonly(self.path)
        except (OSError, duckdb.Error):
            return None
        try:
            return load.file_state(con), load.rejected_state(con)
        except duckdb.Error:  # e.g. a warehouse from before ingest_file_latest
            return None
        finally:
            con.close()

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

    def session(self):
        return lake.session(self.spec, self.data_path)

    def after_commit(self, con, derive):
        return lake.rebuild_derived(con, derive)

    def schema_sha256(self):
        return None  # the lake's schema is created once, then only its missing columns added (lake.apply_schema)

    def head_start(self):
        return None  # reading the lake's state means a catalog connection: not worth it ahead

    def record_failure(self, run_id, started_at, paths, error):
        lake.record_failure(self.spec, self.data_path, run_id, started_at, paths, error)


def for_warehouse(warehouse: str, lake_data_path: str | None = None, lock_wait_seconds: float = 0.0) -> Backend:
    """The backend of a ``--warehouse`` value: a ``ducklake:`` spec or a file path."""
    if lake.is_lake(warehouse):
        return LakeWarehouse(warehouse, lake_data_path)
    return FileWarehouse(Path(warehouse), lock_wait_seconds)
