"""core/seeds.py (issue 16): the seeds folder, and the one reader of CSV seeds (polars)
and word lists: quoted commas, comment lines, empty cells, and errors naming the file's
own line."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from core.seeds import LEXICON_DIR, LINE, REFERENCE_DIR, SEEDS_DIR, read_csv, read_list

REPO = Path(__file__).resolve().parents[1]

def test_seed_folders():
    assert SEEDS_DIR == REPO / "seeds"
    assert REFERENCE_DIR == SEEDS_DIR / "reference" and (REFERENCE_DIR / "officials.csv").is_file()
    assert LEXICON_DIR == SEEDS_DIR / "lexicon" and (LEXICON_DIR / "agencies.txt").is_file()


def _write(tmp_path: Path, text: str, name: str = "seed.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_csv_cells(tmp_path):
    path = _write(
        tmp_path,
        "# a comment line, then the header\n"
        " code , name ,note\n"
        'IR,"ایران, جمهوری اسلامی",\n'
        "\n"
        "   # an indented comment\n"
        'TR, ترکیه ,"he said ""hi"""\n'
        "UN,سازمان ملل,see #3 below\n",
    )
    frame = read_csv(path, ["code", "name"])
    assert frame.columns == [LINE, "code", "name", "note"]
    assert frame.schema["name"] == pl.String
    assert frame.rows() == [
        (3, "IR", "ایران, جمهوری اسلامی", ""),  # a quoted comma; an empty cell is ""
        (6, "TR", "ترکیه", 'he said "hi"'),
        (7, "UN", "سازمان ملل", "see #3 below"),  # "#" inside a cell is text
    ]


def test_read_csv_header_only(tmp_path):
    frame = read_csv(_write(tmp_path, "# nothing yet\na,b\n"))
    assert frame.columns == [LINE, "a", "b"] and frame.height == 0


@pytest.mark.parametrize(
    "text, message",
    [
        ("a,b,c\n# note\n1,2,3\n1,2\n", ":4: expected 3 fields, got 2"),
        ("a,b,c\n\n\n1,2,3,4\n", ":4: expected 3 fields, got 4"),
        ("# note\n\na,b\n1,2\n", ":3: missing column(s) ['c']; header is ['a', 'b']"),
        ('a,b,c\n1,"open,3\n4,5,6\n', ":2: a quoted cell is not closed on its line"),
        ("# only a comment\n", ": no header row"),
    ],
)
def test_read_csv_errors_name_the_line(tmp_path, text, message):
    """The line is the file's own, comment and blank lines counted."""
    path = _write(tmp_path, text)
    with pytest.raises(ValueError) as e:
        read_csv(path, ["a", "b", "c"])
    assert str(e.value) == f"{path}{message}"


def test_read_csv_missing_file(tmp_path):
    with pytest.raises(ValueError, match="file not found"):
        read_csv(tmp_path / "absent.csv")


def test_every_csv_seed_reads():
    for path in sorted(SEEDS_DIR.glob("*/*.csv")):
        frame = read_csv(path)
        assert frame.height > 0, path
        assert all(dtype == pl.String for name, dtype in frame.schema.items() if name != LINE), path


def test_read_list(tmp_path):
    path = _write(tmp_path, "# names\n آران نیوز \n\n  # indented comment\nخبر#گزاری\n", "list.txt")
    assert read_list(path) == ["آران نیوز", "خبر#گزاری"]
