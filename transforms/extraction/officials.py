"""Officials in text: gazetteer names (Aho-Corasick over the matching form), titles with
their country complement (``وزیر امور خارجه عمان``, ``همتای عمانی``, ``وزرای خارجه ایران و
عمان``), title patterns that give a name missing from the gazetteer (``NAME، TITLE COUNTRY``,
``TITLE COUNTRY «NAME»``), pronouns, and the resolution of titles to office-holders at a date
through ``official_roles``.

The automaton is built once per process per Reference object (module-level cache).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

import ahocorasick
import polars as pl

from .memo import per_object
from .text import TOKEN_CHARS, TOKEN_RE, NormText, norm, words_after, words_before

# ----------------------------------------------------------------------------- lexicon

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
}
KINSHIP = {"همسر", "فرزند", "فرزندان", "خانواده", "پدر", "مادر", "برادر", "خواهر", "دختر", "پسر", "بستگان", "نوه", "داماد", "عروس"}
SOURCE_MARKERS = ("به نقل از", "به گفته", "از قول", "به گزارش")
COMPLEMENT_FILLERS = {"تروریست", "محترم", "جنایتکار", "پیشین", "فعلی", "منتخب", "کنونی"}
PLURAL_HEADS = {
    # plural word -> (role_code or None (any head), title_fa template)
    "سران": (None, "رئیس"),
    "رهبران": ("head_of_state", "رهبر"),
    "روسای جمهور": ("head_of_state", "رئیس‌جمهور"),
    "رئسای جمهور": ("head_of_state", "رئیس‌جمهور"),
    "روسای جمهوری": ("head_of_state", "رئیس‌جمهور"),
    "نخست وزیران": ("head_of_government", "نخست‌وزیر"),
}
COUNTERPART_SING = ("همتای", "همتا")
COUNTERPART_PLUR = ("همتایان",)
# bare titles (no country) that still identify an office: default country = Iran
BARE_OK_ROLES = {
    "head_of_state", "head_of_government", "foreign_minister", "deputy_foreign_minister", "vice_president",
    "chief_of_staff", "speaker", "security_council_secretary", "judiciary_chief", "deputy_pm",
    "supreme_leader", "chief_of_staff_armed_forces",
}
GENERIC_TITLES = {"وزیر", "رئیس", "فرمانده", "سفیر", "دبیرکل", "دبیر کل", "مشاور", "سخنگو", "امیر", "ملک", "شاه",
                  "رهبر", "پادشاه", "سلطان", "مدیرکل", "مدیر کل", "فرستاده", "نماینده ویژه", "کاردار", "نماینده دائم",
                  "سفیر کبیر", "مشاور ارشد", "فرستاده ویژه", "رئیس کشور", "رئیس دولت", "ولیعهد", "ولی عهد", "رهبری"}
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


def _variants(form: str) -> set[str]:
    f = norm(form)
    out = {f}
    if " " in f and len(f.split()) <= 4:
        out.add(f.replace(" ", ""))
    return {v for v in out if v}


def _build(ref) -> Gazetteer:
    from transforms import hazm_core

    stop = {norm(w) for w in hazm_core.hazm().stopwords_list()}
    common = {norm(w) for w in hazm_core.frequent_words(200000)}
    A = ahocorasick.Automaton()
    entries: dict[str, list] = {}

    def add(key: str, payload: tuple) -> None:
        if not key or len(key) < 2:
            return
        entries.setdefault(key, []).append(payload)

    # countries / organisations
    countries = {}
    for r in ref.countries.iter_rows(named=True):
        code = r["country_code"]
        countries[code] = {"name_fa": r["name_fa"], "kind": r["kind"], "name_en": r["name_en"]}
        if r["kind"] == "org" and code == "AL":
            pass
        forms = set(r.get("forms") or []) | {r["name_fa"]}
        for f in forms:
            for v in _variants(f):
                add(v, ("C", code, "form"))
        for f in r.get("demonyms") or []:
            for v in _variants(f):
                add(v, ("C", code, "demonym"))
                if not v.endswith("ی"):
                    add(v + " ای", ("C", code, "demonym"))
        for f in r.get("capitals") or []:
            for v in _variants(f):
                add(v, ("C", code, "capital"))

    # titles
    titles = {}
    trows = list(ref.titles.iter_rows(named=True)) + [
        {"title_fa": t, "role_code": rc, "needs_complement": str(nc)} for t, rc, nc in EXTRA_TITLES
    ]
    for r in trows:
        t = norm(r["title_fa"])
        if t in titles:
            continue
        nc = str(r["needs_complement"]) in {"1", "True", "true"}
        titles[t] = (r["title_fa"], r["role_code"], nc)
        for v in _variants(r["title_fa"]):
            add(v, ("T", t))
        # plural forms: وزیر X -> وزرای X ; رئیس X -> روسای X
        words = t.split()
        if words and words[0] == "وزیر":
            for pl_ in ("وزرای", "وزرا"):
                add(" ".join([pl_] + words[1:]), ("TP", t))
        if words and words[0] == "رئیس" and len(words) > 1:
            for pl_ in ("روسای", "رئسای", "روسا"):
                add(" ".join([pl_] + words[1:]), ("TP", t))
    for w, (rc, tf) in PLURAL_HEADS.items():
        add(norm(w), ("TG", w))
    for w in COUNTERPART_SING:
        add(norm(w), ("CP", "sing"))
    for w in COUNTERPART_PLUR:
        add(norm(w), ("CP", "plur"))

    # honorifics
    for r in ref.honorifics.iter_rows(named=True):
        for v in _variants(r["honorific"]):
            add(v, ("H",))

    # persons
    persons = {}
    first_names = set()
    form_owners: dict[str, set] = {}
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
        # derived short forms: drop a short last token (شاهین مصطفی اف -> شاهین مصطفی);
        # a 'بن X' tail (محمد بن سلمان -> بن سلمان); the last two tokens
        if len(full) >= 3 and len(full[-1]) <= 2:
            forms.setdefault(" ".join(full[:-1]), "derived")
        if "بن" in full[1:-1]:
            k = full.index("بن", 1)
            forms.setdefault(" ".join(full[k:]), "derived")
        if len(full) >= 3 and full[-2] not in {"بن", "ال", "آل", "ابن"}:
            forms.setdefault(" ".join(full[-2:]), "derived")
        for f, kind in forms.items():
            if len(f.replace(" ", "")) < 3:
                continue
            single = " " not in f
            if kind == "derived" and single and (f in common or f in stop):
                kind = "common"
            for v in _variants(f):
                form_owners.setdefault(v, set()).add(oid)
                add(v, ("P", oid, kind))
    for k, lst in entries.items():
        A.add_word(k, (k, lst))
    A.make_automaton()
    roles = ref.official_roles
    return Gazetteer(A, persons, roles, titles, countries, first_names, stop | NAME_STOP, common)


# ----------------------------------------------------------------------------- mentions


@dataclass
class Mention:
    kind: str                 # 'person' | 'title' | 'group' | 'pronoun' | 'text'
    start: int                # normalized offsets (whole mention incl. complement)
    end: int
    official_id: str | None = None
    country: str | None = None
    role_code: str | None = None
    title_fa: str | None = None          # title as written in text (original slice)
    title_norm: str | None = None
    name_text: str | None = None          # name as written (original slice) for text officials / aliases
    form_kind: str | None = None
    counterpart: bool = False
    countries: list = field(default_factory=list)   # for groups
    dq_flag: str | None = None
    private: bool = False
    source: bool = False
    absorbed: bool = False    # part of another mention's complement
    merged: bool = False      # a title merged into the person it describes
    bare: bool = False        # title with no country complement


def _raw_hits(g: Gazetteer, s: str):
    hits = []
    n = len(s)
    for end, (key, lst) in g.automaton.iter(s):
        start = end - len(key) + 1
        if start > 0 and s[start - 1] in TOKEN_CHARS:  # is_letter, inlined: a call per hit
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
    # the spans taken so far are disjoint: kept sorted, a new span can only overlap
    # its neighbours
    starts: list[int] = []
    ends: list[int] = []
    out = []
    for a, b, ps in cand:
        k = bisect.bisect_left(starts, a)
        if (k > 0 and ends[k - 1] > a) or (k < len(starts) and starts[k] < b):
            continue
        starts.insert(k, a)
        ends.insert(k, b)
        out.append((a, b, ps))
    out.sort(key=lambda x: x[0])
    return out


def find_mentions(g: Gazetteer, nt: NormText, text: str) -> list[Mention]:
    s = nt.s
    hits = _raw_hits(g, s)
    sel = _select(hits, {"P", "T", "TP", "TG", "CP", "C"})
    honor = _select(hits, {"H"})
    countries_at = {a: (b, ps) for a, b, ps in sel if ps[0][0] == "C"}

    def orig(a, b):
        x, y = nt.orig(a, b)
        return text[x:y]

    def country_after(pos: int, allow_filler=True):
        """Country/org mention starting right after pos (skipping one filler word)."""
        j = pos
        while j < len(s) and s[j] == " ":
            j += 1
        if j in countries_at:
            b, ps = countries_at[j]
            return ps[0][1], b, ps[0][2]
        if allow_filler:
            w = words_after(s, pos, 1)
            if w and w[0][2] in COMPLEMENT_FILLERS:
                return country_after(w[0][1], False)
        return None

    def country_list_after(pos: int):
        out = []
        c = country_after(pos)
        while c:
            out.append(c[0])
            end = c[1]
            k = end
            while k < len(s) and s[k] in " ،,":
                k += 1
            if s.startswith("و ", k):
                k += 2
            nxt = country_after(k, False)
            if not nxt:
                return out, end
            c = nxt
        return out, pos

    mentions: list[Mention] = []
    used_countries: set[int] = set()
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
            title_fa, role, nc = g.titles[tnorm]
            c = country_after(b)
            m = Mention("title", a, b, role_code=role, title_norm=tnorm)
            if c and g.countries.get(c[0]):
                m.country = c[0]
                used_countries.add(_start_of(countries_at, c))
                m.end = c[1]
            elif not nc:
                m.country = _infer_title_country(tnorm, g)
            else:
                m.bare = True
            m.title_fa = orig(a, m.end)
            mentions.append(m)
        elif kind == "TP" or kind == "TG":
            if kind == "TP":
                tnorm = ps[0][1]
                role = g.titles[tnorm][1]
                tf = g.titles[tnorm][0]
            else:
                role, tf = PLURAL_HEADS[ps[0][1]]
                tnorm = norm(tf)
            cl, end = country_list_after(b)
            if cl:
                m = Mention("group", a, end, role_code=role, title_norm=tnorm, countries=cl)
                m.title_fa = tf
                mentions.append(m)
            else:
                # "وزرای خارجه" with the countries after "با" (… ایران با ترکیه و قطر)
                mentions.append(Mention("group", a, b, role_code=role, title_norm=tnorm, countries=[], title_fa=tf))
        elif kind == "CP":
            plural = ps[0][1] == "plur"
            cl, end = country_list_after(b)
            if cl:
                for i, c in enumerate(cl):
                    m = Mention("title", a, end, country=c, counterpart=True, title_fa=orig(a, end))
                    mentions.append(m)
            elif not plural:
                mentions.append(Mention("title", a, b, counterpart=True, bare=True, title_fa=orig(a, b)))
    # pronouns: whole tokens (runs of TOKEN_RE characters)
    for pm in _PRONOUN_RE.finditer(s):
        mentions.append(Mention("pronoun", pm.start(), pm.end()))
    mentions.sort(key=lambda m: (m.start, -m.end))
    # drop title/person overlaps produced by complements (country inside title span etc.)
    mentions = _dedupe_nested(mentions)
    _attach_names(g, nt, text, mentions, honor)
    _context_flags(s, mentions, honor)
    return mentions


def _start_of(countries_at, c):
    for a, (b, ps) in countries_at.items():
        if b == c[1]:
            return a
    return -1


# A pronoun that is a whole token: what matching each TOKEN_RE run against PRONOUNS
# finds, without visiting the article's other tokens.
_TOKEN_CHARS = TOKEN_RE.pattern[:-1]  # the character class, without "+"
_PRONOUN_RE = re.compile(
    rf"(?<!{_TOKEN_CHARS})(?:" + "|".join(sorted(PRONOUNS, key=len, reverse=True)) + rf")(?!{_TOKEN_CHARS})"
)


@per_object
def _country_name_norms(g: Gazetteer) -> tuple[list, list]:
    """(code, normalised Persian name) of the organisations, then of every entry, in
    the gazetteer's order: normalised once, not for every title."""
    orgs = [(code, norm(c["name_fa"])) for code, c in g.countries.items() if c["kind"] == "org"]
    every = [(code, norm(c["name_fa"])) for code, c in g.countries.items()]
    return orgs, every


def _infer_title_country(tnorm: str, g: Gazetteer) -> str | None:
    orgs, every = _country_name_norms(g)
    for code, name in orgs:
        if name in tnorm:
            return code
    for code, name in every:
        if name and name in tnorm:
            return code
    if "حماس" in tnorm:
        return "PS"
    if "حزب الله" in tnorm:
        return "LB"
    if "انصارالله" in tnorm or "یمن" in tnorm:
        return "YE"
    if "کردستان" in tnorm:
        return "IQ"
    return "IR"


def _dedupe_nested(ms: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in ms:
        if m.kind == "pronoun" and any(o.start <= m.start and m.end <= o.end for o in out if o.kind != "pronoun"):
            continue
        if m.kind == "person" and any(o.kind == "person" and o.start <= m.start and m.end <= o.end for o in out):
            continue
        out.append(m)
    return out


def _attach_names(g: Gazetteer, nt: NormText, text: str, ms: list[Mention], honor) -> None:
    """Merge appositions: NAME، TITLE COUNTRY / TITLE COUNTRY، NAME / TITLE «NAME» / TITLE NAME.
    Unknown names next to a title become text officials (kind 'text')."""
    s = nt.s
    honor_spans = {(a, b) for a, b, _ in honor}
    honor_ends = {b for a, b in honor_spans}

    def gap(a: int, b: int) -> str:
        return s[a:b]

    persons = [m for m in ms if m.kind == "person"]
    for t in [m for m in ms if m.kind == "title" and not m.counterpart]:
        # a person right before the title: "«مارکو روبیو» وزیر امورخارجه" / "وانگ یی، وزیر"
        prev = [p for p in persons if p.end <= t.start and _is_apposition_gap(gap(p.end, t.start))]
        nxt = [p for p in persons if p.start >= t.end and _is_apposition_gap(gap(t.end, p.start), after=True)]
        partner = prev[-1] if prev else (nxt[0] if nxt else None)
        if partner is not None and partner.official_id:
            pc = g.persons[partner.official_id]["country_code"]
            if t.country is None or t.country == pc or t.bare:
                partner.title_fa = partner.title_fa or t.title_fa
                partner.role_code = partner.role_code or t.role_code
                t.merged = True
                continue
        if partner is not None:
            continue
        # unknown name before the title
        name = _name_before(g, s, t.start, honor_ends)
        if name is not None and not _name_ok(nt, text, ms, t, name):
            name = None
        if name is None:
            name = _name_after(g, s, t.end)
            if name is not None and not _name_ok(nt, text, ms, t, name):
                name = None
        if name is not None and (t.country or not t.bare):
            a, b = name
            t.kind = "text"
            t.name_text = text[slice(*nt.orig(a, b))]
            t.start = min(t.start, a)
            t.end = max(t.end, b)


def _name_ok(nt: NormText, text: str, ms: list, t, name) -> bool:
    a, b = name
    lo, hi = (a, t.start) if a < t.start else (t.end, b)
    x, y = nt.orig(lo, hi)
    if "\n" in text[x:y] or ":" in text[x:y]:
        return False
    for m in ms:
        if m is t:
            continue
        if m.start < b and a < m.end:
            return False
    return True


def _is_apposition_gap(g: str, after: bool = False) -> bool:
    gs = g.replace("«", "").replace("»", "").replace('"', "").strip()
    if gs in {"", "،", ","}:
        return True
    return False


def _name_tokens_ok(g: Gazetteer, toks: list[str]) -> bool:
    for t in toks:
        if t in g.stop or t in PRONOUNS or t in KINSHIP or len(t) < 2 or t.isdigit():
            return False
        if t in g.titles or norm(t) in {"وزیر", "رئیس", "نخست"}:
            return False
    return True


def _name_before(g: Gazetteer, s: str, pos: int, honor_ends: set) -> tuple[int, int] | None:
    j = pos
    while j > 0 and s[j - 1] == " ":
        j -= 1
    quoted = False
    comma = False
    if j > 0 and s[j - 1] in "،,":
        comma = True
        j -= 1
        while j > 0 and s[j - 1] == " ":
            j -= 1
    if j > 0 and s[j - 1] in "»\"":
        quoted = True
        k = s.rfind("«", 0, j - 1) if s[j - 1] == "»" else s.rfind('"', 0, j - 1)
        if k < 0 or j - 1 - k > 40:
            return None
        inner = s[k + 1 : j - 1].strip()
        if not inner or not _name_tokens_ok(g, inner.split()) or len(inner.split()) > 4:
            return None
        return k + 1, j - 1
    toks = words_before(s, j, 5)
    got = []
    for a, b, t in toks:
        if t in g.stop or t in NAME_STOP or t in KINSHIP or t in g.titles or t.isdigit():
            break
        if b in honor_ends:
            break
        got.append((a, b, t))
    # the token before the name must be a boundary (stopword, punctuation or start)
    if len(got) == len(toks) and len(toks) == 5:
        return None
    if len(got) < 2 or len(got) > 4:
        return None
    if not comma and not quoted:
        # without punctuation the name must start at a boundary (start, punctuation, stopword)
        pass
    got = list(reversed(got))
    return got[0][0], got[-1][1]


def _name_after(g: Gazetteer, s: str, pos: int) -> tuple[int, int] | None:
    j = pos
    while j < len(s) and s[j] == " ":
        j += 1
    if j < len(s) and s[j] in "«\"":
        close = "»" if s[j] == "«" else '"'
        k = s.find(close, j + 1)
        if k < 0 or k - j > 40:
            return None
        inner = s[j + 1 : k].strip()
        if inner and len(inner.split()) <= 4 and _name_tokens_ok(g, inner.split()):
            return j + 1, k
        return None
    if j < len(s) and s[j] in "،,":
        toks = words_after(s, j + 1, 5)
        got = []
        for a, b, t in toks:
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
    honor_ends = {b for a, b, _ in honor}
    for m in ms:
        before = words_before(s, m.start, 3)
        if before:
            t0 = before[0][2]
            if t0 in KINSHIP or (len(before) > 1 and before[1][2] in KINSHIP and t0 in {"شهید", "مرحوم"}):
                m.private = True
        lead = s[max(0, m.start - 14) : m.start]
        if any(lead.rstrip().endswith(x) for x in SOURCE_MARKERS):
            m.source = True
        # common-word surnames need a first name, an honorific or a title right before
        if m.kind == "person" and m.form_kind == "common":
            ok = False
            if before and (before[0][1] in honor_ends or before[0][2] in {"آقای", "دکتر"}):
                ok = True
            m.form_kind = "common_ok" if ok else "common"
    # a title right after another title ("فرستاده رئیس‌جمهور ترامپ") is its complement
    ordered = [m for m in ms if m.kind in {"title", "person", "text"}]
    for i in range(1, len(ordered)):
        p, m = ordered[i - 1], ordered[i]
        if p.kind in {"title", "text"} and not p.counterpart and p.role_code in {"envoy", "advisor", "spokesperson", "ambassador"}:
            if m.start >= p.end and s[p.end:m.start].strip() == "":
                m.absorbed = True
        if p.absorbed and m.kind == "person" and m.start >= p.end and s[p.end:m.start].strip() == "":
            m.absorbed = True


# ----------------------------------------------------------------------------- resolution


@per_object
def _role_index(g: Gazetteer) -> tuple[dict, dict]:
    """Roles by official and by (country, role), latest office first: extraction asks
    once per mention, and a polars filter per question dominated its profile."""
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


def holders(g: Gazetteer, country: str, role: str, on: dt.date | None) -> list[str]:
    rows = _role_index(g)[1].get((country, role), [])
    ids = [oid for oid, start, end in rows if on is None or _in_office(start, end, on)]
    return list(dict.fromkeys(ids))


def office_span(g: Gazetteer, oid: str) -> tuple[dt.date, dt.date | None] | None:
    """First day in any office and last (None: still in one) of a gazetteer official."""
    rows = _role_index(g)[0].get(oid)
    if not rows:
        return None
    ends = [end for *_, end in rows]
    return min(start for *_, start, _end in rows), None if any(e is None for e in ends) else max(ends)


def roles_of(g: Gazetteer, oid: str, on: dt.date | None) -> list[tuple[str, str, str]]:
    # Latest office first: with no date (or none matching), an undated article is more
    # likely about the person's latest office than their first.
    rows = _role_index(g)[0].get(oid, [])
    if on is not None:
        current = [r for r in rows if _in_office(r[3], r[4], on)]
        if current:
            rows = current
    return [(role, country, title) for role, country, title, _start, _end in rows]


def text_official_id(name: str, country: str | None) -> str:
    try:
        from transforms.cleaning import match_form
    except Exception:  # pragma: no cover
        match_form = norm
    key = f"{match_form(name)}|{country or ''}"
    return "x-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
