"""Officials as noun phrases: gazetteer names (Aho-Corasick over the matching form);
titles with their complement (``وزیر امور خارجه عمان``, ``رئیس‌جمهور این کشور``,
``وزیر خارجه کشورمان``); plural titles and counterparts with a list of countries
(``وزرای خارجه ایران و عمان``, ``رؤسای مجالس ایران و لبنان``, ``همتایان خود در
کشورهای قطر، عمان و بحرین``); names in apposition to a title, also names the gazetteer
lacks (``NAME، TITLE COUNTRY``, ``TITLE COUNTRY «NAME»``); pronouns; and the office
history (``official_roles``) that resolves a title to its holder at a date.

Every step is linear in the text (sorted spans and bisect): an article of any length
costs time in proportion to its length.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import itertools
import re
from dataclasses import dataclass, field

import ahocorasick
import polars as pl

from core.script import TOKEN_LETTERS
from core.seeds import LEXICON_DIR, read_list

from .memo import per_object
from .text import (
    LETTER_RE, TOKEN_CHAR_CLASS, TOKEN_CHARS, TOKEN_RE, LiteralStarts, NormText, norm, words_after, words_before,
)
from .verbs import verb_forms

PRONOUNS = {"وی", "او", "ایشان"}
# tokens that can never be part of a person's name (besides hazm's stopwords)
NAME_STOP = {
    "در", "با", "به", "از", "و", "که", "را", "تا", "بر", "برای", "این", "آن", "ان", "یک", "هم", "نیز",
    "تماس", "تلفنی", "گفتگو", "گفت", "وگو", "گو", "گفتگوی", "مکالمه", "رایزنی", "امروز", "دیروز", "دیشب",
    "روز", "شب", "صبح", "عصر", "ظهر", "بامداد", "گذشته", "اخیر", "همچنین", "سپس", "اما", "ولی", "طی",
    "پیش", "پس", "حین", "جریان", "ادامه", "گزارش", "نقل", "قول", "خبر", "اعلام", "کرد", "کردند", "است",
    "بود", "شد", "دولت", "وزارت", "کشور", "کشورمان", "رژیم", "سازمان", "جمهوری", "اسلامی", "ملت",
    "خود", "خویش", "همتای", "همتایان", "نخست", "ادعا", "ادعای", "افزود", "تاکید", "شنبه", "یکشنبه",
    "دوشنبه", "سه", "چهارشنبه", "پنجشنبه", "جمعه", "هفته", "ماه", "سال", "منابع", "منبع", "مقام", "مقامات",
    "سخنگوی", "رسانه", "شبکه", "کانال", "سایت", "روزنامه", "خبرگزاری", "سفیر", "دو", "طرف", "طرفین",
    "سران", "رهبران", "وزرای", "آقای", "خانم", "جناب", "سرکار", "حضرت", "شهید", "محترم", "فعلی", "سابق",
    "جدید", "ویژه", "ارشد", "عالی", "کل", "اول", "دوم", "سوم", "اظهار", "داشت", "تصریح", "همراه",
    "ساعتی", "دقایقی", "ساعاتی", "لحظاتی", "تلفن", "بین", "میان", "علیه", "درباره", "مورد", "خصوص",
    "گفته", "نوشته", "بیانیه",
}
NAME_STOP = frozenset(norm(w) for w in NAME_STOP)  # in the matching form, as the text is compared
SOURCE_MARKERS = ("به نقل از", "به گفته", "از قول", "به گزارش", "به نوشته")
# a source right before a noun phrase: "به گفته یک مقام آمریکایی"
_SOURCE_BEFORE = __import__("re").compile(
    "(?:" + "|".join(SOURCE_MARKERS) + r")(?: (?:یک|این|برخی|دو|چند))?[ «\"]*$")
# an office (دفتر نخست‌وزیر پاکستان), not the person holding it
INSTITUTION_HEADS = {"دفتر", "دیوان", "کاخ", "نهاد", "سفارت", "وزارت", "کابینه", "دولت", "سخنگوی", "مشاور", "معاون",
                     "مشاوران", "دستیار", "هیئت", "هیات", "دبیرخانه"}
INSTITUTION_HEADS = frozenset(norm(w) for w in INSTITUTION_HEADS)  # in the matching form, as the text is compared
# a sea, gulf or strait named after a country is a place, not the country: "دریای عمان"
_REGION_AFTER = __import__("re").compile(r" (?:غربی|شرقی)(?!\w)")
_GEOGRAPHIC_BEFORE = __import__("re").compile(r"(?:دریای|خلیج|تنگه|اقیانوس|کانال|رود|رودخانه) $")
_WORD = TOKEN_LETTERS + "a-zA-Z0-9"
_TWO_WORDS_BEFORE = __import__("re").compile(
    rf"(?<![{_WORD}])(?:([{_WORD}]+)[ «»\"]+)?([{_WORD}]+)[ «»\"]*$")
# The same words read backwards from pos: re tries a pattern ending in "$" at every
# position before it.
_TWO_WORDS_BEFORE_REVERSED = __import__("re").compile(rf"[ «»\"]*([{_WORD}]+)(?:[ «»\"]+([{_WORD}]+))?")


def _words_before(s: str, pos: int) -> list[tuple[int, int, str]]:
    """The (at most two) words right before pos, nearest first, as words_before gives
    them: what ``_TWO_WORDS_BEFORE.search(s, max(0, pos - 40), pos)`` finds."""
    lo = max(0, pos - 40)
    window = s[lo:pos]
    if "\n" in window:  # where "$" also matches before a final line break
        return _words_before_by_search(s, lo, pos)
    m = _TWO_WORDS_BEFORE_REVERSED.match(window[::-1])
    if m is None:
        return []
    # a word that runs on before the window is no match (the look-behind)
    cut = lo > 0 and s[lo - 1] in TOKEN_CHARS
    top = lo + len(window)
    out = []
    for group in (1, 2):
        if m.start(group) < 0:
            break
        start, end = top - m.end(group), top - m.start(group)
        if start == lo and cut:
            break
        out.append((start, end, s[start:end]))
    return out


def _words_before_by_search(s: str, lo: int, pos: int) -> list[tuple[int, int, str]]:
    m = _TWO_WORDS_BEFORE.search(s, lo, pos)
    if m is None:
        return []
    out = [(m.start(2), m.end(2), m.group(2))]
    if m.group(1):
        out.append((m.start(1), m.end(1), m.group(1)))
    return out


# words that may stand between a title and its country: "وزیر خارجه سلطان‌نشین عمان"
COMPLEMENT_FILLERS = {"تروریست", "محترم", "جنایتکار", "پیشین", "فعلی", "منتخب", "کنونی", "وقت", "جدید", "سلطان",
                      "نشین", "امیرنشین", "پادشاهی", "جمهوری", "دولت", "کشور", "حکومت", "رژیم", "اسلامی", "فدرال",
                      "عربی", "متحده", "ستاد", "مشترک", "کل", "ارتش", "نیروهای", "مسلح", "فرماندهی", "مرکزی",
                      "منتخب", "موقت", "انتقالی", "خودگردان", "تشکیلات", "امور"}
# the plural of a title's words: وزیر -> وزرای, رئیس -> رؤسای, مجلس -> مجالس
PLURAL_WORDS = {
    "وزیر": ("وزرای", "وزیران", "وزرا"), "رئیس": ("روسای", "رئسای", "روسا", "رئیسان"),
    "مجلس": ("مجالس",), "سفیر": ("سفرای", "سفیران"), "فرمانده": ("فرماندهان",),
    "نماینده": ("نمایندگان",), "دبیرکل": ("دبیران کل",), "مقام": ("مقامات", "مقام های", "مقامهای"),
}
PLURAL_HEADS = {
    # plural word -> (role_code or None (any head), title_fa template)
    "سران": (None, "رئیس"),
    "رهبران": ("head_of_state", "رهبر"),
    "روسای جمهور": ("head_of_state", "رئیس‌جمهور"),
    "رئسای جمهور": ("head_of_state", "رئیس‌جمهور"),
    "روسای جمهوری": ("head_of_state", "رئیس‌جمهور"),
    "نخست وزیران": ("head_of_government", "نخست‌وزیر"),
}
GROUP_CALL_HEADS = {"سران", "رهبران"}   # a group counterpart: one call with all of them
# offices one person does not hold together: "X و Y عراق" with two of them are two people
PRINCIPAL_ROLES = {"head_of_state", "head_of_government", "speaker", "supreme_leader", "crown_prince",
                   "chief_of_staff_armed_forces", "judiciary_chief"}
COUNTERPART_SING = ("همتای", "همتا")
COUNTERPART_PLUR = ("همتایان",)
THIS_COUNTRY = ("این کشور", "آن کشور")
# bare titles (no country) that still identify an office
BARE_OK_ROLES = {
    "head_of_state", "head_of_government", "foreign_minister", "deputy_foreign_minister", "vice_president",
    "chief_of_staff", "speaker", "security_council_secretary", "judiciary_chief", "deputy_pm",
    "supreme_leader", "chief_of_staff_armed_forces", "minister",
}
GENERIC_TITLES = {"وزیر", "رئیس", "فرمانده", "سفیر", "دبیرکل", "دبیر کل", "مشاور", "سخنگو", "امیر", "ملک", "شاه",
                  "رهبر", "پادشاه", "سلطان", "مدیرکل", "مدیر کل", "فرستاده", "نماینده ویژه", "کاردار", "نماینده دائم",
                  "سفیر کبیر", "مشاور ارشد", "فرستاده ویژه", "رئیس کشور", "رئیس دولت", "ولیعهد", "ولی عهد", "رهبری"}
GENERIC_TITLES = frozenset(norm(t) for t in GENERIC_TITLES)  # in the matching form, as titles are compared
EXTRA_TITLES = [
    # (title, role_code, needs_complement): variants news use that the reference lacks
    ("ریاست جمهور", "head_of_state", 1),
    ("ریاست محترم جمهور", "head_of_state", 1),
    ("ریاست محترم جمهوری", "head_of_state", 1),
    ("رئیس مجلس", "speaker", 1),
    ("فرماندهٔ ارتش", "military_commander", 1),
]


@dataclass
class Gazetteer:
    automaton: object
    persons: dict            # official_id -> dict(name_fa, name_en, country_code, aliases, forms)
    roles: pl.DataFrame
    titles: dict             # norm title -> (title_fa, role_code, needs_complement)
    countries: dict          # code -> dict(name_fa, kind)
    first_names: set
    stop: set
    common_words: set


@per_object
def gazetteer(reference) -> Gazetteer:
    return _build(reference)


@per_object
def person_countries(g: Gazetteer) -> dict[str, str]:
    return {oid: p["country_code"] for oid, p in g.persons.items()}


def _as_cleaned(ref) -> dict[str, str]:
    """Every name, alias, title, country form and honorific of the reference -> that
    text as transforms.cleaning writes it, where that differs."""
    from transforms.cleaning import clean_texts

    forms = set(ref.titles["title_fa"].to_list()) | set(ref.honorifics["honorific"].to_list())
    forms |= {t for t, _rc, _nc in EXTRA_TITLES}
    for r in ref.officials.iter_rows(named=True):
        forms |= {r["name_fa"], *(a for a in (r.get("aliases") or []) if a and not a.isascii())}
    for r in ref.countries.iter_rows(named=True):
        forms |= {r["name_fa"], *(r.get("forms") or []), *(r.get("demonyms") or []), *(r.get("capitals") or [])}
    forms = sorted(f for f in forms if f)
    return {f: c for f, c in zip(forms, clean_texts(forms)) if c and norm(c) != norm(f)}


def _form_variants(form: str) -> set[str]:
    f = norm(form)
    out = {f}
    if " " in f and len(f.split()) <= 4:
        out.add(f.replace(" ", ""))
    return {v for v in out if v}


def _plurals(title: str) -> set[str]:
    """Plural forms of a title: the first word in its plural, each later word singular
    or plural (وزیر امور خارجه -> وزرای امور خارجه; رئیس مجلس -> رؤسای مجالس)."""
    plural = {norm(k): tuple(norm(v) for v in vs) for k, vs in PLURAL_WORDS.items()}
    words = title.split()
    if not words or words[0] not in plural:
        return set()
    tails = [[]]
    for w in words[1:]:
        tails = [t + [x] for t in tails for x in (w, *plural.get(w, ()))]
    return {" ".join([head, *t]) for head in plural[words[0]] for t in tails}


def _build(ref) -> Gazetteer:
    from transforms import hazm_core

    stop = {norm(w) for w in hazm_core.hazm().stopwords_list()}
    common = {norm(w) for w in hazm_core.frequent_words(200000)}
    entries: dict[str, list] = {}
    as_cleaned = _as_cleaned(ref)

    def _variants(form: str) -> set[str]:
        # the form as written in the reference, and as cleaning writes it in a text
        # ("نیروهای" -> "نیرو‌های", "آندرس" -> "آن درس")
        return _form_variants(form) | _form_variants(as_cleaned.get(form, form))

    def add(key: str, payload: tuple) -> None:
        if key and len(key) >= 2:
            entries.setdefault(key, []).append(payload)

    countries = {}
    for r in ref.countries.iter_rows(named=True):
        code = r["country_code"]
        countries[code] = {"name_fa": r["name_fa"], "kind": r["kind"], "name_en": r["name_en"],
                           "forms": sorted(set(r.get("forms") or []) | {r["name_fa"]}),
                           "capitals": sorted(set(r.get("capitals") or [])),
                           "demonyms": sorted(set(r.get("demonyms") or []))}
        for f in set(r.get("forms") or []) | {r["name_fa"]}:
            for v in _variants(f):
                add(v, ("C", code, "form"))
        for f in r.get("demonyms") or []:
            for v in _variants(f):
                add(v, ("C", code, "demonym"))
                if not v.endswith("ی"):
                    add(v + " ای", ("C", code, "demonym"))
        for f in r.get("capitals") or []:
            if norm(f) in WEEKDAY_NAMES:
                continue          # دوشنبه is Monday far more often than Dushanbe
            for v in _variants(f):
                add(v, ("C", code, "capital"))

    titles = {}
    trows = list(ref.titles.iter_rows(named=True)) + [
        {"title_fa": t, "role_code": rc, "needs_complement": str(nc)} for t, rc, nc in EXTRA_TITLES
    ]
    for r in trows:
        t = norm(r["title_fa"])
        if t in titles:
            continue
        titles[t] = (r["title_fa"], r["role_code"], str(r["needs_complement"]) in {"1", "True", "true"})
        for v in _variants(r["title_fa"]):
            add(v, ("T", t))
        for p in _plurals(t):
            add(p, ("TP", t))
    for w in PLURAL_HEADS:
        add(norm(w), ("TG", w))
    for w in COUNTERPART_SING:
        add(norm(w), ("CP", "sing"))
    for w in COUNTERPART_PLUR:
        add(norm(w), ("CP", "plur"))
    for w in THIS_COUNTRY:
        add(norm(w), ("C", "*this", "this"))
    for r in ref.honorifics.iter_rows(named=True):
        for v in _variants(r["honorific"]):
            add(v, ("H",))

    persons = {}
    first_names = set()
    for r in ref.officials.iter_rows(named=True):
        oid = r["official_id"]
        aliases = [a for a in (r.get("aliases") or []) if a and not a.isascii()]
        persons[oid] = {
            "name_fa": r["name_fa"], "name_en": r.get("name_en"), "country_code": r["country_code"],
            "aliases": list(r.get("aliases") or []),
            "forms": {norm(r["name_fa"])} | {norm(a) for a in aliases},
        }
        full = norm(r["name_fa"]).split()
        if len(full) >= 2:
            first_names.add(full[0])
        forms = {norm(r["name_fa"]): "full"}
        for a in aliases:
            forms.setdefault(norm(a), "alias")
        for a in [r["name_fa"], *aliases]:
            if a in as_cleaned:
                forms.setdefault(norm(as_cleaned[a]), "alias")
                persons[oid]["forms"].add(norm(as_cleaned[a]))
        # derived short forms: drop a short last token (شاهین مصطفی اف -> شاهین مصطفی);
        # a 'بن X' tail (محمد بن سلمان -> بن سلمان); the last two tokens
        if len(full) >= 3 and len(full[-1]) <= 2:
            forms.setdefault(" ".join(full[:-1]), "derived")
        if "بن" in full[1:-1]:
            k = full.index("بن", 1)
            forms.setdefault(" ".join(full[k:]), "derived")
        if len(full) >= 3 and full[-2] not in {"بن", "ال", "آل", "ابن"}:
            forms.setdefault(" ".join(full[-2:]), "derived")
        # the Russian and Turkic ending -ov written as -of, glued or after a ZWNJ
        # (بایراموف، بایرام‌اف): the same name
        for f, kind in list(forms.items()):
            last = f.split()[-1]
            if last.endswith("وف") and len(last) > 4:
                forms.setdefault(f[:-2] + "اف", kind)
                forms.setdefault(f[:-2] + " اف", kind)
        for f, kind in forms.items():
            if len(f.replace(" ", "")) < 3:
                continue
            if kind == "derived" and " " not in f and (f in common or f in stop):
                kind = "common"
            for v in _variants(f):
                add(v, ("P", oid, kind))
    automaton = ahocorasick.Automaton()
    for k, lst in entries.items():
        automaton.add_word(k, (k, lst))
    automaton.make_automaton()
    return Gazetteer(automaton, persons, ref.official_roles, titles, countries, first_names, stop | NAME_STOP, common)


# ----------------------------------------------------------------------------- mentions


@dataclass(eq=False)     # a mention is itself: compared and hashed by identity
class Mention:
    kind: str                 # 'person' | 'title' | 'group' | 'pronoun' | 'text'
    start: int                # normalized offsets (whole mention incl. complement)
    end: int
    official_id: str | None = None
    country: str | None = None
    role_code: str | None = None
    title_fa: str | None = None          # title as written in the text (original slice)
    title_norm: str | None = None
    name_text: str | None = None          # name as written (original slice) for text officials / aliases
    form_kind: str | None = None
    counterpart: bool = False
    countries: list = field(default_factory=list)   # for groups and plural counterparts
    private: bool = False
    source: bool = False
    absorbed: bool = False    # part of another mention's complement
    merged: bool = False      # a title merged into the person it describes
    bare: bool = False        # title with no country complement
    by_default: bool = False  # a title that names no country, Iran's by default
    institution: bool = False  # the office, not its holder (دفتر نخست‌وزیر)
    group_call: bool = False  # سران / رهبران: a group counterpart
    np_start: int = -1        # the noun phrase with a title in apposition before it
    np_end: int = -1          # ... or after it

    def __post_init__(self):
        if self.np_start < 0:
            self.np_start = self.start
        if self.np_end < 0:
            self.np_end = self.end


def _raw_hits(g: Gazetteer, s: str):
    hits = []
    n = len(s)
    for end, (key, lst) in g.automaton.iter(s):
        start = end - len(key) + 1
        if start > 0 and s[start - 1] in TOKEN_CHARS:
            continue
        if end + 1 < n and s[end + 1] in TOKEN_CHARS:
            continue
        hits.append((start, end + 1, lst))
    return hits


def _select(hits, kinds):
    """Longest-leftmost non-overlapping hits among payload kinds."""
    cand = []
    for a, b, lst in hits:
        ps = [p for p in lst if p[0] in kinds]
        if ps:
            cand.append((a, b, ps))
    cand.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    # characters already taken, one byte each: a hit is checked and marked in its own
    # length (a sorted list of the taken spans cost a shift per insert: quadratic)
    taken = bytearray(max((b for _a, b, _ps in cand), default=0))
    out = []
    for a, b, ps in cand:
        if taken.find(1, a, b) >= 0:
            continue
        taken[a:b] = b"\x01" * (b - a)
        out.append((a, b, ps))
    out.sort(key=lambda x: x[0])
    return out


class _Countries:
    """Country mentions of an article by start, for complements."""

    def __init__(self, sel):
        self.at = {a: (b, ps) for a, b, ps in sel if ps[0][0] == "C"}
        self.starts = sorted(self.at)

    def last_before(self, pos: int) -> str | None:
        k = bisect.bisect_left(self.starts, pos) - 1
        while k >= 0:
            b, ps = self.at[self.starts[k]]
            if ps[0][1] != "*this":
                return ps[0][1]
            k -= 1
        return None


@dataclass
class Found:
    mentions: list[Mention]
    honor: list[tuple[int, int]]                 # honorific spans
    countries: list[tuple[int, int, str]]        # (start, end, code) of every country or organisation name


def find_mentions(g: Gazetteer, nt: NormText, text: str) -> Found:
    s = nt.s
    hits = _raw_hits(g, s)
    sel = _select(hits, {"P", "T", "TP", "TG", "CP", "C"})
    honor = _select(hits, {"H"})
    cs = _Countries(sel)

    def orig(a, b):
        x, y = nt.orig(a, b)
        return text[x:y]

    def country_at(j: int):
        hit = cs.at.get(j)
        if hit is None:
            return None
        b, ps = hit
        code = ps[0][1]
        if _REGION_AFTER.match(s, b):
            return None           # "آذربایجان غربی": a region named after the country, not it
        if code == "*this":
            if s.startswith(" ها", b) or s.startswith("ها", b):
                return None       # "این کشورها": several countries
            code = cs.last_before(j)
            if code is None:
                return None
        return code, b, ps[0][2]

    official_starts = {a for a, _b, ps in sel if ps[0][0] in {"P", "T", "TP", "TG", "CP"}}

    def filler(w: tuple[int, int, str]) -> bool:
        """A word that may stand between a title and its country: an institution word
        ("رئیس سنای پارلمان قزاقستان"), not a function word, verb or another official."""
        a, _b, t = w
        if a in official_starts or a in cs.at:
            return False
        if t in COMPLEMENT_FILLERS:
            return True
        return t not in g.stop and t not in NAME_STOP and not t.isdigit() and t not in verb_forms()

    def country_after(pos: int, fillers: int = 3):
        """Country/org starting right after pos, skipping up to `fillers` filler words."""
        j = pos
        while j < len(s) and s[j] == " ":
            j += 1
        c = country_at(j)
        if c:
            return c
        if fillers:
            # a country must start within the next few words, or nothing can be skipped
            k = bisect.bisect_left(cs.starts, j)
            if k >= len(cs.starts) or cs.starts[k] - j > 24 * fillers:
                return None
            w = words_after(s, pos, 1)
            if w and w[0][0] == j and filler(w[0]):
                return country_after(w[0][1], fillers - 1)
        return None

    def country_list_after(pos: int):
        out = []
        c = country_after(pos)
        end = pos
        while c:
            out.append(c[0])
            end = c[1]
            k = end
            while k < len(s) and s[k] in " ،,":
                k += 1
            if s.startswith("و ", k):
                k += 2
            c = country_after(k, 0)
        return out, end

    mentions: list[Mention] = []
    for a, b, ps in sel:
        kind = ps[0][0]
        if kind == "P":
            owners = [(p[1], p[2]) for p in ps]
            oid, fk = owners[0]
            m = Mention("person", a, b, official_id=oid, form_kind=fk, name_text=orig(a, b))
            if len({o for o, _ in owners}) > 1:
                m.official_id = None
                m.form_kind = "ambiguous"
                m.countries = [o for o, _ in owners]
            mentions.append(m)
        elif kind == "T":
            tnorm = ps[0][1]
            _title_fa, role, needs = g.titles[tnorm]
            c = country_after(b)
            if c and tnorm == _PRESIDENT_HEAD and s[b:c[1]].split()[0] == "جمهوری" and _PRESIDENT in g.titles:
                # "رئیس جمهوری اسلامی ایران": the head of the republic, not "رئیس" of a body
                tnorm = _PRESIDENT
                _title_fa, role, needs = g.titles[tnorm]
            m = Mention("title", a, b, role_code=role, title_norm=tnorm)
            if c and g.countries.get(c[0]):
                m.country, m.end = c[0], c[1]
            elif not needs:
                m.country, m.by_default = _infer_title_country(tnorm, g)
            else:
                m.bare = True
            m.title_fa = orig(a, m.end)
            mentions.append(m)
        elif kind in ("TP", "TG"):
            if kind == "TP":
                tnorm = ps[0][1]
                role, tf = g.titles[tnorm][1], g.titles[tnorm][0]
            else:
                role, tf = PLURAL_HEADS[ps[0][1]]
                tnorm = norm(tf)
            cl, end = country_list_after(b)
            m = Mention("group", a, end if cl else b, role_code=role, title_norm=tnorm, countries=cl, title_fa=tf)
            m.group_call = kind == "TG" and ps[0][1] in GROUP_CALL_HEADS
            mentions.append(m)
        elif kind == "CP":
            plural = ps[0][1] == "plur"
            k = b
            if s.endswith(_FRIEND_AND, 0, a):
                a -= len(_FRIEND_AND)       # "دوست و همتای عزیزم": one person
            # همتایان خود در کشورهای A، B و C / همتای خود
            for skip in ("خود", "خویش"):
                if s.startswith(" " + skip, k) and (k + len(skip) + 1 >= len(s) or s[k + len(skip) + 1] not in TOKEN_CHARS):
                    k += len(skip) + 1
            for lead in (" در کشور های", " از کشور های", " در کشورهای", " از کشورهای", " در کشور", " از کشور"):
                if s.startswith(lead, k):
                    k += len(lead)
                    break
            cl, end = country_list_after(k)
            if not cl and s.startswith((" در ", " از "), k):   # همتایان خود در قطر و عمان
                cl, end = country_list_after(k + 3)
            if not cl and not plural:
                cl, end = _demonym_with_possessive(g, s, k)
            if cl and plural:
                mentions.append(Mention("title", a, end, counterpart=True, countries=cl, title_fa=orig(a, end)))
            elif cl:
                mentions.append(Mention("title", a, end, country=cl[0], counterpart=True, title_fa=orig(a, end)))
            elif not plural:
                # "همتای عزیزم، X": an adjective of regard, then the name in apposition
                w = words_after(s, k, 1)
                if w and w[0][2] in _REGARD and not s[k:w[0][0]].strip():
                    k = w[0][1]
                mentions.append(Mention("title", a, k, counterpart=True, bare=True, title_fa=orig(a, k)))
    # "معاون نخست‌وزیر و وزیر امور خارجه پاکستان": coordinated titles of one person share
    # the country of the last
    titles = sorted((m for m in mentions if m.kind == "title" and not m.counterpart), key=lambda m: m.start)
    for t, nxt in zip(titles, titles[1:] + [None]):
        if not t.bare:
            continue
        if nxt is not None and nxt.country and s[t.end:nxt.start].strip() == "و":
            if t.role_code in PRINCIPAL_ROLES and nxt.role_code in PRINCIPAL_ROLES and t.role_code != nxt.role_code:
                # "رئیس‌جمهور و نخست‌وزیر عراق": two people, of one country when it has both offices
                # ("نخست‌وزیر و رئیس‌جمهور آمریکا" are of two)
                if office_exists(g, nxt.country, t.role_code):
                    t.country, t.bare = nxt.country, False
                continue
            t.country, t.bare = nxt.country, False
            nxt.merged = True
            t.end = nxt.end
            t.title_fa = orig(t.start, t.end)
        elif s.startswith(" و ", t.end):
            # "رئیس مجلس ملی و شهردار پایتخت تاجیکستان": a second office, then the country
            c = country_after(t.end + 3)
            if c and g.countries.get(c[0]):
                t.country, t.bare, t.end = c[0], False, c[1]
                t.title_fa = orig(t.start, t.end)
    first_break = text.find("\n")
    mentions += _surnames_after_full_names(g, s, mentions, orig, nt.to_norm(first_break) if first_break > 0 else 0)
    # "همتای روس او": the pronoun right after a counterpart is its possessive (whose
    # counterpart), as خود is, not a mention of its own
    counterpart_ends = {m.end for m in mentions if m.kind == "title" and m.counterpart}
    for pm in LiteralStarts.finditer(_PRONOUN_RE, s, _PRONOUN_STARTS.starts(s)):
        if pm.start() - 1 not in counterpart_ends or s[pm.start() - 1] != " ":
            mentions.append(Mention("pronoun", pm.start(), pm.end()))
    mentions = [m for m in mentions if not _part_of_other_name(s, m) and not _inside_patronymic(g, s, m)]
    for m in mentions:
        m.np_start, m.np_end = m.start, m.end
    mentions.sort(key=lambda m: (m.start, -m.end))
    mentions = _dedupe_nested(mentions)
    _envoy_countries(g, s, mentions, orig)
    _attach_names(g, nt, text, mentions, honor, [(a, b) for a, (b, _ps) in cs.at.items()])
    _context_flags(s, mentions, honor)
    _envoy_complements(g, s, mentions, orig)
    countries = []
    for a in cs.starts:
        c = country_at(a)
        if c and not _GEOGRAPHIC_BEFORE.search(s, max(0, a - 12), a):
            countries.append((a, c[1], c[0]))
    return Found(mentions, [(a, b) for a, b, _ in honor], countries)


def _part_of_other_name(s: str, m: Mention) -> bool:
    """A one-word form of a gazetteer name inside a longer quoted name is someone else:
    «برد کوپر» is not the «کوپر» of the gazetteer."""
    if m.kind != "person" or " " in s[m.start:m.end]:
        return False
    open_ = s.rfind("«", max(0, m.start - 30), m.start)
    close = s.find("»", m.end, m.end + 30)
    if open_ < 0 or close < 0 or "»" in s[open_:m.start] or "«" in s[m.end:close]:
        return False
    return len(s[open_ + 1:close].split()) > 1


_PATRONYMIC = tuple(norm(w) + " " for w in ("بن", "ابن", "بنت"))


def _inside_patronymic(g: Gazetteer, s: str, m: Mention) -> bool:
    """A short name that opens with its patronymic ("بن سلمان") right after a name word
    is the end of someone else's full name ("عبدالعزیز بن سلمان"), not that person."""
    if m.kind != "person" or not s.startswith(_PATRONYMIC, m.start):
        return False
    words = words_before(s, m.start, 1)
    if not words or s[words[0][1]:m.start].strip():
        return False          # a comma or other mark between: not one name
    w = words[0][2]
    return w not in NAME_STOP and w not in g.stop and w not in g.titles and not w.isdigit()


# A pronoun that is a whole token.
_PRONOUN_RE = re.compile(
    rf"(?<!{TOKEN_CHAR_CLASS})(?:" + "|".join(sorted(PRONOUNS, key=len, reverse=True)) + rf")(?!{TOKEN_CHAR_CLASS})"
)
_PRONOUN_STARTS = LiteralStarts(PRONOUNS)


WEEKDAY_NAMES = {"شنبه", "یکشنبه", "دوشنبه", "سه شنبه", "سهشنبه", "چهارشنبه", "پنجشنبه", "پنج شنبه", "جمعه"}


@per_object
def _country_name_norms(g: Gazetteer) -> tuple[list, list, dict, list]:
    """What a title that needs no complement can name: an organisation by any of its
    names ("دبیرکل اکو"); a country by any of its forms ("رئیس تشکیلات خودگردان
    فلسطین"), longest first; the countries whose office-holders bear the title itself
    ("پاپ"); a country's seat of government ("مشاور امنیت ملی کاخ سفید"). Seats come
    after holders: "قدس" is a city and a force of Iran's."""
    def longest_first(pairs):
        return sorted(pairs, key=lambda x: -len(x[1]))

    orgs = longest_first((code, norm(f)) for code, c in g.countries.items() if c["kind"] == "org"
                         for f in c.get("forms") or [c["name_fa"]])
    forms = longest_first((code, norm(f)) for code, c in g.countries.items()
                          for f in {c["name_fa"], *(c.get("forms") or [])})
    seats = longest_first((code, norm(f)) for code, c in g.countries.items() for f in c.get("capitals") or [])
    holders: dict[str, set] = {}
    for title, country in g.roles.select("title_fa", "country_code").unique().iter_rows():
        if title:
            holders.setdefault(norm(title), set()).add(country)
    return orgs, forms, holders, seats


_PRESIDENT_HEAD, _PRESIDENT = norm("رئیس"), norm("رئیس جمهوری")
# adjectives of regard after همتا, with a possessive or not ("همتای عزیزم"، "همتای گرامی")
_REGARD = frozenset(norm(w) for w in ("عزیز", "عزیزم", "عزیزمان", "گرامی", "گرامیم", "محترم", "محترمم", "ارجمند",
                                      "ارجمندم", "خوبم"))
_FRIEND_AND = "دوست و "
_POSSESSIVE = ("مان", "تان", "شان", "م", "ش", "ت")


@per_object
def _demonyms(g: Gazetteer) -> dict[str, str]:
    return {norm(d): code for code, c in g.countries.items() for d in c.get("demonyms") or []}


def _demonym_with_possessive(g: Gazetteer, s: str, k: int) -> tuple[list[str], int]:
    """"همتای روسم" (my Russian counterpart): a demonym glued to a possessive suffix
    right after the counterpart word; the suffix makes the word no country token."""
    w = words_after(s, k, 1)
    if not w or s[k:w[0][0]].strip():
        return [], k
    a, b, t = w[0]
    for suffix in _POSSESSIVE:
        code = _demonyms(g).get(t[:-len(suffix)]) if t.endswith(suffix) else None
        if code:
            return [code], b
    return [], k


@per_object
def _title_countries(g: Gazetteer) -> dict[str, str]:
    return {}     # title -> country, filled as titles are first met


def _infer_title_country(tnorm: str, g: Gazetteer) -> tuple[str, bool]:
    known = _title_countries(g)
    if tnorm not in known:
        known[tnorm] = _title_country(tnorm, g)
    return known[tnorm]


def _title_country(tnorm: str, g: Gazetteer) -> tuple[str, bool]:
    """The country a title that needs no complement belongs to: the organisation or
    country its own words name, else the one country whose office-holders bear it, else
    the seat of government it names, else Iran's own offices (then True: by default)."""
    orgs, forms, holders, seats = _country_name_norms(g)
    padded = f" {tnorm} "

    def named(names):
        return next((code for code, name in names if name and f" {name} " in padded), None)

    code = named(orgs) or named(forms)
    if code:
        return code, False
    if len(holders.get(tnorm, ())) == 1:
        return next(iter(holders[tnorm])), False
    code = named(seats)
    if code:
        return code, False
    for word, code in (("حماس", "PS"), ("حزب الله", "LB"), ("انصارالله", "YE"), ("یمن", "YE"), ("کردستان", "IQ")):
        if word in tnorm:
            return code, False
    return "IR", True


_COURTESY = tuple(norm(w) + " " for w in ("آقای", "خانم"))


def _surnames_after_full_names(g: Gazetteer, s: str, mentions: list[Mention], orig, headline_end: int) -> list[Mention]:
    """A person the article has named in full, later called by the surname alone ("جان
    کری ... کری"): the gazetteer lists no surname that is also a word, but after the
    full name the word is that person; before it, in the headline (up to headline_end)
    or after آقای/خانم. Each surname is searched for as a whole token (_words_at)."""
    first_full: dict[str, tuple[int, str]] = {}     # surname -> (end of the first full name, person)
    for m in mentions:
        if m.kind != "person" or m.form_kind not in ("full", "alias"):
            continue
        if m.form_kind == "full":
            words = norm(g.persons[m.official_id]["name_fa"]).split()
        else:
            # a shorter form of the full name ("علی باقری" of علی باقری کنی): its last
            # word is a surname only after a first name
            words = s[m.start:m.end].split()
            if len(words) != 2 or words[0] not in g.first_names:
                continue
        last = words[-1] if len(words) >= 2 else ""
        if len(last) < 3 or last in g.stop:
            continue
        if last not in first_full or m.end < first_full[last][0]:
            first_full[last] = (m.end, m.official_id)
    if not first_full:
        return []
    taken = sorted((m.start, m.end) for m in mentions)
    out: list[Mention] = []
    for a, surname in sorted(_words_at(s, first_full)):
        got = first_full[surname]
        # before the full name only in the headline or after a courtesy title ("آقای هیگ")
        if a < got[0] and not (a < headline_end or s[max(0, a - 6):a].endswith(_COURTESY)):
            continue
        b = a + len(surname)
        if surname in g.first_names and not _name_ends_at(g, s, b):
            continue          # "شریف" of شهباز شریف, but not the first name of "شریف اسماعیل"
        k = bisect.bisect_right(taken, (a, len(s))) - 1
        if k >= 0 and taken[k][1] > a:
            continue          # inside another mention
        out.append(Mention("person", a, b, official_id=got[1], form_kind="surname", name_text=orig(a, b)))
    return out


# Up to this many words, _words_at searches for each; beyond, it walks the tokens once,
# so that its time stays linear in the text however many persons a long text names.
_SEARCHED_WORDS = 32


def _words_at(s: str, words, searched_words: int = _SEARCHED_WORDS) -> list[tuple[int, str]]:
    """(start, word) of each token of s (a run of TOKEN_RE's characters) that is one of
    ``words``: found with str.find, word by word, when they are few (most articles name a
    person or two in full); by one walk over every token of s when they are many."""
    if len(words) > searched_words:
        return [(m.start(), m.group()) for m in TOKEN_RE.finditer(s) if m.group() in words]
    found = []
    for word in words:
        if not TOKEN_RE.fullmatch(word):
            continue          # no token can equal it
        a = s.find(word)
        while a >= 0:
            b = a + len(word)
            if (a == 0 or not LETTER_RE.match(s, a - 1)) and (b == len(s) or not LETTER_RE.match(s, b)):
                found.append((a, word))
            a = s.find(word, a + 1)
    return found


def _name_ends_at(g: Gazetteer, s: str, pos: int) -> bool:
    """No further name word follows pos: a mark, or a word that is never part of a name."""
    nxt = words_after(s, pos, 1)
    return not nxt or bool(s[pos:nxt[0][0]].strip()) or nxt[0][2] in NAME_STOP or nxt[0][2] in g.stop


def _dedupe_nested(ms: list[Mention]) -> list[Mention]:
    """Drop a pronoun inside another mention and a person inside another person
    (ms sorted by start, longer first): one pass with the furthest end so far."""
    out: list[Mention] = []
    far_any = far_person = -1
    for m in ms:
        if m.kind == "pronoun" and m.end <= far_any:
            continue
        if m.kind == "person" and m.end <= far_person:
            continue
        out.append(m)
        if m.kind != "pronoun":
            far_any = max(far_any, m.end)
        if m.kind == "person":
            far_person = max(far_person, m.end)
    return out


def _is_apposition_gap(gap: str) -> bool:
    return gap.replace("«", "").replace("»", "").replace('"', "").strip() in {"", "،", ","}


def _attach_names(g: Gazetteer, nt: NormText, text: str, ms: list[Mention], honor, places=()) -> None:
    """Appositions: NAME، TITLE COUNTRY / TITLE COUNTRY، NAME / TITLE «NAME» / TITLE NAME.
    A title in apposition to a gazetteer person becomes that person's title; an unknown
    name next to a title makes a text official (kind 'text') with the title's country."""
    s = nt.s
    honor_ends = {b for _a, b, _ in honor}
    honor = sorted(honor)
    honor_starts = [a for a, _b, _ in honor]
    persons = [m for m in ms if m.kind == "person"]
    p_starts = [p.start for p in persons]
    p_ends = sorted((p.end, i) for i, p in enumerate(persons))
    p_end_keys = [e for e, _ in p_ends]
    # a name is no country, capital or other official: "تهران- ایرنا- وزیر ..." is a dateline
    spans = sorted([(m.start, m.end) for m in ms] + list(places))
    span_starts = [a for a, _ in spans]
    for t in [m for m in ms if m.kind == "title" and m.counterpart and m.country]:
        # "دونالد ترامپ، همتای آمریکایی‌اش": the counterpart in apposition is that person
        k = bisect.bisect_right(p_end_keys, t.start) - 1
        if k >= 0 and _is_apposition_gap(s[p_ends[k][0]:t.start]):
            p = persons[p_ends[k][1]]
            if p.official_id and g.persons[p.official_id]["country_code"] == t.country:
                p.np_end = max(p.np_end, t.end)
                t.merged = True
    for t in [m for m in ms if m.kind == "title" and m.counterpart and m.bare]:
        # "همتای عمانی‌ام، بدر البوسعیدی" / "همتای عزیزم، X": the person in apposition after it
        j = bisect.bisect_left(p_starts, t.end)
        gap = s[t.end:persons[j].start] if j < len(persons) else ""
        h = bisect.bisect_left(honor_starts, t.end)
        while h < len(honor) and honor[h][1] <= t.end + len(gap):     # "همتای عزیزم، سید X"
            gap = gap.replace(s[honor[h][0]:honor[h][1]], "")
            h += 1
        if j < len(persons) and persons[j].official_id and _is_apposition_gap(gap) and "،" in gap:
            persons[j].np_start = min(persons[j].np_start, t.start)
            t.merged = True
    for t in [m for m in ms if m.kind == "title" and not m.counterpart]:
        # in apposition on the same line: a headline ending in a title is not the title
        # of the name that opens the next line
        k = bisect.bisect_right(p_end_keys, t.start) - 1
        prev = persons[p_ends[k][1]] if k >= 0 and _is_apposition_gap(s[p_ends[k][0]:t.start]) \
            and not _line_break(nt, text, p_ends[k][0], t.start) else None
        j = bisect.bisect_left(p_starts, t.end)
        nxt = persons[j] if j < len(persons) and _is_apposition_gap(s[t.end:persons[j].start]) \
            and not _line_break(nt, text, t.end, persons[j].start) else None
        partner = prev or nxt
        if partner is nxt and nxt is not None and t.bare and t.role_code in ENVOY_ROLES and nxt.official_id \
                and not any(r[0] == t.role_code for r in _role_index(g)[0].get(nxt.official_id, [])):
            continue      # "مشاور ارشد بلر": whose adviser (_envoy_complements), not the adviser
        if partner is not None and partner.official_id:
            pc = g.persons[partner.official_id]["country_code"]
            # a title that names no country describes the person it is in apposition to
            if t.country is None or t.country == pc or t.bare or t.by_default:
                partner.title_fa = partner.title_fa or t.title_fa
                partner.role_code = partner.role_code or t.role_code
                partner.np_start = min(partner.np_start, t.start)
                partner.np_end = max(partner.np_end, t.end)
                t.merged = True
                continue
        # the next person, of another country, is the next item of a list
        # ("با X، وزیر خارجه آلمان، دیوید کامرون، ..."): the title's name may stand before it
        if prev is not None or (partner is not None and not partner.official_id):
            continue
        name = _name_before(g, s, t.start, honor_ends)
        if name is not None and not _name_ok(nt, text, span_starts, spans, t, name):
            name = None
        if name is None and nxt is None:
            name = _name_after(g, s, t.end)
            if name is not None and not _name_ok(nt, text, span_starts, spans, t, name):
                name = None
        # a bare title makes a name only in apposition, set off by a comma or opened by a
        # known first name ("حمید سجادی وزیر ورزش"), and only an office's title, not a bare
        # head word ("با عیسی کلانتری، معاون رئیس‌جمهور")
        if name is not None and (t.country or not t.bare or (
                ("،" in s[min(name[1], t.end):max(name[0], t.start)] or s[name[0]:name[1]].split()[0] in g.first_names)
                and t.title_norm not in GENERIC_TITLES)):
            a, b = name
            t.kind = "text"
            t.name_text = text[slice(*nt.orig(a, b))]
            t.start, t.end = min(t.start, a), max(t.end, b)
            t.np_start, t.np_end = t.start, t.end


def _line_break(nt: NormText, text: str, lo: int, hi: int) -> bool:
    """A line break in the original between two matching-form offsets (folded there into a space)."""
    return "\n" in text[nt.orig(lo, hi)[0]:nt.offset(hi)]


def _name_ok(nt: NormText, text: str, span_starts, spans, t, name) -> bool:
    """The name span crosses no line break or colon and overlaps no other mention."""
    a, b = name
    lo, hi = (a, t.start) if a < t.start else (t.end, b)
    # up to where the next part starts in the original: a line break folded into the
    # matching form's space ("سرویس سیاسی-\nدبیر ...") still separates them
    if _line_break(nt, text, lo, hi) or ":" in text[nt.orig(lo, hi)[0]:nt.offset(hi)]:
        return False
    k = bisect.bisect_left(span_starts, b)
    for sa, sb in spans[max(0, k - 8):k]:
        if (sa, sb) != (t.start, t.end) and sa < b and a < sb:
            return False
    return True


@functools.lru_cache(maxsize=1)
def _agencies() -> frozenset:
    """Words of news agency names (seeds/lexicon/agencies.txt): never part of a person's name."""
    return frozenset(w for name in read_list(LEXICON_DIR / "agencies.txt") for w in norm(name).split() if len(w) > 2)


def _name_tokens_ok(g: Gazetteer, toks: list[str]) -> bool:
    for t in toks:
        if t in g.stop or t in PRONOUNS or len(t) < 2 or t.isdigit() or t in _agencies():
            return False
        if t in g.titles or t in {"وزیر", "رئیس", "نخست"}:
            return False
    return True


def _name_before(g: Gazetteer, s: str, pos: int, honor_ends: set) -> tuple[int, int] | None:
    j = pos
    while j > 0 and s[j - 1] == " ":
        j -= 1
    if j > 0 and s[j - 1] in "،,":
        j -= 1
        while j > 0 and s[j - 1] == " ":
            j -= 1
    if j > 0 and s[j - 1] in "»\"":
        k = s.rfind("«", max(0, j - 42), j - 1) if s[j - 1] == "»" else s.rfind('"', max(0, j - 42), j - 1)
        if k < 0:
            return None
        inner = s[k + 1: j - 1].strip()
        if not inner or len(inner.split()) > 4 or not _name_tokens_ok(g, inner.split()):
            return None
        return k + 1, j - 1
    toks = words_before(s, j, 5)
    got = []
    for a, b, t in toks:
        if t in NAME_STOP or t in g.titles or t.isdigit() or b in honor_ends or t in _agencies():
            break
        got.append((a, b, t))
    # a common word inside a name (محمد اسحق دار) only after a known first name
    while got and any(t in g.stop for _, _, t in got) and got[-1][2] not in g.first_names:
        got.pop()
    if got and got[-1][2] in g.stop:
        got = []
    if len(got) == len(toks) == 5 or not 2 <= len(got) <= 4:
        return None
    got.reverse()
    return got[0][0], got[-1][1]


def _name_after(g: Gazetteer, s: str, pos: int) -> tuple[int, int] | None:
    j = pos
    while j < len(s) and s[j] == " ":
        j += 1
    if j < len(s) and s[j] in "«\"":
        close = "»" if s[j] == "«" else '"'
        k = s.find(close, j + 1, j + 42)
        if k < 0:
            return None
        inner = s[j + 1: k].strip()
        if inner and len(inner.split()) <= 4 and _name_tokens_ok(g, inner.split()):
            return j + 1, k
        return None
    if j < len(s) and s[j] in "،,":
        got = []
        for a, b, t in words_after(s, j + 1, 5):
            if t in g.stop or t in NAME_STOP or t in g.titles or t.isdigit():
                break
            got.append((a, b, t))
        if 2 <= len(got) <= 4:
            end = got[-1][1]
            k = end
            while k < len(s) and s[k] == " ":
                k += 1
            if k < len(s) and s[k] in "،,":
                return got[0][0], end
    return None


def _context_flags(s: str, ms: list[Mention], honor) -> None:
    from .lexicon import load_lexicon

    kinship = load_lexicon().words("kinship")
    honor_ends = {b for _a, b, _ in honor}
    for m in ms:
        before = _words_before(s, m.start)
        if before:
            t0 = before[0][2]
            if t0 in kinship or (len(before) > 1 and before[1][2] in kinship and t0 in {"شهید", "مرحوم"}):
                m.private = True
            if m.kind in {"title", "group"} and t0 in INSTITUTION_HEADS and not m.merged:
                m.institution = True
        if m.kind == "title" and m.title_norm and m.title_norm.startswith("ریاست") and "محترم" not in m.title_norm:
            m.institution = True      # ریاست‌جمهوری is the presidency; ریاست محترم جمهور its holder
        lead = s[max(0, m.start - 24):m.start]
        if ("به" in lead or "قول" in lead) and _SOURCE_BEFORE.search(lead):
            m.source = True
        # a surname that is also a common word needs a first name, honorific or title before it
        if m.kind == "person" and m.form_kind == "common":
            ok = bool(before) and (before[0][1] in honor_ends or before[0][2] in {"آقای", "دکتر"})
            m.form_kind = "common_ok" if ok else "common"


ENVOY_ROLES = {"envoy", "advisor", "spokesperson", "ambassador"}
# words that end a portfolio phrase: prepositions, conjunctions, determiners, time words
_ENVOY_GAP_STOP = frozenset(norm(w) for w in (
    "در", "با", "به", "از", "و", "که", "را", "تا", "بر", "برای", "این", "آن", "یک", "هم", "نیز", "امروز", "دیروز",
    "روز", "شب", "گفت", "خود", "درباره", "طی", "ضمن"))


def _gap_of_fillers(g: Gazetteer, gap: str) -> bool:
    """A few words of a portfolio between a bare envoy's title and whose envoy it is
    ("مشاور ارشد سیاست خارجی نخست‌وزیر انگلیس"): no function word, verb or digit."""
    words = gap.split()
    return len(words) <= 4 and all(w.isalpha() and w not in _ENVOY_GAP_STOP and w not in verb_forms() for w in words)


def _chain_after_envoy(g: Gazetteer, s: str, ordered: list[Mention], i: int, orig) -> list[Mention]:
    """The officials right after the envoy/adviser/spokesperson title ordered[i]: whose
    envoy it is ("فرستاده رئیس‌جمهور ترامپ"); a few portfolio words may stand between
    when the title has no country yet ("مشاور ارشد سیاست خارجی نخست‌وزیر انگلیس")."""
    p = ordered[i]
    end, out = p.end, []
    for m in itertools.islice(ordered, i + 1, None):
        gap = s[end:m.start]
        if m.start < end or gap.strip() and not (not out and p.bare and _gap_of_fillers(g, gap)) \
                or "\n" in orig(end, m.start):     # the next line starts another phrase
            break
        out.append(m)
        end = max(end, m.end)
    return out


def _is_envoy(p: Mention) -> bool:
    # "مشاور امنیت ملی رئیس‌جمهور افغانستان": an adviser's title of any office, with no
    # country of its own, is whose adviser
    return p.kind in {"title", "text"} and not p.counterpart and not p.merged and not p.absorbed \
        and (p.role_code in ENVOY_ROLES or p.bare and (p.title_norm or "").startswith(_ADVISER_HEADS))


_ADVISER_HEADS = tuple(norm(w) + " " for w in ("مشاور", "دستیار"))


def _envoy_countries(g: Gazetteer, s: str, ms: list[Mention], orig) -> None:
    """A bare envoy's title takes the country of whose envoy it is: "مشاور ارشد بلر" is a
    British adviser; not of a name in apposition, who holds that office himself ("مشاور
    امنیت ملی جیک سالیوان"). Before names are attached: the title then has a country."""
    ordered = sorted((m for m in ms if m.kind in {"title", "person", "text"}), key=lambda m: (m.start, -m.end))
    for i, p in enumerate(ordered):
        if not (_is_envoy(p) and p.kind == "title" and p.bare):
            continue
        chain = _chain_after_envoy(g, s, ordered, i, orig)
        if chain and chain[0].kind == "person" and chain[0].official_id \
                and any(r[0] == p.role_code for r in _role_index(g)[0].get(chain[0].official_id, [])):
            continue
        country = next((m.country or (g.persons[m.official_id]["country_code"] if m.kind == "person" and m.official_id
                                      else None) for m in chain if m.country or m.kind == "person" and m.official_id), None)
        if country:
            end = max(m.end for m in chain)
            for m in chain:
                m.absorbed = True
            p.country, p.bare, p.end = country, False, end
            p.np_end = max(p.np_end, end)
            p.title_fa = orig(p.start, p.end)


def _envoy_complements(g: Gazetteer, s: str, ms: list[Mention], orig) -> None:
    """The officials right after an envoy/adviser/spokesperson title are its complement,
    not participants: "فرستاده رئیس‌جمهور ترامپ" is the envoy, not the president. A title
    in apposition to the name after it ("سخنگوی کرملین دیمیتری پسکوف") is that person's."""
    ordered = [m for m in ms if m.kind in {"title", "person", "text"}]
    for i, p in enumerate(ordered):
        if _is_envoy(p):
            for m in _chain_after_envoy(g, s, ordered, i, orig):
                m.absorbed = True


# ----------------------------------------------------------------------------- office history


@per_object
def _role_index(g: Gazetteer) -> tuple[dict, dict]:
    """Roles by official and by (country, role), latest office first."""
    by_official: dict = {}
    by_office: dict = {}
    rows = g.roles.sort("valid_from", descending=True, nulls_last=True).select(
        "official_id", "role_code", "country_code", "title_fa", "valid_from", "valid_to"
    )
    for oid, role, country, title, start, end in rows.iter_rows():
        by_official.setdefault(oid, []).append((role, country, title, start, end))
        by_office.setdefault((country, role), []).append((oid, start, end))
    return by_official, by_office


def _in_office(start, end, on: dt.date) -> bool:
    return start is not None and start <= on and (end is None or end >= on)


def in_office_near(g: Gazetteer, oid: str, on: dt.date, years_before: int = 1, years_after: int = 3) -> bool:
    """The person holds an office from ``years_before`` before ``on`` to ``years_after`` after
    it ends, or the gazetteer knows no dates of theirs."""
    rows = [r for r in _role_index(g)[0].get(oid, []) if r[3] is not None]
    if not rows:
        return True
    lo = dt.date(on.year - years_after, on.month, min(on.day, 28))
    hi = dt.date(on.year + years_before, on.month, min(on.day, 28))
    return any(start <= hi and (end is None or end >= lo) for _r, _c, _t, start, end in rows)


def holds_role(g: Gazetteer, m: Mention, role: str, on: dt.date | None) -> bool:
    """A named person holds ``role`` at ``on``: by the gazetteer's history, or by the
    article's own words when the history does not say they had left it by then."""
    history = _role_index(g)[0].get(m.official_id, [])
    if any(r[0] == role and (on is None or _in_office(r[3], r[4], on)) for r in history):
        return True
    return m.role_code == role and not (on is not None and any(r[0] == role and r[3] is not None for r in history))


def holders(g: Gazetteer, country: str, role: str, on: dt.date | None) -> list[str]:
    rows = _role_index(g)[1].get((country, role), [])
    return list(dict.fromkeys(oid for oid, start, end in rows if on is None or _in_office(start, end, on)))


def holders_elect(g: Gazetteer, country: str, role: str, on: dt.date, days: int = 183) -> list[str]:
    """Who takes the office within ``days`` after ``on``: the president-elect of a
    "رئیس‌جمهور منتخب"."""
    rows = _role_index(g)[1].get((country, role), [])
    return list(dict.fromkeys(oid for oid, start, _end in rows
                              if start is not None and on < start <= on + dt.timedelta(days=days)))


def office_exists(g: Gazetteer, country: str, role: str) -> bool:
    return (country, role) in _role_index(g)[1]


def country_on(g: Gazetteer, oid: str, on: dt.date | None) -> str | None:
    """The one country whose offices the person holds on the date (an Egyptian foreign
    minister later the Arab League's secretary general), or None."""
    if on is None:
        return None
    countries = {country for _role, country, _title, start, end in _role_index(g)[0].get(oid, [])
                 if _in_office(start, end, on)}
    return countries.pop() if len(countries) == 1 else None


def office_span(g: Gazetteer, oid: str) -> tuple[dt.date, dt.date | None] | None:
    """First day in any office and last (None: still in one) of a gazetteer official."""
    rows = _role_index(g)[0].get(oid)
    if not rows:
        return None
    ends = [end for *_, end in rows]
    return min(start for *_, start, _end in rows), None if any(e is None for e in ends) else max(ends)


def roles_of(g: Gazetteer, oid: str, on: dt.date | None) -> list[tuple[str, str, str]]:
    # Latest office first: with no date (or none matching), an undated article is more
    # likely about the person's latest office than their first. Of offices held at once on
    # the date, the one held longest first: a later one is an added post (a foreign
    # minister made national security adviser or deputy prime minister too).
    rows = _role_index(g)[0].get(oid, [])
    if on is not None:
        current = [r for r in rows if _in_office(r[3], r[4], on)]
        if current:
            rows = sorted(current, key=lambda r: r[3])
    return [(role, country, title) for role, country, title, _start, _end in rows]


def text_official_id(name: str, country: str | None) -> str:
    from transforms.cleaning import match_form

    key = f"{match_form(name)}|{country or ''}"
    return "x-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
