"""The input's listing, with the standard library only: a stat per file, no rule of
Tamas's. flows/files.py turns these rows into the discovery frame (``discover_files``);
a run's head start lists in a child process that runs ``main`` (``discover_in_child``), so
that the listing's Python work runs on another core while the run imports Prefect
(flows/early.py). Nothing here may import polars, DuckDB or the project's other modules:
the child starts without them.
"""

from __future__ import annotations

import os
import pickle
import stat
import sys

from flows.child import die_with_parent

# What a child that cannot list one of the given paths exits with (its message on stderr).
EXIT_INPUT_ERROR = 3


class InputError(Exception):
    """The run cannot start: a path the user gave does not exist or cannot be listed."""


def _entry(path: str, root: str, entry: os.DirEntry | None = None) -> tuple:
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
    return (path, st.st_size, st.st_mtime_ns, None, target)


def _walk(top: str, root: str, rows: dict[str, tuple]) -> None:
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
                rows[entry.path] = _entry(entry.path, root, entry)
        stack.extend(reversed(folders))


def list_files(paths: list[str]) -> list[tuple]:
    """A row per file under the given files and folders (recursive), in the order found:
    (source_path, size_bytes, mtime_ns, skip_reason, link_target).

    Hidden files and folders (name starting with '.') are not article input and are not
    listed. Symbolic links are not followed out of the folder they were found in.
    """
    rows: dict[str, tuple] = {}
    for given in paths:
        if not os.path.exists(given) and not os.path.islink(given):
            raise InputError(f"no such file or folder: {given}")
        absolute = os.path.abspath(given)
        if os.path.isfile(given):
            root = os.path.dirname(os.path.realpath(absolute))
            rows.setdefault(absolute, _entry(absolute, root))
            continue
        try:
            _walk(absolute, os.path.realpath(absolute), rows)
        except OSError as exc:
            raise InputError(f"cannot list folder: {given} ({exc.strerror or type(exc).__name__})") from None
    return list(rows.values())


def main(argv: list[str]) -> int:
    """The child's side (``<parent pid> <path>...``): ``list_files`` pickled to stdout,
    or an InputError's message. Killed with the run, whichever way it ends."""
    parent, paths = int(argv[0]), argv[1:]
    die_with_parent(parent)
    try:
        rows = list_files(paths)
    except InputError as exc:
        sys.stderr.write(str(exc))
        return EXIT_INPUT_ERROR
    sys.stdout.buffer.write(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
    return 0

