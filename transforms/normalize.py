"""hazm's Normalizer (with the options of transforms/hazm_core.py), applied to a whole
batch of texts at once, with the same result text by text.

``normalize_batch(texts)`` equals ``[hazm_core.normalizer().normalize(t) for t in texts]``
(tests/test_normalize.py on texts written for it; scripts/check_normalizer.py on every
text of the dev set and of the ordinary-news corpus). hazm's steps in its order:

1. its character table (390 Arabic variants, curly quotes, NBSP) and diacritics;
2. ``correct_spacing``: extra spaces, newlines and ZWNJs; tokenising each line and
   ``token_spacing`` (a token ZWNJ-joined to the one before when the pair is a word of
   its lexicon or a verb form, or the token a suffix after a word); the affix and
   punctuation spacing patterns;
3. the ligatures of ``unicodes_replacement`` and ``remove_specials_chars``.

Each rule is applied to the whole batch as a polars string expression (Rust's regex
engine, one pass over the batch's buffer) where it has no look-around, or an equivalent
without one (the two ZWNJ rules with \\b); hazm's regex, compiled once, goes text by text
where it has one (a lookbehind or lookahead).
A rule's pattern is hazm's own, with ``\\d`` spelt out as Python's digits (Rust's
``\\d`` follows a newer Unicode) and templates in Rust's ``${1}`` syntax; a test checks
every hazm pattern has exactly one counterpart here. ``token_spacing`` is hazm's rule
decided for all the tokens of a line by set lookups at C speed; only a token following
a join is decided by the pair with the joined word, as hazm does.
"""

from __future__ import annotations

import functools
import re
import sys
import threading
from itertools import compress
from operator import and_

import polars as pl

ZWNJ = "\u200c"

_PUNCT_AFTER, _PUNCT_BEFORE = r"\.:!،؛؟»\]\)\}", r"«\[\(\{"
_LETTERS = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"


def _ranges(chars: list[int]) -> str:
    """A character-class body (no brackets) for the code points ``chars`` (sorted)."""
    out, start, prev = [], None, None
    for c in chars + [-2]:
        if start is not None and c == prev + 1:
            prev = c
            continue
        if start is not None:
            out.append(f"\\x{{{start:x}}}" if start == prev else f"\\x{{{start:x}}}-\\x{{{prev:x}}}")
        start = prev = c
    return "".join(out)


@functools.lru_cache(maxsize=1)
def _digits() -> str:
    """Python's \\d (Unicode category Nd as this Python knows it), for Rust patterns."""
    from transforms import hazm_core

    return hazm_core.cached_table(
        "python-digits", lambda: _ranges([c for c in range(sys.maxunicode + 1) if chr(c).isdecimal()]))


def rust_pattern(pattern: str) -> str:
    """A pattern of Python's re (hazm's, or one of ours) for Rust's regex engine (polars):
    ``\\d`` spelt out as the digits Python's ``\\d`` matches (inside a class or not)."""
    out, in_class, i = [], False, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and pattern[i + 1] == "d":
            out.append(_digits() if in_class else f"[{_digits()}]")
            i += 2
            continue
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


def _rust_template(template: str) -> str:
    converted = re.sub(r"\\(\d)", r"${\1}", template)
    if "\\" in converted:
        raise ValueError(f"template not convertible: {template!r}")
    return converted


# hazm's patterns with a look-around (or \b, whose word characters differ between
# Python and Rust): hazm's regex, text by text. Each has a literal without which it
# cannot change a text (checked with ``in`` first).
_AFFIX_TR = (  # built as hazm builds it (part of it is not a raw string)
    r"(?<=[^\n\d " + _PUNCT_AFTER + _PUNCT_BEFORE + "]{2}) (تر(ین?)?|گری?|های?)(?=[ \n"
    + _PUNCT_AFTER + _PUNCT_BEFORE + "]|$)"
)
_PYTHON_RULES = {
    _AFFIX_TR: (" تر", " گر", " ها"),
    r"([^ ]ه) (ا(م|یم|ش|ند|ی|ید|ت))(?=[ \n" + _PUNCT_AFTER + "]|$)": ("ه ا",),
}
# hazm's two ZWNJ rules, with \b and \B, run by Rust's engine all the same: hazm's steps
# before them have made every run of ZWNJs one ZWNJ (checked when the steps are built).
# Then the first removes a ZWNJ with a word character before it and none after it (or
# the text's end after it), the second one with none before it (or the text's start)
# and a word character after it. The word characters are Python's, spelt out
# (``_word_class``): Rust's \w also has marks and the ZWNJ itself.
_ZWNJ_RUNS_COLLAPSED = r"\u200c{2,}"
_WORD = "{word}"
_RUST_EQUIVALENTS = {
    r"\b\u200c*\B": (f"([{_WORD}])\u200c([^{_WORD}]|$)", "${1}${2}"),
    r"\B\u200c*\b": (f"(^|[^{_WORD}])\u200c([{_WORD}])", "${1}${2}"),
}
_LOOK_AROUND = re.compile(r"\(\?<?[=!]|\\[bB]")


# A faster equivalent of the affix rule (the same text; tests/test_cleaning.py compares):
# its lookbehind is checked after the space it precedes, which re finds fast.
_FASTER = {
    _AFFIX_TR: (
        r" (?<=[^\n\d " + _PUNCT_AFTER + _PUNCT_BEFORE + "]{2} )(تر(ین?)?|گری?|های?)(?=[ \n"
        + _PUNCT_AFTER + _PUNCT_BEFORE + "]|$)"
    ),
}


@functools.lru_cache(maxsize=1)
def _word_class() -> str:
    """Python's \\w (str.isalnum() or "_") as a character-class body for Rust's engine."""
    from transforms import hazm_core

    return hazm_core.cached_table("python-word-chars", lambda: _ranges(
        [c for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF and (chr(c).isalnum() or c == 0x5F)]))


class BatchNormalizer:
    """Built once per process from hazm's Normalizer (hazm_core.normalizer())."""

    def __init__(self, normalizer) -> None:
        n = self.normalizer = normalizer
        from transforms import hazm_core

        table = hazm_core.hazm().maketrans(n.translation_src, n.translation_dst)
        table = {chr(k): v for k, v in table.items() if chr(k) != v}
        self._table_src, self._table_dst = list(table), list(table.values())
        ((diacritics, _),) = n.diacritics_patterns
        ((specials, _),) = n.specials_chars_patterns
        self._diacritics, self._specials = diacritics, specials
        self._ligatures = re.compile("[" + "".join(
            ch for pattern, _ in n.replacements for ch in pattern if ch not in "()|"
        ) + "]")

        # (stage, hazm pattern, template); a stage is "rust" or "python"
        self.steps: dict[str, list[tuple[str, str, str]]] = {}
        for name in ("extra_space_patterns", "affix_spacing_patterns", "punctuation_spacing_patterns"):
            for pattern, _ in getattr(n, name):
                if _LOOK_AROUND.search(pattern) and pattern not in _PYTHON_RULES and pattern not in _RUST_EQUIVALENTS:
                    raise RuntimeError(f"hazm has a new pattern with a look-around: {pattern!r}")
            patterns = [pattern for pattern, _ in getattr(n, name)]
            for pattern in _RUST_EQUIVALENTS:
                if pattern in patterns and _ZWNJ_RUNS_COLLAPSED not in patterns[:patterns.index(pattern)]:
                    raise RuntimeError(f"hazm no longer collapses runs of ZWNJ before {pattern!r}")
            self.steps[name] = [
                ("python" if pattern in _PYTHON_RULES else "rust", pattern, template)
                for pattern, template in getattr(n, name)
            ]
        self._python = {
            pattern: (re.compile(_FASTER.get(pattern, pattern)), _expander(template), _PYTHON_RULES[pattern])
            for steps in self.steps.values()
            for stage, pattern, template in steps
            if stage == "python"
        }
        word = _word_class()
        self._rust = {
            pattern: ((_RUST_EQUIVALENTS[pattern][0].replace(_WORD, word), _RUST_EQUIVALENTS[pattern][1])
                      if pattern in _RUST_EQUIVALENTS else (rust_pattern(pattern), _rust_template(template)))
            for steps in self.steps.values()
            for stage, pattern, template in steps
            if stage == "rust"
        }
        self._token_split = n.tokenizer.pattern  # hazm's WordTokenizer pattern
        self._token_rust = (rust_pattern(n.tokenizer.pattern.pattern), " ${1} ")

        # token_spacing: a token joins the one before when the ZWNJ-joined pair is a verb
        # form or a lexicon word counted at least once ... (built here, not kept on disk:
        # read back, these strings would be copies of the word list's, not the same objects)
        words, verbs = n.words, n.verbs
        self._pair_words = frozenset(w for w in verbs if ZWNJ in w).union(
            w for w, (count, _) in words.items() if count > 0 and ZWNJ in w
        )
        # ... or when the token is a suffix and the one before a lexicon word. hazm vetoes
        # a join when the token and the next, "_"-joined, are a verb form: none is.
        self._suffixes = frozenset(n.suffixes)
        self._words = words
        if any("_" in v for v in verbs):
            raise RuntimeError("hazm's verb forms now join parts with '_': token_spacing's veto applies")
        # A pair can be such a word only if the first token is what comes before some
        # ZWNJ of the word and the second what follows it; these two sets rule out most
        # pairs without building the pair's string.
        heads, tails = set(), set()
        for w in self._pair_words:
            i = w.find(ZWNJ)
            while i >= 0:
                heads.add(w[:i])
                tails.add(w[i + 1:])
                i = w.find(ZWNJ, i + 1)
        # ("" and "\n" are neither: the line-break tokens of token_spacing)
        self._heads, self._tails = frozenset(heads - {"", "\n"}), frozenset(tails - {"", "\n"})
        self._joinable = self._tails | self._suffixes  # a token that may join the one before

    # ------------------------------------------------------------------ stages

    def _rust_steps(self, s: pl.Series, name: str, start: int, stop: int) -> pl.Series:
        for stage, pattern, _ in self.steps[name][start:stop]:
            assert stage == "rust", pattern
            rust, template = self._rust[pattern]
            s = s.str.replace_all(rust, template)
        return s

    def _python_steps(self, texts: list[str], name: str, start: int, stop: int) -> list[str]:
        for stage, pattern, _ in self.steps[name][start:stop]:
            assert stage == "python", pattern
            regex, repl, hints = self._python[pattern]
            texts = [regex.sub(repl, t) if any(h in t for h in hints) else t for t in texts]
        return texts

    def _apply(self, s: pl.Series, name: str) -> pl.Series:
        """hazm's patterns ``name`` in order: runs of look-around-free patterns on the
        series, the others text by text."""
        steps = self.steps[name]
        i = 0
        while i < len(steps):
            j = i
            while j < len(steps) and steps[j][0] == steps[i][0]:
                j += 1
            if steps[i][0] == "rust":
                s = self._rust_steps(s, name, i, j)
            else:
                s = pl.Series(self._python_steps(s.to_list(), name, i, j), dtype=pl.String)
            i = j
        return s

    def token_spacing(self, text: str) -> str:
        """hazm's token_spacing on each line of a tokenised text (tokens separated by
        single spaces, lines by "\\n"), as ``" ".join(token_spacing(line.split()))``.

        The whole text is one list of tokens in which each line break is a token of its
        own: it is neither before nor after a ZWNJ in any word, nor a suffix, nor a
        word, so nothing joins across it, as nothing joins across lines in hazm."""
        if " " not in text:
            return text
        tokens = text.replace("\n", " \n ").split(" ")
        n = len(tokens)
        pair_words, suffixes, words, joinable = self._pair_words, self._suffixes, self._words, self._joinable
        # Joins decided against the token before as written, for every token at once
        following = tokens[1:]
        maybe = compress(range(1, n), map(and_, map(self._heads.__contains__, tokens), map(self._tails.__contains__, following)))
        hits = {i for i in maybe if tokens[i - 1] + ZWNJ + tokens[i] in pair_words}
        for i in compress(range(1, n), map(suffixes.__contains__, following)):
            if tokens[i - 1] in words:
                hits.add(i)
        if not hits:
            return text
        joined: list[int] = []
        decided = 0  # tokens[:decided + 1] are decided
        for i in sorted(hits):
            if i <= decided:
                continue
            # tokens[i - 1] was not joined to the token before it: had it been, tokens[i]
            # (joinable, as every hit is) would have been decided as its follower below
            group = i - 1
            joined.append(i)
            # after a join, the next token pairs with the joined word (hazm's result[-1])
            while i + 1 < n and tokens[i + 1] in joinable:
                word, following_token = ZWNJ.join(tokens[group:i + 1]), tokens[i + 1]
                i += 1
                if word + ZWNJ + following_token in pair_words or (following_token in suffixes and word in words):
                    joined.append(i)
                else:
                    break
            decided = i
        pieces, at = [], 0
        for i in joined:
            pieces.append(" ".join(tokens[at:i]))
            at = i
        pieces.append(" ".join(tokens[at:]))
        return ZWNJ.join(pieces).replace(" \n ", "\n")

    def _correct_spacing(self, s: pl.Series) -> pl.Series:
        s = self._apply(s, "extra_space_patterns")
        # hazm's tokenizer on each line: the pattern's matches spaced out, runs of spaces
        # one space, none at a line's ends (its split(" ") and " ".join)
        s = (
            s.str.replace_all("\t", " ", literal=True)
            .str.replace_all(*self._token_rust)
            .str.replace_all(" {2,}", " ")
            .str.replace_all(" ?\n ?", "\n")
            .str.strip_chars(" ")
        )
        s = pl.Series(list(map(self.token_spacing, s.to_list())), dtype=pl.String)
        s = self._apply(s, "affix_spacing_patterns")
        return self._apply(s, "punctuation_spacing_patterns")

    def correct_spacing(self, texts: list[str]) -> list[str]:
        """hazm's ``Normalizer.correct_spacing`` of each text."""
        return self._correct_spacing(pl.Series(texts, dtype=pl.String)).to_list()

    def normalize(self, texts: list[str]) -> list[str]:
        """hazm's ``Normalizer.normalize`` of each text."""
        if not texts:
            return []
        s = pl.Series(texts, dtype=pl.String)
        s = s.str.replace_many(self._table_src, self._table_dst)
        s = s.str.replace_all(self._diacritics, "")
        s = self._correct_spacing(s)
        # ligatures (rare): hazm's own substitutions, on the texts that have one
        has = s.str.contains(self._ligatures.pattern)
        if has.any():
            texts = s.to_list()
            for i in has.arg_true().to_list():
                texts[i] = self.normalizer.unicodes_replacement(texts[i])
            s = pl.Series(texts, dtype=pl.String)
        return s.str.replace_all(self._specials, "").to_list()


def _expander(template: str):
    """A function doing what re does with a replacement template of literal text and
    group references: Python 3.11 expands templates in Python code, per match."""
    parts = re.split(r"\\(\d)", template)
    literals, groups = parts[0::2], [int(g) for g in parts[1::2]]
    if "\\" in "".join(literals):
        return template

    def expand(m: re.Match) -> str:
        out = [literals[0]]
        for g, lit in zip(groups, literals[1:]):
            out.append(m.group(g) or "")
            out.append(lit)
        return "".join(out)

    if not groups:
        return template
    return expand


_BATCH: BatchNormalizer | None = None
_LOCK = threading.Lock()


def batch_normalizer() -> BatchNormalizer:
    global _BATCH
    if _BATCH is None:
        with _LOCK:
            if _BATCH is None:
                from transforms import hazm_core

                _BATCH = BatchNormalizer(hazm_core.normalizer())
    return _BATCH


def normalize_batch(texts: list[str]) -> list[str]:
    """hazm's Normalizer (transforms/hazm_core.py's options) on each text."""
    return batch_normalizer().normalize(texts)
