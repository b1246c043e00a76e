"""Glued-token report for Tamas cleaning vs hazm's Normalizer alone (issue 3).

    python scripts/textstats.py DIR [--top 20]

Reads every .json (field ``text``), .txt and .md file under DIR. Each text is cleaned
twice: (a) hazm's Normalizer() alone, (b) ``transforms.cleaning.clean_text``.

Words are runs of Persian letters; a word is cut at ZWNJ into parts, since a part
written with ZWNJ is a part the writer separated. A part is *known* if it is in hazm's
word list or verb forms, or is a bare affix (ها، تر، می، ...). A *glued token* is an
unknown part that splits into a known word plus an affix (ها های هایی تر ترین after,
می نمی before) or into two lexicon words (each of 2+ letters, tagged in hazm's list with a corpus
count >= MIN_COUNT, so that fragments like وز/قط/چی do not make every name "split"). The script prints the
glued counts for (a) and (b), their ratio, the unknown-part share for both, and the
most frequent glued tokens left by (b) with the split that makes them count (names
that happen to split stay in both counts). A word that is a lexicon word plus suffixes
Persian writes attached (ی ان ات ش مان ست انه ...) is an ordinary inflected word: known
(``transforms.repairs._is_word``, the same test the cleaning uses).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.script import LETTERS, ZWNJ  # noqa: E402
from transforms.cleaning import clean_text  # noqa: E402
from transforms.repairs import _is_word, resources  # noqa: E402

SUFFIXES = ("هایی", "های", "ها", "ترین", "تر")
PREFIXES = ("نمی", "می")
BARE_AFFIXES = frozenset(
    "ها های هایی تر تری ترین می نمی ای ی ام ات اش اند ایم اید یم ید ند شان تان مان گر گری".split()
)
MIN_COUNT = 1000
WORD_RE = re.compile(f"[{LETTERS}{ZWNJ}]+")


def load_texts(directory: Path) -> list[str]:
    texts = []
    for path in sorted(directory.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".json":
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue
            items = data if isinstance(data, list) else [data]
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("text"), str):
                    texts.append(item["text"])
        elif path.suffix in (".txt", ".md"):
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts


class Counter2:
    def __init__(self) -> None:
        r = self.r = resources()
        self.words = r.lex
        self.known = set(r.lex) | set(r.verbs) | BARE_AFFIXES
        # "lexicon word" for the two-word split: an attested (tagged, count >= MIN_COUNT)
        # entry of 2+ letters; hazm's list also holds untagged count-0 entries and
        # rare fragments (وز, قط, دا, چی) that would make most names "split".
        self.split_words = frozenset(
            w for w, (count, tags) in r.normalizer.words.items()
            if count >= MIN_COUNT and len(w) >= 2 and tags != ("0",)
        )

    def is_known(self, part: str) -> bool:
        # a lexicon word/verb form, or one with suffixes Persian writes attached, or a
        # word hazm stripped the tanwin from (قطعاً -> قطعا): the same test cleaning uses
        return part in self.known or _is_word(part, self.r)

    def split(self, part: str) -> str | None:
        """Why ``part`` counts as glued (e.g. "همکاری+ها"), or None."""
        if self.is_known(part):
            return None
        for suf in SUFFIXES:
            if part.endswith(suf) and len(part) > len(suf) + 1 and part[: -len(suf)] in self.known:
                return part[: -len(suf)] + "+" + suf
        for pre in PREFIXES:
            if part.startswith(pre) and len(part) > len(pre) + 1 and part[len(pre):] in self.known:
                return pre + "+" + part[len(pre):]
        for i in range(2, len(part) - 1):
            if part[:i] in self.split_words and part[i:] in self.split_words:
                return part[:i] + "+" + part[i:]
        return None

    def stats(self, texts: list[str]) -> tuple[int, int, int, Counter]:
        glued = unknown = total = 0
        tops: Counter = Counter()
        for text in texts:
            for word in WORD_RE.findall(text):
                for part in word.split(ZWNJ):
                    if not part:
                        continue
                    total += 1
                    if self.is_known(part):
                        continue
                    unknown += 1
                    why = self.split(part)
                    if why is not None:
                        glued += 1
                        tops[(part, why)] += 1
        return glued, unknown, total, tops


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--top", type=int, default=20)
    args = ap.parse_args(argv)

    texts = load_texts(args.dir)
    if not texts:
        print(f"no .json/.txt/.md texts under {args.dir}", file=sys.stderr)
        return 1

    from hazm import Normalizer

    hazm_only = Normalizer()
    a_texts = [hazm_only.normalize(t) for t in texts]
    b_texts = [clean_text(t) for t in texts]

    c = Counter2()
    ga, ua, ta, _ = c.stats(a_texts)
    gb, ub, tb, tops = c.stats(b_texts)

    print(f"texts: {len(texts)} from {args.dir}")
    print(f"(a) hazm Normalizer alone : glued tokens {ga:6d}   unknown share {ua / max(ta, 1):.4f} ({ua}/{ta})")
    print(f"(b) Tamas clean_text      : glued tokens {gb:6d}   unknown share {ub / max(tb, 1):.4f} ({ub}/{tb})")
    ratio = gb / ga if ga else 0.0
    print(f"ratio (b)/(a): {ratio:.3f}   target <= 0.25: {'OK' if ratio <= 0.25 else 'FAIL'}")
    print(
        f"unknown share (b) vs (a): {ub / max(tb, 1):.4f} vs {ua / max(ta, 1):.4f}: "
        f"{'OK (not rising)' if ub / max(tb, 1) <= ua / max(ta, 1) else 'FAIL (rising)'}"
    )
    print(f"top {args.top} glued tokens left by (b):")
    for (part, why), n in tops.most_common(args.top):
        print(f"  {n:4d}  {part}  ({why})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
