"""The warehouse contract, ``warehouse/contract.yml``, read and turned into SQL.

The YAML file is the one place where a table's or view's columns, types, descriptions,
keys, accepted values and relationships are written. From it come:

- the tables' DDL (``create_table_sql``; the DuckLake form without the PRIMARY KEY and
  CHECK constraints DuckLake does not support) and the columns an older warehouse lacks
  (``missing_columns_sql``);
- the ``COMMENT ON`` statements of every table, view and column (``comment_sql``);
- the data dictionary, docs/warehouse.md (warehouse/docs.py);
- the post-load checks (warehouse/checks.py).

The views' SQL stays in warehouse/sql/views (it is logic, not a declaration); the
contract describes their columns, and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

CONTRACT_PATH = Path(__file__).resolve().parent / "contract.yml"

# Every key the file may use: a misspelt key ("not_nul") is an error, not a silently
# dropped rule.
_RELATION_KEYS = {"description", "columns", "unique_key", "key_constraint"}
_COLUMN_KEYS = {"type", "description", "like", "not_null", "default", "accepted_values", "references", "compression"}


class ContractError(ValueError):
    """contract.yml is malformed or contradicts itself."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    not_null: bool = False
    default: str | None = None
    accepted_values: tuple[str, ...] = ()
    references: tuple[str, str] | None = None  # (table, column)
    compression: str | None = None  # DuckDB's compression for the file warehouse's column


@dataclass(frozen=True)
class Relation:
    name: str
    kind: str  # "table" or "view"
    description: str
    columns: tuple[Column, ...]
    unique_key: tuple[str, ...] = ()
    key_constraint: bool = False  # the key is also a DuckDB PRIMARY KEY (small tables only)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name}.{name}")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@lru_cache(maxsize=4)
def load(path: Path = CONTRACT_PATH) -> dict[str, Relation]:
    """Every table and view of the contract, by name, in file order (tables first)."""
    # libyaml's loader when PyYAML has it: the same data, ten times faster (every run reads this)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    raw = {}
    for kind in ("table", "view"):
        for name, spec in (data.get(kind + "s") or {}).items():
            if name in raw:
                raise ContractError(f"{name} is declared twice")
            unknown = set(spec) - _RELATION_KEYS
            if unknown:
                raise ContractError(f"{name}: unknown keys {sorted(unknown)}")
            raw[name] = (kind, spec)
    relations = {}
    for name, (kind, spec) in raw.items():
        columns = []
        for col, cspec in (spec.get("columns") or {}).items():
            unknown = set(cspec) - _COLUMN_KEYS
            if unknown:
                raise ContractError(f"{name}.{col}: unknown keys {sorted(unknown)}")
            columns.append(_column(name, col, cspec, raw))
        if not columns or not str(spec.get("description") or "").strip():
            raise ContractError(f"{name}: needs a description and columns")
        relation = Relation(
            name=name,
            kind=kind,
            description=spec["description"].strip(),
            columns=tuple(columns),
            unique_key=tuple(spec.get("unique_key") or ()),
            key_constraint=bool(spec.get("key_constraint", False)),
        )
        for key in relation.unique_key:
            _require(relation, key, f"{name}: unique_key")
        if kind == "view" and (relation.key_constraint or any(
                c.not_null or c.default or c.accepted_values or c.references for c in relation.columns)):
            raise ContractError(f"view {name}: constraints and checks are declared on tables only")
        relations[name] = relation
    for relation in relations.values():
        for column in relation.columns:
            if column.references:
                table, target = column.references
                if table not in relations or relations[table].kind != "table":
                    raise ContractError(f"{relation.name}.{column.name} references unknown table {table}")
                _require(relations[table], target, f"{relation.name}.{column.name} references")
    return relations


def _require(relation: Relation, column: str, what: str) -> None:
    if column not in {c.name for c in relation.columns}:
        raise ContractError(f"{what} {relation.name}.{column}, which is not declared")


def _column(table: str, name: str, spec: dict, raw: dict) -> Column:
    description = spec.get("description")
    like = spec.get("like")
    if like is not None:
        # "like: stg_call_dated": the same column as there, so the same words: a column one
        # view passes through from another is described once.
        if description is not None:
            raise ContractError(f"{table}.{name}: give either description or like, not both")
        seen = {table}
        while like is not None:  # a chain (v_calls -> stg_call_dated -> fact_call) ends in words
            if like not in raw or like in seen:
                raise ContractError(f"{table}.{name}: like names unknown or circular {like}")
            seen.add(like)
            source = (raw[like][1].get("columns") or {}).get(name)
            if source is None:
                raise ContractError(f"{table}.{name}: {like} has no column {name}")
            description, like = source.get("description"), source.get("like")
    if not str(description or "").strip() or not spec.get("type"):
        raise ContractError(f"{table}.{name}: needs a type and a description")
    references = spec.get("references")
    if references is not None:
        parts = str(references).split(".")
        if len(parts) != 2:
            raise ContractError(f"{table}.{name}: references must be table.column")
        references = (parts[0], parts[1])
    default = spec.get("default")
    return Column(
        name=name,
        type=str(spec["type"]),
        description=str(description).strip(),
        not_null=bool(spec.get("not_null", False)),
        default=None if default is None else str(default),
        accepted_values=tuple(str(v) for v in spec.get("accepted_values") or ()),
        references=references,
        compression=spec.get("compression"),
    )


def tables(path: Path = CONTRACT_PATH) -> list[Relation]:
    return [r for r in load(path).values() if r.kind == "table"]


def views(path: Path = CONTRACT_PATH) -> list[Relation]:
    return [r for r in load(path).values() if r.kind == "view"]


def create_table_sql(table: Relation, constraints: bool = True) -> str:
    """``CREATE TABLE IF NOT EXISTS`` for a contract table. ``constraints=False`` leaves out
    the PRIMARY KEY and CHECK constraints (DuckLake has neither; the post-load checks
    hold the lake to the same rules) and the columns' compression (DuckLake writes
    Parquet). NOT NULL stays: DuckLake enforces it."""
    lines = []
    for column in table.columns:
        line = f"    {column.name} {column.type}"
        if column.not_null:
            line += " NOT NULL"
        if constraints and column.compression:
            line += f" USING COMPRESSION {column.compression}"
        if constraints and table.key_constraint and table.unique_key == (column.name,):
            line += " PRIMARY KEY"
        if column.default is not None:
            line += f" DEFAULT {column.default}"
        if constraints and column.accepted_values:
            line += f" CHECK ({column.name} IN ({', '.join(_quote(v) for v in column.accepted_values)}))"
        lines.append(line)
    if constraints and table.key_constraint and len(table.unique_key) > 1:
        lines.append(f"    PRIMARY KEY ({', '.join(table.unique_key)})")
    return f"CREATE TABLE IF NOT EXISTS {table.name} (\n" + ",\n".join(lines) + "\n)"


def missing_columns_sql(table: Relation, existing: list[str]) -> list[str]:
    """``ALTER TABLE ... ADD COLUMN`` for the contract columns a warehouse made by an older
    version lacks (``existing``: its column names). Only nullable columns can be added to
    rows that exist; a new NOT NULL column needs a hand-written migration."""
    statements = []
    for column in table.columns:
        if column.name in existing:
            continue
        if column.not_null and column.default is None:
            raise ContractError(f"{table.name}.{column.name} is NOT NULL without a default: it cannot be added to an existing table")
        default = f" DEFAULT {column.default}" if column.default is not None else ""
        statements.append(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {column.type}{default}")
    return statements


def comment_sql(relation: Relation, columns: bool = True) -> list[str]:
    """``COMMENT ON`` the relation and (``columns``) each of its columns. DuckLake keeps
    comments on tables and views, not on a view's columns: the lake passes False for views."""
    statements = [f"COMMENT ON {relation.kind.upper()} {relation.name} IS {_quote(relation.description)}"]
    if columns:
        statements += [
            f"COMMENT ON COLUMN {relation.name}.{c.name} IS {_quote(c.description)}" for c in relation.columns
        ]
    return statements
