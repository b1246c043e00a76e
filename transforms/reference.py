"""Reference data (gazetteers) loader.

``load_reference(directory)`` reads the CSV files under ``seeds/reference`` and returns
them as polars DataFrames in a frozen :class:`Reference`. It is a pure function of the
directory (cached per directory); nothing is fetched or written.

Files (UTF-8, header row, optional leading/inline ``#`` comment lines, lists inside a
cell separated by ``|``):

* ``countries.csv``       country_code, kind, name_en, name_fa, forms, demonyms, capitals
* ``officials.csv``       official_id, name_fa, name_en, country_code, aliases
* ``official_roles.csv``  official_id, country_code, role_code, title_fa, valid_from, valid_to
* ``titles.csv``          title_fa, role_code, needs_complement
* ``honorifics.csv``      honorific
* ``occasions.csv``       occasion_code, name_fa, cues, calendar, month, day, country_code

List columns (``forms``, ``demonyms``, ``capitals``, ``aliases``, ``cues``) are returned as
``list[str]``; dates as ``pl.Date`` (``valid_to`` null = still in office).

Validation raises ``ValueError`` naming the file and its line number for: duplicate
official_id, a role for an unknown official_id or an unknown role_code, a country_code not
in countries.csv, ``valid_from > valid_to``, malformed dates and missing columns.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from core.seeds import LINE, REFERENCE_DIR, fail, read_csv

DEFAULT_DIR = REFERENCE_DIR

COLUMNS: dict[str, list[str]] = {
    "countries.csv": ["country_code", "kind", "name_en", "name_fa", "forms", "demonyms", "capitals"],
    "officials.csv": ["official_id", "name_fa", "name_en", "country_code", "aliases"],
    "official_roles.csv": ["official_id", "country_code", "role_code", "title_fa", "valid_from", "valid_to"],
    "titles.csv": ["title_fa", "role_code", "needs_complement"],
    "honorifics.csv": ["honorific"],
    "occasions.csv": ["occasion_code", "name_fa", "cues", "calendar", "month", "day", "country_code"],
}
CALENDARS = {"jalali", "hijri", "gregorian"}
KINDS = {"country", "org"}


@dataclass(frozen=True)
class Reference:
    countries: pl.DataFrame
    officials: pl.DataFrame
    official_roles: pl.DataFrame
    titles: pl.DataFrame
    honorifics: pl.DataFrame
    occasions: pl.DataFrame


Row = tuple[int, dict[str, str]]  # (1-based line number in the file, row)


def _read_csv(path: Path) -> list[Row]:
    """The rows of a reference CSV (core/seeds.py: comment lines skipped, the file's own
    line numbers kept, cells stripped; a missing column or a short row is an error)."""
    return [(row.pop(LINE), row) for row in read_csv(path, COLUMNS[path.name]).iter_rows(named=True)]


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split("|") if p.strip()]


def _date(path: Path, lineno: int, col: str, value: str, required: bool) -> dt.date | None:
    if not value:
        if required:
            fail(path, lineno, f"{col} is empty")
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(path, lineno, f"{col}={value!r} is not an ISO date (YYYY-MM-DD)")
    return None  # unreachable


def _frame(rows: list[dict], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


@functools.lru_cache(maxsize=8)
def _load(directory: Path) -> Reference:
    d = directory

    # countries
    p = d / "countries.csv"
    countries: list[dict] = []
    codes: set[str] = set()
    for lineno, r in _read_csv(p):
        code = r["country_code"]
        if not code:
            fail(p, lineno, "empty country_code")
        if code in codes:
            fail(p, lineno, f"duplicate country_code {code!r}")
        if r["kind"] not in KINDS:
            fail(p, lineno, f"kind={r['kind']!r} not in {sorted(KINDS)}")
        codes.add(code)
        countries.append(
            {
                "country_code": code,
                "kind": r["kind"],
                "name_en": r["name_en"],
                "name_fa": r["name_fa"],
                "forms": _split(r["forms"]),
                "demonyms": _split(r["demonyms"]),
                "capitals": _split(r["capitals"]),
            }
        )

    # titles
    p = d / "titles.csv"
    titles: list[dict] = []
    seen_titles: set[str] = set()
    for lineno, r in _read_csv(p):
        if not r["title_fa"] or not r["role_code"]:
            fail(p, lineno, "empty title_fa or role_code")
        if r["title_fa"] in seen_titles:
            fail(p, lineno, f"duplicate title_fa {r['title_fa']!r}")
        if r["needs_complement"] not in {"0", "1"}:
            fail(p, lineno, f"needs_complement={r['needs_complement']!r} must be 0 or 1")
        seen_titles.add(r["title_fa"])
        titles.append(
            {"title_fa": r["title_fa"], "role_code": r["role_code"], "needs_complement": r["needs_complement"] == "1"}
        )
    role_codes = {t["role_code"] for t in titles}

    # honorifics
    p = d / "honorifics.csv"
    honorifics = [{"honorific": r["honorific"]} for _, r in _read_csv(p) if r["honorific"]]

    # officials
    p = d / "officials.csv"
    officials: list[dict] = []
    ids: set[str] = set()
    for lineno, r in _read_csv(p):
        oid = r["official_id"]
        if not oid or not r["name_fa"]:
            fail(p, lineno, "empty official_id or name_fa")
        if oid in ids:
            fail(p, lineno, f"duplicate official_id {oid!r}")
        if r["country_code"] not in codes:
            fail(p, lineno, f"country_code {r['country_code']!r} not in countries.csv")
        ids.add(oid)
        officials.append(
            {
                "official_id": oid,
                "name_fa": r["name_fa"],
                "name_en": r["name_en"] or None,
                "country_code": r["country_code"],
                "aliases": _split(r["aliases"]),
            }
        )

    # official_roles
    p = d / "official_roles.csv"
    roles: list[dict] = []
    for lineno, r in _read_csv(p):
        if r["official_id"] not in ids:
            fail(p, lineno, f"unknown official_id {r['official_id']!r} (not in officials.csv)")
        if r["role_code"] not in role_codes:
            fail(p, lineno, f"unknown role_code {r['role_code']!r} (not in titles.csv)")
        if r["country_code"] not in codes:
            fail(p, lineno, f"country_code {r['country_code']!r} not in countries.csv")
        start = _date(p, lineno, "valid_from", r["valid_from"], required=True)
        end = _date(p, lineno, "valid_to", r["valid_to"], required=False)
        if end is not None and start is not None and start > end:
            fail(p, lineno, f"valid_from {start} > valid_to {end}")
        roles.append(
            {
                "official_id": r["official_id"],
                "country_code": r["country_code"],
                "role_code": r["role_code"],
                "title_fa": r["title_fa"],
                "valid_from": start,
                "valid_to": end,
            }
        )

    # occasions
    p = d / "occasions.csv"
    occasions: list[dict] = []
    for lineno, r in _read_csv(p):
        if r["calendar"] not in CALENDARS:
            fail(p, lineno, f"calendar={r['calendar']!r} not in {sorted(CALENDARS)}")
        try:
            month, day = int(r["month"]), int(r["day"])
        except ValueError:
            fail(p, lineno, "month/day must be integers")
        if not (1 <= month <= 12 and 1 <= day <= 31):
            fail(p, lineno, f"month/day out of range: {month}/{day}")
        cc = r["country_code"] or None
        if cc is not None and cc not in codes:
            fail(p, lineno, f"country_code {cc!r} not in countries.csv")
        occasions.append(
            {
                "occasion_code": r["occasion_code"],
                "name_fa": r["name_fa"],
                "cues": _split(r["cues"]),
                "calendar": r["calendar"],
                "month": month,
                "day": day,
                "country_code": cc,
            }
        )

    s, lst = pl.String, pl.List(pl.String)
    return Reference(
        countries=_frame(
            countries,
            {"country_code": s, "kind": s, "name_en": s, "name_fa": s, "forms": lst, "demonyms": lst, "capitals": lst},
        ),
        officials=_frame(
            officials, {"official_id": s, "name_fa": s, "name_en": s, "country_code": s, "aliases": lst}
        ),
        official_roles=_frame(
            roles,
            {
                "official_id": s,
                "country_code": s,
                "role_code": s,
                "title_fa": s,
                "valid_from": pl.Date,
                "valid_to": pl.Date,
            },
        ),
        titles=_frame(titles, {"title_fa": s, "role_code": s, "needs_complement": pl.Boolean}),
        honorifics=_frame(honorifics, {"honorific": s}),
        occasions=_frame(
            occasions,
            {
                "occasion_code": s,
                "name_fa": s,
                "cues": lst,
                "calendar": s,
                "month": pl.Int8,
                "day": pl.Int8,
                "country_code": s,
            },
        ),
    )


def load_reference(directory: Path | None = None) -> Reference:
    """Load and validate the reference CSVs in ``directory`` (default: repo seeds/reference).

    Results are cached per resolved directory; the DataFrames must be treated as read-only.
    """
    return _load(Path(directory or DEFAULT_DIR).resolve())


load_reference.cache_clear = _load.cache_clear  # type: ignore[attr-defined]
