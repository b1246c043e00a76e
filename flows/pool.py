"""Worker processes of a run, tied to its life (issue 18).

- ``WorkerPool``: the transform step's process pool. Its workers exit on their own when
  the ingest process is gone, however it went (kill -9 included), and ignore Ctrl-C
  (the ingest process decides); ``close(kill=True)`` ends busy workers at once instead
  of waiting for them (SIGTERM, Ctrl-C, a failed run). A worker that dies breaks the
  pool: ``run`` raises ``WorkerDied`` and the next call gets a fresh pool.
- ``run_alone``: one call in a process of its own, for finding which input kills a
  worker (flows/batch.py bisects a batch with it).

Imports no Prefect: the workers import this module.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from core import compiled, tables

PARENT_POLL_SECONDS = 0.2
# A worker's polars runs on one thread: the pool already has a process per core, and a
# thread pool per worker made them preempt one another (docs/scaling.md). A
# POLARS_MAX_THREADS of the user's own is kept.
WORKER_POLARS_THREADS = "1"


class WorkerDied(Exception):
    """A worker process ended before returning its result."""


def _watch_parent(parent_pid: int) -> None:
    """Exit this worker when the process that started it is gone (re-parented)."""
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def _worker_init(parent_pid: int, table_cache: str | None, compiled_dir: str | None) -> None:
    # Pool workers are started by whichever thread submits first, so PR_SET_PDEATHSIG
    # (bound to that thread) would kill them when it ends: poll the parent instead.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.setdefault("POLARS_MAX_THREADS", WORKER_POLARS_THREADS)  # read when polars starts its pool
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True, name="watch-parent").start()
    if os.getppid() != parent_pid:
        os._exit(1)
    tables.use_directory(table_cache)
    compiled.use_directory(compiled_dir)  # before the work's first import of transforms


def _context():
    # Spawned, never forked: a fork of the multi-threaded ingest process (polars' thread
    # pool) can deadlock in the child.
    return multiprocessing.get_context("spawn")


class WorkerPool:
    def __init__(self, workers: int, table_cache: Path | None = None, compiled_dir: Path | None = None):
        """``table_cache``: where the workers keep and find cleaning's tables (core/tables.py);
        ``compiled_dir``: where they find the compiled transforms modules (core/compiled.py)."""
        self.workers = workers
        self.table_cache = str(table_cache) if table_cache is not None else None
        self.compiled_dir = str(compiled_dir) if compiled_dir is not None else None
        self._lock = threading.Lock()
        self._closed = False
        self._executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers, mp_context=_context(), initializer=_worker_init,
            initargs=(os.getpid(), self.table_cache, self.compiled_dir)
        )

    def start(self, fn, *args) -> None:
        """``fn(*args)`` in a worker, not waited for: work that gets a worker ready (its
        failure shows again in the work that follows)."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the worker pool is closed")
            self._executor.submit(fn, *args)

    def run(self, fn, *args):
        """``fn(*args)`` in a worker; ``WorkerDied`` if a worker of the pool died meanwhile
        (this call's or another's: the pool cannot tell)."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the worker pool is closed")
            executor = self._executor
        try:
            return executor.submit(fn, *args).result()
        except BrokenProcessPool as exc:
            with self._lock:
                if self._closed:  # killed by close(): the run is stopping, nothing to redo
                    raise RuntimeError("the worker pool was closed") from None
                if self._executor is executor:
                    self._executor = self._new()
            raise WorkerDied(str(exc)) from None

    def close(self, kill: bool = False) -> None:
        """Shut the pool down; with ``kill``, end its workers now rather than wait for
        the batches they are working on."""
        with self._lock:
            self._closed = True
            executor = self._executor
        processes = list(getattr(executor, "_processes", {}).values()) if kill else []
        executor.shutdown(wait=not kill, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.kill()
        for process in processes:
            process.join(timeout=5)


def _alone(conn, parent_pid: int, table_cache: str | None, compiled_dir: str | None, work: bytes) -> None:
    _worker_init(parent_pid, table_cache, compiled_dir)
    try:
        fn, args = pickle.loads(work)  # after the init: what it imports may be compiled
        result = ("ok", fn(*args))
    except Exception as exc:  # re-raised in the parent, as a pool would
        result = ("error", exc)
    conn.send(result)
    conn.close()


def run_alone(fn, *args, timeout: float | None = None, compiled_dir: Path | str | None = None):
    """``fn(*args)`` in a new process of its own, which imports the compiled transforms
    modules from ``compiled_dir``, as a pool's workers do; ``WorkerDied`` (with its exit
    status or signal) if that process ends without a result or takes longer than ``timeout``."""
    context = _context()
    receive, send = context.Pipe(duplex=False)
    cache = tables.directory()  # the tables this process uses, if it was given a place for them
    # (fn, args) pickled here, unpickled by the child after its init: unpickling imports
    # fn's module, and with it transforms, which must come after the compiled finder.
    work = pickle.dumps((fn, args))
    process = context.Process(
        target=_alone, args=(send, os.getpid(), cache and str(cache), compiled_dir and str(compiled_dir), work),
        daemon=True,
    )
    process.start()
    send.close()
    try:
        if receive.poll(timeout):
            status, value = receive.recv()
            process.join()
            if status == "error":
                raise value
            return value
        process.kill()
        process.join()
        raise WorkerDied(f"no result within {timeout:g} s")
    except EOFError:
        process.join()
        code = process.exitcode
        raise WorkerDied(f"signal {signal.Signals(-code).name}" if code and code < 0 else f"exit status {code}") from None
    finally:
        receive.close()
        if process.is_alive():
            process.kill()
            process.join()
