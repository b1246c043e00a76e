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

Only one run may write at a time: ``writer_lock`` takes an exclusive POSIX record lock
(``fcntl.lockf``) on ``<warehouse>.lock``. The kernel drops it when the process dies, even
by SIGKILL, so a lock is never left stale. A POSIX lock belongs to the process, not to
the open file: the worker processes a run starts for cleaning and extraction do not
inherit it (with ``flock`` they would, and a worker orphaned by a SIGKILL would keep
the warehouse locked).
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import os
import shutil
import struct
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Callable

import duckdb
from tenacity import Retrying, retry_if_exception_type, stop_after_delay, wait_exponential

from warehouse import contract

SQL_DIR = Path(__file__).resolve().parent / "sql"


class WarehouseBusy(Exception):
    """Another run holds the writer lock."""


class WarehouseUnavailable(Exception):
    """The warehouse path cannot be written (folder missing and not creatable, no permission)."""


_HELD: set[str] = set()
_HELD_GUARD = threading.Lock()


def file_identity(path: Path) -> tuple | None:
    """What changes when the warehouse file at ``path`` is replaced (a publish is a
    rename: another inode) or written in place, and whether DuckDB keeps a log beside
    it; None when there is no file. The same identity before and after a read, and again
    under the writer lock, means the run's staged copy holds what was read."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    wal = path.with_name(path.name + ".wal")
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, wal.exists()


def _publish(next_path: Path, path: Path) -> None:
    """The complete, closed copy on disk, then in the warehouse's place in one rename.

    A rename over the old file frees its blocks before it returns: time that grows with
    the warehouse, and that a run with little to load would mostly spend there. The old
    file gets a second name first (``<name>.replaced-<pid>``), so the rename only moves
    names, and that name is removed in a thread while the run goes on to its end
    (``_remove_in_background``). Without hard links (some file systems), a plain rename."""
    with open(next_path, "rb") as handle:
        os.fsync(handle.fileno())
    wait_for_removals()  # an earlier publish's, by this process, uses the same name
    replaced = path.with_name(f"{path.name}{_REPLACED_SUFFIX}{os.getpid()}")
    try:
        replaced.unlink(missing_ok=True)
        os.link(path, replaced)
    except OSError:  # no old file, or no hard links here
        replaced = None
    os.replace(next_path, path)
    if replaced is not None:
        _remove_in_background(replaced)


_REMOVALS: list[threading.Thread] = []


def _remove_in_background(path: Path) -> None:
    """Remove ``path`` in a thread the interpreter waits for at its exit (not a daemon);
    ``wait_for_removals`` waits for it sooner. A file a killed run left is removed by the
    next run (``_discard_dead_runs_files``)."""

    def remove() -> None:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass  # removed by the next run's _discard_dead_runs_files

    thread = threading.Thread(target=remove, name="remove-replaced-warehouse")
    try:
        thread.start()
    except RuntimeError:  # no thread could start
        remove()
        return
    _REMOVALS.append(thread)


def wait_for_removals() -> None:
    """Wait until the files replaced by this process's publishes are removed."""
    while True:
        try:
            thread = _REMOVALS.pop()
        except IndexError:
            return
        thread.join()


def sql_files(layer: str) -> list[Path]:
    return sorted((SQL_DIR / layer).glob("*.sql"))


def read_sql(layer: str, name: str) -> str:
    return (SQL_DIR / layer / f"{name}.sql").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def schema_sql() -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """What ``apply_schema`` runs, in order: the contract tables' DDL, the views' SQL and
    one script of every ``COMMENT ON``."""
    creates = tuple(contract.create_table_sql(table) for table in contract.tables())
    views = tuple(path.read_text(encoding="utf-8") for path in sql_files("views"))
    # One script, not ~300 statements: it is the slowest part of applying the schema.
    comments = ";\n".join(s for relation in contract.load().values() for s in contract.comment_sql(relation))
    return creates, views, comments


def schema_sha256() -> str:
    """SHA-256 of ``schema_sql``: a completed run records it in ``ingest_run.schema_sha256``."""
    creates, views, comments = schema_sql()
    digest = hashlib.sha256()
    for text in (*creates, *views, comments):
        digest.update(text.encode("utf-8") + b"\0")
    return digest.hexdigest()


def schema_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the last completed run applied this very schema SQL and every table and
    view of the contract is there: re-applying it would change nothing."""
    try:
        row = con.execute(
            "SELECT schema_sha256 FROM ingest_run WHERE status = 'completed' ORDER BY started_at DESC LIMIT 1"
        ).fetchone()
    except duckdb.Error:  # a new warehouse, or one from before ingest_run.schema_sha256
        return False
    if row is None or row[0] != schema_sha256():
        return False
    present = {name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'"
        " UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = current_database()"
        " AND schema_name = 'main'"
    ).fetchall()}
    return set(contract.load()) <= present


def apply_schema(con: duckdb.DuckDBPyConnection, skip_if_current: bool = False) -> bool:
    """Create every table of the contract (idempotent; an older warehouse gets the columns
    it lacks), (re)create every view, and comment them all from the contract. With
    ``skip_if_current``, do nothing when ``schema_is_current`` (the run's staged copy:
    most runs change no schema). Returns whether it applied the schema."""
    if skip_if_current and schema_is_current(con):
        return False
    creates, views, comments = schema_sql()
    existing: dict[str, list[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = current_database()"
        " AND schema_name = 'main'"
    ).fetchall():
        existing.setdefault(table, []).append(column)
    for table, create in zip(contract.tables(), creates):
        if table.name in existing:
            for statement in contract.missing_columns_sql(table, existing[table.name]):
                con.execute(statement)
        else:
            con.execute(create)
    # A warehouse from before ingest_file_latest: build it once from the run history
    # (every completed run adds its files to it, so it is never empty after one).
    if con.execute("SELECT NOT EXISTS (FROM ingest_file_latest) AND EXISTS (FROM ingest_file)").fetchone()[0]:
        con.execute(f"INSERT INTO ingest_file_latest BY NAME ({read_sql('marts', 'ingest_file_latest')})")
    for view in views:
        con.execute(view)
    con.execute(comments)
    return True


def check_writable(path: Path) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseUnavailable(f"cannot create folder {folder}: {exc.strerror}") from None
    if not os.access(folder, os.W_OK):
        raise WarehouseUnavailable(f"folder is not writable: {folder}")
    if path.is_dir():
        raise WarehouseUnavailable(f"the warehouse path is a folder: {path}")
    if path.exists() and not os.access(path, os.R_OK):
        raise WarehouseUnavailable(f"warehouse is not readable: {path}")


class _LockHeld(Exception):
    def __init__(self, holder: str):
        self.holder = holder


def _take_lock(lock_path: Path, key: str):
    """The lock file's handle, locked; ``_LockHeld`` when another run holds it."""
    with _HELD_GUARD:
        # A POSIX lock excludes other processes only, and closing ANY descriptor of the
        # file releases it: a lock held by another thread of this process is checked in
        # _HELD, without opening the file.
        if key in _HELD:
            raise _LockHeld(" (in this process)")
        candidate = open(lock_path, "a+")
        try:
            fcntl.lockf(candidate, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # EAGAIN / EACCES: another process holds it
            candidate.close()
            raise _LockHeld(_lock_holder(lock_path)) from None
        _HELD.add(key)
        return candidate


def writer_lock_is_held(path: Path) -> bool:
    """Whether a run holds the writer lock of ``path`` now: a hint, for work worth doing
    only when the lock is free. Asks the kernel (F_GETLK) without taking the lock, so it
    never makes another run's attempt fail."""
    lock_path = path.with_name(path.name + ".lock")
    with _HELD_GUARD:
        if str(lock_path.resolve()) in _HELD:
            return True
        try:
            fd = os.open(lock_path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return False
        try:
            query = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)  # Linux's struct flock
            held = struct.unpack("hhqqi4x", fcntl.fcntl(fd, fcntl.F_GETLK, query))[0] != fcntl.F_UNLCK
        except OSError:
            held = False
        finally:
            os.close(fd)  # this process holds no lock on the file (_HELD): closing releases nothing
        return held


@contextmanager
def writer_lock(path: Path, wait_seconds: float = 0.0):
    """Exclusive writer lock on ``<path>.lock``; waits up to ``wait_seconds``.

    While another run holds it, retry with exponential backoff (0.1 s doubling up to
    2 s) until ``wait_seconds`` have passed, then raise ``WarehouseBusy``.
    """
    check_writable(path)
    lock_path = path.with_name(path.name + ".lock")
    key = str(lock_path.resolve())
    backoff = wait_exponential(multiplier=0.1, max=2)
    try:
        handle = Retrying(
            retry=retry_if_exception_type(_LockHeld),
            stop=stop_after_delay(wait_seconds),
            # the last pause ends at the deadline, for one more try then
            wait=lambda state: min(backoff(state), max(0.0, wait_seconds - state.seconds_since_start)),
            reraise=True,
        )(_take_lock, lock_path, key)
    except _LockHeld as held:
        raise WarehouseBusy(
            f"another run{held.holder} is writing {path} (lock {lock_path}); try again later or pass --wait SECONDS"
        ) from None
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        with _HELD_GUARD:
            handle.close()  # closing the descriptor releases the lock
            _HELD.discard(key)


def _lock_holder(lock_path: Path) -> str:
    try:
        pid = lock_path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


# The storage format new warehouse files are written in: the first that compresses long
# strings (ZSTD). Article texts are most of a warehouse, and every run copies the file.
STORAGE_VERSION = "v1.2.0"

# Rows per row group in what a run writes (DuckDB's default is 122,880). A checkpoint
# rewrites the table's last, partly filled row group whole, texts recompressed: with the
# default, each checkpoint of a long load rewrote up to 122,880 articles again, and the
# checkpoints cost more the longer the run (docs/scaling.md). DuckDB takes the size as an
# option of the ATTACH, not of the file, so every writer opens the file this way.
ROW_GROUP_ROWS = 16_384

ATTACHED_AS = "warehouse"  # the name writer and readers give the file in their connections


def _connect_writer(path: Path) -> duckdb.DuckDBPyConnection:
    # A cap on DuckDB's buffer pool keeps a long run's memory flat (MEMORY_CAPS), and
    # one thread while batches load (LOAD_THREADS). A checkpoint every 128 MB of log, not DuckDB's 16 MB: the load commits once per
    # batch, and each checkpoint leaves free blocks that every later run copies.
    # The file is ATTACHed to a private in-memory database (for ROW_GROUP_ROWS); DuckDB's
    # spill files then go beside the file, as they did when it was opened directly.
    con = duckdb.connect(
        ":memory:",
        config={"memory_limit": memory_cap("load"), "threads": LOAD_THREADS, "checkpoint_threshold": "128MB",
                "temp_directory": str(_spill_dir(path))},
    )
    try:
        con.execute("SET enable_progress_bar = false")  # a long statement draws no bar into the CLI's output
        # STORAGE_VERSION only for a file it creates: on an existing file DuckDB would
        # report the newer format without rewriting the old one (_compresses_text).
        version = "" if path.exists() else f"STORAGE_VERSION '{STORAGE_VERSION}', "
        con.execute(f"ATTACH {_sql_path(path)} AS {ATTACHED_AS} ({version}ROW_GROUP_SIZE {ROW_GROUP_ROWS})")
        con.execute(f"USE {ATTACHED_AS}")
    except BaseException:
        con.close()
        raise
    return con


def _sql_path(path: Path) -> str:
    """A path as an SQL string literal (ATTACH takes no parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


def _spill_dir(path: Path) -> Path:
    """Where DuckDB spills what does not fit its memory cap while it writes ``path``."""
    return path.with_name(path.name + ".tmp")


def _discard(next_path: Path) -> None:
    """A staged copy and what DuckDB keeps beside it: its log, its spill files (a run
    killed while DuckDB had spilled leaves them)."""
    next_path.unlink(missing_ok=True)
    next_path.with_name(next_path.name + ".wal").unlink(missing_ok=True)
    shutil.rmtree(_spill_dir(next_path), ignore_errors=True)


def _compresses_text(con: duckdb.DuckDBPyConnection) -> bool:
    """The open file is in STORAGE_VERSION's format or later (a file keeps the format it
    was created in: DuckDB writes an older file's long strings uncompressed)."""
    tag = con.execute(
        "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()[0]
    return _version(tag or "v0.0.0") >= _version(STORAGE_VERSION)


def _version(tag: str) -> tuple[int, ...]:
    return tuple(int(part) for part in tag.strip("v+").split("."))


def _copy_database(con: duckdb.DuckDBPyConnection, source: Path) -> None:
    """Everything of the warehouse at ``source`` (tables with their rows in order, so
    rowids too; views, macros, comments) into the new file ``con`` has open: a warehouse
    of an older format is rewritten once, in the current one."""
    con.execute(f"ATTACH {_sql_path(source)} AS _published (READ_ONLY)")
    try:
        con.execute("COPY FROM DATABASE _published TO " + con.execute("SELECT current_database()").fetchone()[0])
    finally:
        con.execute("DETACH _published")


def _flush_in_background(path: Path) -> threading.Thread:
    """Write a fresh copy's pages to disk in a thread (fsync releases the GIL) while the
    run goes on. DuckDB's first commit into the copy fsyncs the file, and would otherwise
    wait there for the whole copy to reach the disk. The thread closes its descriptor
    when the fsync returns; a discarded copy's flush runs out on its own."""
    fd = os.open(path, os.O_RDONLY)

    def flush() -> None:
        try:
            os.fsync(fd)
        except OSError:
            pass  # only a head start: DuckDB's own commits and checkpoint fsync the copy
        finally:
            os.close(fd)

    thread = threading.Thread(target=flush, name="flush-staged-copy", daemon=True)
    try:
        thread.start()
    except RuntimeError:  # no thread could start: it will not close the descriptor
        os.close(fd)
        raise
    return thread


_EARLY_SUFFIX = ".early-"
_REPLACED_SUFFIX = ".replaced-"


class EarlyCopy:
    """A copy of the published warehouse made before the run takes the writer lock, in
    a thread (the copy and its fsync release the GIL) while the run imports Prefect:
    ``staged_copy`` then starts from it instead of copying under the lock.

    Safe without the lock because a published file is never written in place (a publish
    is a rename): while ``file_identity`` is ``source``, what it was before the copy
    began, the copy holds what a copy under the lock would. The file is
    ``<name>.early-<pid>``; one a killed run left is removed by the next ``staged_copy``.
    ``discard`` stops a copy under way within one chunk."""

    CHUNK_BYTES = 64 * 1024 * 1024

    def __init__(self, path: Path, source: tuple):
        self.path = Path(path)
        self.copy_path = self.path.with_name(f"{self.path.name}{_EARLY_SUFFIX}{os.getpid()}")
        self.source = source
        self._copied = threading.Event()
        self._stop = threading.Event()
        self._ok = False
        self._taken = False
        self._thread = threading.Thread(target=self._run, name="early-staged-copy", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        out = None
        try:
            with open(self.path, "rb") as source:
                out = os.open(self.copy_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
                size, offset = os.fstat(source.fileno()).st_size, 0
                while offset < size and not self._stop.is_set():
                    sent = os.sendfile(out, source.fileno(), offset, min(self.CHUNK_BYTES, size - offset))
                    if sent == 0:
                        break
                    offset += sent
            self._ok = offset == size and not self._stop.is_set() and file_identity(self.path) == self.source
        except OSError:
            pass
        finally:
            if not self._ok:  # a failed, stopped or stale copy takes no disk space
                self.copy_path.unlink(missing_ok=True)
            self._copied.set()
        try:  # the flush staged_copy would start (_flush_in_background), started sooner
            if self._ok:
                os.fsync(out)
        except OSError:
            pass
        finally:
            if out is not None:
                os.close(out)

    def take(self, next_path: Path) -> threading.Thread | None:
        """Under the writer lock: move the copy to ``next_path`` if the warehouse is still
        the file it was made from, and return the thread flushing it; else discard it
        and return None."""
        self._copied.wait()
        if self._ok and file_identity(self.path) == self.source:
            try:
                os.replace(self.copy_path, next_path)
                self._taken = True
                return self._thread
            except OSError:
                pass
        self.discard()
        return None

    @property
    def taken(self) -> bool:
        """A run's ``staged_copy`` took this copy (``take``)."""
        return self._taken

    def write(self, statements: Callable[[duckdb.DuckDBPyConnection], None]) -> bool:
        """Before the lock: run ``statements`` on the copy in one transaction, committed
        and checkpointed, so that a run that takes the copy finds them done. False, and
        the copy as it was, when the copy cannot be a run's as it is: not made (failed,
        stopped, stale), of an older format (``staged_copy`` rewrites those from the
        published file) or of an older schema (``apply_schema``). An error discards the
        copy (the run copies under the lock) and is raised."""
        self._copied.wait()
        if not self._ok or self._taken or self._stop.is_set() or not self.copy_path.exists():
            return False
        try:
            with _connect_writer(self.copy_path) as con:
                if not _compresses_text(con) or not schema_is_current(con):
                    return False
                con.execute("BEGIN TRANSACTION")
                statements(con)
                con.execute("COMMIT")
                con.execute("RESET threads")  # as a run's last checkpoint
                con.execute("CHECKPOINT")
        except BaseException:
            self._ok = False
            self.discard()
            raise
        return True

    def discard(self) -> None:
        """Stop the copy and remove it, unless a run took it. Never raises: a copy it
        could not remove is a dead run's for the next ``staged_copy``."""
        self._stop.set()
        self._copied.wait()
        if not self._taken:
            try:
                self.copy_path.unlink(missing_ok=True)
            except OSError:
                pass


def _discard_dead_runs_files(path: Path) -> None:
    """What runs that no longer exist (killed) left beside the warehouse: early copies
    (``EarlyCopy``), replaced files not yet removed (``_publish``). A pid since reused by
    a live process keeps its file until then."""
    left = [*path.parent.glob(f"{glob.escape(path.name)}{_EARLY_SUFFIX}*"),
            *path.parent.glob(f"{glob.escape(path.name)}{_REPLACED_SUFFIX}*")]
    for stale in left:
        pid = stale.name.rpartition("-")[2]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            stale.unlink(missing_ok=True)
        except OSError:
            pass  # alive, another user's


@contextmanager
def staged_copy(path: Path, early: EarlyCopy | None = None):
    """Yield a read-write connection to a copy of the warehouse; publish it on success.

    Must be used inside ``writer_lock``. On an exception the copy is discarded and the
    warehouse is untouched. ``early``: a copy made before the lock, used if still current.
    """
    next_path = path.with_name(path.name + ".next")
    con = None
    try:
        _discard(next_path)  # what a killed run left
        _discard_dead_runs_files(path)
        copied = path.exists()
        flushing = early.take(next_path) if early is not None else None
        if copied and flushing is None:
            shutil.copyfile(path, next_path)
        con = _connect_writer(next_path)
        if copied and not _compresses_text(con):
            con.close()
            next_path.unlink()
            flushing = None
            con = _connect_writer(next_path)
            _copy_database(con, path)
        elif copied and flushing is None:
            flushing = _flush_in_background(next_path)
        apply_schema(con, skip_if_current=True)
        yield con
        con.execute("RESET threads")  # the load is over: the last checkpoint gets every core
        con.execute("CHECKPOINT")
        con.close()
        if flushing is not None:  # a run that fails does not wait for it
            flushing.join()
        _publish(next_path, path)
    except BaseException:
        # A failed copy, load or publish (a full disk) leaves no partial copy behind.
        if con is not None:
            try:
                con.close()
            except duckdb.Error:
                pass
        _discard(next_path)
        if early is not None:
            early.discard()
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# DuckDB's memory cap (its buffer pool; beyond it, it spills to disk) for each step of a
# run, the smallest that worked at 300,000 articles on the benchmark; a run may set
# others (configure_memory, from TAMAS_DUCKDB_* in flows/settings.py). The load appends only, while the pool workers are alive (the
# run's peak): with 256 MB the ingest process grew by ~130 MB more than with 128 MB, at
# the same speed. The facts rebuild holds a bucket of calls in polars besides: 256 MB (at
# 512 MB the 300k run's ingest process peaked 240 MB higher). The BM25 build holds a row
# per word occurrence: 512 MB (256 MB ran out at 300k with the fts extension's build).
MEMORY_CAPS = {"load": "128MB", "rebuild": "256MB", "index": "512MB"}
_memory_caps = dict(MEMORY_CAPS)

# DuckDB's threads while batches load: the pool workers hold every core then, and
# DuckDB's parallel plans for a batch's statements only add the cost of coordinating
# threads that wait for a core (docs/scaling.md). The end of a run, after the workers
# have exited, gets every core (end_step).
LOAD_THREADS = 1


def configure_memory(caps: dict[str, str | None]) -> None:
    """The caps of this process's runs: MEMORY_CAPS, with the given ones instead."""
    _memory_caps.clear()
    _memory_caps.update(MEMORY_CAPS, **{step: cap for step, cap in caps.items() if cap})


def memory_cap(step: str) -> str:
    return _memory_caps[step]


@contextmanager
def end_step(con: duckdb.DuckDBPyConnection, step: str):
    """Run a step of the end of a run ("rebuild": facts and ingest_file_latest, "index":
    the BM25 build) under its own memory cap and with DuckDB's default threads (one per
    core); the previous cap and threads come back after, also on error. These steps run
    after the pool workers have exited."""
    previous_cap, previous_threads = con.execute(
        "SELECT current_setting('memory_limit'), current_setting('threads')").fetchone()
    con.execute(f"SET memory_limit = '{memory_cap(step)}'")
    con.execute("RESET threads")
    try:
        yield con
    finally:
        con.execute(f"SET memory_limit = '{previous_cap}'")
        con.execute(f"SET threads = {int(previous_threads)}")


def extension_directory() -> str:
    """Where the duckdb-ext-* wheels put their ``.duckdb_extension`` files: extensions are
    loaded from there, never downloaded."""
    import duckdb_ext  # namespace package of the duckdb-ext-* wheels

    for base in duckdb_ext.__path__:
        if (Path(base) / "extensions").is_dir():
            return str(Path(base) / "extensions")
    raise RuntimeError("the duckdb-ext-* wheels are not installed: make setup")


def enable_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load fts from its installed wheel (never from the network)."""
    con.execute(f"SET extension_directory = '{extension_directory()}'")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("LOAD fts")


def connect_readonly(path: Path, external_access: bool = True) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse as published now; never conflicts with a run.

    A private in-memory database that ATTACHes the file READ_ONLY, not
    ``duckdb.connect(path)``: DuckDB hands a new connection to a path the database it
    already has open for it, so while any connection was open a reader kept seeing the
    file a publish had replaced. ``external_access=False`` then forbids the connection
    any file or network access but the attached warehouse (the dashboard)."""
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `tamas ingest` first")
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET enable_progress_bar = false")  # no bar in a reader's output
        enable_fts(con)  # readers can rank with fts_main_dim_article.match_bm25 (warehouse/search.py)
        con.execute(f"ATTACH {_sql_path(path)} AS {ATTACHED_AS} (READ_ONLY)")
        con.execute(f"USE {ATTACHED_AS}")
        if not external_access:
            con.execute("SET enable_external_access = false")
            con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con
