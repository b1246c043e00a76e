"""What a run starts before it imports Prefect (flows/cli.py), so that it overlaps the
Prefect server's start and Prefect's own imports: the input's listing, the warehouse's
file state as published and, for a small run with files to read, the process that will
transform them.

Imports no Prefect. Only a head start: the flow decides again under the lock, and takes
what was started here (``take_listing``, ``take_state``, ``take_pool``) or does without it.
"""

from __future__ import annotations

import os
import threading

import polars as pl

from core import tables
from flows.files import InputError, discover_in_child
from flows.pool import WorkerPool
from flows.settings import settings
from transforms import incremental
from warehouse import backend as backends
from warehouse.backend import PublishedState

# Below this many files to read, a process pool's start (each worker imports polars and
# hazm's normaliser and builds the gazetteer, ~2.5 s of CPU) costs more than it saves.
POOL_MIN_FILES = 1000

_Key = tuple[tuple[str, ...], int]
_LISTINGS: dict[_Key, pl.DataFrame] = {}
_POOLS: dict[_Key, WorkerPool] = {}
_STATES: dict[str, PublishedState] = {}
_RUNNING: list[threading.Thread] = []


def start(paths: list[str], max_bytes: int, warehouse: str, transforms_here: bool = True,
          workers: int | None = None) -> None:
    """``prepare_early`` in a thread, while this process imports Prefect: the listing's
    system calls, DuckDB's read of the state and the copy release the GIL, so they run
    beside the imports rather than before them. ``take_*`` and ``close`` wait for it."""
    def head_start() -> None:
        try:
            prepare_early(paths, max_bytes, warehouse, transforms_here, workers)
        except Exception:  # only a head start: the flow does what it could not, and reports its errors
            pass

    thread = threading.Thread(target=head_start, name="early-head-start", daemon=True)
    thread.start()
    _RUNNING.append(thread)


def _finished() -> None:
    """Wait for ``start``'s thread."""
    while _RUNNING:
        _RUNNING.pop().join()


def discover_early(paths: list[str], max_bytes: int) -> None:
    """List the input now, in a child process (``discover_in_child``), for the next run
    of the flow over the same paths. A listing taken seconds
    before the flow is as good as one taken at its start: a file added in between is
    found by the next run, like a file added while a run reads. Errors are left to the
    flow's own discovery, which reports them."""
    try:
        _LISTINGS[(tuple(paths), max_bytes)] = discover_in_child(paths, max_bytes)
    except (InputError, OSError, RuntimeError):
        pass


def take_listing(paths: list[str], max_bytes: int) -> pl.DataFrame | None:
    _finished()
    return _LISTINGS.pop((tuple(paths), max_bytes), None)


def prepare_early(paths: list[str], max_bytes: int, warehouse: str, transforms_here: bool = True,
                  workers: int | None = None) -> None:
    """List the input (``discover_early``), read the warehouse's state as published
    (``take_state``) and, when some listed file is new or changed
    by the warehouse's published record and the run will transform in its own processes
    (``transforms_here``: no cluster) without a pool of its own (fewer files than
    ``POOL_MIN_FILES``), get the transforms' shared resources ready (``batch._prepare``:
    seconds of CPU). With more than one core, in a worker process started now, which
    builds them while this process imports Prefect and which the flow then transforms
    in (``take_pool``); with one, in this process."""
    state = backends.for_warehouse(warehouse).head_start()  # first: its copy runs during the listing
    if state is not None:
        _STATES[warehouse] = state
    discover_early(paths, max_bytes)
    listing = _LISTINGS.get((tuple(paths), max_bytes))
    if state is None or listing is None or not transforms_here or listing.height >= POOL_MIN_FILES:
        return
    _, to_read = incremental.split_unchanged(listing, state.files)
    _, to_read = incremental.split_still_rejected(to_read, state.rejected)
    if not to_read.height:
        return
    from flows.batch import _prepare

    cache = settings().table_cache
    if (workers or os.cpu_count() or 1) > 1:
        pool = _POOLS[(tuple(paths), max_bytes)] = WorkerPool(1, cache)  # recorded first: close ends it
        pool.start(_prepare)
    else:
        tables.use_directory(cache)
        _prepare()


def take_state(warehouse: str) -> PublishedState | None:
    """The warehouse's state as ``prepare_early`` read it, if it did, with its early copy
    (the backend checks, under the lock, that it is still the published one). Kept here
    until ``close``, which removes the copy if no run took it."""
    _finished()
    return _STATES.get(warehouse)


def take_pool(paths: list[str], max_bytes: int) -> WorkerPool | None:
    """The worker ``prepare_early`` started for these paths, if any: the flow's now."""
    _finished()
    return _POOLS.pop((tuple(paths), max_bytes), None)


def close() -> None:
    """End the workers no flow took (a run that stopped before its transform step), and
    remove an early copy no flow took (one that failed before its lock)."""
    _finished()
    while _STATES:
        _STATES.popitem()[1].discard()
    while _POOLS:
        _POOLS.popitem()[1].close(kill=True)
