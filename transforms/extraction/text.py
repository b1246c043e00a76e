"""Text utilities for extraction: a matching form that keeps offsets into clean_text,
sentence / paragraph segmentation with offsets, and token helpers.

All matching runs on ``NormText.s`` (Arabic letter variants unified, ئ→ی, ZWNJ→space,
diacritics and tatweel dropped, digits ASCII, whitespace collapsed). ``NormText.orig(i, j)``
maps a span of the matching form back to ``clean_text`` offsets, so every piece of
evidence is an exact substring of the article's ``clean_text``.
"""

from __future__ import annotations

import bisect
import functools
import re
import threading
from dataclasses import dataclass

import ahocorasick

from core.script import (
    BIDI_EMBEDDINGS, HARAKAT, LETTER_FOLDS, LRM, RLM, TATWEEL, TO_ASCII_DIGITS, TOKEN_LETTERS, ZWJ, ZWNJ,
)

# Every character maps to at most one (offsets stay aligned). Narrower than match_form's
# table (transforms/cleaning.py): the offsets and lexicon forms of extraction are set on it.
_CHAR_MAP = {
    **LETTER_FOLDS,
    "-": " ", "_": " ", "–": " ", ZWNJ: " ", ZWJ: " ", "\u00a0": " ",
    **dict.fromkeys(LRM + RLM + TATWEEL + BIDI_EMBEDDINGS, ""),
    "\t": " ", "\r": " ", "\n": " ", "\u2009": " ", "\u202f": " ",
    **TO_ASCII_DIGITS,
}
_DIACRITICS = set(HARAKAT)

_TOKEN = f"[{TOKEN_LETTERS}a-zA-Z0-9]"
LETTER_RE = re.compile(_TOKEN)


def norm_char(ch: str) -> str:
    if ch in _DIACRITICS:
        return ""
    return _CHAR_MAP.get(ch, ch)


# The same mapping as one str.translate table; every character maps to at most one, so
# a table that marks dropped characters with NUL instead keeps offsets aligned.
_TRANSLATE = str.maketrans({**_CHAR_MAP, **{d: "" for d in _DIACRITICS}})
_DROPPED = "\x00"
_ALIGNED = str.maketrans({c: (v or _DROPPED) for c, v in {**_CHAR_MAP, **{d: "" for d in _DIACRITICS}}.items()})
_SPACES = re.compile(r" +")
_ALIGNED_CHARS = {chr(k): v for k, v in _ALIGNED.items()}
_MAPPED = re.compile("[" + "".join(map(re.escape, _ALIGNED_CHARS)) + "]")


def _map_one(m: re.Match) -> str:
    return _ALIGNED_CHARS[m.group()]


# Where the matching form departs from the text: a space followed by more spaces or
# dropped characters, or a dropped character (single spaces between words map 1:1).
_GAP = re.compile(" [ \x00]+|\x00[ \x00]*")
_LEADING_GAP = re.compile("[ \x00]+")


@functools.lru_cache(maxsize=65536)
def norm(s: str) -> str:
    """Matching form of a short string (no offsets): used for lexicon keys."""
    return _SPACES.sub(" ", (s or "").translate(_TRANSLATE)).strip()


def words_not_after(words, not_after: str) -> str:
    """The alternation ``(?<!C)(?:w1|w2|...)`` of ``words`` (escaped, in the order given)
    for the character class ``not_after`` (C, brackets included), without its group:
    written ``w1[0](?<!C.)w1[1:]|...``, the look-behind after each word's first character.
    The same matches, but re can then skip ahead to a possible first character; a pattern
    that opens with a look-behind it tries at every position."""
    if not all(words):
        raise ValueError("an empty word")
    return "|".join(re.escape(w[0]) + f"(?<!{not_after}.)" + re.escape(w[1:]) for w in words)


class LiteralStarts:
    """Where any of some words starts in a text: a pattern that can match only there is
    tried there (``finditer``), not by re at every position of the text.

    Every word set is one Aho-Corasick automaton's: extraction asks for the starts of its
    call-word anchors, pronouns, statement verbs and date cues in the same text, and one
    pass over it costs what a pass per set did each. The starts of the last text asked
    about are kept, by identity."""

    _sets: list[LiteralStarts] = []
    _automaton: tuple | None = None  # (automaton of every set's words, sets it covers); built on first use
    _last: tuple = (None, 0, None)  # (text, sets covered, each set's starts in it)
    _lock = threading.Lock()

    def __init__(self, words) -> None:
        self.words = list(words)
        if not all(self.words):
            raise ValueError("an empty word")
        with LiteralStarts._lock:
            self.index = len(LiteralStarts._sets)
            LiteralStarts._sets.append(self)
            LiteralStarts._automaton = None

    def starts(self, s: str) -> list[int]:
        """Each position of ``s`` where one of the words starts, in order."""
        return LiteralStarts._starts_of_every_set(s)[self.index]

    def starts_between(self, s: str, lo: int, hi: int) -> list[int]:
        """``starts(s[lo:hi])``, and the positions in ``s[lo:hi]`` where one of the words
        starts but runs past ``hi``: a pattern whose every match begins with one of the
        words finds none there."""
        starts = self.starts(s)
        return [at - lo for at in starts[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]]

    @classmethod
    def _starts_of_every_set(cls, s: str) -> list[list[int]]:
        text, covered, found = cls._last
        if text is s and covered == len(cls._sets):
            return found
        built = cls._automaton
        if built is None or built[1] != len(cls._sets):
            built = cls._build()
        automaton, sets = built
        hits: list[set[int]] = [set() for _ in range(sets)]
        for end, (length, members) in automaton.iter(s):
            for k in members:
                hits[k].add(end - length + 1)
        found = [sorted(h) for h in hits]
        cls._last = (s, sets, found)
        return found

    @classmethod
    def _build(cls) -> tuple[ahocorasick.Automaton, int]:
        with cls._lock:
            members: dict[str, list[int]] = {}
            for k, word_set in enumerate(cls._sets):
                for word in word_set.words:
                    members.setdefault(word, []).append(k)
            automaton = ahocorasick.Automaton()
            for word, sets in members.items():
                automaton.add_word(word, (len(word), tuple(sets)))
            automaton.make_automaton()
            cls._automaton = (automaton, len(cls._sets))
            return cls._automaton

    @staticmethod
    def finditer(pattern: re.Pattern, s: str, starts: list[int], lo: int = 0, hi: int | None = None):
        """``pattern.finditer(s, lo, hi)``, for a pattern whose every match is non-empty and
        begins at one of ``starts`` (``starts(s)`` of the words it opens with)."""
        hi = len(s) if hi is None else hi
        free = lo
        for at in starts[bisect.bisect_left(starts, lo):]:
            if at >= hi:
                break
            if at >= free and (m := pattern.match(s, at, hi)) is not None:
                yield m
                free = m.end()


TOKEN_CHARS = _LETTERS = frozenset(c for c in map(chr, [*range(0x80), *range(0x0600, 0x0700)]) if LETTER_RE.match(c))
TOKEN_CHAR_CLASS = _TOKEN
# a run of token characters: [C]+ written [C][C]*, which re can skip ahead to (a repeat it
# tries at every position)
TOKEN_RE = re.compile(_TOKEN + _TOKEN + "*")


@dataclass
class NormText:
    """The matching form ``s`` of a text and the map back to the text's offsets.

    The map is kept as pieces: ``s[n_starts[k]:n_starts[k + 1]]`` comes from consecutive
    characters of the original starting at ``o_starts[k]``. A piece ends only where
    characters were dropped or spaces collapsed, so an article has a few dozen pieces,
    not one offset per character."""

    s: str
    n_starts: list[int]
    o_starts: list[int]
    orig_len: int

    def offset(self, i: int) -> int:
        """Offset in the original of s[i]; len(original) for i == len(s)."""
        if i >= len(self.s):
            return self.orig_len
        k = bisect.bisect_right(self.n_starts, i) - 1
        return self.o_starts[k] + (i - self.n_starts[k])

    def orig(self, i: int, j: int) -> tuple[int, int]:
        """Original span [a, b) covering normalized span [i, j)."""
        if j <= i:
            a = self.offset(min(i, len(self.s)))
            return a, a
        return self.offset(i), self.offset(j - 1) + 1

    def to_norm(self, a: int) -> int:
        """First normalized index whose original offset is >= a."""
        k = bisect.bisect_right(self.o_starts, a) - 1
        if k < 0:
            return 0
        start, n = self.o_starts[k], self.n_starts[k]
        end = self.n_starts[k + 1] if k + 1 < len(self.n_starts) else len(self.s)
        return n + (a - start) if a - start < end - n else end


def normalize_with_map(text: str) -> NormText:
    """The matching form of ``text`` with its offset map: characters mapped by one
    translate; runs of spaces become one, leading spaces go (dropped characters are
    transparent to that rule)."""
    text = text or ""
    if _DROPPED in text:  # NUL in the input itself: the aligned table can't mark drops
        return _normalize_with_map_slow(text)
    # same length as text; NUL marks a dropped character. (A regex finds the few
    # characters that change: str.translate looks up every character in a dict.)
    t = _MAPPED.sub(_map_one, text)
    parts: list[str] = []
    n_starts: list[int] = []
    o_starts: list[int] = []
    n = 0

    def add(o: int, seg: str) -> None:
        nonlocal n
        if not o_starts or o != o_starts[-1] + (n - n_starts[-1]):  # not contiguous: a new piece
            n_starts.append(n)
            o_starts.append(o)
        parts.append(seg)
        n += len(seg)

    lead = _LEADING_GAP.match(t)
    pos = lead.end() if lead else 0
    # a gap holds two spaces or a dropped character: most texts have neither
    gaps = _GAP.finditer(t, pos) if _DROPPED in t or "  " in t else ()
    for m in gaps:
        a, b = m.span()
        if a > pos:
            add(pos, t[pos:a])
        k = m.group().find(" ")
        if k >= 0:
            add(a + k, " ")
        pos = b
    if pos < len(t):
        add(pos, t[pos:])
    return NormText("".join(parts), n_starts, o_starts, len(text))


def _normalize_with_map_slow(text: str) -> NormText:
    """Character by character: only for texts that contain NUL."""
    chars: list[str] = []
    n_starts: list[int] = []
    o_starts: list[int] = []
    prev_space = True
    for k, ch in enumerate(text):
        m = norm_char(ch)
        if not m:
            continue
        for c in m:
            if c == " ":
                if prev_space:
                    continue
                prev_space = True
            else:
                prev_space = False
            if not o_starts or k != o_starts[-1] + (len(chars) - n_starts[-1]):
                n_starts.append(len(chars))
                o_starts.append(k)
            chars.append(c)
    return NormText("".join(chars), n_starts, o_starts, len(text))


# --- segmentation ---------------------------------------------------------------------

# A sentence ends at a run of . ! ? ؟ followed by whitespace or the text's end, or at
# line breaks: ``[.!?؟!]+(?=\s|$)|\n+``, written to start with one character class, so
# that re skips to the next such character instead of trying the pattern at every
# position (tests/test_fast_patterns.py checks the two give the same matches).
_SENT_END = re.compile(r"[.!?؟!\n](?:(?<=\n)\n*|[.!?؟!]*(?=\s|$))")


@dataclass
class Span:
    start: int
    end: int
    index: int


def paragraphs(text: str) -> list[Span]:
    out = []
    for m in re.finditer(r"[^\n]+", text):
        seg = m.group(0)
        if seg.strip():
            lead = len(seg) - len(seg.lstrip())
            trail = len(seg.rstrip())
            out.append(Span(m.start() + lead, m.start() + trail, len(out)))
    return out


def sentences(text: str) -> list[Span]:
    """Sentences as spans over ``text`` (split on newlines and . ! ? ؟ followed by space).
    A colon does not split (``X در تماس تلفنی با Y: ...`` stays one sentence)."""
    out: list[Span] = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end() if m.group(0).strip() else m.start()
        _add(text, start, end, out)
        start = m.end()
    _add(text, start, len(text), out)
    return out


def _add(text: str, a: int, b: int, out: list[Span]) -> None:
    seg = text[a:b]
    if not seg.strip():
        return
    lead = len(seg) - len(seg.lstrip())
    trail = len(seg.rstrip())
    # skip pure-noise segments (no letters)
    if not LETTER_RE.search(seg):
        return
    out.append(Span(a + lead, a + trail, len(out)))


def words_before(s: str, i: int, n: int) -> list[tuple[int, int, str]]:
    """Up to n tokens (start, end, token) of normalized string s ending before index i,
    nearest first; stops at punctuation other than spaces."""
    toks = []
    j = i
    letters = _LETTERS  # a set lookup: this runs per character
    while len(toks) < n:
        while j > 0 and s[j - 1] in " «»\"":
            j -= 1
        if j == 0 or s[j - 1] not in letters:
            break
        k = j
        while k > 0 and s[k - 1] in letters:
            k -= 1
        toks.append((k, j, s[k:j]))
        j = k
    return toks


def words_after(s: str, i: int, n: int) -> list[tuple[int, int, str]]:
    toks = []
    j = i
    L = len(s)
    letters = _LETTERS
    while len(toks) < n:
        while j < L and s[j] in " «»\"":
            j += 1
        if j >= L or s[j] not in letters:
            break
        k = j
        while k < L and s[k] in letters:
            k += 1
        toks.append((j, k, s[j:k]))
        j = k
    return toks


# --- tokens ---------------------------------------------------------------------------

_TOKEN_OR_MARK = re.compile(_TOKEN + r"+|[^\s]")


# --- searching sorted positions -------------------------------------------------------

_BUCKET_BITS = 8


def buckets(xs: list[int]) -> list[int]:
    """For sorted non-negative positions: the index in ``xs`` of the first position of each
    run of 2**_BUCKET_BITS characters, so that a search looks at one run only. A bisect
    over all the positions of a long article misses the CPU's caches at every step; within
    a run it costs what it costs in a short article."""
    if not xs:
        return [0]
    return [bisect.bisect_left(xs, b << _BUCKET_BITS) for b in range((xs[-1] >> _BUCKET_BITS) + 2)]


def bisect_left_in(xs: list[int], first: list[int], x: int) -> int:
    """``bisect.bisect_left(xs, x)``, with ``first = buckets(xs)`` (for integers,
    ``bisect_right(xs, x)`` is ``bisect_left(xs, x + 1)``)."""
    b = x >> _BUCKET_BITS
    if b < 0:
        return 0
    if b + 1 >= len(first):
        return len(xs)
    return bisect.bisect_left(xs, x, first[b], first[b + 1])


@dataclass
class Tokens:
    """The tokens of a matching-form string: runs of letters and digits, and every other
    non-space character alone (punctuation is a token: clause grammar needs it)."""

    starts: list[int]
    ends: list[int]
    texts: list[str]

    def __post_init__(self):
        self._first = buckets(self.starts)

    def index_at(self, pos: int) -> int:
        """Index of the first token starting at or after pos."""
        return bisect_left_in(self.starts, self._first, pos)


def tokenize(s: str, spans: list[tuple[int, int]] | None = None) -> Tokens:
    """Tokens of s, or only of the given sorted, disjoint spans of it (the sentences a
    caller will look at)."""
    found: list[re.Match] = []
    for a, b in spans if spans is not None else [(0, len(s))]:
        found.extend(_TOKEN_OR_MARK.finditer(s, a, b))
    # each field read by a C-level map, not three appends per match in Python
    return Tokens(list(map(re.Match.start, found)), list(map(re.Match.end, found)), list(map(re.Match.group, found)))
