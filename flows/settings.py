"""Every setting Tamas reads from its environment, in one place (``TAMAS_`` prefix).

A run reads them when it starts (``settings()``), so a changed environment takes effect
on the next run; the CLI's options override them. A setting left unset keeps the
default of the module it tunes, which says why it is what it is. Only the flow's own
process reads them: the warehouse layer and the pool workers get theirs as arguments
(``store.configure_memory``, ``lake.resolve_options``, ``transform_batch(seconds=)``).
Prefect's own variables (``PREFECT_*``) stay Prefect's, set before Prefect is imported
(flows/runtime.py).

Read with the standard library only: ``tamas ingest`` launches its Prefect server as
soon as it has read them, and pydantic's import (about 0.2 s) would come first. A
variable's name is matched whatever its case; an empty one counts as unset; a value
that is not of its setting's type is an error that names the variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

from core import compiled

PREFIX = "TAMAS_"


class SettingError(ValueError):
    """A TAMAS_ variable whose value is not of its setting's type."""


@dataclass(frozen=True)
class Settings:
    data: Path = Path("data")
    """Everything a run generates (gitignored): the default warehouse, Prefect's home, logs."""
    warehouse: Path | None = None
    """The warehouse file when ``--warehouse`` is not given (default: ``<data>/tamas.duckdb``)."""
    lake_data: str | None = None
    """Where a DuckLake warehouse keeps its Parquet files, when ``--lake-data`` is not given."""
    file_seconds: float | None = None
    """Each file's time budget in the transform step (default: flows/batch.py's)."""
    progress_every: float | None = None
    """Seconds between plain progress lines, not on a terminal (default: flows/progress.py's)."""
    prefect_server_keep: float = 0
    """Seconds a Prefect server that a run starts stays up after the last run using it ends,
    for the next runs to reuse (flows/runtime.py KeptPrefectServer); 0: each run starts
    its own temporary server, which ends with it. Ignored with ``PREFECT_API_URL``."""
    compiled_transforms: bool = True
    """The pool workers import the compiled copies of the transforms modules where they are
    built from the current source (core/compiled.py); false: the source only, to compare."""
    duckdb_memory: str | None = None
    """DuckDB's memory cap while a run loads (default: warehouse/store.py's MEMORY_CAPS)."""
    duckdb_rebuild_memory: str | None = None
    """... while it rebuilds the facts and ingest_file_latest at its end."""
    duckdb_index_memory: str | None = None
    """... while it builds the BM25 search index."""

    @property
    def data_dir(self) -> Path:
        return self.data.resolve()

    @property
    def table_cache(self) -> Path:
        """Where cleaning's tables built from hazm's lists are kept between processes
        (core/tables.py); deleting it only costs the next run seconds."""
        return self.data_dir / "cache"

    @property
    def workers_compiled_dir(self) -> Path | None:
        """Where the pool workers look for the compiled transforms modules (None: nowhere):
        the checkout's ``data/compiled``, whatever ``data`` is (core/compiled.py)."""
        return compiled.default_directory() if self.compiled_transforms else None

    @property
    def default_warehouse(self) -> Path:
        return self.warehouse or self.data_dir / "tamas.duckdb"

    @property
    def memory_caps(self) -> dict[str, str | None]:
        return {"load": self.duckdb_memory, "rebuild": self.duckdb_rebuild_memory, "index": self.duckdb_index_memory}


_TRUE = {"1", "true", "t", "yes", "y", "on"}
_FALSE = {"0", "false", "f", "no", "n", "off"}


def _typed(name: str, kind: str, text: str):
    """``text`` as a value of the field type ``kind`` (its annotation, as written)."""
    base = kind.replace(" | None", "")
    if base == "str":
        return text
    if base == "Path":
        return Path(text)
    if base == "float":
        try:
            return float(text)
        except ValueError:
            raise SettingError(f"{name} must be a number, not {text!r}") from None
    if base == "bool":
        if text.strip().lower() in _TRUE:
            return True
        if text.strip().lower() in _FALSE:
            return False
        raise SettingError(f"{name} must be true or false, not {text!r}")
    raise TypeError(f"no reader for a setting of type {kind}")


def settings(environ: dict[str, str] | None = None) -> Settings:
    """The settings as the environment (``os.environ``, or ``environ``) gives them now."""
    given = {key.upper(): value for key, value in (os.environ if environ is None else environ).items()
             if key.upper().startswith(PREFIX) and value != ""}
    values = {}
    for field in fields(Settings):
        name = PREFIX + field.name.upper()
        if name in given:
            values[field.name] = _typed(name, field.type, given[name])
    return Settings(**values)
