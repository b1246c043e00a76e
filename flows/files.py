"""File-system side of ingestion: find article files and read their bytes.

Discovery only stats files, so that unchanged files (same path, size and mtime as when
they were last loaded) are skipped without ever being opened.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import pickle
import stat
import subprocess
import sys
import threading
from pathlib import Path

import polars as pl

from flows.walk import EXIT_INPUT_ERROR, InputError, list_files
from transforms.formats import streams

DISCOVERED_SCHEMA = {
    "source_path": pl.String,
    "size_bytes": pl.Int64,
    "mtime_ns": pl.Int64,
    "skip_reason": pl.String,  # set when the file must be rejected without reading
    "link_target": pl.String,  # a symbolic link inside the root: its target at discovery
}

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def discover_files(paths: list[str | Path], max_bytes: int = DEFAULT_MAX_BYTES) -> pl.DataFrame:
    """Every regular file under the given files and folders (recursive), with its stat
    (flows/walk.py ``list_files``: hidden entries skipped, links not followed out)."""
    return discovery_frame(list_files([str(p) for p in paths]), max_bytes)


def discover_in_child(paths: list[str | Path], max_bytes: int = DEFAULT_MAX_BYTES,
                      stop: threading.Event | None = None) -> pl.DataFrame:
    """``discover_files``, the listing made by a child process (flows/walk.py ``main``)
    that imports nothing but the standard library: at 100,000 files its Python work then
    runs on another core, not against this process's imports for the GIL. ``stop``, once
    set, kills the child (``RuntimeError``)."""
    code = ("import sys; sys.path.append(sys.argv[1]); from flows.walk import main; "
            "raise SystemExit(main(sys.argv[2:]))")
    project = str(Path(__file__).resolve().parent.parent)
    # The child decodes file names as this process does (-I would drop PYTHONUTF8).
    utf8 = ["-X", "utf8"] if sys.flags.utf8_mode else []
    # Started by a thread that waits for it: PR_SET_PDEATHSIG (flows/child.py) then ends it with this process.
    child = subprocess.Popen([sys.executable, "-I", "-S", *utf8, "-c", code, project, str(os.getpid()), *map(str, paths)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while True:
        try:
            out, err = child.communicate(timeout=0.1)
            break
        except subprocess.TimeoutExpired:
            if stop is not None and stop.is_set():
                child.kill()
                child.communicate()
                raise RuntimeError("the listing was stopped") from None
    if child.returncode == EXIT_INPUT_ERROR:
        raise InputError(err.decode("utf-8", "replace"))
    if child.returncode != 0:
        raise RuntimeError(f"the listing's process exited with {child.returncode}: {err.decode('utf-8', 'replace')[-500:]}")
    return discovery_frame(pickle.loads(out), max_bytes)


def discovery_frame(rows: list[tuple], max_bytes: int) -> pl.DataFrame:
    """``list_files``'s rows as the discovery frame, sorted by path: a file over
    ``max_bytes`` is rejected unread (a .jsonl is read record by record: the limit is a
    record's, ``split_records``)."""
    if not rows:
        return pl.DataFrame(schema=DISCOVERED_SCHEMA)
    frame = pl.DataFrame(dict(zip(DISCOVERED_SCHEMA, zip(*rows))), schema=DISCOVERED_SCHEMA)
    over = frame.filter(pl.col("skip_reason").is_null() & (pl.col("size_bytes") > max_bytes))["source_path"]
    too_large = [path for path in over if not streams(path)]  # the few files over the limit only
    return frame.with_columns(
        pl.when(pl.col("source_path").is_in(too_large))
        .then(pl.format("too_large:{} bytes > " + str(max_bytes), "size_bytes"))
        .otherwise(pl.col("skip_reason"))
        .alias("skip_reason")
    ).sort("source_path")


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
        # Reads of the size the file has, not of a fixed 1 MiB: each read allocates its
        # whole buffer first, and in a pool worker two 1 MiB buffers per small file cost
        # several times the read itself.
        chunks, left, read_size = [], max_bytes + 1, max(st.st_size + 1, 1 << 16)
        while left > 0:
            chunk = os.read(fd, min(left, read_size))
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
    and mtime become those of the file as opened (what was read is what is recorded).
    A row that is a part of a .jsonl (``split_records``) reads that part's bytes only."""
    data, errors, sizes, mtimes = [], [], [], []
    columns = ("source_path", "skip_reason", "size_bytes", "mtime_ns", "link_target")
    ranges = files.select(*(pl.col(c) if c in files.columns else pl.lit(None).alias(c) for c in ("part_start", "part_end")))
    for (path, skip, size, mtime, link_target), (start, end) in zip(files.select(columns).iter_rows(), ranges.iter_rows()):
        if skip:
            data.append(None)
            errors.append(skip)
            sizes.append(size)
            mtimes.append(mtime)
            continue
        if start is not None:
            content, error, opened_size, opened_mtime = read_part(path, start, end, size, mtime, link_target)
        else:
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


# ---------------------------------------------------------------- .jsonl, record by record
#
# A .jsonl bigger than a part is cut into parts at line ends, each a row of its own, so
# that batches are cut by records: a big file keeps every worker busy and each holds a
# part at a time, never the file. The cutting reads the file once in the flow's process
# (1 MB at a time, hashing it as it goes); a record over the size limit is left out of
# every part and named in the file's outcome.

_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
PART_RECORDS = 64  # lines per part: a part weighs what a small file does in a batch
PART_BYTES = 1 << 20

PART_COLUMNS = {
    "part_start": pl.Int64,  # byte range of the part; null for a file read whole
    "part_end": pl.Int64,
    "first_line": pl.Int64,  # number of the part's first line in the file
    "part_index": pl.Int32,
    "part_count": pl.Int32,  # parts of the file: its outcome is whole when all are in
    "part_note": pl.String,  # records left out for their size (on the file's first part)
    "file_sha256": pl.String,  # SHA-256 of the whole file
    "weight": pl.Int64,  # lines in the row (1 for a file read whole): what batches are cut by
}


def split_jsonl(path: str, max_bytes: int, link_target: str | None = None) -> tuple[list[tuple], str | None, list[str], int, int, str | None]:
    """(parts as (start, end, first_line, lines), sha256, notes on records over
    ``max_bytes``, size, mtime, error) of one .jsonl, read once in 1 MB chunks."""
    fd, error = _open(path, link_target)
    if error:
        return [], None, [], None, None, error
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return [], None, [], None, None, "not_regular_file"
        sha = hashlib.sha256()
        parts, notes = [], []
        part_start, part_first, part_lines = 0, 1, 0
        line_start, line_number, position = 0, 1, 0

        def end_line(end: int) -> None:  # the line [line_start, end) ends (end: after its "\n")
            nonlocal part_start, part_first, part_lines, line_start, line_number
            if end - line_start > max_bytes:  # left out: close the part before it
                if part_lines:
                    parts.append((part_start, line_start, part_first, part_lines))
                notes.append(f"line {line_number}: too_large:{end - line_start} bytes > {max_bytes}")
                part_start, part_first, part_lines = end, line_number + 1, 0
            else:
                part_lines += 1
                if part_lines >= PART_RECORDS or end - part_start >= PART_BYTES:
                    parts.append((part_start, end, part_first, part_lines))
                    part_start, part_first, part_lines = end, line_number + 1, 0
            line_start, line_number = end, line_number + 1

        while chunk := os.read(fd, 1 << 20):
            if position == 0 and chunk.startswith(_WIDE_BOMS):
                # UTF-16/32: a "\n" byte is half a character, no place to cut. Read whole.
                if st.st_size > max_bytes:
                    return [], None, [], None, None, f"too_large:{st.st_size} bytes > {max_bytes} (UTF-16/32: read whole)"
                sha.update(chunk)
                while more := os.read(fd, 1 << 20):
                    sha.update(more)
                    chunk += more
                return [(0, len(chunk), 1, chunk.count(b"\n") + 1)], sha.hexdigest(), [], len(chunk), st.st_mtime_ns, None
            sha.update(chunk)
            found = chunk.find(b"\n")
            while found >= 0:
                end_line(position + found + 1)
                found = chunk.find(b"\n", found + 1)
            position += len(chunk)
        if position > line_start:  # a last line without "\n"
            end_line(position)
        if part_lines:
            parts.append((part_start, line_start, part_first, part_lines))
        return parts, sha.hexdigest(), notes, position, st.st_mtime_ns, None
    except OSError as exc:
        return [], None, [], None, None, f"unreadable:{exc.strerror or type(exc).__name__}"
    finally:
        os.close(fd)


def split_records(files: pl.DataFrame, max_bytes: int = DEFAULT_MAX_BYTES) -> pl.DataFrame:
    """``files`` with each .jsonl bigger than a part (or than ``max_bytes``) replaced by
    one row per part (PART_COLUMNS); other rows get nulls and a weight of 1."""
    rows = []
    base = [c for c in files.columns if c not in PART_COLUMNS]
    for row in files.select(base).iter_rows(named=True):
        size = row["size_bytes"]
        if row["skip_reason"] or size is None or size <= min(PART_BYTES, max_bytes) or not streams(row["source_path"]):
            rows.append({**row, "weight": 1})
            continue
        parts, sha, notes, size, mtime, error = split_jsonl(row["source_path"], max_bytes, row["link_target"])
        if error or not parts:
            over = f"too_large:every record is above {max_bytes} bytes ({notes[0]})" if notes else "empty_file"
            rows.append({**row, "skip_reason": error or over, "weight": 1})
            continue
        for index, (start, end, first_line, lines) in enumerate(parts):
            rows.append({
                **row, "size_bytes": size, "mtime_ns": mtime, "part_start": start, "part_end": end,
                "first_line": first_line, "part_index": index, "part_count": len(parts),
                "part_note": "; ".join(notes) if notes and index == 0 else None, "file_sha256": sha, "weight": lines,
            })
    schema = {**files.select(base).schema, **PART_COLUMNS}
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)


# A batch also holds at most this many bytes of input (one row at least): a batch of
# 2,048 long articles held ~130 MB in a worker, and a few batches are in flight at once.
MAX_BATCH_BYTES = 3 * 1024 * 1024


def batches_by_weight(frame: pl.DataFrame, size: int, max_bytes: int = MAX_BATCH_BYTES,
                      finish_together: int = 1, min_size: int = 1):
    """Consecutive slices of ``frame`` of about ``size`` in weight (lines; a file read
    whole weighs 1): a batch of parts holds as many records as a batch of files; and of
    at most ``max_bytes`` of input (a part's byte range, a file's size). A file rejected
    without reading (``skip_reason``) weighs no bytes: it is never read.

    ``finish_together``: the number of workers that share the batches. The last batches
    shrink (to a weight of a ``2 * finish_together``-th of what is left, at least
    ``min_size``), so the workers end close together: with equal batches, one worker
    could spend the last batch's whole time alone while the others wait."""
    n = frame.height
    weights = frame["weight"].to_list() if "weight" in frame.columns else [1] * n
    left = sum(weights)

    def target() -> int:
        if finish_together <= 1:
            return size
        wanted = min(size, max(min_size, -(-left // (2 * finish_together))))
        return left if left - wanted < min_size else wanted     # no last batch smaller than min_size

    if "part_start" in frame.columns:
        read_bytes = pl.coalesce(pl.col("part_end") - pl.col("part_start"), pl.col("size_bytes"), 0)
    elif "size_bytes" in frame.columns:
        read_bytes = pl.col("size_bytes").fill_null(0)
    else:
        read_bytes = pl.lit(0)
    if "skip_reason" in frame.columns:
        read_bytes = pl.when(pl.col("skip_reason").is_null()).then(read_bytes).otherwise(0)
    sizes = frame.with_columns(read_bytes.alias("_read_bytes"))["_read_bytes"].to_list()
    start, total, nbytes, wanted = 0, 0, 0, target()
    for index, (weight, size_of) in enumerate(zip(weights, sizes)):
        if index > start and nbytes + size_of > max_bytes:
            yield frame.slice(start, index - start)
            left -= total
            start, total, nbytes, wanted = index, 0, 0, target()
        total += weight
        nbytes += size_of
        if total >= wanted:
            yield frame.slice(start, index + 1 - start)
            left -= total
            start, total, nbytes, wanted = index + 1, 0, 0, target()
    if start < n:
        yield frame.slice(start)


def _open(path: str, link_target: str | None) -> tuple[int | None, str | None]:
    """A descriptor of the file, opened as ``read_one`` opens it, or the reason it was not."""
    target = path
    if link_target is not None:
        if os.path.realpath(path) != link_target:
            return None, "unreadable:symbolic link changed after discovery (not followed)"
        target = link_target
    try:
        return os.open(target, _OPEN_FLAGS), None
    except FileNotFoundError:
        return None, "vanished"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "unreadable:became a symbolic link after discovery (not followed)"
        return None, f"unreadable:{exc.strerror or type(exc).__name__}"


def read_part(path: str, start: int, end: int, size: int, mtime: int, link_target: str | None = None):
    """(data, reject reason, size, mtime) of bytes [start, end) of a .jsonl, if the file
    is still the one that was cut into parts (same size and mtime)."""
    fd, error = _open(path, link_target)
    if error:
        return None, error, None, None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, "not_regular_file", None, None
        if (st.st_size, st.st_mtime_ns) != (size, mtime):
            # Its line ends may have moved: the next run cuts it again.
            return None, "unreadable:changed after it was cut into parts", st.st_size, st.st_mtime_ns
        return os.pread(fd, end - start, start), None, size, mtime
    except OSError as exc:
        return None, f"unreadable:{exc.strerror or type(exc).__name__}", None, None
    finally:
        os.close(fd)
