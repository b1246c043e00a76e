"""One call, many articles: merge article-level call mentions into real calls.

Outlets report the same call for a day or two. Mentions with the same participants
(unordered) whose dates are within one day of each other are one call (GDELT's
events/mentions split). The date of a mention is the call date the article gives, else
its publication date (also when the article gives only a month). The merged call takes
a day-precision date when any mention has one, the date most of its mentions give,
the earliest on a tie, then the most trustworthy basis (stated > inferred > published), and the
union of its mentions' topics, each with the evidence of the first report that gives it
(each article's own topics stay in stg_call_topic).

Pure polars: the loader reads every staging row, calls ``consolidate_calls`` and
replaces the fact tables with the result, so the outcome does not depend on the order
in which articles arrived.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import polars as pl

BASIS_RANK = {"stated": 0, "inferred": 1, "published": 2}
PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
MERGE_WINDOW_DAYS = 1


@dataclass(frozen=True)
class Facts:
    fact_call: pl.DataFrame
    call_participant: pl.DataFrame
    call_topic: pl.DataFrame
    call_mention: pl.DataFrame
    statement: pl.DataFrame


def _hash(*parts: object) -> str:
    return hashlib.sha256("|".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def _anchored_clusters(ordered: pl.DataFrame) -> list[int]:
    """Cluster number per row of mentions sorted by (participants_key, effective_date).

    A cluster is anchored on its first date: a mention joins it only if it is within
    MERGE_WINDOW_DAYS of that first date, so daily calls between the same two people
    stay separate calls instead of chaining into one. Undated or participant-less
    mentions stay alone. (A loop: polars has no anchored-window grouping, and there are
    far fewer mentions than articles.)
    """
    clusters, current, anchor_key, anchor_date = [], -1, None, None
    for key, day in ordered.select("participants_key", "effective_date").iter_rows():
        if day is None or not key or key != anchor_key or (day - anchor_date).days > MERGE_WINDOW_DAYS:
            current += 1
            anchor_key, anchor_date = key, day
        clusters.append(current)
    return clusters


def assign_calls(mentions: pl.DataFrame, participants: pl.DataFrame) -> pl.DataFrame:
    """call_id for every (article_id, call_seq) of ``mentions``.

    ``mentions`` needs article_id, call_seq, call_date, published_date;
    ``participants`` needs article_id, call_seq, official_id.
    """
    keys = participants.group_by("article_id", "call_seq").agg(
        pl.col("official_id").unique().sort().str.join("|").alias("participants_key")
    )
    ordered = (
        mentions.join(keys, on=["article_id", "call_seq"], how="left")
        .with_columns(
            pl.col("participants_key").fill_null(""),
            # A month- or year-precision date is not a day to merge on: use publication.
            pl.when(pl.col("call_date_precision") == "day")
            .then(pl.col("call_date"))
            .otherwise(pl.col("published_date"))
            .alias("effective_date"),
        )
        .sort("participants_key", "effective_date", "article_id", "call_seq", nulls_last=True)
    )
    ordered = ordered.with_columns(pl.Series("cluster", _anchored_clusters(ordered), dtype=pl.Int64))
    # A call's id: its participants and its first date; for an undated or participant-less
    # mention, the mention itself.
    anchors = ordered.group_by("cluster").agg(
        pl.col("participants_key").first(),
        pl.col("effective_date").min().alias("first_date"),
        pl.col("article_id").first().alias("first_article"),
        pl.col("call_seq").first().alias("first_seq"),
    )
    ids = [
        _hash(key, first_date) if first_date is not None and key else _hash(key, article, seq)
        for key, first_date, article, seq in anchors.select(
            "participants_key", "first_date", "first_article", "first_seq"
        ).iter_rows()
    ]
    anchors = anchors.with_columns(pl.Series("call_id", ids, dtype=pl.String))
    return ordered.join(anchors.select("cluster", "call_id"), on="cluster").drop("cluster", "effective_date")


def consolidate_calls(
    mentions: pl.DataFrame,
    participants: pl.DataFrame,
    topics: pl.DataFrame,
    statements: pl.DataFrame,
) -> Facts:
    """Fact tables from staging rows (their columns: warehouse/contract.yml)."""
    assigned = assign_calls(mentions, participants)
    mention_keys = assigned.select("article_id", "call_seq", "call_id")

    # The call's date: a day before a month or year; among days, the one most of its
    # reports give (a single outlet's slip does not move the call); on a tie the earliest
    # (later reports of earlier news carry later publication dates), then the most
    # trustworthy basis (stated > inferred > published).
    ranked = assigned.with_columns(
        pl.len().over("call_id", "call_date").alias("_support"),
        pl.col("date_basis").replace_strict(BASIS_RANK, default=9, return_dtype=pl.Int8).alias("_basis"),
        pl.col("call_date_precision").replace_strict(PRECISION_RANK, default=9, return_dtype=pl.Int8).alias("_prec"),
    ).sort(
        "call_id", "_prec", "_support", "call_date", "_basis", "article_id", "call_seq",
        descending=[False, False, True, False, False, False, False],
        nulls_last=True,
    )
    representative = ranked.group_by("call_id", maintain_order=True).first()

    parts = participants.join(mention_keys, on=["article_id", "call_seq"])
    votes = (
        parts.filter(pl.col("is_initiator"))
        .group_by("call_id", "official_id")
        .len()
        .with_columns(pl.col("len").max().over("call_id").alias("_top"))
        .filter(pl.col("len") == pl.col("_top"))
    )
    # Mentions naming different initiators equally often: the reports disagree, say nothing.
    votes = (
        votes.group_by("call_id")
        .agg(pl.col("official_id").first().alias("initiator_official_id"), pl.len().alias("_n"))
        .filter(pl.col("_n") == 1)
        .select("call_id", "initiator_official_id")
    )
    flags = (
        parts.filter(pl.col("dq_flag").is_not_null())
        .group_by("call_id")
        .agg(pl.col("dq_flag").unique().sort().alias("dq_flags"))
    )
    n_articles = assigned.group_by("call_id").agg(pl.col("article_id").n_unique().cast(pl.Int32).alias("n_articles"))
    fact_call = (
        representative.select("call_id", "call_date", "call_date_precision", "date_basis", "mode")
        .join(votes, on="call_id", how="left")
        .join(n_articles, on="call_id")
        .join(flags, on="call_id", how="left")
        .select(
            "call_id", "call_date", "call_date_precision", "date_basis", "initiator_official_id",
            "mode", "n_articles", "dq_flags",
        )
        .sort("call_id")
    )

    # A participant's capacity comes from the representative mention when it names them.
    rep_keys = representative.select("call_id", pl.col("article_id").alias("_rep_article"))
    call_participant = (
        parts.join(rep_keys, on="call_id")
        .with_columns((pl.col("article_id") != pl.col("_rep_article")).alias("_not_rep"))
        .sort("call_id", "official_id", "_not_rep", "article_id", "call_seq")
        .group_by("call_id", "official_id", maintain_order=True)
        .agg(pl.col("country_code").first(), pl.col("title_fa").first(), pl.col("role_code").first())
        .join(fact_call.select("call_id", "initiator_official_id"), on="call_id")
        .with_columns((pl.col("official_id") == pl.col("initiator_official_id")).fill_null(False).alias("is_initiator"))
        .select("call_id", "official_id", "country_code", "title_fa", "role_code", "is_initiator")
    )

    # A call's topics are every topic any of its reports gives with evidence: reports
    # of one call tell different parts of it (one outlet the greeting, another the
    # trade talk), and a topic one report shows is not lost for another's silence.
    # The evidence kept is the first report's (by article, then offset).
    call_topic = (
        topics.join(mention_keys, on=["article_id", "call_seq"])
        .sort("call_id", "topic_code", "article_id", "char_start")
        .group_by("call_id", "topic_code", maintain_order=True)
        .first()
        .select("call_id", "topic_code", "evidence", "article_id", "char_start", "char_end")
    )
    call_mention = assigned.select(
        "call_id", "article_id", "call_seq", "sentence_index", "char_start", "char_end", "evidence"
    ).sort("article_id", "call_seq")

    statement = (
        statements.join(mention_keys, on=["article_id", "call_seq"], how="left")
        .with_columns(
            pl.struct("article_id", "char_start", "char_end")
            .map_elements(lambda s: _hash(s["article_id"], s["char_start"], s["char_end"]), return_dtype=pl.String)
            .alias("statement_id")
        )
        .unique("statement_id", keep="first", maintain_order=True)
        .select("statement_id", "article_id", "call_id", "official_id", "verb", "text", "char_start", "char_end")
        .sort("statement_id")
    )
    return Facts(fact_call, call_participant, call_topic, call_mention, statement)
