"""The incremental decisions (transforms/incremental.py) on tiny frames: which files are
not read again, which stay rejected, each read file's outcome, and article lineage."""

from __future__ import annotations

import polars as pl

from transforms import incremental
from transforms.parsing import OUTCOME_SCHEMA

DISCOVERED = {"source_path": pl.String, "size_bytes": pl.Int64, "mtime_ns": pl.Int64,
              "skip_reason": pl.String, "link_target": pl.String}
STATE = {"source_path": pl.String, "size_bytes": pl.Int64, "mtime_ns": pl.Int64, "content_sha256": pl.String}
REJECTED = {"source_path": pl.String, "size_bytes": pl.Int64, "mtime_ns": pl.Int64, "reason": pl.String,
            "content_sha256": pl.String}


def discovered(*rows):
    return pl.DataFrame([(*r, None) if len(r) == 4 else r for r in rows], schema=DISCOVERED, orient="row")


def test_a_file_as_it_was_is_not_read_and_a_touched_one_carries_its_old_hash():
    files = discovered(("a.txt", 10, 1, None), ("b.txt", 10, 2, None), ("c.txt", 10, 1, None), ("d.txt", 10, 1, "too_large"))
    state = pl.DataFrame([("a.txt", 10, 1, "ha"), ("b.txt", 10, 1, "hb"), ("d.txt", 10, 1, "hd")], schema=STATE, orient="row")
    unchanged, to_read = incremental.split_unchanged(files, state)
    assert unchanged.rows() == [("a.txt", 10, 1, "ha")]
    # b was touched (new mtime), c is new, d must be rejected again whatever was recorded
    assert to_read.select("source_path", "previous_sha256").sort("source_path").rows() == [
        ("b.txt", "hb"), ("c.txt", None), ("d.txt", "hd")]
    assert incremental.unchanged_rows(unchanged)["outcome"].to_list() == ["unchanged"]


def test_a_content_rejection_stays_until_the_file_changes_and_other_rejections_are_checked_again():
    files = discovered(("bad.json", 5, 1, None), ("edited.json", 6, 2, None), ("big.txt", 9, 1, None),
                       ("again.json", 5, 1, None))
    _, to_read = incremental.split_unchanged(files, pl.DataFrame(schema=STATE))
    rejected = pl.DataFrame([
        ("bad.json", 5, 1, "invalid_json: nesting too deep", "h1"),
        ("edited.json", 6, 1, "invalid_json: nesting too deep", "h2"),
        ("big.txt", 9, 1, "too_large: 9 bytes", None),  # depends on the options, not the bytes
        ("again.json", 5, 1, "extract_failed: RecursionError" + incremental.STILL_REJECTED_NOTE, "h3"),
    ], schema=REJECTED, orient="row")
    still, to_read = incremental.split_still_rejected(to_read, rejected)
    assert still.select("source_path", "reason").sort("source_path").rows() == [
        ("again.json", "extract_failed: RecursionError" + incremental.STILL_REJECTED_NOTE),  # the note once
        ("bad.json", "invalid_json: nesting too deep" + incremental.STILL_REJECTED_NOTE),
    ]
    assert sorted(to_read["source_path"]) == ["big.txt", "edited.json"]
    assert "_reason" not in to_read.columns and "previous_sha256" in to_read.columns


def read_files(*rows):
    return pl.DataFrame(rows, schema={"source_path": pl.String, "size_bytes": pl.Int64, "mtime_ns": pl.Int64,
                                      "previous_sha256": pl.String}, orient="row")


def test_each_read_file_gets_one_outcome_with_its_reason():
    read = read_files(("new.txt", 1, 1, None), ("edited.txt", 1, 2, "old"), ("touched.txt", 1, 2, "same"),
                      ("copy.txt", 1, 1, None), ("broken.json", 1, 1, None))
    outcomes = pl.DataFrame([
        ("new.txt", "n", False, None, ["A"]), ("edited.txt", "new", False, None, ["B2"]),
        ("touched.txt", "same", False, None, ["C"]), ("copy.txt", "n", False, None, ["A"]),
        ("broken.json", "x", True, "invalid_json: line 1", None),
    ], schema=OUTCOME_SCHEMA, orient="row")
    assert incremental.same_bytes_paths(read, outcomes).to_list() == ["touched.txt"]
    rows = incremental.file_rows(read, outcomes, ["new.txt", "edited.txt"])
    got = dict(rows.select("source_path", pl.struct("outcome", "reason")).rows())
    assert got["new.txt"] == {"outcome": "loaded", "reason": None}
    assert got["edited.txt"]["outcome"] == "loaded" and got["edited.txt"]["reason"].startswith("content changed")
    assert got["touched.txt"] == {"outcome": "unchanged", "reason": "touched, content unchanged"}
    assert got["copy.txt"] == {"outcome": "duplicate", "reason": "same content as an article already loaded"}
    assert got["broken.json"] == {"outcome": "rejected", "reason": "invalid_json: line 1"}


def test_a_changed_file_supersedes_the_article_at_the_same_place_or_its_only_one():
    new = pl.DataFrame({"article_id": ["a2", "x2", "m3"], "source_path": ["f.jsonl#3", "one.txt", "many.jsonl#9"],
                        "file_path": ["f.jsonl", "one.txt", "many.jsonl"]})
    read = read_files(("f.jsonl", 1, 2, "h"), ("one.txt", 1, 2, "h"), ("many.jsonl", 1, 2, "h"))
    assert sorted(incremental.changed_paths(read, new)) == ["f.jsonl", "many.jsonl", "one.txt"]
    previous = {
        "f.jsonl": [("a1", "f.jsonl#3"), ("b1", "f.jsonl#4")],
        "one.txt": [("x1", "one.txt")],
        "many.jsonl": [("m1", "many.jsonl#1"), ("m2", "many.jsonl#2")],  # no record at #9 before
    }
    lineage = incremental.with_lineage(new, previous)
    assert lineage["supersedes_article_id"].to_list() == ["a1", "x1", None]
    assert incremental.changed_paths(read_files(("f.jsonl", 1, 1, None)), new.head(1)) == []
