"""What a run starts before it imports Prefect (flows/cli.py), so that it overlaps the
Prefect server's start and Prefect's own imports: the input's listing and, for a small
run with files to read, the process that will transform them.

Imports no Prefect. Only a head start: the flow decides again under the lock, and takes
what was started here (``take_listing``, ``take_pool``) or does without it.
"""

from __future__ import annotations

import os

import polars as pl

from core import tables
from flows.files import InputError, discover_files
from flows.pool import WorkerPool
from flows.settings import settings
from transforms import incremental
from warehouse import backend as backends

# Below this many files to read, a process pool's start (each worker imports polars and
# hazm's normaliser and builds the gazetteer, ~2.5 s of CPU) costs more than it saves.
POOL_MIN_FILES = 1000

_Key = tuple[tuple[str, ...], int]
_LISTINGS: dict[_Key, pl.DataFrame] = {}
_POOLS: dict[_Key, WorkerPool] = {}


def discover_early(paths: list[str], max_bytes: int) -> None:
    """List the input now, for the next run of the flow over the same paths: ~0.8 s at
    100,000 files that would otherwise follow the server's start. A listing taken seconds
    before the flow is as good as one taken at its start: a file added in between is
    found by the next run, like a file added while a run reads. Errors are left to the
    flow's own discovery, which reports them."""
    try:
        _LISTINGS[(tuple(paths), max_bytes)] = discover_files(paths, max_bytes)
    except InputError:
        pass


def take_listing(paths: list[str], max_bytes: int) -> pl.DataFrame | None:
    return _LISTINGS.pop((tuple(paths), max_bytes), None)


def prepare_early(paths: list[str], max_bytes: int, warehouse: str, transforms_here: bool = True,
                  workers: int | None = None) -> None:
    """List the input (``discover_early``) and, when some listed file is new or changed
    by the warehouse's published record and the run will transform in its own processes
    (``transforms_here``: no cluster) without a pool of its own (fewer files than
    ``POOL_MIN_FILES``), get the transforms' shared resources ready (``batch._prepare``:
    seconds of CPU). With more than one core, in a worker process started now, which
    builds them while this process imports Prefect and which the flow then transforms
    in (``take_pool``); with one, here."""
    discover_early(paths, max_bytes)
    listing = _LISTINGS.get((tuple(paths), max_bytes))
    if listing is None:
        return
    state = backends.for_warehouse(warehouse).head_start()
    if state is None or not transforms_here or listing.height >= POOL_MIN_FILES:
        return
    known, rejected = state
    _, to_read = incremental.split_unchanged(listing, known)
    _, to_read = incremental.split_still_rejected(to_read, rejected)
    if not to_read.height:
        return
    from flows.batch import _prepare

    cache = settings().table_cache
    if (workers or os.cpu_count() or 1) > 1:
        pool = _POOLS[(tuple(paths), max_bytes)] = WorkerPool(1, cache)  # recorded first: close_pools ends it
        pool.start(_prepare)
    else:
        tables.use_directory(cache)
        _prepare()


def take_pool(paths: list[str], max_bytes: int) -> WorkerPool | None:
    """The worker ``prepare_early`` started for these paths, if any: the flow's now."""
    return _POOLS.pop((tuple(paths), max_bytes), None)


def close_pools() -> None:
    """End the workers no flow took (a run that stopped before its transform step)."""
    while _POOLS:
        _POOLS.popitem()[1].close(kill=True)
