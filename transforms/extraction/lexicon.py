"""Extraction lexicons in seeds/lexicon (data only): the word classes of a call report's
grammar (call_words.csv), topic word families (topic_words.csv) and the topic codes
(topics.csv)."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from .text import norm

LEXICON_DIR = Path(__file__).resolve().parents[2] / "seeds" / "lexicon"
TOPIC_KINDS = {"stem", "word", "term", "generic"}


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


@dataclass(frozen=True)
class TopicWord:
    code: str          # topic code, or "-" for a generic phrase
    form: str          # matching form
    kind: str          # stem | word | term | generic
    country: str | None


@dataclass(frozen=True)
class Lexicon:
    classes: dict      # class -> {matching form: attribute}
    topic_words: tuple  # TopicWord
    topics: tuple       # (topic_code, name_fa, name_en)

    def words(self, cls: str) -> dict:
        return self.classes.get(cls, {})


@functools.lru_cache(maxsize=4)
def load_lexicon(directory: str | None = None) -> Lexicon:
    d = Path(directory) if directory else LEXICON_DIR
    classes: dict[str, dict[str, str]] = {}
    for r in _rows(d / "call_words.csv"):
        classes.setdefault(r["class"].strip(), {})[norm(r["word"])] = (r.get("attribute") or "").strip()
    words = []
    for r in _rows(d / "topic_words.csv"):
        kind = r["kind"].strip()
        if kind not in TOPIC_KINDS:
            raise ValueError(f"{d / 'topic_words.csv'}: unknown kind {kind!r} for {r['family']!r}")
        words.append(TopicWord(r["topic_code"].strip(), norm(r["family"]), kind, (r.get("country") or "").strip() or None))
    topics = tuple((r["topic_code"], r["name_fa"], r["name_en"]) for r in _rows(d / "topics.csv"))
    known = {t[0] for t in topics} | {"-"}
    unknown = {w.code for w in words} - known
    if unknown:
        raise ValueError(f"{d / 'topic_words.csv'}: topic codes not in topics.csv: {sorted(unknown)}")
    return Lexicon(classes, tuple(words), topics)
