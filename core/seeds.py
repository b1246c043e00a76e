"""The seeds folder (data only: reference gazetteers, lexicons, sample articles) and the
readers of its files.

- ``read_csv(path, columns)``: a CSV seed as a polars frame of strings, with the file's
  own line numbers, for the messages that point at a bad row;
- ``read_list(path)``: a ``.txt`` word list, one entry a line.

In both, a line whose first non-space character is ``#`` is a comment and a blank line is
nothing; a ``#`` anywhere else is text. Errors are ``ValueError("<path>:<line>: ...")``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import polars as pl

SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"
REFERENCE_DIR = SEEDS_DIR / "reference"
LEXICON_DIR = SEEDS_DIR / "lexicon"

LINE = "_line"  # read_csv's column of 1-based line numbers in the file
_END = "\x1f"  # appended as a last cell to every row: where it lands counts the row's cells


def fail(path: Path, line: int | None, message: str) -> None:
    """Raise the error of a seed file: ``<path>:<line>: message`` (no line: the file)."""
    where = f"{path}:{line}" if line is not None else str(path)
    raise ValueError(f"{where}: {message}")


def _content_lines(path: Path) -> list[tuple[int, str]]:
    """(1-based line number, line) of the lines that are neither blank nor comments."""
    if not path.is_file():
        fail(path, None, "file not found")
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(i, ln) for i, ln in enumerate(lines, 1) if ln.strip() and not ln.lstrip().startswith("#")]


def read_csv(path: Path, columns: Iterable[str] = ()) -> pl.DataFrame:
    """The rows of a CSV seed: a header line, then one row a line (a quoted cell may hold
    commas, not a line break). Every cell is a string, stripped; an empty cell is "".
    Column ``LINE`` holds each row's line number in the file.

    Raises ValueError naming the file (and line) when the file is missing or has no
    header, the header lacks one of ``columns``, or a row has more or fewer cells than
    the header."""
    numbered = _content_lines(path)
    if not numbered:
        fail(path, None, "no header row")
    # polars is handed the content lines only, so a "#" inside a cell stays text; the end
    # marker after each line tells a missing cell from an empty one
    text = "".join(f"{ln},{_END}\n" for _, ln in numbered)
    width = max(ln.count(",") for _, ln in numbered) + 2
    cells = [f"c{k}" for k in range(width)]
    try:
        grid = pl.read_csv(
            text.encode("utf-8"), has_header=False, schema={c: pl.String for c in cells}, empty_string_is_null=False
        )
    except pl.exceptions.PolarsError:
        grid = None
    rows = grid.rows() if grid is not None else []
    # a quote left open swallows the end marker, or the line end and the lines after it
    if len(rows) != len(numbered) or not all(_END in row for row in rows):
        odd = next((n for n, ln in numbered if ln.count('"') % 2), None)
        fail(path, odd, "a quoted cell is not closed on its line" if odd else "not readable as CSV")
    counts = [row.index(_END) for row in rows]

    header = [h.strip() for h in rows[0][: counts[0]]]
    missing = [c for c in columns if c not in header]
    if missing:
        fail(path, numbered[0][0], f"missing column(s) {missing}; header is {header}")
    if len(set(header + [LINE])) != len(header) + 1:
        fail(path, numbered[0][0], f"a column is named twice or {LINE!r}; header is {header}")
    for (lineno, _), count in zip(numbered[1:], counts[1:]):
        if count != len(header):
            fail(path, lineno, f"expected {len(header)} fields, got {count}")

    return grid.slice(1).select(
        pl.Series(LINE, [n for n, _ in numbered[1:]], dtype=pl.Int64),
        *(pl.col(cell).str.strip_chars().alias(name) for cell, name in zip(cells, header)),
    )


def read_list(path: Path) -> list[str]:
    """The entries of a word list: each content line, stripped."""
    return [ln.strip() for _, ln in _content_lines(path)]
