"""The work one batch of files gets in a pool process: read, decode, clean, extract.

Kept apart from flows/ingest.py so that a pool process, which unpickles
``transform_batch`` by reference, imports this module and the transforms only, never
Prefect (which would cost each worker ~2 s and ~100 MB).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from flows.files import read_files
from transforms.parsing import parse_files


@dataclass(frozen=True)
class TransformedBatch:
    """A batch of files after read → decode → clean → extract."""

    files: pl.DataFrame  # the batch's discovered files, with read_error (bytes dropped)
    outcomes: pl.DataFrame  # parsing's per-file outcome (transforms/parsing.py)
    articles: pl.DataFrame  # one row per distinct article, with clean_text
    extraction: object  # transforms.extraction.Extraction of those articles


def transform_batch(batch: pl.DataFrame) -> TransformedBatch:
    """Read, decode, clean and extract one batch of files. Runs inside a pool process
    (module-level, so it pickles by reference): the whole batch crosses the process
    boundary once each way, and the flow's own process only loads."""
    from transforms.cleaning import clean_articles
    from transforms.extraction import extract_calls
    from transforms.reference import load_reference

    read = read_files(batch)
    parsed = parse_files(read)
    # The same article under two names in one batch is cleaned and extracted once.
    articles = clean_articles(parsed.articles.unique("article_id", keep="first", maintain_order=True))
    extraction = extract_calls(articles.select("article_id", "clean_text", "title", "published_at"), load_reference())
    return TransformedBatch(files=read.drop("data"), outcomes=parsed.outcomes, articles=articles, extraction=extraction)
