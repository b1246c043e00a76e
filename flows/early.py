"""What a run starts before it imports Prefect (flows/cli.py), so that it overlaps the
Prefect server's start and Prefect's own imports: the input's listing, the warehouse's
file state as published and, for a run with files to read, the processes that will
transform them; for a run with nothing to read, its rows in the warehouse's early copy.

Imports no Prefect. Only a head start: the flow decides again under the lock, and takes
what was started here (``take_listing``, ``taken_state``, ``take_pool``) or does without it.
"""

from __future__ import annotations

import os
import threading
import uuid
from contextlib import contextmanager
from typing import Iterator

import polars as pl

from core import tables
from flows.files import InputError, discover_in_child
from flows.pool import WorkerPool
from flows.run_state import IngestState, RecordedRun, record_not_read
from flows.settings import settings
from transforms import incremental
from warehouse import backend as backends
from warehouse import load, store
from warehouse.backend import PublishedState

# Below this many files to read, a process pool's start (each worker imports polars and
# hazm's normaliser and builds the gazetteer, ~2.5 s of CPU) costs more than it saves.
POOL_MIN_FILES = 1000

_Key = tuple[tuple[str, ...], int]
_LISTINGS: dict[_Key, pl.DataFrame] = {}
_POOLS: dict[_Key, WorkerPool] = {}
_STATES: dict[str, PublishedState] = {}
_RUNNING: list[tuple[threading.Thread, threading.Event]] = []  # start's threads, and what tells each to stop


def start(paths: list[str], max_bytes: int, warehouse: str, transforms_here: bool = True,
          workers: int | None = None) -> None:
    """``prepare_early`` in a thread, while this process imports Prefect: the listing's
    child, DuckDB's read of the state and the copy release the GIL, so they run beside
    the imports rather than before them. ``take_*`` and ``close`` wait for it."""
    stop = threading.Event()

    def head_start() -> None:
        try:
            prepare_early(paths, max_bytes, warehouse, transforms_here, workers, stop)
        except Exception:  # only a head start: the flow does what it could not, and reports its errors
            pass
        finally:
            if stop.is_set():  # the run ended, or gave up waiting for this thread
                _release()

    thread = threading.Thread(target=head_start, name="early-head-start", daemon=True)
    _RUNNING.append((thread, stop))  # first: a stop between the two still waits for it
    try:
        thread.start()
    except RuntimeError:  # no thread could start: the flow does without a head start
        _RUNNING.remove((thread, stop))


def _finished() -> None:
    """Wait for ``start``'s threads (each kept listed until it has ended: a signal that
    cuts the wait short leaves it for ``close``)."""
    for running in list(_RUNNING):
        if running[0].ident is not None:
            running[0].join()
        _RUNNING.remove(running)


def discover_early(paths: list[str], max_bytes: int, stop: threading.Event | None = None) -> None:
    """List the input now, in a child process (``discover_in_child``), for the next run
    of the flow over the same paths. A listing taken seconds
    before the flow is as good as one taken at its start: a file added in between is
    found by the next run, like a file added while a run reads. Errors are left to the
    flow's own discovery, which reports them."""
    try:
        _LISTINGS[(tuple(paths), max_bytes)] = discover_in_child(paths, max_bytes, stop=stop)
    except (InputError, OSError, RuntimeError):
        pass


def take_listing(paths: list[str], max_bytes: int) -> pl.DataFrame | None:
    _finished()
    return _LISTINGS.pop((tuple(paths), max_bytes), None)


def prepare_early(paths: list[str], max_bytes: int, warehouse: str, transforms_here: bool = True,
                  workers: int | None = None, stop: threading.Event | None = None) -> None:
    """Read the warehouse's state as published (``taken_state``), list the input
    (``discover_early``) and, when some listed file is new or changed
    by the warehouse's published record and the run will transform in its own processes
    (``transforms_here``: no cluster), get the transforms' shared resources ready
    (``batch.prepare_transforms``: seconds of CPU per process). With more than one core,
    in worker processes started now, which build them while this process imports Prefect
    and the server starts, and which the flow then transforms in (``take_pool``): one for a run
    of fewer files than ``POOL_MIN_FILES``, else the run's whole pool; with one core, in
    this process."""
    state = backends.for_warehouse(warehouse).head_start()  # first: its copy runs during the listing
    if state is not None:
        _STATES[warehouse] = state
    discover_early(paths, max_bytes, stop)
    listing = _LISTINGS.get((tuple(paths), max_bytes))
    if state is None or listing is None:
        return
    if stop is not None and stop.is_set():
        return
    unchanged, to_read = incremental.split_unchanged(listing, state.files)
    still_rejected, to_read = incremental.split_still_rejected(to_read, state.rejected)
    if not to_read.height:
        if state.copy is not None:
            record_unchanged_run(state, unchanged, still_rejected, (tuple(paths), max_bytes))
        return
    if not transforms_here:
        return
    from flows.batch import prepare_transforms

    tuned = settings()
    cache = tuned.table_cache
    workers = workers or os.cpu_count() or 1
    if workers > 1:
        # the run's whole pool when it will have one, else the one worker of a small run
        size = workers if to_read.height >= POOL_MIN_FILES else 1
        # recorded first: close ends it
        pool = _POOLS[(tuple(paths), max_bytes)] = WorkerPool(size, cache, tuned.workers_compiled_dir)
        for _ in range(size):
            pool.start(prepare_transforms)
    else:
        tables.use_directory(cache)
        prepare_transforms()


def record_unchanged_run(state: PublishedState, unchanged: pl.DataFrame, still_rejected: pl.DataFrame,
                         listing: _Key) -> None:
    """A run with nothing to read (its files unchanged, or still rejected for the same
    bytes) writes only their ingest_file rows and ingest_file_latest: write them into
    the early copy now, committed and checkpointed (``EarlyCopy.write``), while the
    Prefect server still starts, rather than after it answers. The flow finds them in
    its session (``PublishedState.recorded_in_session``) when it took the copy, which
    it does only while the warehouse is still the file copied; a copy not taken goes,
    with them. The early copy is a file warehouse's: it keeps ingest_file_latest."""
    run_id = str(uuid.uuid4())
    counts: list[dict] = []

    def statements(con) -> None:
        run = IngestState(con, run_id)
        record_not_read(run, unchanged, still_rejected, keep_file_latest=True,
                        unchanged_is_every_known_file=unchanged.height == state.files.height)
        with store.end_step(con, "rebuild"):
            load.update_file_latest(con, run_id)
        counts.append(run.counts)

    if state.copy.write(statements):
        state.recorded = RecordedRun(run_id, counts[0], unchanged, still_rejected, listing)


@contextmanager
def taken_state(warehouse: str, paths: list[str], max_bytes: int) -> Iterator[PublishedState | None]:
    """The warehouse's state as ``prepare_early`` read it, if it did, with its early copy
    (the backend checks, under the lock, that it is still the published one); on the
    way out, the copy is removed if the run did not take it. A copy holding rows recorded
    for another input than the run's (``record_unchanged_run``) is removed now: the run
    copies again."""
    _finished()
    state = _STATES.pop(warehouse, None)
    if state is not None and state.recorded is not None and state.recorded.listing != (tuple(paths), max_bytes):
        state.discard()
        state.copy = state.recorded = None
    try:
        yield state
    finally:
        if state is not None:
            state.discard()


def take_pool(paths: list[str], max_bytes: int) -> WorkerPool | None:
    """The worker ``prepare_early`` started for these paths, if any: the flow's now."""
    _finished()
    return _POOLS.pop((tuple(paths), max_bytes), None)


def close() -> None:
    """End the workers no flow took (a run that stopped before its transform step), and
    remove an early copy no flow took (one that stopped before its lock). The head start
    is told to stop first: its listing's child is killed and its copy stopped."""
    for _, stop in list(_RUNNING):
        stop.set()
    _finished()
    _release()


def _release() -> None:
    while _STATES:
        try:
            _STATES.popitem()[1].discard()
        except KeyError:  # the head start's thread and close() both releasing
            break
    while _POOLS:
        try:
            _POOLS.popitem()[1].close(kill=True)
        except KeyError:
            break
