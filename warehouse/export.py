"""``tamas export``: the facts, dimensions and analyst views as Parquet or CSV files,
one file per table or view, for tools that don't speak DuckDB.

Read-only (``store.connect_readonly``), so it can run while an ingest is loading.
CSV files have a header row, UTF-8, and lists written as DuckDB prints them
(``[a, b]``); Parquet keeps the types (lists, dates) as they are.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

FORMATS = {"parquet": "(FORMAT parquet, COMPRESSION zstd)", "csv": "(FORMAT csv, HEADER true)"}


def exported_objects(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Dimensions (dim_*, official_role), facts (fact_call and its call_* tables,
    statement) and the marts views (v_*)."""
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal ORDER BY table_name"
        ).fetchall()
    ]
    views = [
        r[0]
        for r in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal"
            " AND view_name LIKE 'v\\_%' ESCAPE '\\' ORDER BY view_name"
        ).fetchall()
    ]
    wanted = [
        t for t in tables
        if t.startswith(("dim_", "fact_", "call_")) or t in ("official_role", "statement")
    ]
    return wanted + views


def export(con: duckdb.DuckDBPyConnection, directory: Path, fmt: str) -> list[tuple[str, Path, int]]:
    """Write every exported object to ``directory/<name>.<fmt>``; returns (name, file, rows)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: parquet or csv")
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in exported_objects(con):
        target = directory / f"{name}.{fmt}"
        path = str(target).replace("'", "''")
        con.execute(f"COPY (SELECT * FROM {name}) TO '{path}' {FORMATS[fmt]}")
        rows = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        written.append((name, target, rows))
    return written
