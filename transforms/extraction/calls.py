"""Call detection: cue wordings, negatives (planned, requested, denied, hypothetical calls,
phone interviews, private people), participants of each reported call, several calls in
one sentence (``X با وزرای خارجه A و B``), and merging of the mentions of one call inside an
article.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import ahocorasick
from rapidfuzz import fuzz

from .lexicon import CallCue, Lexicon
from .memo import per_object
from .officials import (
    BARE_OK_ROLES, GENERIC_TITLES, Gazetteer, Mention, holders, roles_of, text_official_id,
)
from .text import NormText, Span, is_letter, norm, words_after, words_before

MEDIA_WORDS = {"شبکه", "رسانه", "روزنامه", "خبرگزاری", "تلویزیون", "رادیو", "برنامه", "مجری", "خبرنگار", "نشریه", "سایت", "بی بی سی"}

CONTENT_WORDS = re.compile(r"(^|\s)(جزییات|جزئیات|محتوای|محتوا|مفاد|مضمون)(\s|$)")
REFUSALS = {"خودداری"}
LEADER_ROLES = {"head_of_state", "head_of_government", "crown_prince", "supreme_leader"}


@dataclass
class Participant:
    key: str
    official_id: str
    country: str | None
    title_fa: str | None = None
    role_code: str | None = None
    name_fa: str | None = None        # for text officials
    is_text: bool = False
    alias_form: str | None = None     # new alias form seen in the text (gazetteer person)
    dq_flag: str | None = None
    positions: list = field(default_factory=list)   # normalized starts of its mentions
    title_only: bool = False


@dataclass
class Cue:
    start: int
    end: int
    cue: CallCue
    sentence: Span
    clause: tuple[int, int]       # normalized span


@dataclass
class Candidate:
    cue: Cue
    parts: list                    # list[(Participant, Mention)]
    sides: tuple | None = None     # (left keys, right keys) around "با"
    initiators: set = field(default_factory=set)


@dataclass
class Call:
    participants: dict             # key -> Participant
    cues: list
    initiator: str | None = None
    init_strength: int = 0
    mode: str = "phone"


def _bounded(s: str, a: int, b: int) -> bool:
    return (a == 0 or not is_letter(s[a - 1])) and (b >= len(s) or not is_letter(s[b]))


def _occurrences(s: str, literal: str):
    """Non-overlapping (start, end) of a literal in s, left to right: what
    ``re.finditer(re.escape(literal), s)`` finds, without a regex per cue word."""
    n = len(literal)
    i = s.find(literal) if n else -1
    while i >= 0:
        yield i, i + n
        i = s.find(literal, i + n)


@per_object
def _cue_automaton(lex: Lexicon) -> ahocorasick.Automaton:
    """Every call cue's text, for one pass over an article."""
    automaton = ahocorasick.Automaton()
    for c in lex.call_cues:
        if c.text:
            automaton.add_word(c.text, c.text)
    automaton.make_automaton()
    return automaton


def _cue_occurrences(s: str, lex: Lexicon) -> dict[str, list[tuple[int, int]]]:
    """For each cue text in s, its occurrences as ``_occurrences`` finds them
    (non-overlapping, left to right), from one automaton pass instead of a search per
    cue (about a hundred)."""
    found: dict[str, list[tuple[int, int]]] = {}
    for end, text in _cue_automaton(lex).iter(s):  # by end, so by start for one text
        spans = found.setdefault(text, [])
        a = end - len(text) + 1
        if not spans or a >= spans[-1][1]:
            spans.append((a, end + 1))
    return found


def find_cues(nt: NormText, lex: Lexicon) -> list[tuple[int, int, CallCue]]:
    s = nt.s
    out = []
    taken: list[tuple[int, int]] = []
    occurrences = _cue_occurrences(s, lex)
    for c in lex.call_cues:
        for a, b in occurrences.get(c.text, ()):
            if not _bounded(s, a, b) and not (c.text in {"تماس", "تماسی"} and b < len(s) and s[b:b + 3] in {" ها", "ها "}):
                continue
            if any(not (b <= x or a >= y) for x, y in taken):
                continue
            taken.append((a, b))
            out.append((a, b, c))
    # "تلفنی درباره ... گفتگو کردند" : تلفنی with a conversation verb further on
    for m in re.finditer(r"(?<![\u0600-\u06FF])(?:به صورت |بصورت )?تلفنی(?![\u0600-\u06FF])", s):
        a, b = m.start(), m.end()
        if any(not (b <= x or a >= y) for x, y in taken):
            continue
        tail = s[b:b + 90]
        if re.search(r"(گفتگو|گفت و گو|گفت وگو|صحبت|رایزنی|تبادل نظر)( و تبادل نظر)? ?(کرد|کردند|کرده|داشت|داشتند)", tail) and "." not in tail.split("کرد")[0]:
            taken.append((a, b))
            out.append((a, b, CallCue(s[a:b], "strong", "phone", False)))
    out.sort(key=lambda x: x[0])
    return out


def _clause(nt: NormText, sent_n: tuple[int, int], a: int, b: int) -> tuple[int, int]:
    s = nt.s
    lo, hi = sent_n
    # split on ':' : keep the side with the cue
    left = s.rfind(":", lo, a)
    # "SPEAKER: در گفت‌وگوی تلفنی با Y، ..." — a short speaker label right before the cue's
    # phrase is the call's subject, not a separate clause
    if left >= 0 and not (len(s[lo:left].split()) <= 5 and len(s[left + 1:a].split()) <= 2
                          and ":" not in s[lo:left]):
        lo = left + 1
    right = s.find(":", b, hi)
    if right >= 0:
        hi = right
    return lo, hi


def is_negated(nt: NormText, cue: Cue, lex: Lexicon) -> str | None:
    s = nt.s
    lo, hi = cue.clause
    win_a = max(lo, cue.start - 45)
    win_b = min(hi, cue.end + 45)
    window = s[win_a:win_b]
    # refusing to give the details of a call ("از بیان جزئیات تماس تلفنی خود ... خودداری کرد")
    # confirms the call: a refusal is a denial only when the call itself is its object
    content_refused = bool(CONTENT_WORDS.search(s[max(lo, cue.start - 30):cue.start]))
    for kind in ("planned", "denied"):
        for w in lex.neg_cues.get(kind, ()):
            if kind == "denied" and content_refused and w in REFUSALS:
                continue
            for a, b in _occurrences(window, w):
                if _bounded(window, a, b):
                    return kind
    # future verb right after the cue ("... تلفنی گفتگو خواهند کرد / کند")
    after = s[cue.end: min(hi, cue.end + 30)]
    if re.search(r"(^|\s)(خواهد|خواهند|می کند|میکند|بکند|کنند|کند)(\s|$)", after) and not re.search(r"(کرد|کردند|داشت|داشتند)", after):
        return "planned"
    # phone interview: "... گفتگوی تلفنی با شبکه ..."
    nxt = words_after(s, cue.end, 4)
    toks = [t for _, _, t in nxt]
    if "با" in toks:
        k = toks.index("با")
        if k + 1 < len(toks) and toks[k + 1] in MEDIA_WORDS:
            return "interview"
    prev = words_before(s, cue.start, 1)
    if prev and prev[0][2] in {"مصاحبه", "مهمان"}:
        return "interview"
    return None


class Resolver:
    """Resolves mentions of one article to participants at a reference date."""

    def __init__(self, g: Gazetteer, nt: NormText, text: str, mentions: list[Mention], on: dt.date | None):
        self.g, self.nt, self.text, self.ms, self.on = g, nt, text, mentions, on
        # persons named in the article with a strong form (not a bare common word)
        self.strong = {m.official_id for m in mentions if m.kind == "person" and m.official_id and m.form_kind not in {"common"}}
        self.named = [m for m in mentions if m.kind == "person" and m.official_id and (m.form_kind != "common" or m.official_id in self.strong)]
        # country for bare titles with a country elsewhere in the article (same title)
        self.title_country = {}
        for m in mentions:
            if m.kind in {"title", "text"} and m.country and m.title_norm and not m.counterpart:
                self.title_country.setdefault(m.title_norm, m.country)

    def orig(self, a: int, b: int) -> str:
        x, y = self.nt.orig(a, b)
        return self.text[x:y]

    def person(self, oid: str, m: Mention | None) -> Participant:
        p = self.g.persons[oid]
        rs = roles_of(self.g, oid, self.on)
        role = (m.role_code if m else None) or (rs[0][0] if rs else None)
        title = (m.title_fa if m and m.title_fa else None) or (rs[0][2] if rs else None)
        part = Participant(oid, oid, p["country_code"], title, role)
        if m is not None and m.name_text:
            nf = norm(m.name_text)
            if nf not in p["forms"] and nf.replace(" ", "") not in {f.replace(" ", "") for f in p["forms"]}:
                part.alias_form = m.name_text
            part.dq_flag = self._contradiction(oid, m)
        return part

    def _contradiction(self, oid: str, m: Mention) -> str | None:
        """A first name before a surname form that is not the gazetteer person's first name
        (حسین روحانی for حسن روحانی), or an alias that differs in the first name."""
        p = self.g.persons[oid]
        canon = norm(p["name_fa"]).split()
        if len(canon) < 2:
            return None
        form = norm(m.name_text or "").split()
        if len(form) >= 2 and form[-1] == canon[-1] and form[0] != canon[0] and form[0] in self.g.first_names \
                and "".join(form) != "".join(canon):
            return "name_contradicts_gazetteer"
        if len(form) == 1:
            prev = words_before(self.nt.s, m.start, 1)
            if prev and prev[0][2] in self.g.first_names and prev[0][2] != canon[0]:
                m.name_text = self.orig(prev[0][0], m.end)
                return "name_contradicts_gazetteer"
        return None

    def resolve(self, m: Mention, sentence_ms: list[Mention], other_country: set) -> list[Participant]:
        g = self.g
        if m.private or m.source or m.absorbed or m.merged:
            return []
        if m.kind == "person":
            if m.official_id is None and m.countries:
                cands = [o for o in m.countries if self.on is None or roles_of(g, o, self.on)]
                if len(cands) > 1:
                    # a short form shared by a leader and a minister ("بن سلمان") names the leader
                    top = [o for o in cands if any(r[0] in LEADER_ROLES for r in roles_of(g, o, self.on))]
                    if len(top) == 1:
                        cands = top
                if len(cands) != 1:
                    return []
                return [self.person(cands[0], m)]
            if m.form_kind == "common" and m.official_id not in self.strong:
                return []
            return [self.person(m.official_id, m)]
        if m.kind == "text":
            country = m.country or ("IR" if m.bare else None)
            # a spelling variant of a gazetteer person of that country
            best, score = None, 0
            for oid, p in g.persons.items():
                if country and p["country_code"] != country:
                    continue
                for f in p["forms"]:
                    sc = fuzz.ratio(norm(m.name_text), f)
                    if sc > score:
                        best, score = oid, sc
            if best and score >= 85:
                part = self.person(best, m)
                part.alias_form = m.name_text if norm(m.name_text) not in g.persons[best]["forms"] else None
                return [part]
            name = _strip_honorific(m.name_text)
            oid = text_official_id(name, country)
            return [Participant(oid, oid, country, m.title_fa, m.role_code, name_fa=name, is_text=True)]
        if m.kind == "title":
            if m.counterpart:
                return []  # resolved by the caller once the other side is known
            return self._title(m.role_code, m.country, m.title_fa, m.title_norm, m.bare, m, other_country)
        if m.kind == "group":
            out = []
            for c in m.countries:
                role = m.role_code
                if role is None:  # سران: head of state, else head of government named in the article
                    out.extend(self._head(c, m))
                    continue
                out.extend(self._title(role, c, _group_title(m, c, g), m.title_norm, False, m, other_country))
            return out
        return []

    def _head(self, country: str, m: Mention) -> list[Participant]:
        for pm in self.named:
            if self.g.persons[pm.official_id]["country_code"] == country:
                return [self.person(pm.official_id, None)]
        for role in ("head_of_state", "head_of_government"):
            hs = holders(self.g, country, role, self.on)
            if len(hs) == 1:
                return [self.person(hs[0], None)]
        return []

    def _title(self, role, country, title_fa, tnorm, bare, m, other_country) -> list[Participant]:
        g = self.g
        if bare:
            if tnorm in GENERIC_TITLES or role not in BARE_OK_ROLES:
                return []
            country = self.title_country.get(tnorm)
            if country is None:
                if role == "head_of_government":
                    # Iran has no prime minister: the country named nearby
                    country = self._nearby_country(m, exclude=other_country | {"IR"})
                    if country is None:
                        return []
                else:
                    country = "IR"
        if country is None:
            return []
        # a person of that country and office named in the article
        for pm in self.named:
            if g.persons[pm.official_id]["country_code"] != country:
                continue
            prs = roles_of(g, pm.official_id, self.on)
            if pm.role_code == role or any(r[0] == role and r[1] == country for r in prs):
                part = self.person(pm.official_id, None)
                part.title_fa = title_fa or part.title_fa
                part.role_code = role
                part.alias_form = None
                return [part]
        hs = holders(g, country, role, self.on) if role else []
        if len(hs) == 1 and self.on is not None:
            part = self.person(hs[0], None)
            part.title_fa = title_fa or part.title_fa
            part.role_code = role
            return [part]
        name = title_fa or (tnorm or "")
        oid = text_official_id(name, country)
        return [Participant(oid, oid, country, title_fa, role, name_fa=name, is_text=True, title_only=True)]

    def _nearby_country(self, m: Mention, exclude: set) -> str | None:
        s = self.nt.s
        lo = max(0, s.rfind(".", 0, m.start))
        hi = s.find(".", m.end)
        hi = len(s) if hi < 0 else hi
        best = None
        for o in self.ms:
            if o.kind in {"title", "text"} and o.country and o.country not in exclude and lo <= o.start < hi:
                best = o.country
        if best:
            return best
        from .officials import _raw_hits

        for a, b, lst in _raw_hits(self.g, s[lo:hi]):
            for p in lst:
                if p[0] == "C" and p[1] not in exclude and self.g.countries.get(p[1], {}).get("kind") == "country":
                    return p[1]
        return None

    def counterpart(self, m: Mention, others: list[Participant]) -> list[Participant]:
        if m.private or m.source or m.absorbed or not m.country:
            return []
        role = None
        for o in others:
            if o.country != m.country and o.role_code:
                role = o.role_code
                break
        if role is None:
            return []
        title = m.title_fa
        parts = self._title(role, m.country, None, None, False, m, set())
        for p in parts:
            if p.is_text:
                p.name_fa = title
                p.official_id = p.key = text_official_id(title, m.country)
                p.title_fa = title
        return parts


def _group_title(m: Mention, country: str, g: Gazetteer) -> str:
    tf = g.titles.get(m.title_norm, (m.title_fa,))[0] if m.title_norm in g.titles else m.title_fa
    cname = g.countries.get(country, {}).get("name_fa", country)
    return f"{tf} {cname}"


def _strip_honorific(name: str) -> str:
    n = name.strip(" «»\"،,")
    for h in ("فیلد مارشال", "سید", "دکتر", "آقای", "خانم", "ژنرال", "شیخ", "سردار"):
        if n.startswith(h + " "):
            n = n[len(h) + 1:]
    return n.strip()
