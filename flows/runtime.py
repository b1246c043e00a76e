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
