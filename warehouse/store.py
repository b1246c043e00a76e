"""Where the warehouse lives and how a run changes it.

A run never writes the warehouse file that readers have open. It copies the current
file to ``<warehouse>.next``, loads into the copy, checkpoints and closes it, and then
renames the copy over the warehouse path (``os.replace``, atomic on POSIX). So:

- readers (``duckdb.connect(path, read_only=True)``, dashboards) never meet a writer's
  lock: they hold the old file open and see the previous complete state, or open the
  new one and see the new complete state;
- a run killed at any moment leaves the warehouse as it was: the half-written copy is
  only ever at ``.next`` and the next run starts a fresh copy;
- the cost is one file copy per run, linear in the warehouse size (about 1 s per GB
  on a local SSD).

Only one run may write at a time: ``writer_lock`` takes an exclusive ``flock`` on
``<warehouse>.lock``. The kernel drops it when the process dies, even by SIGKILL, so a
lock is never left stale.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parent / "sql"


class WarehouseBusy(Exception):
    """Another run holds the writer lock."""


class WarehouseUnavailable(Exception):
    """The warehouse path cannot be written (folder missing and not creatable, no permission)."""


def sql_files(layer: str) -> list[Path]:
    return sorted((SQL_DIR / layer).glob("*.sql"))


def read_sql(layer: str, name: str) -> str:
    return (SQL_DIR / layer / f"{name}.sql").read_text(encoding="utf-8")


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table (idempotent) and (re)create every view."""
    for path in sql_files("schema"):
        con.execute(path.read_text(encoding="utf-8"))
    for path in sql_files("views"):
        con.execute(path.read_text(encoding="utf-8"))


def check_writable(path: Path) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseUnavailable(f"cannot create folder {folder}: {exc.strerror}") from None
    if not os.access(folder, os.W_OK):
        raise WarehouseUnavailable(f"folder is not writable: {folder}")
    if path.exists() and not os.access(path, os.R_OK):
        raise WarehouseUnavailable(f"warehouse is not readable: {path}")


@contextmanager
def writer_lock(path: Path, wait_seconds: float = 0.0):
    """Exclusive writer lock on ``<path>.lock``; waits up to ``wait_seconds``."""
    check_writable(path)
    lock_path = path.with_name(path.name + ".lock")
    handle = open(lock_path, "a+")
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"another run is writing {path} (lock {lock_path}); try again later or pass --wait SECONDS"
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()  # closing the descriptor releases the flock


@contextmanager
def staged_copy(path: Path):
    """Yield a read-write connection to a copy of the warehouse; publish it on success.

    Must be used inside ``writer_lock``. On an exception the copy is discarded and the
    warehouse is untouched.
    """
    next_path = path.with_name(path.name + ".next")
    for stale in (next_path, next_path.with_name(next_path.name + ".wal")):
        stale.unlink(missing_ok=True)
    if path.exists():
        shutil.copyfile(path, next_path)
    con = duckdb.connect(str(next_path))
    try:
        apply_schema(con)
        yield con
        con.execute("CHECKPOINT")
        con.close()
    except BaseException:
        con.close()
        next_path.unlink(missing_ok=True)
        raise
    with open(next_path, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(next_path, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def connect_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection; never conflicts with a run (see module docstring)."""
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `tamas ingest` first")
    con = duckdb.connect(str(path), read_only=True)
    from warehouse.search import enable_fts

    enable_fts(con)  # readers can rank with fts_main_dim_article.match_bm25 (warehouse/search.py)
    return con
