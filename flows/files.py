"""File-system side of ingestion: find article files and read their bytes.

Discovery only stats files, so that unchanged files (same path, size and mtime as when
they were last loaded) are skipped without ever being opened.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import polars as pl

DISCOVERED_SCHEMA = {
    "source_path": pl.String,
    "size_bytes": pl.Int64,
    "mtime_ns": pl.Int64,
    "skip_reason": pl.String,  # set when the file must be rejected without reading
    "link_target": pl.String,  # a symbolic link inside the root: its target at discovery
}

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


class InputError(Exception):
    """The run cannot start: a path the user gave does not exist or cannot be listed."""


def _entry(path: str, root: str, max_bytes: int, entry: os.DirEntry | None = None) -> tuple:
    """(source_path, size_bytes, mtime_ns, skip_reason, link_target) of one file. ``entry``, when the
    file came from a folder listing, saves a system call: its type is already known."""
    is_link = entry.is_symlink() if entry is not None else os.path.islink(path)
    target = None
    if is_link:
        target = os.path.realpath(path)
        if os.path.commonpath([target, root]) != root:
            return (path, None, None, "symlink_outside_root", None)
    try:
        st = entry.stat() if entry is not None else os.stat(path)
    except FileNotFoundError:
        # A link whose target does not exist, or a file removed while listing.
        return (path, None, None, "dangling_symlink" if os.path.islink(path) else "vanished", None)
    except OSError as exc:  # e.g. ELOOP: a symbolic link loop
        return (path, None, None, f"unreadable:{exc.strerror or type(exc).__name__}", None)
    if not stat.S_ISREG(st.st_mode):
        # A FIFO would block the reader forever, a device could be endless: never opened.
        return (path, None, None, "not_regular_file", None)
    too_large = f"too_large:{st.st_size} bytes > {max_bytes}" if st.st_size > max_bytes else None
    return (path, st.st_size, st.st_mtime_ns, too_large, target)


def _walk(top: str, root: str, max_bytes: int, rows: dict[str, tuple]) -> None:
    """Every file under ``top``, by one ``scandir`` per folder (a stat per file, not two),
    with an explicit stack: a tree of any depth, no recursion limit. Hidden entries are
    skipped. A folder that cannot be listed and a symbolic link to a folder (never
    followed) each get a row of their own, so that every path is accounted for."""
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted((e for e in listing if not e.name.startswith(".")), key=lambda e: e.name)
        except OSError as exc:
            if folder != top:
                rows[folder] = (folder, None, None, f"unreadable:{exc.strerror or type(exc).__name__}", None)
                continue
            raise
        folders = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir and entry.is_symlink():
                outside = os.path.commonpath([os.path.realpath(entry.path), root]) != root
                rows[entry.path] = (entry.path, None, None, "symlink_outside_root" if outside else "directory_symlink", None)
            elif is_dir:
                folders.append(entry.path)
            elif entry.path not in rows:
                rows[entry.path] = _entry(entry.path, root, max_bytes, entry)
        stack.extend(reversed(folders))


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
        try:
            _walk(absolute, os.path.realpath(absolute), max_bytes, rows)
        except OSError as exc:
            raise InputError(f"cannot list folder: {given} ({exc.strerror or type(exc).__name__})") from None
    if not rows:
        return pl.DataFrame(schema=DISCOVERED_SCHEMA)
    columns = list(zip(*rows.values()))
    return pl.DataFrame(dict(zip(DISCOVERED_SCHEMA, columns)), schema=DISCOVERED_SCHEMA).sort("source_path")


# The file is opened without following a symbolic link (O_NOFOLLOW: one swapped in
# after discovery fails with ELOOP) and without blocking (a FIFO swapped in).
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def read_one(path: str, max_bytes: int, link_target: str | None = None) -> tuple[bytes | None, str | None, int | None, int | None]:
    """(data, reject reason, size, mtime) of one file, checked again after opening: still
    a regular file, still within ``max_bytes``. Reads at most ``max_bytes`` + 1 bytes, so
    a file that grew after discovery costs no more memory than the limit. A symbolic link
    found inside the root is opened at the target it had then, if it still has it."""
    target = path
    if link_target is not None:
        if os.path.realpath(path) != link_target:
            return None, "unreadable:symbolic link changed after discovery (not followed)", None, None
        target = link_target
    try:
        fd = os.open(target, _OPEN_FLAGS)
    except FileNotFoundError:
        return None, "vanished", None, None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "unreadable:became a symbolic link after discovery (not followed)", None, None
        return None, f"unreadable:{exc.strerror or type(exc).__name__}", None, None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, "not_regular_file", None, None  # replaced by a FIFO or device since discovery
        if st.st_size > max_bytes:
            return None, f"too_large:{st.st_size} bytes > {max_bytes}", st.st_size, st.st_mtime_ns
        chunks, left = [], max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > max_bytes:  # grew while being read
            return None, f"too_large:more than {max_bytes} bytes when read", st.st_size, st.st_mtime_ns
        return data, None, st.st_size, st.st_mtime_ns
    except OSError as exc:
        return None, f"unreadable:{exc.strerror or type(exc).__name__}", None, None
    finally:
        os.close(fd)


def read_files(files: pl.DataFrame, max_bytes: int = DEFAULT_MAX_BYTES) -> pl.DataFrame:
    """Add ``data`` (bytes) and ``read_error`` to a frame of discovered files; the size
    and mtime become those of the file as opened (what was read is what is recorded)."""
    data, errors, sizes, mtimes = [], [], [], []
    columns = ("source_path", "skip_reason", "size_bytes", "mtime_ns", "link_target")
    for path, skip, size, mtime, link_target in files.select(columns).iter_rows():
        if skip:
            data.append(None)
            errors.append(skip)
            sizes.append(size)
            mtimes.append(mtime)
            continue
        content, error, opened_size, opened_mtime = read_one(path, max_bytes, link_target)
        data.append(content)
        errors.append(error)
        sizes.append(opened_size if opened_size is not None else size)
        mtimes.append(opened_mtime if opened_mtime is not None else mtime)
    return files.with_columns(
        pl.Series("data", data, dtype=pl.Binary),
        pl.Series("read_error", errors, dtype=pl.String),
        pl.Series("size_bytes", sizes, dtype=pl.Int64),
        pl.Series("mtime_ns", mtimes, dtype=pl.Int64),
    )
