"""Extraction lexicons in seeds/lexicon (data only): the word classes of a call report's
grammar (call_words.csv), topic word families (topic_words.csv) and the topic codes
(topics.csv)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from core.script import TOKEN_LETTERS
from core.seeds import LEXICON_DIR, LINE, read_csv

from .text import norm, words_not_after

TOPIC_KINDS = {"stem", "word", "term", "generic"}


def _rows(path: Path, columns: list[str]) -> list[dict]:
    return read_csv(path, columns).drop(LINE).to_dicts()


@dataclass(frozen=True)
class TopicWord:
    code: str          # topic code, or "-" for a generic phrase
    form: str          # matching form
    kind: str          # stem | word | term | generic
    country: str | None


_LETTERS = f"{TOKEN_LETTERS}a-zA-Z0-9"


@dataclass(frozen=True)
class Lexicon:
    classes: dict      # class -> {matching form: attribute}
    topic_words: tuple  # TopicWord
    topics: tuple       # (topic_code, name_fa, name_en)
    _patterns: dict = field(default_factory=dict, compare=False, repr=False)

    def words(self, cls: str) -> dict:
        return self.classes.get(cls, {})

    def pattern(self, cls: str, attribute: str | None = None) -> re.Pattern:
        """One compiled pattern for the words of a class (with that attribute), each a
        whole word of the matching form, longest first."""
        key = (cls, attribute)
        hit = self._patterns.get(key)
        if hit is None:
            words = [w for w, a in self.words(cls).items() if attribute is None or a == attribute]
            alt = words_not_after(sorted(words, key=len, reverse=True), f"[{_LETTERS}]") if words else "(?!)"
            hit = self._patterns[key] = re.compile(rf"(?:{alt})(?![{_LETTERS}])")
        return hit


@functools.lru_cache(maxsize=4)
def load_lexicon(directory: str | None = None) -> Lexicon:
    d = Path(directory) if directory else LEXICON_DIR
    classes: dict[str, dict[str, str]] = {}
    for r in _rows(d / "call_words.csv", ["class", "word"]):
        classes.setdefault(r["class"], {})[norm(r["word"])] = r.get("attribute", "")
    words = []
    for r in _rows(d / "topic_words.csv", ["topic_code", "family", "kind"]):
        kind = r["kind"]
        if kind not in TOPIC_KINDS:
            raise ValueError(f"{d / 'topic_words.csv'}: unknown kind {kind!r} for {r['family']!r}")
        words.append(TopicWord(r["topic_code"], norm(r["family"]), kind, r.get("country") or None))
    topic_rows = _rows(d / "topics.csv", ["topic_code", "name_fa", "name_en"])
    topics = tuple((r["topic_code"], r["name_fa"], r["name_en"]) for r in topic_rows)
    known = {t[0] for t in topics} | {"-"}
    unknown = {w.code for w in words} - known
    if unknown:
        raise ValueError(f"{d / 'topic_words.csv'}: topic codes not in topics.csv: {sorted(unknown)}")
    return Lexicon(classes, tuple(words), topics)
