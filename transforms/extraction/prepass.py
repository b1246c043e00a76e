"""A batch-wide test of which articles can report a call, or quote anyone, at all.

Every call predicate contains one of ``CALL_WORDS``, and every statement one of the
statement verbs (``statements.VERBS``), in the matching form of the text
(``text.normalize_with_map``). The same matching form is built here for a whole batch
with polars expressions (one Aho-Corasick replace, one regex per test), so the
per-article call grammar runs only on articles with a call word, and an article with
neither gets only its metadata. ``tests/test_prepass.py`` checks that the result equals
testing each article's own matching form, and that extraction is identical with and
without the pre-pass.
"""

from __future__ import annotations

import re

import polars as pl

from .statements import VERBS
from .text import _CHAR_MAP, _DIACRITICS

# every call predicate has one of these words: an article without them has no call
CALL_WORDS = re.compile(r"تماس|تلفن|زنگ|گفت ?و ?گو|مکالم|رایزنی|صحبت|کنفرانس|تبادل نظر|ارتباط"
                        r"|(?:نشست|اجلاس|دیدار)(?: ?ها| ?های)? (?:ویدئویی|ویدیویی|مجازی)")
# every statement has one of these verbs (statements.py matches them with look-arounds)
STATEMENT_VERBS = re.compile("|".join(sorted({v.replace("أ", "ا") for v in VERBS}, key=len, reverse=True)))

_FROM = list(_CHAR_MAP) + sorted(_DIACRITICS)
_TO = list(_CHAR_MAP.values()) + [""] * len(_DIACRITICS)


def matching_form(texts: pl.Expr) -> pl.Expr:
    """The matching form of each text, as ``normalize_with_map(t).s`` gives it (up to
    leading and trailing spaces, which no call word contains)."""
    return texts.fill_null("").str.replace_many(_FROM, _TO).str.replace_all(" {2,}", " ")


def may_report_call(texts: pl.Series) -> pl.Series:
    """True for each text whose matching form holds a call word."""
    return pl.select(matching_form(pl.lit(texts)).str.contains(CALL_WORDS.pattern)).to_series()


def verdicts(texts: pl.Series) -> pl.DataFrame:
    """For each text, from one matching form: ``may_call`` (as ``may_report_call``) and
    ``may_state`` (its matching form holds a statement verb)."""
    return pl.select(form=matching_form(pl.lit(texts))).select(
        may_call=pl.col("form").str.contains(CALL_WORDS.pattern),
        may_state=pl.col("form").str.contains(STATEMENT_VERBS.pattern),
    )
