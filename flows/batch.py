"""The work one batch of files gets in a pool process: read, decode, clean, extract.

Kept apart from flows/ingest.py so that a pool process, which unpickles
``transform_batch`` by reference, imports this module and the transforms only, never
Prefect (which would cost each worker ~2 s and ~100 MB).

A file's failure stays that file's (issue 18): an error while parsing, cleaning or
extracting one file rejects that file with a reason and the rest of the batch goes on;
a file over its time budget is rejected (``transform_timeout``), and so is one whose
worker process dies (``worker_died``).
"""

from __future__ import annotations

import functools
import gc
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass

import polars as pl

from core.collector import collector_paused
from flows.files import DEFAULT_MAX_BYTES, read_files
from flows.pool import WorkerDied, WorkerPool, run_alone
from transforms.parsing import ARTICLE_SCHEMA, OUTCOME_SCHEMA, parse_files

# Each file's time in the transform step (TAMAS_FILE_SECONDS changes it: flows/settings.py).
# A batch gets its files' budgets together; one that overruns is done again file by file.
DEFAULT_FILE_SECONDS = 60.0


@dataclass(frozen=True)
class TransformedBatch:
    """A batch of files after read → decode → clean → extract."""

    files: pl.DataFrame  # the batch's discovered files, with read_error (bytes dropped)
    outcomes: pl.DataFrame  # parsing's per-file outcome (transforms/parsing.py)
    articles: pl.DataFrame  # one row per distinct article, with clean_text
    extraction: object  # transforms.extraction.Extraction of those articles


class OverBudget(BaseException):
    """The time budget ran out (a BaseException: no per-file ``except Exception`` of the
    transforms may swallow it)."""


_RAISE_AGAIN = 0.2


@contextmanager
def time_budget(seconds: float):
    """Raise OverBudget in this thread after ``seconds`` (SIGALRM), and again every
    ``_RAISE_AGAIN`` seconds until the block is left: an exception raised while Python
    runs a gc callback, a ``__del__`` or a weakref callback is printed and dropped, so
    one raise alone can be lost. Signals reach the main thread only: elsewhere (a Dask
    worker's thread) there is no budget."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def expire(signum, frame):
        raise OverBudget()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, _RAISE_AGAIN)
    try:
        yield
    finally:
        while True:  # the timer can fire once more while it is being stopped
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                break
            except OverBudget:
                continue
        signal.signal(signal.SIGALRM, previous)


def transform_batch(batch: pl.DataFrame, max_bytes: int = DEFAULT_MAX_BYTES,
                    seconds: float = DEFAULT_FILE_SECONDS) -> TransformedBatch:
    """Read, decode, clean and extract one batch of files. Runs inside a pool process
    (module-level, so it pickles by reference): the whole batch crosses the process
    boundary once each way, and the flow's own process only loads.

    The batch has the sum of its files' budgets; when it runs over, each file is done
    again under its own budget and the one that runs over is rejected."""
    prepare_transforms()
    try:
        with time_budget(seconds * batch.height):
            return _transform(batch, max_bytes)
    except OverBudget:
        gc.enable()  # in case the budget ran out inside collector_paused's own exit
        if batch.height == 1:
            return rejected_batch(batch, f"transform_timeout:over {seconds:g} s")
    parts = []
    for offset in range(batch.height):
        one = batch.slice(offset, 1)
        try:
            with time_budget(seconds):
                parts.append(_transform(one, max_bytes))
        except OverBudget:
            gc.enable()
            parts.append(rejected_batch(one, f"transform_timeout:over {seconds:g} s"))
    return merge(parts)


def prepare_transforms() -> None:
    """Build what every file's cleaning and extraction share (reference, gazetteer,
    lexicon, normaliser: seconds) before any file's budget starts: once per process, and
    again for a reference loaded anew (the gazetteer and the occasions are built per
    reference object, and were otherwise built inside the first file's budget)."""
    from transforms.reference import load_reference

    _prepare_for_reference(id(load_reference()))


@functools.lru_cache(maxsize=1)
def _prepare_for_reference(reference_id: int) -> None:
    # keyed by the id of the cached reference: the extraction's caches hold that object,
    # so its id is not reused while they keep what was built for it
    from transforms.cleaning import clean_text
    from transforms.extraction import extract_calls
    from transforms.reference import load_reference

    extract_calls(pl.DataFrame({"article_id": ["-"], "clean_text": [clean_text("تماس تلفنی")], "title": [None]},
                               schema={"article_id": pl.String, "clean_text": pl.String, "title": pl.String}),
                  load_reference())


def transform_in(pool: WorkerPool, batch: pl.DataFrame, max_bytes: int = DEFAULT_MAX_BYTES,
                 seconds: float = DEFAULT_FILE_SECONDS) -> TransformedBatch:
    """``transform_batch`` in the pool. If a worker dies, the batch is done again in a
    process of its own, halved until the file that kills its process is found alone and
    rejected (``worker_died:<signal>``); the other files load."""
    try:
        return pool.run(transform_batch, batch, max_bytes, seconds)
    except WorkerDied:
        return _bisect(batch, max_bytes, seconds, pool.compiled_dir)


def _bisect(batch: pl.DataFrame, max_bytes: int, seconds: float, compiled_dir: str | None) -> TransformedBatch:
    # A hard limit besides the batch's own SIGALRM budget: a worker stuck in C code.
    limit = 2 * seconds * batch.height + 60
    try:
        return run_alone(transform_batch, batch, max_bytes, seconds, timeout=limit, compiled_dir=compiled_dir)
    except WorkerDied as died:
        if batch.height == 1:
            return rejected_batch(batch, f"worker_died:{died}")
    half = batch.height // 2
    return merge([_bisect(batch.slice(0, half), max_bytes, seconds, compiled_dir),
                  _bisect(batch.slice(half), max_bytes, seconds, compiled_dir)])


def _transform(batch: pl.DataFrame, max_bytes: int) -> TransformedBatch:
    # The whole batch with the cycle collector off, not only extraction: parsing and
    # cleaning make a batch's worth of small dicts and lists too, which set off its
    # passes over everything the worker holds (docs/scaling.md, twenty-fourth session).
    with collector_paused():
        return _transform_unpaused(batch, max_bytes)


def _transform_unpaused(batch: pl.DataFrame, max_bytes: int) -> TransformedBatch:
    from transforms.cleaning import clean_articles

    read = read_files(batch, max_bytes)
    parsed = parse_files(read)
    # The same article under two names in one batch is cleaned and extracted once.
    unique = parsed.articles.unique("article_id", keep="first", maintain_order=True)
    if "known_ids" in read.columns:  # loaded from this file before: its outcome lists them, no work
        known = [a for ids in read["known_ids"].to_list() if ids for a in ids]
        unique = unique.filter(~pl.col("article_id").is_in(known))
    failed: dict[str, str] = {}
    articles = _each_apart(clean_articles, unique, "clean_failed", failed)
    extraction = _extract_apart(articles.select("article_id", "clean_text", "title", "published_at"), failed)
    articles = articles.filter(~pl.col("article_id").is_in(list(failed)))
    # Extraction reads a long text only up to its cap (transforms/extraction MAX_EXTRACT_CHARS);
    # the whole text is loaded and searchable.
    capped = {
        a: (read, total) for a, read, total in extraction.article_meta.filter(pl.col("extracted_chars").is_not_null())
        .join(articles.select("article_id", pl.col("clean_text").str.len_chars().alias("total")), on="article_id")
        .select("article_id", "extracted_chars", "total").iter_rows()
    }
    outcomes = _with_article_failures(parsed.outcomes, failed, capped)
    return TransformedBatch(files=read.drop("data"), outcomes=outcomes, articles=articles, extraction=extraction)


def _each_apart(fn, articles: pl.DataFrame, reason: str, failed: dict[str, str]) -> pl.DataFrame:
    """``fn(articles)``; if it raises, ``fn`` of each article alone, and the articles it
    raises on are left out and named in ``failed`` (``<reason>:<exception type>``)."""
    try:
        return fn(articles)
    except Exception:
        pass
    good = []
    for offset in range(articles.height):
        one = articles.slice(offset, 1)
        try:
            good.append(fn(one))
        except Exception as exc:
            failed[one["article_id"][0]] = f"{reason}:{type(exc).__name__}"
    return pl.concat(good) if good else fn(articles.clear())


def _extract_apart(articles: pl.DataFrame, failed: dict[str, str]):
    from transforms.extraction import extract_calls
    from transforms.reference import load_reference

    reference = load_reference()
    try:
        return extract_calls(articles, reference)
    except Exception:
        pass
    # Find the articles it raises on, then extract the others together (exactly the
    # batch's result without them: extract_calls merges rows across articles).
    _each_apart(lambda one: (extract_calls(one, reference), one)[1], articles, "extract_failed", failed)
    return extract_calls(articles.filter(~pl.col("article_id").is_in(list(failed))), reference)


def _with_article_failures(outcomes: pl.DataFrame, failed: dict[str, str],
                           capped: dict[str, tuple[int, int]]) -> pl.DataFrame:
    """A file all of whose articles failed is rejected with the first failure; a file
    with others is loaded with a note, as a .jsonl file with bad lines is. A file with an
    article extraction read only in part (``capped``: characters read, of how many) says
    so, for its longest."""
    if not failed and not capped:
        return outcomes
    rows = []
    for row in outcomes.iter_rows(named=True):
        ids = row["article_ids"] or []
        bad = [failed[a] for a in ids if a in failed]
        notes = [row["reason"]] if row["reason"] else []
        long = [capped[a] for a in ids if a in capped]
        if long:
            read, total = max(long, key=lambda pair: pair[1])
            notes.append(f"calls extracted from the first {read} of {total} characters")
        if bad and len(bad) == len(ids):
            row.update(rejected=True, reason=bad[0], article_ids=[])
        elif bad:
            notes.append(f"{len(bad)} of {len(ids)} records not loaded: {bad[0]}")
            row.update(reason="; ".join(notes), article_ids=[a for a in ids if a not in failed])
        elif not row["rejected"]:
            row.update(reason="; ".join(notes) or None)
        rows.append(row)
    return pl.DataFrame(rows, schema=OUTCOME_SCHEMA)


def _empty_extraction():
    from transforms.extraction import SCHEMAS, Extraction

    return Extraction(**{name: pl.DataFrame(schema=schema) for name, schema in SCHEMAS.items()})


def rejected_batch(batch: pl.DataFrame, reason: str) -> TransformedBatch:
    """Every file of ``batch`` rejected with ``reason``, none of it read."""
    return TransformedBatch(
        files=batch.with_columns(pl.lit(None, dtype=pl.String).alias("read_error")),
        outcomes=pl.DataFrame(
            {"source_path": batch["source_path"], "content_sha256": [None] * batch.height,
             "rejected": [True] * batch.height, "reason": [reason] * batch.height,
             "article_ids": [[] for _ in range(batch.height)]},
            schema=OUTCOME_SCHEMA,
        ),
        articles=pl.DataFrame(schema={**ARTICLE_SCHEMA, "clean_text": pl.String}),
        extraction=_empty_extraction(),
    )


def merge(parts: list[TransformedBatch]) -> TransformedBatch:
    extraction = _empty_extraction()
    return TransformedBatch(
        files=pl.concat([p.files for p in parts], how="diagonal_relaxed"),
        outcomes=pl.concat([p.outcomes for p in parts]),
        articles=pl.concat([p.articles.select(list(parts[0].articles.columns)) for p in parts], how="vertical_relaxed"),
        extraction=type(extraction)(**{
            name: pl.concat([getattr(p.extraction, name) for p in parts], how="vertical_relaxed")
            for name in extraction.__dataclass_fields__
        }),
    )
