"""A checkout's data folder made ready for its first run (``make run``, ``make eval`` and
``make bench`` call it; ``python -m flows.prepare``): Prefect's database migrated, and
the tables the transforms build from hazm's lists kept on disk (core/tables.py).

A first run does both itself, but in the processes that then carry its work: the
temporary server that migrated the database holds ~70 MB more for the whole run, and
every pool worker builds the tables at the same time (docs/scaling.md, twenty-seventh
session). Done here once, before any run, the first run is like every later one. Each
step is skipped when it is already done; called again it still reads the tables back (a
few seconds), so the Makefile calls it only when the venv or the code changed.
"""

from __future__ import annotations

import sys


def prepare() -> list[str]:
    """Migrate Prefect's database (the one a run's temporary server uses) and build the
    transforms' tables, each only when it is not done already; what was done."""
    from flows import runtime

    runtime.configure()
    done = []
    if runtime.user_api_url() is None and not runtime.prefect_db_is_current(runtime.prefect_home()):
        # A temporary server's start is what migrates, as in a run; the stamp it leaves
        # lets the next start skip the check (runtime.record_prefect_db).
        server = runtime.TemporaryPrefectServer()
        server.start()
        try:
            server.wait_ready()
        finally:
            server.stop()
        runtime.record_prefect_db()
        done.append("Prefect's database migrated")
    if _build_tables():
        done.append("the transforms' tables built")
    return done


def _build_tables() -> bool:
    """Build the tables a pool worker reads into the run's table cache; False when they
    were all there."""
    from core import tables
    from flows.settings import settings

    directory = settings().table_cache
    directory.mkdir(parents=True, exist_ok=True)
    before = {path.name for path in directory.iterdir()}
    tables.use_directory(directory)
    from flows.batch import prepare_transforms

    prepare_transforms()
    return {path.name for path in directory.iterdir()} != before


def main() -> int:
    try:
        done = prepare()
    except Exception as exc:  # a clear line: make stops on the status
        print(f"tamas prepare: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    if done:
        print("tamas prepare: " + "; ".join(done))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
