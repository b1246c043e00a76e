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

import html
import re
import sys
import threading
import unicodedata
from functools import lru_cache
from itertools import chain, compress, product

import polars as pl

from core.script import (
    BOM, HARAKAT, LETTER_FOLDS, LETTER_SET, LETTERS, LRM, QURANIC_MARKS, REGIONAL_FORMS, RLM, TATWEEL,
    TO_ASCII_DIGITS, ZWJ, ZWNJ,
)
from core.seeds import LEXICON_DIR, read_csv, read_list

__all__ = [
    "clean_text",
    "clean_title",
    "match_form",
    "to_ascii_digits",
    "clean_articles",
]

_L = f"[{LETTERS}]"

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


_ABOVE_ARROWS = re.compile("[\u2190-\U0010ffff]")


def _drop_emoji(s: str) -> str:
    """Remove pictographic symbols (by Unicode category, see _is_pictograph).
    Fast path: text with no code point from U+2190 on has none (one C-level scan)."""
    if not _ABOVE_ARROWS.search(s):
        return s
    return _EMOJI_CANDIDATE.sub(lambda m: " " if _is_pictograph(m.group(0)) else m.group(0), s)


# invisible format characters that carry no text: bidi marks/embeddings/isolates,
# zero-width space, BOM, soft hyphen, private-use characters (we use those internally).
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad\ue000-\uf8ff]")
_ZWNJ_RUN = re.compile(f"[ ]*{ZWNJ}+[ ]*")


def _zwnj_repl(m: re.Match) -> str:
    s, a, b = m.string, m.start(), m.end()
    run = m.group(0)
    if run[0] == " " or run[-1] == " ":
        return " " if a > 0 and b < len(s) else ""
    prev = s[a - 1] if a > 0 else ""
    nxt = s[b] if b < len(s) else ""
    if prev in LETTER_SET and nxt in LETTER_SET:
        return ZWNJ
    if (prev.isalnum() and prev not in LETTER_SET) or (nxt.isalnum() and nxt not in LETTER_SET):
        return " "
    return ""


# A ZWNJ with something other than a letter on either side (a space, another ZWNJ, a
# line end): the only kind _zwnj_repl changes.
_MISPLACED_ZWNJ = re.compile(f"{ZWNJ}(?:(?<!{_L}{ZWNJ})|(?!{_L}))")


def _fix_edge_zwnj(s: str) -> str:
    """A ZWNJ only joins two letters: next to a space it goes, next to a digit or
    Latin it is a space, next to anything else (punctuation, line end) nothing."""
    return _ZWNJ_RUN.sub(_zwnj_repl, s) if ZWNJ in s and _MISPLACED_ZWNJ.search(s) else s


_SPACE_CHARS = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\v\f]")
_N_MARKER = re.compile(r"[ ]*\[n\][ ]*")
_MD_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ ]+")
_MD_BOLD = re.compile(r"\*\*|__")
_BULLET_CHARS = "*•▪●◾◽▫■□-"
_BULLET = re.compile(rf"^[ ]*[{re.escape(_BULLET_CHARS)}][ ]+")
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
        if line.lstrip(" ")[:1] in _BULLET_CHARS:
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

        self.keep = frozenset(_read_list("keep.txt"))

        spellings = _read_csv("spellings.csv", ["variant", "standard"])
        self.spelling_map = {r["variant"]: r["standard"] for r in spellings}
        self.spelling_re = re.compile("(" + _alternation(self.spelling_map, not_after=_L) + ")")

        # compounds: every join of the parts -> standard form
        self.compound_map: dict[str, str] = {}
        for row in _read_csv("compounds.csv", ["standard", "parts"]):
            standard = row["standard"]
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
        for name in _read_list("agencies.txt"):
            tail = name.split()[-1]
            if len(tail) >= 3:
                agency_tails.add(tail)
        self.agency_re = re.compile("(" + _alternation(agency_tails, not_after=_L) + rf")({_L}+)")
        self.agency_gate = (
            "(?:" + "|".join(map(_rust_literal, sorted(agency_tails))) + f")[{LETTERS}]" if agency_tails else None
        )

        self.token_re = re.compile(f"{_L}{{4,}}")


# A lexicon file left out of seeds/lexicon means no such repair, not an error.
def _read_list(name: str) -> list[str]:
    path = LEXICON_DIR / name
    return read_list(path) if path.is_file() else []


def _read_csv(name: str, columns: list[str]) -> list[dict[str, str]]:
    path = LEXICON_DIR / name
    return read_csv(path, columns).to_dicts() if path.is_file() else []


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


def _repairs(text: str, r: _Resources, compounds: bool = True, agencies: bool = True) -> str:
    """The repairs hazm does not make. ``compounds`` / ``agencies`` False: the text was
    found to hold no compound variant / no agency name with a letter after it (what
    those two regexes need to change anything; ``_repair_gates``)."""
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

    if compounds:
        before = text
        text = r.compound_re.sub(compound, text)
        agencies = agencies or text != before

    # agency name + glued word: "نیوزبه" -> "نیوز به"
    def agency(m: re.Match) -> str:
        whole = m.group(0)
        rest = m.group(2)
        if whole in r.lex or whole in r.joined or rest not in r.lex or len(rest) < 2:
            return whole
        return m.group(1) + " " + rest

    if agencies:
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


def _rust_literal(s: str) -> str:
    return re.sub(r"([\\.+*?()|\[\]{}^$#&\-~])", r"\\\1", s)


def _repair_gates(texts: list[str], r: _Resources) -> tuple[list[bool], list[bool]]:
    """For each text, whether it holds a compound variant (anywhere) and an agency name
    followed by a letter: the literals the compound and agency regexes start with,
    without their look-arounds, found by polars over the whole batch (Rust's regex
    runs an alternation of literals far faster than re's backtracking over a trie)."""
    s = pl.Series(texts, dtype=pl.String)
    compounds = s.str.contains_any(list(r.compound_map)) if r.compound_map else pl.Series([False] * len(texts))
    agencies = s.str.contains(r.agency_gate) if r.agency_gate else pl.Series([False] * len(texts))
    return compounds.to_list(), agencies.to_list()


def _replace_runs(text: str, fixes: dict[str, str]) -> str:
    """Replace every occurrence of a key of ``fixes`` that is a whole run of letters
    (what ``token_re`` matches), all at once: the same as substituting through
    token_re, without a Python call for each of the article's words."""
    spans = []
    for word, fixed in fixes.items():
        i = text.find(word)
        while i >= 0:
            j = i + len(word)
            if (i == 0 or text[i - 1] not in LETTER_SET) and (j == len(text) or text[j] not in LETTER_SET):
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


_MARK = "\ue000"  # a shielded span, while hazm's normaliser runs (no rule looks at it)
_MAX_SHIELDED = 6400


def _shield(text: str) -> tuple[str, list[str]]:
    """Numbers, URLs and e-mail addresses replaced by _MARK (at most _MAX_SHIELDED of
    them; the rest stay), and the spans in order."""
    shielded: list[str] = []
    if not _SHIELD_HINT.search(text):
        return text, shielded

    def shield(m: re.Match) -> str:
        if len(shielded) >= _MAX_SHIELDED:
            return m.group(0)
        shielded.append(m.group(0))
        return _MARK

    return _SHIELD.sub(shield, text), shielded


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


def _clean_batch(texts: list[str], r: _Resources) -> list[str]:
    """The cleaning after noise removal, of a batch of texts (paragraphs joined by
    "\\n"); hazm's normaliser runs once over the whole batch (transforms/normalize.py)."""
    from transforms.normalize import normalize_batch

    shielded: list[list[str]] = []
    prepared = []
    for text in texts:
        # spelling variants before hazm so its own joins see the standard form
        if any(v in text for v in r.spelling_map):
            text = r.spelling_re.sub(lambda m: r.spelling_map[m.group(1)], text)
        text = text.replace("ۀ", "ه")  # ezafe: hazm already turns هٔ into ه; same for ۀ
        text, spans = _shield(text)  # numbers/URLs kept from hazm's tokenizer
        if '"' in text:
            text = _QUOTES.sub(r"«\1»", text)
        prepared.append(text)
        shielded.append(spans)
    normalized = [_unshield(text, spans) if spans else text for text, spans in zip(normalize_batch(prepared), shielded)]
    out = []
    for text, compounds, agencies in zip(normalized, *_repair_gates(normalized, r)):
        text = _repairs(text, r, compounds, agencies)
        # ZWNJ only joins two letters (hazm's affix rule can leave "می‌0")
        text = _fix_edge_zwnj(text)
        if "  " in text:
            text = _MULTISPACE.sub(" ", text)
        out.append("\n".join(_join_broken([line.strip() for line in text.split("\n") if line.strip()])))
    return out


def clean_texts(raws: list[str | None]) -> list[str]:
    """``clean_text`` of each text, hazm's normaliser applied to them all at once."""
    r = _resources()
    texts = ["\n".join(_strip_noise(raw)) if raw else "" for raw in raws]
    todo = [i for i, text in enumerate(texts) if text]
    cleaned = _clean_batch([texts[i] for i in todo], r) if todo else []
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
