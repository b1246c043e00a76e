"""Post-load checks: the rules of warehouse/contract.yml, verified on the data.

After every rebuild, before the result is published (the file warehouse: before the
staged copy replaces the warehouse; DuckLake: inside the rebuild's transaction), each
table of the contract is checked for

- unique: no two rows share a value of its ``unique_key``;
- not null: no null in a ``not_null`` column;
- accepted values: nothing outside a column's ``accepted_values``;
- relationships: every non-null value of a ``references`` column exists in the target.

The DuckDB file enforces NOT NULL and some CHECKs itself, but not the keys of the big
tables (they carry no index, see contract.yml) nor relationships; DuckLake enforces only
NOT NULL. The same checks run on both, so the lake is held to the file's rules.
A failure raises ``ContractViolation``: the run fails and nothing it built is published.
Each check is one aggregate or anti-join query per table and rule: about 0.5 s in all on
the 2,000-article `make bench` warehouse, growing with the tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from warehouse import contract


@dataclass(frozen=True)
class Failure:
    table: str
    check: str  # unique | not_null | accepted_values | relationship
    columns: tuple[str, ...]
    rows: int  # offending rows (for unique: key values held by more than one row)
    example: object

    def __str__(self) -> str:
        what = {
            "unique": "duplicated value(s) of unique key",
            "not_null": "null(s) in",
            "accepted_values": "value(s) outside the accepted values of",
            "relationship": "value(s) missing from the referenced table in",
        }[self.check]
        return f"{self.table}: {self.rows} {what} ({', '.join(self.columns)}), e.g. {self.example!r}"


class ContractViolation(Exception):
    """The data breaks a rule of the contract."""

    def __init__(self, failures: list[Failure]):
        self.failures = failures
        super().__init__("contract checks failed: " + "; ".join(map(str, failures)))


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def run_checks(con: duckdb.DuckDBPyConnection, tables: list[contract.Relation] | None = None) -> list[Failure]:
    """Every failing check of the contract's tables (``tables``: a subset), in table order."""
    failures: list[Failure] = []
    for table in tables if tables is not None else contract.tables():
        name = _ident(table.name)
        if table.unique_key:
            key = ", ".join(_ident(c) for c in table.unique_key)
            count, example = con.execute(
                f"SELECT count(*), any_value(k) FROM (SELECT ({key}) AS k FROM {name} GROUP BY ALL HAVING count(*) > 1)"
            ).fetchone()
            if count:
                failures.append(Failure(table.name, "unique", table.unique_key, count, example))
        # Not-null and accepted-values counts of every column in one scan of the table.
        probes = []
        for column in table.columns:
            col = _ident(column.name)
            if column.not_null:
                probes.append(("not_null", column.name, f"{col} IS NULL"))
            if column.accepted_values:
                values = ", ".join(_quote(v) for v in column.accepted_values)
                probes.append(("accepted_values", column.name, f"{col} NOT IN ({values})"))
        if probes:
            selects = ", ".join(
                f"count(*) FILTER (WHERE {cond}), any_value({_ident(col)}) FILTER (WHERE {cond})"
                for _, col, cond in probes
            )
            row = con.execute(f"SELECT {selects} FROM {name}").fetchone()
            for i, (check, col, _) in enumerate(probes):
                if row[2 * i]:
                    failures.append(Failure(table.name, check, (col,), row[2 * i], row[2 * i + 1]))
        for column in table.columns:
            if column.references is None:
                continue
            target, target_column = column.references
            col = _ident(column.name)
            count, example = con.execute(
                f"SELECT count(*), any_value(x.{col}) FROM {name} AS x WHERE x.{col} IS NOT NULL"
                f" AND NOT EXISTS (SELECT 1 FROM {_ident(target)} AS r WHERE r.{_ident(target_column)} = x.{col})"
            ).fetchone()
            if count:
                failures.append(Failure(table.name, "relationship", (column.name, f"-> {target}.{target_column}"), count, example))
    return failures


def enforce(con: duckdb.DuckDBPyConnection) -> None:
    """Raise ``ContractViolation`` when any check fails."""
    failures = run_checks(con)
    if failures:
        raise ContractViolation(failures)
