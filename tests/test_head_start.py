"""What a run does before it takes the writer lock and imports Prefect (flows/early.py):
the listing made in a child process (flows/walk.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.files import discover_files, discover_in_child
from flows.walk import InputError

ROOT = Path(__file__).resolve().parent.parent


def _tree(tmp_path: Path) -> Path:
    """Every kind of entry the listing has a rule for."""
    top = tmp_path / "in"
    (top / "a" / "deep" / "er").mkdir(parents=True)
    (top / "a" / "one.txt").write_text("خبر", encoding="utf-8")
    (top / "a" / "deep" / "er" / "two.json").write_text('{"text": "خبر"}', encoding="utf-8")
    (top / ".hidden").write_text("x", encoding="utf-8")
    (top / "a" / ".git").mkdir()
    (top / "a" / ".git" / "config").write_text("x", encoding="utf-8")
    (top / "big.txt").write_bytes(b"x" * 3000)
    (top / "big.jsonl").write_bytes(b'{"text": "x"}\n' * 300)  # over the limit, read record by record
    outside = tmp_path / "outside.txt"
    outside.write_text("x", encoding="utf-8")
    (top / "out.txt").symlink_to(outside)
    (top / "in.txt").symlink_to(top / "a" / "one.txt")
    (top / "gone.txt").symlink_to(top / "missing.txt")
    (top / "loop.txt").symlink_to(top / "loop.txt")
    (top / "folder-link").symlink_to(top / "a")
    os.mkfifo(top / "pipe.txt")
    return top


def test_the_child_lists_what_this_process_lists(tmp_path):
    """The head start lists in a child process; its frame must be the one the flow's own
    discovery makes, rule for rule (hidden entries, links in and out of the folder,
    dangling links and loops, folder links, FIFOs, the size limit and its .jsonl
    exception), for folders and single files alike."""
    top = _tree(tmp_path)
    limit = 2048
    here = discover_files([top, top / "a" / "one.txt"], limit)
    child = discover_in_child([top, top / "a" / "one.txt"], limit)
    assert child.equals(here)
    reasons = dict(zip(here["source_path"].str.replace(f"{top}/", "", literal=True), here["skip_reason"]))
    assert reasons == {
        "a/deep/er/two.json": None, "a/one.txt": None, "big.jsonl": None,
        "big.txt": "too_large:3000 bytes > 2048", "folder-link": "directory_symlink", "gone.txt": "dangling_symlink",
        "in.txt": None, "loop.txt": "unreadable:Too many levels of symbolic links", "out.txt": "symlink_outside_root",
        "pipe.txt": "not_regular_file",
    }
    (tmp_path / "empty").mkdir()
    assert discover_in_child([tmp_path / "empty"], limit).height == 0
    with pytest.raises(InputError, match="no such file or folder: .*nothere"):
        discover_in_child([top, tmp_path / "nothere"], limit)


def test_the_listing_child_starts_with_the_standard_library_only():
    """The child's point is to start in milliseconds on the other core: flows/walk.py and
    what it imports must not pull in polars, DuckDB or the project's heavy modules."""
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); before = set(sys.modules); import flows.walk; "
        "print(' '.join(sorted(m for m in set(sys.modules) - before if not m.startswith('_'))))"
    )
    imported = subprocess.run([sys.executable, "-I", "-S", "-c", probe, str(ROOT)], capture_output=True, text=True,
                              check=True).stdout.split()
    ours = [m for m in imported if m.split(".")[0] in {"flows", "core", "transforms", "warehouse", "app"}]
    assert ours == ["flows", "flows.child", "flows.walk"]
    assert not {"polars", "duckdb", "pyarrow", "prefect", "pydantic"} & {m.split(".")[0] for m in imported}
