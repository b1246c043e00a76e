"""Every setting Tamas reads from its environment, in one place (``TAMAS_`` prefix).

A run reads them when it starts (``settings()``), so a changed environment takes effect
on the next run; the CLI's options override them. A setting left unset keeps the
default of the module it tunes, which says why it is what it is. Only the flow's own
process reads them: the warehouse layer and the pool workers get theirs as arguments
(``store.configure_memory``, ``lake.resolve_options``, ``transform_batch(seconds=)``).
Prefect's own variables (``PREFECT_*``) stay Prefect's, set before Prefect is imported
(flows/runtime.py).
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from core import compiled


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TAMAS_", env_ignore_empty=True, extra="ignore")

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


def settings() -> Settings:
    """The settings as the environment gives them now."""
    return Settings()
