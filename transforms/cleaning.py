"""Persian text cleaning (issue 3), in three steps:

1. format noise removal (transforms/noise.py): HTML, emoji, markdown, bullets, handles,
   hashtags, link tails, junk lines; sentences a scraper broke joined again;
2. hazm's Normalizer, applied batch-wide (transforms/normalize.py, options in
   transforms/hazm_core.py), with numbers, URLs and e-mail addresses shielded from its
   tokenizer (here);
3. the repairs hazm does not make (transforms/repairs.py): spellings, compounds, glued
   suffixes and words, from hazm's word list and the lexicons in ``seeds/lexicon/``.

Public interface (pure functions; the only I/O is loading hazm's word list and the
lexicons once per process, lazily):

- ``clean_text(raw)``   text extraction reads; paragraphs separated by one "\\n".
- ``clean_title(raw)``  the same, on one line.
- ``clean_texts(raws)``  ``clean_text`` of many texts, hazm run once over them all.
- ``match_form(s)``     matching key for names/titles (spelling-independent).
- ``to_ascii_digits(s)``  Persian / Arabic-Indic digits -> ASCII.
- ``clean_articles(df)``  polars frame with ``raw_text`` (and optional ``title``) ->
  the same frame with ``clean_text`` added (and ``title`` cleaned).

Digits are never converted: the text keeps its own digits for display, and hazm's
options that touch numbers (``persian_numbers``, and ``persian_style`` whose
``1.6 -> 1٫6`` rule and tokenizer split numbers) are off. Numbers, URLs and e-mail
addresses are shielded from hazm's tokenizer, which would otherwise space
``1,730.86`` into ``1 , 730.86`` and ``1403/08/12`` into ``1403 / 08 / 12``.
"""

from __future__ import annotations

import functools
import re

import polars as pl

from core.script import (  # noqa: F401  (LETTERS re-exported: callers use it from here)
    BOM, HARAKAT, LETTER_FOLDS, LETTER_SET, LETTERS, LRM, QURANIC_MARKS, REGIONAL_FORMS, RLM, TATWEEL,
    TO_ASCII_DIGITS, ZWJ, ZWNJ,
)
from transforms.noise import fix_edge_zwnj, join_broken, strip_bullet, strip_noise
from transforms.repairs import Resources, fix_spellings, repair, repair_gates, resources, unknown_runs

__all__ = [
    "clean_text",
    "clean_title",
    "match_form",
    "to_ascii_digits",
    "clean_articles",
    "clean_texts",
]

# --------------------------------------------------------------------------- digits

_DIGIT_TO_ASCII = str.maketrans(TO_ASCII_DIGITS)


def to_ascii_digits(s: str) -> str:
    """Persian (۰-۹) and Arabic-Indic (٠-٩) digits -> ASCII 0-9. Nothing else changes."""
    return s.translate(_DIGIT_TO_ASCII)


# ----------------------------------------------------------------------- match_form

# Wider than extraction's matching form (transforms/extraction/text.py), which keeps
# offsets into clean_text: a name key also folds other scripts' letter forms and Quranic
# marks, and drops ZWJ rather than splitting a word at it.
_MATCH_TRANSLATION = str.maketrans(
    {
        **LETTER_FOLDS, **REGIONAL_FORMS,
        **dict.fromkeys(HARAKAT + QURANIC_MARKS + TATWEEL + ZWJ + LRM + RLM + BOM),  # dropped
        ZWNJ: " ", "\u00a0": " ", "\t": " ", "\n": " ", "\r": " ", "-": " ", "_": " ",
    }
)
_EDGE_PUNCT = re.compile(r"^[\s«»\"'“”‘’()\[\]{}<>.,،؛;:!?؟…\-–—/|*#]+|[\s«»\"'“”‘’()\[\]{}<>.,،؛;:!?؟…\-–—/|*#]+$")
_SPACES = re.compile(r"\s+")
_SEYYED = re.compile(r"(?<![\w])(سید|سیده) (?=\w)")


def match_form(s: str) -> str:
    """Matching key for names and titles.

    Arabic ي ك ى ة -> ی ک ی ه; ئ -> ی (so رئیس == رییس); ۀ and هٔ -> ه; أ إ آ ٱ -> ا;
    ؤ -> و; diacritics and tatweel removed; ZWNJ, hyphen and whitespace runs -> one
    space; «» quotes and punctuation stripped at both ends; digits to ASCII; Latin
    case-folded.
    """
    if not s:
        return ""
    s = s.translate(_MATCH_TRANSLATION)
    s = to_ascii_digits(s).casefold()
    s = _SPACES.sub(" ", s)
    s = _SEYYED.sub(r"\1", s)  # "سید عباس" and "سیدعباس" give one key
    return _EDGE_PUNCT.sub("", s)


# ------------------------------------------------------------------ shielding

# spans hazm's tokenizer would break apart: URLs, e-mails, numbers with separators,
# dotted Latin abbreviations.
_SHIELD = re.compile(
    r"(?:https?://|www\.)[^\s«»\"]+[^\s«»\".,،؛:!?؟)\]]"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
    r"|\b[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.(?:com|ir|org|net|me|io|news|tv)(?:/[^\s«»\"]*[^\s«»\".,،؛:!?؟)\]])?"
    r"|\d+(?:[.,٫٬/:\-]\d+)+"
    r"|\b[A-Za-z](?:\.[A-Za-z])+\.?"
)
# The cheap test for whether a text is worth shielding (a text without it is not), run by
# polars over a whole batch (_may_shield): re tried it at every position of every text.
_SHIELD_HINT = r"\d[.,٫٬/:\-]\d|[A-Za-z0-9]\.[A-Za-z]|@|://"
_MARK = "\ue000"  # a shielded span, while hazm's normaliser runs (no rule looks at it)
_MAX_SHIELDED = 6400


@functools.lru_cache(maxsize=1)
def _shield_hint_for_polars() -> str:
    from transforms.normalize import rust_pattern

    return rust_pattern(_SHIELD_HINT)


def _may_shield(texts: list[str]) -> list[bool]:
    """For each text, whether it holds _SHIELD_HINT."""
    return pl.Series(texts, dtype=pl.String).str.contains(_shield_hint_for_polars()).to_list()


# Every match of _SHIELD starts with one of these characters, rare in Persian text:
# _SHIELD is tried only where one stands (re tried its five branches at every position).
_SHIELD_START = re.compile(r"[\dA-Za-z._%+-]")


def _shield_matches(text: str):
    """_SHIELD's matches in ``text``, as its ``finditer`` gives them."""
    pos = 0
    while (start := _SHIELD_START.search(text, pos)) is not None:
        m = _SHIELD.match(text, start.start())
        if m is None:
            pos = start.start() + 1
        else:
            yield m
            pos = m.end()


def _shield(text: str) -> tuple[str, list[str]]:
    """Numbers, URLs and e-mail addresses replaced by _MARK (at most _MAX_SHIELDED of
    them; the rest stay), and the spans in order. For a text _may_shield found worth it."""
    shielded: list[str] = []
    pieces, at = [], 0
    for m in _shield_matches(text):
        if len(shielded) >= _MAX_SHIELDED:
            break
        pieces += (text[at:m.start()], _MARK)
        shielded.append(m.group(0))
        at = m.end()
    pieces.append(text[at:])
    return "".join(pieces), shielded


def _unshield(text: str, shielded: list[str]) -> str:
    """Put the shielded spans back, with hazm's digit/letter spacing (۹متر -> ۹ متر)."""
    pieces = text.split(_MARK)
    out = [pieces[0]]
    for k, value in enumerate(shielded):
        before, after = pieces[k], pieces[k + 1]
        if before and before[-1] in LETTER_SET and value[0].isdigit():
            value = " " + value
        if after and after[0] in LETTER_SET and value[-1].isdigit():
            value = value + " "
        out.append(value)
        out.append(after)
    return "".join(out)


# ------------------------------------------------------------------ the steps together

_QUOTES = re.compile(r'"([^\n"]+)"')
_MULTISPACE = re.compile(r"[ ]{2,}")


def _clean_batch(texts: list[str], r: Resources) -> list[str]:
    """The cleaning after noise removal, of a batch of texts (paragraphs joined by
    "\\n"); hazm's normaliser runs once over the whole batch (transforms/normalize.py)."""
    from transforms.normalize import normalize_batch

    shielded: list[list[str]] = []
    prepared = []
    # before hazm, so its own joins see the standard form; and ezafe: hazm already turns
    # هٔ into ه, the same for ۀ
    texts = [fix_spellings(text, r).replace("ۀ", "ه") for text in texts]
    for text, may_shield in zip(texts, _may_shield(texts)):
        spans: list[str] = []
        if may_shield:
            text, spans = _shield(text)  # numbers/URLs kept from hazm's tokenizer
        if '"' in text:
            text = _QUOTES.sub(r"«\1»", text)
        prepared.append(text)
        shielded.append(spans)
    normalized = [_unshield(text, spans) if spans else text for text, spans in zip(normalize_batch(prepared), shielded)]
    out = []
    gates = zip(*repair_gates(normalized, r), unknown_runs(normalized, r))
    for text, (compounds, agencies, unknown) in zip(normalized, gates):
        text = repair(text, r, compounds, agencies, unknown)
        # ZWNJ only joins two letters (hazm's affix rule can leave "می‌0")
        text = fix_edge_zwnj(text)
        if "  " in text:
            text = _MULTISPACE.sub(" ", text)
        # hazm spaces a bullet glued to what follows ("-5", "•(") into one noise removal
        # strips: strip it now, so that cleaning a clean text changes nothing
        lines = [strip_bullet(line.strip()) for line in text.split("\n")]
        out.append("\n".join(join_broken([line for line in lines if line])))
    return out


def clean_texts(raws: list[str | None]) -> list[str]:
    """``clean_text`` of each text, hazm's normaliser applied to them all at once."""
    r = resources()
    texts = ["\n".join(strip_noise(raw)) if raw else "" for raw in raws]
    todo = [i for i, text in enumerate(texts) if text]
    cleaned = _clean_batch([texts[i] for i in todo], r) if todo else []
    # hazm can make noise out of text that was not: it spaces a digit from what follows, so
    # "0#x" becomes "0 #x", a hashtag (handles likewise). Such texts are cleaned again until
    # no noise is left, so that cleaning a clean text changes nothing.
    for _ in range(3):
        noisy = [k for k, text in enumerate(cleaned)
                 if ("#" in text or "@" in text) and "\n".join(strip_noise(text)) != text]
        if not noisy:
            break
        again = _clean_batch(["\n".join(strip_noise(cleaned[k])) for k in noisy], r)
        for k, text in zip(noisy, again):
            cleaned[k] = text
    out = [""] * len(texts)
    for i, text in zip(todo, cleaned):
        out[i] = text
    return out


def clean_text(raw: str) -> str:
    """The text extraction reads: noise removed, hazm-normalised, repaired.
    Paragraphs are separated by a single "\\n". Idempotent."""
    if not raw:
        return ""
    return clean_texts([raw])[0]


def clean_title(raw: str) -> str:
    """clean_text on one line."""
    if not raw:
        return ""
    return " ".join(clean_text(raw).split("\n"))


def clean_articles(df: pl.DataFrame) -> pl.DataFrame:
    """Add ``clean_text`` (from ``raw_text``) and clean ``title`` if present: texts and
    titles are cleaned as one batch."""
    texts = df["raw_text"].to_list()
    titles = df["title"].to_list() if "title" in df.columns else []
    cleaned = clean_texts(texts + titles)
    out = df.with_columns(pl.Series("clean_text", cleaned[: len(texts)], dtype=pl.Utf8))
    if "title" in df.columns:
        out = out.with_columns(pl.Series(
            "title", [" ".join(c.split("\n")) if t else t for t, c in zip(titles, cleaned[len(texts):])], dtype=pl.Utf8
        ))
    return out
