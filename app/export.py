"""``tamas export``: the facts, dimensions and analyst views as Parquet or CSV files,
one file per table or view, for tools that don't speak DuckDB.

Read-only (``store.connect_readonly``), so it can run while an ingest is loading.
CSV files have a header row, UTF-8, and lists written as DuckDB prints them
(``[a, b]``); times are written in Tehran time with their offset
(``2026-05-12 07:27:00+03:30``), beside dates that are Tehran dates. ``excel=True``
starts each CSV file with a byte order mark: Excel reads a CSV without one in the
machine's ANSI code page and shows Persian as mojibake. Parquet keeps the types (lists,
dates, instants) as they are.
"""

from __future__ import annotations

from pathlib import Path

import os
import shutil

import duckdb

BOM = "\ufeff".encode("utf-8")

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


def _prepend_bom(target: Path) -> None:
    staged = target.with_name(target.name + ".bom")
    with open(target, "rb") as source, open(staged, "wb") as out:
        out.write(BOM)
        shutil.copyfileobj(source, out, 1 << 20)
    os.replace(staged, target)


def export(con: duckdb.DuckDBPyConnection, directory: Path, fmt: str, excel: bool = False) -> list[tuple[str, Path, int]]:
    """Write every exported object to ``directory/<name>.<fmt>``; returns (name, file, rows).
    ``excel``: CSV files begin with a UTF-8 byte order mark."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: parquet or csv")
    if excel and fmt != "csv":
        raise ValueError("a byte order mark (excel) is for CSV files only")
    directory.mkdir(parents=True, exist_ok=True)
    con.execute("SET TimeZone = 'Asia/Tehran'")  # TIMESTAMPTZ as Tehran time with its offset
    written = []
    for name in exported_objects(con):
        target = directory / f"{name}.{fmt}"
        path = str(target).replace("'", "''")
        con.execute(f"COPY (SELECT * FROM {name}) TO '{path}' {FORMATS[fmt]}")
        if excel:
            _prepend_bom(target)
        rows = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        written.append((name, target, rows))
    return written
