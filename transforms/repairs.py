"""The repairs hazm's normaliser does not make, the last step of the cleaning
(transforms/cleaning.py): variant spellings (رییس -> رئیس), compounds written glued,
spaced or with ZWNJ (رئیس جمهور -> رئیس‌جمهور), a plural or comparative suffix glued to
its word (همکاریها -> همکاری‌ها), a function word glued to the next (بایکدیگر -> با
یکدیگر), an agency name glued to the next word (نیوزبه -> نیوز به).

They read hazm's word list and verb forms and the lexicons of ``seeds/lexicon/``
(spellings.csv, compounds.csv, agencies.txt, keep.txt), built once per process
(``resources()``):

- ``fix_spellings(text, r)``  before hazm, so its own joins see the standard form;
- ``repair(text, r, ...)``    after hazm: compounds, agency names, glued suffixes and
  function words;
- ``repair_gates(texts, r)``  which texts of a batch the compound and agency regexes
  can change at all;
- ``unknown_runs(texts, r)``  the words of each text of a batch that repair's last step
  looks at.
"""

from __future__ import annotations

import re
import threading
from itertools import product

import polars as pl

from core.script import LETTER_SET, LETTERS, ZWNJ
from core.seeds import LEXICON_DIR, read_csv, read_list

_L = f"[{LETTERS}]"

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


class Resources:
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

        # four or more letters, opening with one so that re can skip ahead to a letter
        self.token_re = re.compile(f"{_L}{_L}{{3,}}")


# A lexicon file left out of seeds/lexicon means no such repair, not an error.
def _read_list(name: str) -> list[str]:
    path = LEXICON_DIR / name
    return read_list(path) if path.is_file() else []


def _read_csv(name: str, columns: list[str]) -> list[dict[str, str]]:
    path = LEXICON_DIR / name
    return read_csv(path, columns).to_dicts() if path.is_file() else []


_RES: Resources | None = None
_RES_LOCK = threading.Lock()


def resources() -> Resources:
    """The process's Resources, built on first use."""
    global _RES
    if _RES is None:
        with _RES_LOCK:
            if _RES is None:
                _RES = Resources()
    return _RES


# ------------------------------------------------------------------ repairs


def fix_spellings(text: str, r: Resources) -> str:
    """Variant spellings (spellings.csv) -> the standard one, also as the start of a
    longer word (رییسه -> رئیسه)."""
    if any(v in text for v in r.spelling_map):
        text = r.spelling_re.sub(lambda m: r.spelling_map[m.group(1)], text)
    return text


_SUFFIXES = ("هایی", "های", "ها", "ترین", "تر")
# suffixes Persian orthography writes attached: a lexicon word + one of them is a word
_ATTACHED = ("ی", "ای", "ان", "یان", "گان", "ات", "ین", "م", "ت", "ش", "مان", "تان", "شان", "یم", "ید", "ند", "ام", "اش", "ست", "انه")
# closed-class words that copy glues to the following word
_GLUE_FIRST = ("این", "آن", "چند", "با", "بر", "در", "هر", "یک", "سید")


def _good(w: str, r: Resources) -> bool:
    """An attested lexicon word: tagged in hazm's list (not one of its untagged
    count-0 entries, which include fragments like انت, بخشه, ساله)."""
    entry = r.lex.get(w)
    return entry is not None and entry[1] != ("0",)


def _inflected(w: str, r: Resources, good_only: bool) -> bool:
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


def _glued_suffix(w: str, r: Resources) -> str | None:
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


def _is_word(w: str, r: Resources) -> bool:
    """A lexicon word, a verb form, or a lexicon word with suffixes Persian writes
    attached (ی ان ات ش مان ...; شهدایمان) -- unless it reads as a glued
    ها/های/تر (بخشهای is بخش + های, not the fragment بخشه + ای)."""
    if w in r.lex or w in r.verbs or w + "\u064b" in r.lex:
        return True
    if _glued_suffix(w, r) is not None:
        return False
    return _inflected(w, r, good_only=False)


def _stem_ok(stem: str, r: Resources, comparative: bool) -> bool:
    if len(stem) < 2:
        return False
    if comparative:  # تر/ترین after adjectives (also ؤ-less spellings: موثر -> مؤثر)
        return stem in r.adjectives or stem.replace("و", "ؤ", 1) in r.adjectives or (
            len(stem) >= 3 and stem in r.lex and r.lex[stem][1] == ("0",)
        )
    return stem in r.lex or (stem.endswith("ی") and stem[:-1] in r.lex) or stem in r.verbs


def _repair_token(w: str, r: Resources) -> str:
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


_REPAIRED: dict[str, str] = {}  # token -> its repair, for the life of the process


def repair(text: str, r: Resources, compounds: bool = True, agencies: bool = True,
           unknown: set[str] | None = None) -> str:
    """The repairs hazm does not make. ``compounds`` / ``agencies`` False: the text was
    found to hold no compound variant / no agency name with a letter after it (what
    those two regexes need to change anything; ``repair_gates``). ``unknown``: the
    text's ``unknown_runs``, used unless those two repairs changed it."""
    given = text
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
    if unknown is not None and text == given:
        candidates = unknown
    else:
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


def unknown_runs(texts: list[str], r: Resources) -> list[set[str]]:
    """For each text, its distinct runs of four or more letters (``token_re``'s matches)
    that are not words of hazm's lexicon: what ``repair`` looks at last. The runs are
    found by polars over the whole batch; re tried ``token_re`` at every letter."""
    runs = pl.Series(texts, dtype=pl.String).str.extract_all(r.token_re.pattern).list.unique().to_list()
    return [set(found or ()).difference(r.lex) for found in runs]


def repair_gates(texts: list[str], r: Resources) -> tuple[list[bool], list[bool]]:
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
