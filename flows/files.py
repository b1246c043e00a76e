"""File-system side of ingestion: find article files and read their bytes.

Discovery only stats files, so that unchanged files (same path, size and mtime as when
they were last loaded) are skipped without ever being opened.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import polars as pl

DISCOVERED_SCHEMA = {
    "source_path": pl.String,
    "size_bytes": pl.Int64,
    "mtime_ns": pl.Int64,
    "skip_reason": pl.String,  # set when the file must be rejected without reading
}

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


class InputError(Exception):
    """The run cannot start: a path the user gave does not exist or cannot be listed."""


def _entry(path: str, root: str, max_bytes: int, entry: os.DirEntry | None = None) -> tuple:
    """(source_path, size_bytes, mtime_ns, skip_reason) of one file. ``entry``, when the
    file came from a folder listing, saves a system call: its type is already known."""
    is_link = entry.is_symlink() if entry is not None else os.path.islink(path)
    if is_link:
        target = os.path.realpath(path)
        if os.path.commonpath([target, root]) != root:
            return (path, None, None, "symlink_outside_root")
    try:
        st = entry.stat() if entry is not None else os.stat(path)
    except FileNotFoundError:
        # A link whose target does not exist, or a file removed while listing.
        return (path, None, None, "dangling_symlink" if os.path.islink(path) else "vanished")
    except OSError as exc:  # e.g. ELOOP: a symbolic link loop
        return (path, None, None, f"unreadable:{exc.strerror or type(exc).__name__}")
    if not stat.S_ISREG(st.st_mode):
        # A FIFO would block the reader forever, a device could be endless: never opened.
        return (path, None, None, "not_regular_file")
    too_large = f"too_large:{st.st_size} bytes > {max_bytes}" if st.st_size > max_bytes else None
    return (path, st.st_size, st.st_mtime_ns, too_large)


def _walk(folder: str, root: str, max_bytes: int, rows: dict[str, tuple]) -> None:
    """Every file under ``folder``, by one ``scandir`` per folder (a stat per file, not
    two). Hidden entries and symbolic links to folders are skipped; an unlistable
    subfolder is skipped, as ``os.walk`` does."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted((e for e in listing if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if not entry.is_symlink():
                _walk(entry.path, root, max_bytes, rows)
        elif entry.path not in rows:
            rows[entry.path] = _entry(entry.path, root, max_bytes, entry)


def discover_files(paths: list[str | Path], max_bytes: int = DEFAULT_MAX_BYTES) -> pl.DataFrame:
    """Every regular file under the given files and folders (recursive), with its stat.

    Hidden files and folders (name starting with '.') are not article input and are not
    listed. Symbolic links are not followed out of the folder they were found in.
    """
    rows: dict[str, tuple] = {}
    for given in paths:
        given = Path(given)
        if not given.exists() and not given.is_symlink():
            raise InputError(f"no such file or folder: {given}")
        absolute = os.path.abspath(given)
        if given.is_file():
            root = os.path.dirname(os.path.realpath(absolute))
            rows.setdefault(absolute, _entry(absolute, root, max_bytes))
            continue
        if not os.access(absolute, os.R_OK | os.X_OK):
            raise InputError(f"cannot list folder: {given}")
        _walk(absolute, os.path.realpath(absolute), max_bytes, rows)
    if not rows:
        return pl.DataFrame(schema=DISCOVERED_SCHEMA)
    columns = list(zip(*rows.values()))
    return pl.DataFrame(dict(zip(DISCOVERED_SCHEMA, columns)), schema=DISCOVERED_SCHEMA).sort("source_path")


def _nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NONBLOCK)


def read_files(files: pl.DataFrame) -> pl.DataFrame:
    """Add ``data`` (bytes) and ``read_error`` to a frame of discovered files."""
    data, errors = [], []
    for path, skip in files.select("source_path", "skip_reason").iter_rows():
        if skip:
            data.append(None)
            errors.append(skip)
            continue
        try:
            with open(path, "rb", opener=_nonblocking) as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    data.append(None)  # replaced by a FIFO or device since discovery
                    errors.append("not_regular_file")
                    continue
                data.append(handle.read())
            errors.append(None)
        except FileNotFoundError:
            data.append(None)
            errors.append("vanished")
        except OSError as exc:
            data.append(None)
            errors.append(f"unreadable:{exc.strerror or type(exc).__name__}")
    return files.with_columns(pl.Series("data", data, dtype=pl.Binary), pl.Series("read_error", errors, dtype=pl.String))
