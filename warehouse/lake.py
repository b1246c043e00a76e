"""The warehouse on DuckLake: a PostgreSQL catalog, Parquet data (issue 7; docs/scaling.md).

    tamas ingest PATH --warehouse 'ducklake:postgres:dbname=tamas host=db.internal' --lake-data s3-or-shared/path/

Several ingest processes, on several machines, may load the same lake at once. The file
warehouse's writer lock and staged copy (warehouse/store.py) do not apply; instead:

1. the schema is created (idempotently) in its own transaction;
2. a run's load — new articles, their staging rows, its ingest_file and ingest_run rows —
   is ONE DuckLake transaction (snapshot isolation: readers see all of it or none of it).
   These are appends only, and DuckLake commits concurrent appends without conflict;
3. the derived tables (reference dimensions, facts) are then rebuilt from all staging
   rows in a second transaction. Two runs rebuilding at once conflict — every rebuild
   first updates the one row of ``lake_writer`` so that they always do — and the loser
   retries with a fresh snapshot, which holds both runs' staging rows. The last rebuild
   to commit therefore always sees every committed load.

Deduplication is per snapshot: two runs loading the SAME article at the same moment may
both add it (they cannot see each other's uncommitted rows); runs over different inputs,
or one after another, never duplicate. Each rebuild runs the contract's checks
(warehouse/checks.py) inside its transaction, so such a duplicate fails the run that finds
it, with the key named, instead of passing silently; its rebuild is rolled back. The extensions come from the pinned
``duckdb-ext-ducklake`` / ``duckdb-ext-postgres`` wheels: nothing is downloaded.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Callable

import duckdb
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from warehouse import checks, contract, store

PREFIX = "ducklake:"
ALIAS = "lake"
RETRIES = 20


def is_lake(warehouse) -> bool:
    return str(warehouse).startswith(PREFIX)


def resolve_options(spec: str, data_path: str | None) -> tuple[str, str | None]:
    """``(spec, data path)``. A lake that exists already knows its data path (stored in
    the catalog)."""
    if not spec.startswith(PREFIX + "postgres:") and not spec.startswith(PREFIX):
        raise ValueError(f"not a DuckLake warehouse: {spec}")
    if "'" in spec:
        raise ValueError("the DuckLake spec may not contain single quotes")
    if data_path and "://" not in data_path:
        Path(data_path).mkdir(parents=True, exist_ok=True)
        data_path = str(Path(data_path).resolve()) + "/"
    return spec, data_path


def connect(spec: str, data_path: str | None = None) -> duckdb.DuckDBPyConnection:
    """A connection with the lake attached as ``lake`` and in use."""
    con = duckdb.connect(
        config={
            "extension_directory": store.extension_directory(),
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": True,
        }
    )
    con.execute("SET enable_progress_bar = false")  # a statement over 2 s drew its bar into the CLI's output
    con.execute("LOAD postgres")
    con.execute("LOAD ducklake")
    options = f" (DATA_PATH '{data_path}')" if data_path else ""
    # Two processes attaching a lake whose catalog is still empty both create DuckLake's
    # metadata tables; PostgreSQL makes the second wait for the first to commit, then
    # fails it. By then the catalog exists, so attaching again simply opens it.
    try:
        _with_retries(lambda: con.execute(f"ATTACH '{spec}' AS {ALIAS}{options}"), _initialisation_race)
    except duckdb.Error:
        con.close()
        raise
    con.execute(f"USE {ALIAS}")
    return con


def _initialisation_race(exc: Exception) -> bool:
    text = str(exc)
    return "Failed to initialize DuckLake" in text and ("already exists" in text or "duplicate key" in text)


def lake_schema_sql() -> list[str]:
    """The contract's tables as DuckLake accepts them: no primary keys or CHECK constraints
    (DuckLake has neither); the post-load checks (warehouse/checks.py) hold the lake to
    the same keys and accepted values."""
    return [contract.create_table_sql(table, constraints=False) for table in contract.tables()]


def _conflict(exc: Exception) -> bool:
    text = str(exc)
    return "conflict" in text.lower() or "already exists" in text or "Catalog write-write" in text


def _with_retries(call, transient, attempts: int = RETRIES):
    """``call()``, again after a growing random pause while it fails with an error
    ``transient`` accepts (another writer got there first), at most ``attempts`` times."""
    return Retrying(
        retry=retry_if_exception(lambda exc: isinstance(exc, duckdb.Error) and transient(exc)),
        stop=stop_after_attempt(attempts),
        # random pauses: two writers that collided do not collide again in step
        wait=wait_random_exponential(multiplier=0.1, max=3),
        reraise=True,
    )(call)


def retrying(con: duckdb.DuckDBPyConnection, work, attempts: int = RETRIES):
    """Run ``work(con)`` in a transaction; on a commit conflict roll back and retry."""

    def in_transaction():
        con.execute("BEGIN TRANSACTION")
        try:
            result = work(con)
            con.execute("COMMIT")
            return result
        except BaseException:  # a failed check too: nothing of the transaction is kept
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass
            raise

    return _with_retries(in_transaction, _conflict, attempts)


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    def create(con):
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [ALIAS]).fetchall()}
        if {"lake_writer", "dim_article", "fact_call"} <= tables:
            _add_missing_columns(con)
            return
        for script in lake_schema_sql():
            con.execute(script)
        con.execute("CREATE TABLE IF NOT EXISTS lake_writer (rebuilds BIGINT)")
        if "lake_writer" not in tables:
            con.execute("INSERT INTO lake_writer VALUES (0)")
        for path in store.sql_files("views"):
            con.execute(path.read_text(encoding="utf-8"))
        for relation in contract.load().values():
            # DuckLake keeps comments on tables and views, not on a view's columns.
            for statement in contract.comment_sql(relation, columns=relation.kind == "table"):
                con.execute(statement)

    retrying(con, create)


def _add_missing_columns(con: duckdb.DuckDBPyConnection) -> None:
    """The contract tables and columns a lake made by an older version lacks (nullable
    columns only, as for a file warehouse: ``contract.missing_columns_sql``)."""
    existing: dict[str, list[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = ?", [ALIAS]
    ).fetchall():
        existing.setdefault(table, []).append(column)
    for table in contract.tables():
        if table.name not in existing:  # a table the contract gained since
            con.execute(contract.create_table_sql(table, constraints=False))
            continue
        for statement in contract.missing_columns_sql(table, existing[table.name]):
            con.execute(statement)


@contextmanager
def session(spec: str, data_path: str | None):
    """The flow's connection: schema in place, no transaction open (the flow opens one)."""
    con = connect(spec, data_path)
    try:
        apply_schema(con)
        yield con
    finally:
        con.close()


def rebuild_derived(con: duckdb.DuckDBPyConnection, derive: Callable[[duckdb.DuckDBPyConnection], int]) -> int:
    """Reference dimensions and facts from all staging rows (``derive``, the flow's, as on a
    warehouse file), in one retried transaction; returns the number of calls."""

    def rebuild(con):
        con.execute("UPDATE lake_writer SET rebuilds = rebuilds + 1")  # serialises rebuilds
        calls = derive(con)
        # The contract's keys, accepted values and relationships, inside the transaction:
        # a breach rolls the rebuild back and fails the run.
        checks.enforce(con)
        return calls

    return retrying(con, rebuild)


def record_failure(spec: str, data_path: str | None, run_id: str, started_at: datetime, paths: list, error: str) -> None:
    try:
        con = connect(spec, data_path)
        try:
            retrying(con, lambda c: _record_failed_run(c, run_id, started_at, paths, error[:2000]))
        finally:
            con.close()
    except Exception:  # the original error matters more
        pass


def _record_failed_run(con: duckdb.DuckDBPyConnection, run_id: str, started_at: datetime, paths: list, error: str) -> None:
    """A run that fails after its load committed (its rebuild, or the rebuild's checks)
    already has its 'completed' row: that row becomes 'failed' with the error, rather than
    a second row for the run breaking ingest_run's key."""
    from warehouse import load

    if con.execute("SELECT count(*) FROM ingest_run WHERE run_id = ?", [run_id]).fetchone()[0]:
        con.execute("UPDATE ingest_run SET status = 'failed', finished_at = now(), error = ? WHERE run_id = ?", [error, run_id])
    else:
        load.record_run(con, run_id, started_at, "failed", {}, [str(p) for p in paths], error)
