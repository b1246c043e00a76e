"""Extraction lexicons in seeds/lexicon (data only): call cues, topic cues, topics."""

from __future__ import annotations

import csv
import re
import functools
from dataclasses import dataclass
from pathlib import Path

from .text import norm

LEXICON_DIR = Path(__file__).resolve().parents[2] / "seeds" / "lexicon"


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


def _gofto_variants(s: str) -> set[str]:
    out = {s}
    if "گفتگو" in s:
        for v in ("گفت وگو", "گفت و گو", "گفت گو"):
            out.add(s.replace("گفتگو", v))
    return out


_PLURAL_GLUED = re.compile(r"(?<=\S{3})(ها|های|هایی)(?=\s|$)")
_PLURAL_SPACED = re.compile(r"(?<=\S{3}) (ها|های|هایی)(?=\s|$)")


def _plural_variants(s: str) -> set[str]:
    """'نیروهای مسلح' also as 'نیرو های مسلح' (ZWNJ before the plural suffix), and back."""
    return {s, _PLURAL_GLUED.sub(r" \1", s), _PLURAL_SPACED.sub(r"\1", s)}


@dataclass(frozen=True)
class CallCue:
    text: str       # matching form
    kind: str
    mode: str | None
    directional: bool


@dataclass(frozen=True)
class Lexicon:
    call_cues: tuple          # CallCue (strong/weak), longest first
    neg_cues: dict            # kind -> tuple of matching forms
    topic_cues: tuple         # (topic_code, form, prefix)
    topics: tuple             # (topic_code, name_fa, name_en)


@functools.lru_cache(maxsize=4)
def load_lexicon(directory: str | None = None) -> Lexicon:
    d = Path(directory) if directory else LEXICON_DIR
    cues, neg = [], {}
    for r in _rows(d / "call_cues.csv"):
        kind = r["kind"].strip()
        for v in _gofto_variants(norm(r["cue"])):
            if kind in {"strong", "weak"}:
                cues.append(CallCue(v, kind, (r.get("mode") or "phone").strip() or "phone", r.get("directional", "0").strip() == "1"))
            else:
                neg.setdefault(kind, set()).add(v)
    cues.sort(key=lambda c: -len(c.text))
    tcs = []
    for r in _rows(d / "topic_cues.csv"):
        cue = r["cue"].strip()
        prefix = cue.endswith("*")
        for g in _gofto_variants(norm(cue.rstrip("*"))):
            for v in _plural_variants(g):
                if (r["topic_code"].strip(), v, prefix) not in tcs:
                    tcs.append((r["topic_code"].strip(), v, prefix))
    topics = tuple((r["topic_code"], r["name_fa"], r["name_en"]) for r in _rows(d / "topics.csv"))
    return Lexicon(tuple(cues), {k: tuple(sorted(v, key=len, reverse=True)) for k, v in neg.items()}, tuple(tcs), topics)
