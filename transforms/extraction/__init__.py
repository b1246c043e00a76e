"""Extraction of diplomatic phone calls from cleaned Persian news text.

``extract_calls(articles, reference) -> Extraction`` where ``articles`` has columns
article_id, clean_text, title, published_at (Datetime UTC, nullable). Rules over the
grammar of a call report, gazetteers and hazm's lexicon; the modules, in the order an
article goes through them:

- text.py        matching form with offsets back to clean_text, sentences, tokens
- officials.py   officials as noun phrases: names, titles and their complements, plural
                 titles, counterparts; the office history that dates a title
- predicates.py  call predicates (تماس، گفت‌وگو تلفنی ...) and whether they report a call
                 that happened (verbs.py: tense, mood, polarity and person of a verb)
- reports.py     a predicate's arguments, who placed the call, one call or several
- resolve.py     a noun phrase -> a participant (gazetteer person, office holder, text official)
- calls.py       the reports of one article that speak of one call -> that call
- dates.py       the call's own date cue; publication date in Tehran time
- topics.py      topic word families in the sentences that report the call's content
- statements.py  who said what
- metadata.py    outlet and cited outlet in the text
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from .article import extract_article
from .lexicon import load_lexicon
from .officials import gazetteer
from .prepass import verdicts

__all__ = ["Extraction", "extract_calls", "extract_one", "extraction_text", "MAX_EXTRACT_CHARS", "SCHEMAS"]

# What one article sends to extraction, at most: a call report names its call near the
# top, the longest real article we have read is a few tens of thousands of characters,
# and a text far beyond that (a dump, a feed saved as one article) must not hold a run
# for minutes. Extraction stays linear in the text below the cap; docs/extraction.md.
MAX_EXTRACT_CHARS = 100_000

SCHEMAS = {
    "mentions": {
        "article_id": pl.Utf8, "call_seq": pl.Int32, "mode": pl.Utf8, "call_date": pl.Date,
        "call_date_precision": pl.Utf8, "date_basis": pl.Utf8, "sentence_index": pl.Int32,
        "char_start": pl.Int32, "char_end": pl.Int32, "evidence": pl.Utf8,
    },
    "participants": {
        "article_id": pl.Utf8, "call_seq": pl.Int32, "official_id": pl.Utf8, "country_code": pl.Utf8,
        "title_fa": pl.Utf8, "role_code": pl.Utf8, "is_initiator": pl.Boolean, "dq_flag": pl.Utf8,
    },
    "officials": {
        "article_id": pl.Utf8, "official_id": pl.Utf8, "name_fa": pl.Utf8, "name_en": pl.Utf8, "country_code": pl.Utf8,
        "aliases": pl.List(pl.Utf8), "title_fa": pl.Utf8, "role_code": pl.Utf8, "source": pl.Utf8,
    },
    "topics": {
        "article_id": pl.Utf8, "call_seq": pl.Int32, "topic_code": pl.Utf8, "evidence": pl.Utf8,
        "char_start": pl.Int32, "char_end": pl.Int32,
    },
    "statements": {
        "article_id": pl.Utf8, "call_seq": pl.Int32, "official_id": pl.Utf8, "verb": pl.Utf8, "text": pl.Utf8,
        "char_start": pl.Int32, "char_end": pl.Int32,
    },
    "article_meta": {"article_id": pl.Utf8, "outlet_in_text": pl.Utf8, "cited_outlet": pl.Utf8,
                     "extracted_chars": pl.Int32},
}


@dataclass(frozen=True)
class Extraction:
    mentions: pl.DataFrame
    participants: pl.DataFrame
    officials: pl.DataFrame
    topics: pl.DataFrame
    statements: pl.DataFrame
    article_meta: pl.DataFrame


def _frame(rows: list[dict], name: str) -> pl.DataFrame:
    schema = SCHEMAS[name]
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(rows, schema=schema, orient="row")


def extraction_text(clean_text: str, max_chars: int | None = MAX_EXTRACT_CHARS) -> str:
    """The start of ``clean_text`` that extraction reads: all of it up to ``max_chars``
    characters, else cut at the last line end before the cap (the last space when no line
    ends in its second half), so no sentence or word is cut in two. A prefix, so evidence
    offsets into it are offsets into ``clean_text``."""
    if max_chars is None or len(clean_text) <= max_chars:
        return clean_text
    cut = clean_text.rfind("\n", 0, max_chars + 1)
    if cut < max_chars // 2:
        cut = max(cut, clean_text.rfind(" ", 0, max_chars + 1))
    return clean_text[:cut if cut > 0 else max_chars]


def extract_one(article_id: str, clean_text: str, title: str | None, published_at, reference,
                may_call: bool | None = None, may_state: bool | None = None,
                max_chars: int | None = MAX_EXTRACT_CHARS) -> dict:
    """Extraction of one article as lists of row dicts (the per-article unit the flow maps).
    ``max_chars``: see ``extraction_text`` (None: the whole text, for benchmarks);
    ``extracted_chars`` in the result is how much was read when less than the whole."""
    g = gazetteer(reference)
    lex = load_lexicon()
    text = extraction_text(clean_text, max_chars)
    out = extract_article(article_id, text, title, published_at, g, lex, reference.occasions, may_call, may_state)
    out["extracted_chars"] = len(text) if len(text) < len(clean_text) else None
    return out


def extract_calls(articles: pl.DataFrame, reference, prepass: bool = True) -> Extraction:
    """``prepass``: decide batch-wide which articles can report a call or quote anyone
    (the result is the same either way; the pre-pass only saves each article's own
    tests, and all reading of an article that can do neither)."""
    rows = {k: [] for k in SCHEMAS}
    cols = articles.columns
    texts = articles.get_column("clean_text") if "clean_text" in cols else pl.Series([""] * articles.height)
    texts = texts.str.slice(0, MAX_EXTRACT_CHARS + 1)  # all the pre-pass needs of a long text
    if prepass:
        found = verdicts(texts)
        flags = zip(found["may_call"].to_list(), found["may_state"].to_list())
    else:
        flags = [(None, None)] * articles.height
    for r, (may_call, may_state) in zip(articles.iter_rows(named=True), flags):
        out = extract_one(r["article_id"], r.get("clean_text") or "", r.get("title") if "title" in cols else None,
                          r.get("published_at") if "published_at" in cols else None, reference, may_call, may_state)
        rows["mentions"].extend(out["mentions"])
        rows["participants"].extend(out["participants"])
        # The loader keeps which article revealed an official (stg_official.article_id).
        rows["officials"].extend({**o, "article_id": r["article_id"]} for o in out["officials"])
        rows["topics"].extend(out["topics"])
        rows["statements"].extend(out["statements"])
        aid, outlet, cited = out["meta"]
        rows["article_meta"].append({"article_id": aid, "outlet_in_text": outlet, "cited_outlet": cited,
                                     "extracted_chars": out["extracted_chars"]})
    officials = _frame(rows["officials"], "officials")
    if officials.height:
        officials = (
            officials.explode("aliases", empty_as_null=True)
            .group_by(["article_id", "official_id", "source"], maintain_order=True)
            .agg(
                pl.col("name_fa").first(), pl.col("name_en").first(), pl.col("country_code").first(),
                pl.col("aliases").drop_nulls().unique(maintain_order=True), pl.col("title_fa").first(),
                pl.col("role_code").first(),
            )
            .select(list(SCHEMAS["officials"]))
            .cast(SCHEMAS["officials"])
        )
    return Extraction(
        mentions=_frame(rows["mentions"], "mentions"),
        participants=_frame(rows["participants"], "participants"),
        officials=officials,
        topics=_frame(rows["topics"], "topics"),
        statements=_frame(rows["statements"], "statements"),
        article_meta=_frame(rows["article_meta"], "article_meta"),
    )
