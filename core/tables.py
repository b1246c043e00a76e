"""Tables built from data files, kept on disk between processes.

Cleaning and extraction start from large tables read or derived from hazm's word and
verb lists (the word list parsed, every conjugated verb form): seconds of CPU in every
process that cleans, the ingest process of a small run and each pool worker
alike. ``cached(name, sources, build)`` returns ``build()``, kept in a pickle under the
directory the flow chose (``use_directory``) and read back by later processes. A table
is found by its name, this Python and the caller's ``fingerprint`` of what it is made
from (the data files and the code that builds it), so that a change to any of them
builds it again. Without a directory (tests, scripts) every process builds its own.

The pickle is trusted as the warehouse next to it is: it lives in the run's own data
folder (``TAMAS_DATA``), which only its owner writes.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import time
from contextlib import suppress
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from core.collector import collector_paused

T = TypeVar("T")

KEY_LENGTH = 20
STALE_WRITE_SECONDS = 600  # far longer than any table takes to write
_directory: Path | None = None


def use_directory(directory: Path | str | None) -> None:
    """Keep tables in ``directory`` from now on in this process (None: build them)."""
    global _directory
    _directory = Path(directory) if directory is not None else None


def directory() -> Path | None:
    return _directory


def fingerprint(sources: Iterable[Path | str]) -> str:
    """SHA-256 of the files' names and bytes, in order."""
    digest = hashlib.sha256()
    for source in sources:
        digest.update(b"\0" + Path(source).name.encode() + b"\0")
        digest.update(Path(source).read_bytes())
    return digest.hexdigest()


def cached(name: str, made_from: str, build: Callable[[], T]) -> T:
    """``build()``, or what an earlier process stored for the same ``name`` and
    ``made_from`` (a ``fingerprint``). A table that is missing or cannot be read (cut
    short, foreign) is built again; one that cannot be written (a read-only folder, a
    full disk) is only not kept."""
    if _directory is None:
        return build()
    key = f"{name}\0{sys.version}\0{pickle.HIGHEST_PROTOCOL}\0{made_from}"
    path = _directory / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:KEY_LENGTH]}.pickle"
    try:
        with open(path, "rb") as handle, collector_paused():
            return pickle.load(handle)
    except Exception:
        pass
    value = build()
    _store(path, name, value)
    return value


def _store(path: Path, name: str, value) -> None:
    """Write ``value`` to ``path`` whole or not at all (a temporary file renamed into
    place: processes building at once each write their own, the last rename wins), and
    drop the tables of ``name`` built for other sources."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        for old in path.parent.glob(f"{name}-{'?' * KEY_LENGTH}.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
        # what writers killed mid-write left (a run's worker is ended at once when the run stops)
        for left in path.parent.glob(".*.tmp"):
            with suppress(FileNotFoundError):
                if time.time() - left.stat().st_mtime > STALE_WRITE_SECONDS:
                    left.unlink()
    except OSError:
        pass
