"""Cleaning's tables kept on disk between processes (core/tables.py): built once, read
back by the next process, built again when a source changes, never wrong for a bad file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import tables

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def table_dir(tmp_path):
    before = tables.directory()
    tables.use_directory(tmp_path / "cache")
    yield tmp_path / "cache"
    tables.use_directory(before)


def test_a_table_is_built_once_then_read_back(table_dir, tmp_path):
    source = tmp_path / "words.txt"
    source.write_text("یک\nدو\n", encoding="utf-8")
    builds = []

    def build():
        builds.append(1)
        return {"words": frozenset(source.read_text(encoding="utf-8").split())}

    def fail():
        raise AssertionError("built again")

    def made_from() -> str:
        return tables.fingerprint([source])

    first = tables.cached("words", made_from(), build)
    assert first == {"words": frozenset({"یک", "دو"})} and len(builds) == 1
    assert tables.cached("words", made_from(), fail) == first  # what the first process stored
    source.write_text("یک\nدو\nسه\n", encoding="utf-8")  # a changed source: built again
    assert tables.cached("words", made_from(), build)["words"] == frozenset({"یک", "دو", "سه"})
    assert len(builds) == 2
    assert len(list(table_dir.glob("words-*.pickle"))) == 1  # the stale table is gone
    assert tables.cached("words", made_from() + "another hazm", build) is not None
    assert len(builds) == 3


def test_a_bad_table_file_is_built_again_and_an_unwritable_folder_only_not_kept(table_dir, tmp_path):
    tables.cached("t", "s", lambda: [1, 2, 3])
    (stored,) = table_dir.glob("t-*.pickle")
    stored.write_bytes(stored.read_bytes()[:5])  # truncated, as by a full disk
    assert tables.cached("t", "s", lambda: [1, 2, 3, 4]) == [1, 2, 3, 4]
    assert tables.cached("t", "s", lambda: None) == [1, 2, 3, 4]  # and kept again

    # a write killed half-way an hour ago is swept by the next write; one under way is not
    stale, fresh = table_dir / ".t-killed.tmp", table_dir / ".t-writing.tmp"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(stale, (stale.stat().st_atime - 3600, stale.stat().st_mtime - 3600))
    tables.cached("t", "other", lambda: [5])
    assert not stale.exists() and fresh.exists()

    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    tables.use_directory(blocked / "cache")
    assert tables.cached("t", "s", lambda: "built") == "built"
    assert not list(tmp_path.glob(".t-*.tmp"))


_DIGESTS = """
import hashlib, json, pickle, sys
from core import tables
if sys.argv[1] != "-":
    tables.use_directory(sys.argv[1])
from transforms import hazm_core, normalize, repairs
from transforms.cleaning import clean_text
r, b = repairs.resources(), normalize.batch_normalizer()
found = {
    "words": hazm_core.words(), "verb_forms": hazm_core.verb_forms(),
    "frequent": hazm_core.frequent_words(200000), "digits": normalize._digits(), "word_class": normalize._word_class(),
    "spacing": (b._pair_words, b._heads, b._tails), "repairs": (r.adjectives, r.frequent, r.joined),
    "normalizer_words": r.normalizer.tokenizer.words, "clean": clean_text(sys.argv[2]),
}
def canonical(x):
    if isinstance(x, dict):
        return sorted((k, canonical(v)) for k, v in x.items())
    if isinstance(x, (set, frozenset)):
        return sorted(x)
    if isinstance(x, (tuple, list)):
        return [canonical(v) for v in x]
    return x
print(json.dumps({k: hashlib.sha256(pickle.dumps(canonical(v))).hexdigest() for k, v in found.items()}))
"""

TEXT = "وزیر امور خارجه  ايران می شود گفت و گو كرد ۱۲۳ كتاب ها"


def _digests(directory: str) -> dict[str, str]:
    result = subprocess.run([sys.executable, "-c", _DIGESTS, directory, TEXT], cwd=REPO, capture_output=True,
                            text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_tables_read_back_are_the_tables_built(tmp_path):
    """A process that reads the tables gets what a process that builds them gets: every
    table, hazm's normaliser's own word list, and a cleaned text."""
    built = _digests("-")
    first = _digests(str(tmp_path))  # builds and keeps them
    kept = {p: p.stat().st_mtime_ns for p in tmp_path.glob("*.pickle")}
    assert len(kept) == 5
    second = _digests(str(tmp_path))  # reads them
    assert {p: p.stat().st_mtime_ns for p in tmp_path.glob("*.pickle")} == kept
    assert built == first == second
