"""How ``tamas sql`` and ``tamas search`` print a result: ``--format table|csv|json|markdown``.

- ``table``: DuckDB's own box rendering. On a terminal it fits the terminal's width (and
  says how many columns it left out); written to a pipe or a file it shows every column
  and whole values, since nothing there has a width.
- ``csv``: a header row and every row (RFC 4180 quoting, UTF-8); lists and structs as
  JSON (``["a", "b"]``), so any CSV reader gets every column back.
- ``json``: one JSON array of objects, one object a row, keys in column order; dates and
  times as ISO 8601 strings (times in Tehran time with their offset).
- ``markdown``: a GitHub table (``|`` escaped, line breaks as ``<br>``).

csv, json and markdown print every row unless ``--max-rows`` says otherwise; a table
prints 100 rows unless told (DuckDB then says how many it showed).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import shutil
import sys
import uuid
from typing import Any, Sequence

FORMATS = ("table", "csv", "json", "markdown")
TABLE_ROWS = 100


def add_format_options(parser) -> None:
    parser.add_argument(
        "--format", choices=FORMATS, default="table",
        help="table (default; every column when not printing to a terminal), csv, json or markdown",
    )
    parser.add_argument(
        "--max-rows", type=int, default=None, metavar="N",
        help=f"print at most N rows (default: {TABLE_ROWS} for a table, all otherwise)",
    )


def _plain(value: Any) -> Any:
    """A value as JSON can hold it."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _cell(value: Any) -> str:
    """A value in one CSV or Markdown cell: nested values as JSON, null as empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(_plain(value), ensure_ascii=False)
    plain = _plain(value)
    return plain if isinstance(plain, str) else json.dumps(plain)


def write_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]], out=None) -> None:
    writer = csv.writer(out or sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) for v in row])


def write_json(columns: Sequence[str], rows: Sequence[Sequence[Any]], out=None) -> None:
    records = [{c: _plain(v) for c, v in zip(columns, row)} for row in rows]
    (out or sys.stdout).write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")


def write_markdown(columns: Sequence[str], rows: Sequence[Sequence[Any]], out=None) -> None:
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")

    out = out or sys.stdout
    out.write("| " + " | ".join(escape(c) for c in columns) + " |\n")
    out.write("|" + "|".join("---" for _ in columns) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(escape(_cell(v)) for v in row) + " |\n")


def write_table(relation, max_rows: int) -> None:
    """DuckDB's box rendering of a relation: fitted to a terminal, whole in a pipe."""
    if sys.stdout.isatty():
        relation.show(max_width=shutil.get_terminal_size((200, 40)).columns, max_rows=max_rows)
    else:
        relation.show(max_width=1_000_000, max_col_width=1_000_000, max_rows=max_rows)


def print_result(con, columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, max_rows: int | None,
                 relation=None) -> None:
    """Print one result set in ``fmt``. ``relation`` (a DuckDB relation over the same
    rows) is what a table renders; without one, the rows are handed to DuckDB."""
    if fmt == "table":
        if relation is None:
            import pyarrow as pa

            table = pa.Table.from_pylist([dict(zip(columns, row)) for row in rows]) if rows else None
            relation = con.from_arrow(table) if table is not None else con.sql(
                "SELECT " + ", ".join(f"NULL AS \"{c}\"" for c in columns) + " WHERE false"
            )
        sys.stdout.flush()
        write_table(relation, max_rows if max_rows is not None else TABLE_ROWS)
        return
    if max_rows is not None:
        rows = rows[:max_rows]
    {"csv": write_csv, "json": write_json, "markdown": write_markdown}[fmt](columns, rows)


def reader_went_away() -> int:
    """The reader of our output closed it (``tamas sql ... | head``): stop quietly, as
    grep and cat do, with no traceback and no second error when Python flushes stdout."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0


def duckdb_message(exc: Exception) -> str:
    """DuckDB's error as DuckDB words it, hints included ("Did you mean "v_calls"?"),
    and the caret line under the query; trailing blank lines dropped."""
    return str(exc).rstrip()
