"""The incremental decisions of an ingest run, as pure functions of frames: which
discovered files need no reading, which stay rejected, what each read file's outcome
is, and which earlier article a new version supersedes. The flow (flows/ingest.py)
fetches the warehouse's state and hands it in; nothing here reads or writes.
"""

from __future__ import annotations

import polars as pl

from transforms.formats import REASONS as FORMAT_REASONS

# Rejections that depend only on a file's bytes: the same bytes are rejected again, so an
# unchanged file that got one is not re-read. The others (unreadable, vanished, too large,
# links, FIFOs) depend on the moment or the options and are checked again every run.
# A file that made parsing, cleaning or extraction fail, ran over its time budget or
# killed its worker would do it again: not retried either while unchanged.
CONTENT_REJECTIONS = frozenset({
    *FORMAT_REASONS, "not_persian",  # every format's own reasons (transforms/formats/)
    "parse_failed", "clean_failed", "extract_failed", "transform_timeout", "worker_died",
})
STILL_REJECTED_NOTE = " (file unchanged since it was rejected: not read again)"
UNCHANGED_NOTE = "path, size and mtime unchanged: not read"

_NO_IDS = pl.lit(None, dtype=pl.List(pl.String))


def _with_last_seen(files: pl.DataFrame, state: pl.DataFrame, **extra: str) -> tuple[pl.DataFrame, pl.Expr]:
    """``files`` joined with the size and mtime (and the ``extra`` columns, renamed) a
    past run recorded for the same path, and the test "discovered as it was then"."""
    joined = files.join(
        state.select(
            "source_path", pl.col("size_bytes").alias("_size"), pl.col("mtime_ns").alias("_mtime"),
            *(pl.col(column).alias(alias) for alias, column in extra.items()),
        ),
        on="source_path",
        how="left",
    )
    same = pl.col("skip_reason").is_null() & (pl.col("size_bytes") == pl.col("_size")) & (pl.col("mtime_ns") == pl.col("_mtime"))
    return joined, same


def split_unchanged(discovered: pl.DataFrame, state: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(unchanged, to read): files whose path, size and mtime match what the last
    completed run recorded (``state``: source_path, size_bytes, mtime_ns,
    content_sha256) are not read; the others carry ``previous_sha256``."""
    joined, same = _with_last_seen(discovered, state, _sha="content_sha256")
    same = same.fill_null(False)
    unchanged = joined.filter(same).select(
        "source_path", "size_bytes", "mtime_ns", pl.col("_sha").alias("content_sha256")
    )
    to_read = joined.filter(~same).drop("_size", "_mtime").rename({"_sha": "previous_sha256"})
    return unchanged, to_read


def split_still_rejected(to_read: pl.DataFrame, rejected: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(still rejected, to read): of the files to read, those the last completed run that
    saw them rejected for their content (``rejected``: source_path, size_bytes, mtime_ns,
    reason, content_sha256), with the same size and mtime, as ingest_file rows."""
    joined, same = _with_last_seen(to_read, rejected, _reason="reason", _rsha="content_sha256")
    reason_key = pl.col("_reason").str.extract(r"^([a-z_]+)", 1)
    same = (same & reason_key.is_in(list(CONTENT_REJECTIONS))).fill_null(False)
    still = joined.filter(same).select(
        "source_path", "size_bytes", "mtime_ns", pl.col("_rsha").alias("content_sha256"),
        pl.lit("rejected").alias("outcome"),
        (pl.col("_reason").str.replace(STILL_REJECTED_NOTE, "", literal=True) + STILL_REJECTED_NOTE).alias("reason"),
        _NO_IDS.alias("article_ids"),
    )
    return still, joined.filter(~same).drop("_size", "_mtime", "_reason", "_rsha")


def unchanged_rows(unchanged: pl.DataFrame) -> pl.DataFrame:
    """The ingest_file rows of files not read because nothing about them changed."""
    return unchanged.with_columns(
        pl.lit("unchanged").alias("outcome"), pl.lit(UNCHANGED_NOTE).alias("reason"), _NO_IDS.alias("article_ids"),
    )


def same_bytes_paths(read: pl.DataFrame, outcomes: pl.DataFrame) -> pl.Series:
    """Paths of re-read files (touched: new mtime) whose bytes hash as before: their
    articles are already loaded."""
    return read.filter(pl.col("previous_sha256").is_not_null()).join(
        outcomes.select("source_path", "content_sha256"), on="source_path"
    ).filter(pl.col("content_sha256") == pl.col("previous_sha256"))["source_path"]


def file_rows(read: pl.DataFrame, outcomes: pl.DataFrame, loaded_paths: list[str]) -> pl.DataFrame:
    """One ingest_file row per read file, deciding loaded / duplicate / unchanged /
    rejected. ``loaded_paths``: the files that gave at least one new article."""
    rows = read.select("source_path", "size_bytes", "mtime_ns", "previous_sha256").join(
        outcomes, on="source_path", how="left"
    )
    outcome = (
        pl.when(pl.col("rejected"))
        .then(pl.lit("rejected"))
        .when(pl.col("content_sha256") == pl.col("previous_sha256"))
        .then(pl.lit("unchanged"))
        .when(pl.col("source_path").is_in(loaded_paths))
        .then(pl.lit("loaded"))
        .otherwise(pl.lit("duplicate"))
    )
    reason = (
        pl.when(pl.col("content_sha256") == pl.col("previous_sha256"))
        .then(pl.lit("touched, content unchanged"))
        .when(outcome.eq("loaded") & pl.col("previous_sha256").is_not_null() & pl.col("reason").is_null())
        .then(pl.lit("content changed: new article version (dim_article.supersedes_article_id)"))
        .when(outcome.eq("duplicate") & pl.col("reason").is_null())
        .then(pl.lit("same content as an article already loaded"))
        .otherwise(pl.col("reason"))
    )
    return rows.with_columns(outcome.alias("outcome"), reason.alias("reason")).select(
        "source_path", "content_sha256", "outcome", "reason", "size_bytes", "mtime_ns", "article_ids"
    )


def changed_paths(read: pl.DataFrame, new: pl.DataFrame) -> list[str]:
    """Files of ``new`` articles that a past run read with other content."""
    changed = set(read.filter(pl.col("previous_sha256").is_not_null())["source_path"].to_list())
    return [p for p in set(new["file_path"].to_list()) if p in changed]


def with_lineage(new: pl.DataFrame, previous: dict[str, list[tuple[str, str]]]) -> pl.DataFrame:
    """``new`` articles with ``supersedes_article_id``: a changed file yields a new version
    of the article it held before (the same record of a .jsonl, or its only article).
    ``previous``: {file path: [(article_id, source_path)]} of the changed files."""
    supersedes = []
    for article_id, source_path, file_path in new.select("article_id", "source_path", "file_path").iter_rows():
        before = [(a, src) for a, src in previous.get(file_path, []) if a != article_id]
        same_place = [a for a, src in before if src == source_path]
        supersedes.append(same_place[0] if same_place else before[0][0] if len(before) == 1 else None)
    return new.with_columns(pl.Series("supersedes_article_id", supersedes, dtype=pl.String))


def only_articles(extraction, article_ids: set[str]):
    """The extraction (transforms/extraction's frames) restricted to the given articles."""
    ids = list(article_ids)
    return type(extraction)(
        **{
            name: frame.filter(pl.col("article_id").is_in(ids))
            for name in extraction.__dataclass_fields__
            for frame in [getattr(extraction, name)]
        }
    )
