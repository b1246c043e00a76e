"""Process settings that must be in place before Prefect is imported.

Prefect reads its settings from the environment at import time, so ``configure()`` runs
first thing in the CLI. A user's explicit environment always wins (setdefault).
"""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """Everything a run generates lives here (gitignored): warehouse, Prefect home."""
    return Path(os.environ.get("TAMAS_DATA", "data")).resolve()


def default_warehouse() -> Path:
    return Path(os.environ.get("TAMAS_WAREHOUSE") or data_dir() / "tamas.duckdb")


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def prefect_home() -> Path:
    return Path(os.environ.get("PREFECT_HOME", data_dir() / "prefect"))


def configure(verbose: bool = False) -> None:
    home = data_dir() / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    defaults = {
        "PREFECT_HOME": str(home),
        # No network here, and users should see clean output: no anonymous usage
        # reporting from the temporary server, no Prefect Cloud telemetry.
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
        "DO_NOT_TRACK": "1",
        # Our own progress and summary lines say what happens; Prefect's per-task lines
        # would drown them, and a failed run is reported by the CLI as one line with the
        # full traceback written to data/logs/. --verbose brings Prefect's logs back.
        "PREFECT_LOGGING_LEVEL": "INFO" if verbose else "CRITICAL",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        # The temporary server is ours alone; give it time to start on a busy machine.
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        "PREFECT_UI_ENABLED": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    if not verbose:
        # Prefect's background services log under their class name, outside the "prefect"
        # logger that PREFECT_LOGGING_LEVEL governs: a run that ends early (another run
        # holds the warehouse) would otherwise add "EventsWorker - Still processing items".
        import logging

        for name in ("EventsWorker", "APILogWorker"):
            logging.getLogger(name).setLevel(logging.ERROR)


# ---------------------------------------------------------------- Prefect's database

_STAMP = "tamas-prefect-db.txt"


def _prefect_state(home: Path) -> str | None:
    """"<prefect version> <alembic revision>" of the temporary server's SQLite database
    under ``home``, or None when there is none (or the user points Prefect elsewhere)."""
    import sqlite3
    from importlib.metadata import version

    if os.environ.get("PREFECT_API_URL") or os.environ.get("PREFECT_SERVER_DATABASE_CONNECTION_URL") \
            or os.environ.get("PREFECT_API_DATABASE_CONNECTION_URL"):
        return None
    db = home / "prefect.db"
    if not db.exists():
        return None
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return f"{version('prefect')} {row[0]}" if row else None


def skip_known_migrations() -> None:
    """Before a run's temporary server starts: checking its schema costs ~2.5 s of its
    ~7 s start, so skip the check when this Prefect version already migrated this very
    database (``record_prefect_db``). Called by ``tamas ingest`` only, never by
    ``configure``: the setting is inherited by child processes, and one that starts a
    server on another PREFECT_HOME (a test's ``prefect server start``) must migrate."""
    if prefect_db_is_current(prefect_home()):
        os.environ.setdefault("PREFECT_SERVER_DATABASE_MIGRATE_ON_START", "false")


def prefect_db_is_current(home: Path) -> bool:
    """True when ``record_prefect_db`` saw this database migrated by this Prefect."""
    try:
        stamp = (home / _STAMP).read_text(encoding="utf-8").strip()
    except OSError:
        return False
    return stamp != "" and stamp == _prefect_state(home)


def record_prefect_db() -> None:
    """After a run that started the temporary server (which migrated its database),
    note the database's revision so the next start can skip the check."""
    home = prefect_home()
    state = _prefect_state(home)
    if state and os.environ.get("PREFECT_SERVER_DATABASE_MIGRATE_ON_START") != "false":
        (home / _STAMP).write_text(state + "\n", encoding="utf-8")
