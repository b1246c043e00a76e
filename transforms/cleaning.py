"""Persian text cleaning: format noise removal + hazm's Normalizer + the repairs hazm
does not make (issue 3).

Public interface (pure functions; the only I/O is loading hazm's word list and the
lexicons in ``seeds/lexicon/`` once per process, lazily):

- ``clean_text(raw)``   text extraction reads; paragraphs separated by one "\\n".
- ``clean_title(raw)``  the same, on one line.
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

import csv
import html
import re
import sys
import threading
import unicodedata
from functools import lru_cache
from itertools import chain, compress, product
from pathlib import Path

import polars as pl

__all__ = [
    "clean_text",
    "clean_title",
    "match_form",
    "to_ascii_digits",
    "clean_articles",
]

ZWNJ = "\u200c"
LEXICON_DIR = Path(__file__).resolve().parent.parent / "seeds" / "lexicon"

# Persian/Arabic letters (no digits, no diacritics, no punctuation, no ZWNJ).
LETTERS = "\u0621-\u063a\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc"
_L = f"[{LETTERS}]"

# --------------------------------------------------------------------------- digits

_DIGIT_TO_ASCII = str.maketrans(
    "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩",
    "01234567890123456789",
)


def to_ascii_digits(s: str) -> str:
    """Persian (۰-۹) and Arabic-Indic (٠-٩) digits -> ASCII 0-9. Nothing else changes."""
    return s.translate(_DIGIT_TO_ASCII)


# ----------------------------------------------------------------------- match_form

_MATCH_TRANSLATION = str.maketrans(
    {
        "ي": "ی", "ى": "ی", "ئ": "ی", "ې": "ی", "ۍ": "ی", "ێ": "ی", "ے": "ی",
        "ك": "ک", "ڪ": "ک",
        "ة": "ه", "ۀ": "ه", "ھ": "ه", "ە": "ه", "ہ": "ه",
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
        "ؤ": "و",
        "ـ": None,  # tatweel
        ZWNJ: " ", "\u200d": None, "\u200e": None, "\u200f": None, "\ufeff": None,
        "\u00a0": " ", "\t": " ", "\n": " ", "\r": " ", "-": " ", "_": " ",
    }
)
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
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
    s = _DIACRITICS.sub("", s.translate(_MATCH_TRANSLATION))
    s = to_ascii_digits(s).casefold()
    s = _SPACES.sub(" ", s)
    s = _SEYYED.sub(r"\1", s)  # "سید عباس" and "سیدعباس" give one key
    return _EDGE_PUNCT.sub("", s)


# ----------------------------------------------------------------- format noise

_EMOJI_CANDIDATE = re.compile(
    "[\u2190-\u2bff\u2e00-\u2e7f\u3000-\u303f\ufe0e\ufe0f\u200d\u20e3\u203c\u2049"
    "\U0001f000-\U0001faff\U000e0020-\U000e007f]"
)
_EMOJI_MODIFIERS = frozenset("\ufe0e\ufe0f\u200d\u20e3\u203c\u2049")


@lru_cache(maxsize=4096)
def _is_pictograph(ch: str) -> bool:
    """Unicode category So (symbol, other) from U+2190 on -- arrows, dingbats, emoji,
    regional indicators -- or an emoji modifier/joiner/tag/skin tone."""
    cp = ord(ch)
    return (
        ch in _EMOJI_MODIFIERS
        or 0x1F3FB <= cp <= 0x1F3FF
        or 0xE0020 <= cp <= 0xE007F
        or (cp >= 0x2190 and unicodedata.category(ch) == "So")
    )


def _drop_emoji(s: str) -> str:
    """Remove pictographic symbols (by Unicode category, see _is_pictograph).
    Fast path: text whose highest code point is below U+2190 has none."""
    if not s or max(s) < "\u2190":
        return s
    return _EMOJI_CANDIDATE.sub(lambda m: " " if _is_pictograph(m.group(0)) else m.group(0), s)


# invisible format characters that carry no text: bidi marks/embeddings/isolates,
# zero-width space, BOM, soft hyphen, private-use characters (we use those internally).
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad\ue000-\uf8ff]")
_ZWNJ_RUN = re.compile(f"[ ]*{ZWNJ}+[ ]*")
_LETTER_SET = frozenset(
    chr(c) for c in range(0x0600, 0x0700) if re.match(f"[{LETTERS}]", chr(c))
)


def _zwnj_repl(m: re.Match) -> str:
    s, a, b = m.string, m.start(), m.end()
    run = m.group(0)
    if run[0] == " " or run[-1] == " ":
        return " " if a > 0 and b < len(s) else ""
    prev = s[a - 1] if a > 0 else ""
    nxt = s[b] if b < len(s) else ""
    if prev in _LETTER_SET and nxt in _LETTER_SET:
        return ZWNJ
    if (prev.isalnum() and prev not in _LETTER_SET) or (nxt.isalnum() and nxt not in _LETTER_SET):
        return " "
    return ""


# A ZWNJ with something other than a letter on either side (a space, another ZWNJ, a
# line end): the only kind _zwnj_repl changes.
_MISPLACED_ZWNJ = re.compile(f"{ZWNJ}(?:(?<!{_L}{ZWNJ})|(?!{_L}))")


def _fix_edge_zwnj(s: str) -> str:
    """A ZWNJ only joins two letters: next to a space it goes, next to a digit or
    Latin it is a space, next to anything else (punctuation, line end) nothing."""
    return _ZWNJ_RUN.sub(_zwnj_repl, s) if ZWNJ in s and _MISPLACED_ZWNJ.search(s) else s


def _restore(m: re.Match, shielded: list[str]) -> str:
    """Put a shielded span back, with hazm's digit/letter spacing (۹متر -> ۹ متر)."""
    s, a, b = m.string, m.start(), m.end()
    v = shielded[ord(m.group(0)) - _PUA0]
    if a > 0 and s[a - 1] in _LETTER_SET and v[0].isdigit():
        v = " " + v
    if b < len(s) and s[b] in _LETTER_SET and v[-1].isdigit():
        v = v + " "
    return v


_SPACE_CHARS = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\v\f]")
_N_MARKER = re.compile(r"[ ]*\[n\][ ]*")
_MD_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ ]+")
_MD_BOLD = re.compile(r"\*\*|__")
_BULLET = re.compile(r"^[ ]*[*•▪●◾◽▫■□-][ ]+")
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z][A-Za-z0-9_]{2,}")
_LINK_TAIL = re.compile(r"[ ]*[|\-–—][ ]*(?:Link|لینک)[ ]*$")
_HASHTAG = re.compile(r"(?<![\w&])#([^\s#]+)")
_URL_ONLY = re.compile(
    r"^(?:https?://\S+|www\.\S+|[A-Za-z0-9][A-Za-z0-9.-]*\.(?:com|ir|org|net|me|io|news|tv)(?:/\S*)?)$",
    re.IGNORECASE,
)
_JUNK_LINE = re.compile(r"^[\s|\-–—_=~•·.]*(?:Link|لینک)?[\s|\-–—_=~•·.]*$")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")

# a line ending with one of these words, or the next one starting with one, is a
# sentence a scraper broke: join them.
_CONT_END = frozenset(
    "و در به از که تا با را برای این آن بر یا اما چون های ها یک هر بین میان روی زیر "
    "پس پیش ضمن درباره طی علیه توسط".split()
)
_CONT_START = frozenset("را نیز و است بود شد کرد کردند گفت ،".split())
_TERMINAL = tuple(".!?؟:…»)")


def _html_to_text(s: str) -> str:
    if "<" in s and _HTML_TAG.search(s):
        try:
            import lxml.html  # trafilatura's dependency; a real parser, not a regex

            root = lxml.html.fromstring(s)
            for br in root.iter("br", "p", "div", "li", "h1", "h2", "h3", "h4", "tr"):
                br.tail = "\n" + (br.tail or "")
            s = root.text_content()
        except Exception:  # not HTML after all (e.g. a "<" in prose)
            pass
    if "&" in s:
        s = html.unescape(s)
    return s


def _strip_noise(raw: str) -> list[str]:
    """Remove format noise; return paragraphs (lines joined where a scraper broke a
    sentence)."""
    s = _html_to_text(raw)
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    s = _INVISIBLE.sub("", s)
    s = _SPACE_CHARS.sub(" ", s)
    if ZWNJ in s:  # a ZWNJ not between two letters is a space (digits) or nothing
        s = _fix_edge_zwnj(s)
    if "[n]" in s:
        s = _N_MARKER.sub("\n", s)
    s = _drop_emoji(s.replace("《", "«").replace("》", "»"))

    has_at, has_hash = "@" in s, "#" in s
    has_link = "Link" in s or "لینک" in s
    has_bold = "**" in s or "__" in s
    lines: list[str | None] = []  # None = paragraph break
    signature_at = -1
    for line in s.split("\n"):
        had_handle = False
        if has_at and "@" in line:
            had_handle = _HANDLE.search(line) is not None
            line = _HANDLE.sub(" ", line)
        if has_link:
            line = _LINK_TAIL.sub("", line)
        if has_hash and "#" in line:
            line = _MD_HEADING.sub("", line)
            line = _HASHTAG.sub(lambda m: m.group(1).replace("_", " "), line)
        if has_bold:
            line = _MD_BOLD.sub("", line)
        line = _BULLET.sub("", line)
        line = " ".join(line.split())
        if not line or _JUNK_LINE.match(line) or _URL_ONLY.match(line):
            if had_handle:
                signature_at = len(lines)
            lines.append(None)
            continue
        lines.append(line)

    # Telegram footer after a channel signature ("@AloNews\nخبر جنگ"): short label lines
    if signature_at >= 0:
        tail = [x for x in lines[signature_at + 1 :] if x is not None]
        if tail and all(len(x.split()) <= 4 and not x.endswith(_TERMINAL) for x in tail):
            lines = lines[: signature_at + 1]

    return _join_broken([x for x in lines if x is not None])


def _should_join(prev: str, line: str) -> bool:
    """A sentence a scraper broke across lines: the first part has no terminal
    punctuation and ends with a connective, or the next starts with one."""
    if prev.endswith(_TERMINAL):
        return False
    if prev.endswith("،"):
        return True
    return prev.rsplit(" ", 1)[-1] in _CONT_END or line.split(" ", 1)[0] in _CONT_START


def _join_broken(lines: list[str]) -> list[str]:
    # applied the same way to every line break (blank line, noise line or not), and
    # again on the cleaned lines, so that clean_text stays idempotent
    paragraphs: list[str] = []
    for line in lines:
        if paragraphs and _should_join(paragraphs[-1], line):
            paragraphs[-1] = paragraphs[-1] + " " + line
        else:
            paragraphs.append(line)
    return paragraphs


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
# cheap test for whether _SHIELD can match at all
_SHIELD_HINT = re.compile(r"\d[.,٫٬/:\-]\d|[A-Za-z0-9]\.[A-Za-z]|@|://")
_PUA0 = 0xE000
_PUA_RE = re.compile("[\ue000-\uf8ff]")


# ------------------------------------------------------------------ lexicons


def _alternation(words, not_after: str) -> str:
    """A regex matching any of ``words`` where the character before is not
    ``not_after`` (a character class), longest word first: what
    ``(?<!not_after)(?:w1|w2|...)`` does with the words sorted longest first.

    It is written as a trie (ا(?:ب|ج)... rather than اب|اج|...), and the lookbehind
    comes after the first character, so re can skip straight to the places where a
    word may start and tries only the words that continue the text. The words that
    match at one place are prefixes of one another; in the trie, a word's own end
    (the empty alternative) comes after its longer continuations, so they are tried
    in the same longest-first order, backtracking included."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict, first: bool = False) -> str:
        branches = [
            re.escape(ch) + (f"(?<!{not_after}.)" if first else "") + render(child)
            for ch, child in sorted(node.items()) if ch
        ]
        if "" in node:
            branches.append("")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return render(trie, first=True)


class _Resources:
    """Everything built once per process: hazm's Normalizer, its word list, the verb
    forms, and our lexicons with their compiled regexes."""

    def __init__(self) -> None:
        from transforms import hazm_core

        self.normalizer = hazm_core.normalizer()  # options and why: transforms/hazm_core.py
        n = self.normalizer
        # hazm's character table (390 Arabic variants, NBSP, curly quotes), applied by
        # substituting the characters present: str.translate with a dict looks up every
        # character of the text, ~5x the time for the few that are in the table
        translation = hazm_core.hazm().maketrans(n.translation_src, n.translation_dst)
        self._translated = {chr(k): v for k, v in translation.items()}
        self._translation_re = re.compile("[" + "".join(map(re.escape, self._translated)) + "]")
        words = n.tokenizer.words  # {word: (count, pos-tags)}
        verbs = self.normalizer.verbs  # conjugated verb forms
        # hazm's own dicts, used for membership as they are: a frozenset copy of each
        # cost every pool worker ~35 MB
        self.lex: dict[str, tuple[int, tuple[str, ...]]] = words
        self.adjectives: frozenset[str] = frozenset(w for w, (_, tags) in words.items() if "AJ" in tags)
        self.verbs: dict[str, str] = verbs
        # attested, frequent words: the only ones a glued function word is split from
        self.frequent: frozenset[str] = frozenset(
            w for w, (count, tags) in words.items() if count >= 20000 and tags != ("0",)
        )

        # glued form (ZWNJ dropped) -> standard ZWNJ form, for hazm lexicon words and
        # verb forms, unless the glued form is itself a word.
        joined: dict[str, tuple[int, str]] = {}
        for w, (count, _) in words.items():
            if ZWNJ in w:
                key = w.replace(ZWNJ, "")
                if key not in self.lex and (key not in joined or joined[key][0] < count):
                    joined[key] = (count, w)
        self.joined = {k: v for k, (_, v) in joined.items()}
        for v in verbs:
            if ZWNJ in v and (v.startswith("می" + ZWNJ) or v.startswith("نمی" + ZWNJ)):
                key = v.replace(ZWNJ, "")
                if key not in self.lex and key not in self.joined:
                    self.joined[key] = v

        self.keep = frozenset(_read_list(LEXICON_DIR / "keep.txt"))

        spellings = _read_csv(LEXICON_DIR / "spellings.csv")
        self.spelling_map = {r["variant"]: r["standard"] for r in spellings}
        self.spelling_re = re.compile("(" + _alternation(self.spelling_map, not_after=_L) + ")")

        # compounds: every join of the parts -> standard form
        self.compound_map: dict[str, str] = {}
        for row in _read_csv(LEXICON_DIR / "compounds.csv"):
            standard = row["standard"].strip()
            parts = [p.strip() for p in row["parts"].split("|") if p.strip()]
            variants = set()
            for seps in product(("", " ", ZWNJ), repeat=len(parts) - 1):
                v = parts[0]
                for sep, part in zip(seps, parts[1:]):
                    v += sep + part
                variants.add(v)
            for extra in (row.get("extra_variants") or "").split(";"):
                if extra.strip():
                    variants.add(extra.strip())
            for v in variants:
                if v != standard:
                    self.compound_map[v] = standard
        # every variant starts with the first part (or an extra variant's first 3 letters)
        self.compound_heads = tuple({v[:3] for v in self.compound_map})
        alternation = _alternation(self.compound_map, not_after=f"[{LETTERS}{ZWNJ}]")
        # a compound may carry a glued suffix (رئیس جمهوری, گفت و گوها, گفتگویی: the
        # indefinite یی after a final vowel); otherwise it must end at a word boundary (so
        # گفت و گوش stays).
        self.compound_re = re.compile(rf"({alternation})((?:هایی|های|ها|یان|ان|ای|یی|ی)?)(?!{_L})")

        agency_tails = set()
        for name in _read_list(LEXICON_DIR / "agencies.txt"):
            tail = name.split()[-1]
            if len(tail) >= 3:
                agency_tails.add(tail)
        self.agency_re = re.compile("(" + _alternation(agency_tails, not_after=_L) + rf")({_L}+)")

        self.token_re = re.compile(f"{_L}{{4,}}")

        # hazm's token_spacing joins a token to the one before it only when the pair,
        # ZWNJ-joined, is a lexicon word or verb form (so the token is what follows some
        # ZWNJ in such a word), or when the token is one of its suffixes. Most tokens are
        # neither: one set lookup rules them out.
        tails = set(n.suffixes)
        for w in chain(n.words, n.verbs):
            i = w.find(ZWNJ)
            while i >= 0:
                tails.add(w[i + 1:])
                i = w.find(ZWNJ, i + 1)
        self._joinable = frozenset(tails)
        self._extra_space = _compile_patterns(n.extra_space_patterns)
        self._affix_spacing = _compile_patterns(n.affix_spacing_patterns)
        self._punctuation_spacing = _compile_patterns(n.punctuation_spacing_patterns)
        # hazm's WordTokenizer.tokenize (join_verb_parts=False): its pattern, spaced out
        self._token_split = n.tokenizer.pattern

    def tokenize(self, line: str) -> list[str]:
        """hazm's WordTokenizer.tokenize (join_verb_parts=False), the same tokens: it
        puts spaces around every match of its pattern and splits on spaces; split() on
        the pattern's group gives the matches and the text between them directly."""
        parts = self._token_split.split(line.replace("\n", " ").replace("\t", " "))
        tokens: list[str] = []
        for i, part in enumerate(parts):
            if i % 2:  # a match (never empty, never a space)
                tokens.append(part)
            elif part:
                tokens.extend(w for w in part.split(" ") if w)
        return tokens

    def token_spacing(self, tokens: list[str]) -> list[str]:
        """hazm's Normalizer.token_spacing, the same result. A token joins the one
        before it only if it is in ``_joinable``: those are found in one C-level pass
        and only they are looked at; the tokens between are copied as they are."""
        joinable = self._joinable
        candidates = list(compress(range(len(tokens)), map(joinable.__contains__, tokens)))
        if not candidates:
            return tokens
        n = self.normalizer
        words, verbs, suffixes = n.words, n.verbs, n.suffixes
        result: list[str] = []
        last = len(tokens) - 1
        copied = 0  # tokens[:copied] are in result
        for t in candidates:
            result.extend(tokens[copied:t])
            copied = t + 1
            token = tokens[t]
            if not result:
                result.append(token)
                continue
            joined = False
            token_pair = result[-1] + ZWNJ + token
            if token_pair in verbs or token_pair in words and words[token_pair][0] > 0:
                joined = True
                if t < last and token + "_" + tokens[t + 1] in verbs:
                    joined = False
            elif token in suffixes and result[-1] in words:
                joined = True
            if joined:
                result[-1] = token_pair
            else:
                result.append(token)
        result.extend(tokens[copied:])
        return result

    def correct_spacing(self, text: str) -> str:
        """hazm's Normalizer.correct_spacing, the same steps with the same patterns,
        compiled once; a pattern whose required literal is absent is skipped (it could
        not change the text)."""
        text = _apply(self._extra_space, text)
        text = "\n".join(" ".join(self.token_spacing(self.tokenize(line))) for line in text.split("\n"))
        text = _apply(self._affix_spacing, text)
        return _apply(self._punctuation_spacing, text)

    def normalize(self, text: str) -> str:
        """hazm's Normalizer.normalize with the options above, step by step in its
        order, reusing the character table it would rebuild on every call."""
        n = self.normalizer
        text = self._translation_re.sub(lambda m: self._translated[m.group()], text)
        text = n.remove_diacritics(text)
        text = self.correct_spacing(text)
        if _LIGATURES.search(text):  # hazm's 11 substitutions, each a scan of the text
            text = n.unicodes_replacement(text)
        # n.seperate_mi is done by _repair_token through self.joined, built from the
        # same hazm verb list (glued می/نمی verb form -> its ZWNJ form), in one pass
        return n.remove_specials_chars(text)


# Every character hazm's unicodes_replacement replaces (tests/test_cleaning.py checks
# this covers its list).
_LIGATURES = re.compile("[\ufdf0-\ufdfd\ufef5-\ufefc]")

# Literals without which a hazm spacing pattern cannot match (or matches only the empty
# string it replaces with nothing): checked with ``in`` before running the regex.
_PATTERN_HINTS = {
    r" {2,}": ("  ",),
    r"\n{3,}": ("\n\n\n",),
    r"\u200c{2,}": ("\u200c\u200c",),
    r"\u200c{1,} ": ("\u200c ",),
    r" \u200c{1,}": (" \u200c",),
    r"\b\u200c*\B": ("\u200c",),
    r"\B\u200c*\b": ("\u200c",),
    r"[ـ\r]": ("ـ", "\r"),
    r"([^ ]ه) ی ": ("ه ی ",),
    r"(^| )(ن?می) ": ("می ",),
    "(ه)(ها)": ("هها",),
    '" ([^\n"]+) "': ('" ',),
}


def _literal_hint(pattern: str) -> tuple[str, ...] | None:
    return _PATTERN_HINTS.get(pattern)


def _expander(template: str):
    """A function doing what re does with a replacement template of literal text and at
    most two group references (all hazm's are). Python 3.11 expands templates in Python
    code, per match; a closure is several times cheaper. Anything else stays a template."""
    parts = re.split(r"\\(\d)", template)
    if len(parts) == 1 or "\\" in "".join(parts[0::2]):
        return template
    literals, groups = parts[0::2], [int(g) for g in parts[1::2]]
    if len(groups) == 1:
        a, b = literals
        (g,) = groups
        return lambda m: a + (m.group(g) or "") + b
    if len(groups) == 2:
        a, b, c = literals
        g, h = groups
        return lambda m: a + (m.group(g) or "") + b + (m.group(h) or "") + c
    return template


_HAZM_PUNCT_AFTER, _HAZM_PUNCT_BEFORE = r"\.:!،؛؟»\]\)\}", r"«\[\(\{"
_HAZM_LETTERS = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"

# hazm patterns that Python's re runs slowly, and equivalents that give the same text
# (tests/test_cleaning.py runs both on the seeds and the fixtures). re scans fast for a
# pattern that starts with a literal or a character set, slowly for one that starts
# with a lookbehind, an alternation with ^, or a set most characters belong to.
_FASTER_EQUIVALENTS = {
    # Empty matches replaced by nothing change nothing: only runs of ZWNJ matter.
    # A ZWNJ is not a word character, so \b before it means a word character before
    # it, and \B the opposite: checked once the first ZWNJ is matched.
    r"\b\u200c*\B": (r"\u200c(?<=\w\u200c)\u200c*\B", ""),
    r"\B\u200c*\b": (r"\u200c(?<!\w\u200c)\u200c*\b", ""),
    # The same lookbehind on the two characters before the space, checked after it.
    (
        r"(?<=[^\n\d " + _HAZM_PUNCT_AFTER + _HAZM_PUNCT_BEFORE + r"]{2}) (تر(ین?)?|گری?|های?)" "(?=[ \n"
        + _HAZM_PUNCT_AFTER + _HAZM_PUNCT_BEFORE + "]|$)"
    ): (
        r" (?<=[^\n\d " + _HAZM_PUNCT_AFTER + _HAZM_PUNCT_BEFORE + r"]{2} )(تر(ین?)?|گری?|های?)" "(?=[ \n"
        + _HAZM_PUNCT_AFTER + _HAZM_PUNCT_BEFORE + "]|$)",
        "\u200c\\1",
    ),
    # "x(" -> "x (": match the opening bracket, look back at the character before it.
    # hazm consumed that character, but it is never an opening bracket, so it could
    # not have begun or ended another match.
    "([^ " + _HAZM_PUNCT_BEFORE + "])([" + _HAZM_PUNCT_BEFORE + "])": (
        "[" + _HAZM_PUNCT_BEFORE + "](?<=[^ " + _HAZM_PUNCT_BEFORE + "][" + _HAZM_PUNCT_BEFORE + "])",
        lambda m: " " + m.group(),
    ),
    # "طول۹" -> "طول ۹": match the digit, look back for the letter (a letter is never
    # the digit another match consumed).
    "([" + _HAZM_LETTERS + r"])(\d)": (r"\d(?<=[" + _HAZM_LETTERS + r"]\d)", lambda m: " " + m.group()),
}


def _compile_patterns(patterns) -> list[tuple[re.Pattern, object, tuple[str, ...] | None]]:
    """hazm's (pattern, template) list, compiled, with its literal hint; a pattern of
    _FASTER_EQUIVALENTS is replaced by its equivalent."""
    compiled = []
    for pattern, template in patterns:
        hint = _literal_hint(pattern)
        pattern, template = _FASTER_EQUIVALENTS.get(pattern, (pattern, template))
        compiled.append((re.compile(pattern), template if callable(template) else _expander(template), hint))
    return compiled


def _apply(patterns, text: str) -> str:
    for regex, repl, hint in patterns:
        if hint is None or any(h in text for h in hint):
            text = regex.sub(repl, text)
    return text


def _read_list(path: Path) -> list[str]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines))


_RES: _Resources | None = None
_RES_LOCK = threading.Lock()


def _resources() -> _Resources:
    global _RES
    if _RES is None:
        with _RES_LOCK:
            if _RES is None:
                _RES = _Resources()
    return _RES


# ------------------------------------------------------------------ repairs

_SUFFIXES = ("هایی", "های", "ها", "ترین", "تر")
# suffixes Persian orthography writes attached: a lexicon word + one of them is a word
_ATTACHED = ("ی", "ای", "ان", "یان", "گان", "ات", "ین", "م", "ت", "ش", "مان", "تان", "شان", "یم", "ید", "ند", "ام", "اش", "ست", "انه")
# closed-class words that copy glues to the following word
_GLUE_FIRST = ("این", "آن", "چند", "با", "بر", "در", "هر", "یک", "سید")
_QUOTES = re.compile(r'"([^\n"]+)"')
_MULTISPACE = re.compile(r"[ ]{2,}")



def _good(w: str, r: _Resources) -> bool:
    """An attested lexicon word: tagged in hazm's list (not one of its untagged
    count-0 entries, which include fragments like انت, بخشه, ساله)."""
    entry = r.lex.get(w)
    return entry is not None and entry[1] != ("0",)


def _inflected(w: str, r: _Resources, good_only: bool) -> bool:
    """w is a lexicon word plus one or two suffixes Persian writes attached."""
    for s in _ATTACHED:
        if w.endswith(s) and len(w) > len(s) + 1:
            stem = w[: -len(s)]
            if (_good(stem, r) if good_only else stem in r.lex) or stem + "\u064b" in r.lex:
                return True
            if not good_only:
                for s2 in _ATTACHED:
                    if stem.endswith(s2) and len(stem) > len(s2) + 1 and stem[: -len(s2)] in r.lex:
                        return True
    return False


def _glued_suffix(w: str, r: _Resources) -> str | None:
    """w with a glued ها/های/هایی/تر/ترین re-joined by ZWNJ, or None."""
    for suf in _SUFFIXES:
        if w.endswith(suf):
            stem = w[: -len(suf)]
            if len(stem) < 2 or stem in r.keep:
                continue
            comparative = suf.startswith("تر")
            if _stem_ok(stem, r, comparative):
                # انتهای is انتها + ی, not انت + های: an attested stem wins
                if _good(stem, r) or comparative or not _inflected(w, r, good_only=True):
                    return stem + ZWNJ + suf
            j = r.joined.get(stem)
            if j is not None:
                return j + ZWNJ + suf
    return None


def _is_word(w: str, r: _Resources) -> bool:
    """A lexicon word, a verb form, or a lexicon word with suffixes Persian writes
    attached (ی ان ات ش مان ...; شهدایمان) -- unless it reads as a glued
    ها/های/تر (بخشهای is بخش + های, not the fragment بخشه + ای)."""
    if w in r.lex or w in r.verbs or w + "\u064b" in r.lex:
        return True
    if _glued_suffix(w, r) is not None:
        return False
    return _inflected(w, r, good_only=False)


def _stem_ok(stem: str, r: _Resources, comparative: bool) -> bool:
    if len(stem) < 2:
        return False
    if comparative:  # تر/ترین after adjectives (also ؤ-less spellings: موثر -> مؤثر)
        return stem in r.adjectives or stem.replace("و", "ؤ", 1) in r.adjectives or (
            len(stem) >= 3 and stem in r.lex and r.lex[stem][1] == ("0",)
        )
    return stem in r.lex or (stem.endswith("ی") and stem[:-1] in r.lex) or stem in r.verbs


def _repair_token(w: str, r: _Resources) -> str:
    """One maximal run of letters (no ZWNJ inside). Returns it repaired."""
    if len(w) < 4 or w in r.lex or w in r.keep:
        return w
    j = r.joined.get(w)
    if j is not None:
        return j
    g = _glued_suffix(w, r)
    if g is not None:
        return g
    if _is_word(w, r):
        return w
    # a function word glued to the next word: "بایکدیگر" -> "با یکدیگر"
    for fw in _GLUE_FIRST:
        if w.startswith(fw):
            rest = w[len(fw):]
            if len(rest) >= 3 and rest in r.frequent:
                return fw + " " + rest
    return w


def _repairs(text: str, r: _Resources) -> str:
    # compounds from the lexicon (glued or spaced -> standard)
    def compound(m: re.Match) -> str:
        std, suf = r.compound_map[m.group(1)], m.group(2)
        if not suf:
            return std
        if suf.startswith("ها"):
            return std + ZWNJ + suf
        if suf in ("ی", "ای") and std.endswith("ه"):
            return std + ZWNJ + ("ای" if suf == "ی" else suf)
        return std + suf

    if any(h in text for h in r.compound_heads):
        text = r.compound_re.sub(compound, text)

    # agency name + glued word: "نیوزبه" -> "نیوز به"
    def agency(m: re.Match) -> str:
        whole = m.group(0)
        rest = m.group(2)
        if whole in r.lex or whole in r.joined or rest not in r.lex or len(rest) < 2:
            return whole
        return m.group(1) + " " + rest

    text = r.agency_re.sub(agency, text)

    # glued plural/comparative suffixes, می/نمی prefixes, ZWNJ compounds of hazm's
    # lexicon: only the distinct unknown tokens are looked at (cached per process)
    candidates = set(r.token_re.findall(text)).difference(r.lex)
    fixes = {}
    for w in candidates:
        fixed = _REPAIRED.get(w)
        if fixed is None:
            fixed = _REPAIRED[w] = _repair_token(w, r) if len(_REPAIRED) < 500_000 else w
        if fixed != w:
            fixes[w] = fixed
    if fixes:
        text = _replace_runs(text, fixes)
    return text


def _replace_runs(text: str, fixes: dict[str, str]) -> str:
    """Replace every occurrence of a key of ``fixes`` that is a whole run of letters
    (what ``token_re`` matches), all at once: the same as substituting through
    token_re, without a Python call for each of the article's words."""
    spans = []
    for word, fixed in fixes.items():
        i = text.find(word)
        while i >= 0:
            j = i + len(word)
            if (i == 0 or text[i - 1] not in _LETTER_SET) and (j == len(text) or text[j] not in _LETTER_SET):
                spans.append((i, j, fixed))
            i = text.find(word, j)
    if not spans:
        return text
    spans.sort()
    out, at = [], 0
    for i, j, fixed in spans:  # whole runs never overlap
        out.append(text[at:i])
        out.append(fixed)
        at = j
    out.append(text[at:])
    return "".join(out)


_REPAIRED: dict[str, str] = {}


def _clean_paragraphs(paragraphs: list[str], r: _Resources) -> str:
    text = "\n".join(paragraphs)
    if not text:
        return ""
    # spelling variants before hazm so its own joins see the standard form
    if any(v in text for v in r.spelling_map):
        text = r.spelling_re.sub(lambda m: r.spelling_map[m.group(1)], text)
    text = text.replace("ۀ", "ه")  # ezafe: hazm already turns هٔ into ه; same for ۀ

    # shield numbers/URLs from hazm's tokenizer
    shielded: list[str] = []

    def shield(m: re.Match) -> str:
        if len(shielded) >= 6400:  # private-use range exhausted: leave the rest
            return m.group(0)
        shielded.append(m.group(0))
        return chr(_PUA0 + len(shielded) - 1)

    if _SHIELD_HINT.search(text):
        text = _SHIELD.sub(shield, text)
    if '"' in text:
        text = _QUOTES.sub(r"«\1»", text)
    text = r.normalize(text)
    if shielded:
        text = _PUA_RE.sub(lambda m: _restore(m, shielded), text)

    text = _repairs(text, r)

    # ZWNJ only joins two letters (hazm's affix rule can leave "می‌0")
    text = _fix_edge_zwnj(text)
    text = _MULTISPACE.sub(" ", text)
    return "\n".join(_join_broken([line.strip() for line in text.split("\n") if line.strip()]))


def clean_text(raw: str) -> str:
    """The text extraction reads: noise removed, hazm-normalised, repaired.
    Paragraphs are separated by a single "\\n". Idempotent."""
    if not raw:
        return ""
    r = _resources()
    return _clean_paragraphs(_strip_noise(raw), r)


def clean_title(raw: str) -> str:
    """clean_text on one line."""
    if not raw:
        return ""
    return " ".join(clean_text(raw).split("\n"))


def clean_articles(df: pl.DataFrame) -> pl.DataFrame:
    """Add ``clean_text`` (from ``raw_text``) and clean ``title`` if present."""
    out = df.with_columns(
        pl.Series("clean_text", [clean_text(x) if x else "" for x in df["raw_text"].to_list()], dtype=pl.Utf8)
    )
    if "title" in df.columns:
        out = out.with_columns(
            pl.Series("title", [clean_title(x) if x else x for x in df["title"].to_list()], dtype=pl.Utf8)
        )
    return out
