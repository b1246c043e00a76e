"""From a noun phrase of an article to a participant: a gazetteer person, the holder of
an office at the article's date, or an official the text alone names.

- A person: the gazetteer's; a surname shared by several takes the one in office at
  the date (a leader over a minister for a shared short form).
- A title with its country: a person of that country and office named in the article,
  else the office's single holder at the date, else the title itself as a text
  official of that country.
- A bare title (no country): never a country another participant of the call has (a
  call across one country is not diplomatic); else the person of that office the
  article names; else the country the same title has elsewhere in the article; else
  Iran when Iran has that office at the date (the house style of Persian news); else
  the nearest country the sentence names.
- A counterpart (همتای عمانی): the other participant's office in that country.
- A group (وزرای خارجه A و B, سران A و B): the office in each country.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .memo import per_object
from .officials import (
    BARE_OK_ROLES, GENERIC_TITLES, Gazetteer, Mention, country_on, holders, holders_elect, holds_role, in_office_near,
    office_exists, roles_of, text_official_id,
)
from .text import NormText, norm, words_before

LEADER_ROLES = {"head_of_state", "head_of_government", "crown_prince", "supreme_leader"}
# offices a country has several of at once: a title names one only with its portfolio
PORTFOLIO_ROLES = {"minister", "deputy_pm", "vice_president", "advisor", "ambassador", "envoy", "military_commander",
                   "party_leader", "deputy_party_leader"}
_ELECT = norm("منتخب")
HONORIFIC_PREFIXES = ("فیلد مارشال", "سید", "دکتر", "آقای", "خانم", "ژنرال", "شیخ", "سردار", "پرزیدنت")


@dataclass
class Participant:
    key: str
    official_id: str
    country: str | None
    title_fa: str | None = None
    role_code: str | None = None
    name_fa: str | None = None        # for text officials
    is_text: bool = False
    alias_form: str | None = None     # a new form of a gazetteer person's name seen in the text
    dq_flag: str | None = None
    title_only: bool = False


class Resolver:
    """Resolves the noun phrases of one article to participants at a reference date."""

    def __init__(self, g: Gazetteer, nt: NormText, text: str, mentions: list[Mention], on,
                 countries: list[tuple[int, int, str]]):
        """on: the reference date, or a function that finds it (called when first needed:
        most articles never resolve a title)."""
        self.g, self.nt, self.text, self.ms = g, nt, text, mentions
        self._on = on
        self.countries = countries
        self._memo: dict = {}
        self._holder_memo: dict = {}
        self._holders_memo: dict = {}
        self._dots: list[int] | None = None
        strong = {m.official_id for m in mentions if m.kind == "person" and m.official_id and m.form_kind != "common"}
        self.named = [m for m in mentions if m.kind == "person" and m.official_id and not m.private
                      and (m.form_kind != "common" or m.official_id in strong)]
        self.strong = strong
        self.full_named = {m.official_id for m in mentions if m.kind == "person" and m.form_kind == "full"}
        # a title's country where the article gives it a complement
        self.title_country: dict[str, list[str]] = {}
        for m in mentions:
            if m.kind in {"title", "text"} and m.country and m.title_norm and not m.counterpart:
                self.title_country.setdefault(m.title_norm, []).append(m.country)

    @property
    def on(self) -> dt.date | None:
        if callable(self._on):
            self._on = self._on()
        return self._on

    def person(self, oid: str, m: Mention | None) -> Participant:
        p = self.g.persons[oid]
        rs = roles_of(self.g, oid, self.on)
        role = (m.role_code if m else None) or (rs[0][0] if rs else None)
        # the country of the office held on the date, before the gazetteer's usual one
        country = country_on(self.g, oid, self.on) or p["country_code"]
        part = Participant(oid, oid, country, m.title_fa if m else None, role)
        if m is not None and m.name_text:
            nf = norm(m.name_text)
            if nf not in p["forms"] and nf.replace(" ", "") not in {f.replace(" ", "") for f in p["forms"]}:
                part.alias_form = m.name_text
            part.dq_flag = self._contradiction(oid, m)
        return part

    def _contradiction(self, oid: str, m: Mention) -> str | None:
        """A first name before a surname that is not the gazetteer person's first name
        (حسین روحانی for حسن روحانی)."""
        canon = norm(self.g.persons[oid]["name_fa"]).split()
        if len(canon) < 2:
            return None
        form = norm(m.name_text or "").split()
        if len(form) >= 2 and form[-1] == canon[-1] and form[0] != canon[0] and form[0] in self.g.first_names \
                and "".join(form) != "".join(canon):
            return "name_contradicts_gazetteer"
        if len(form) == 1:
            prev = words_before(self.nt.s, m.start, 1)
            if prev and prev[0][2] in self.g.first_names and prev[0][2] != canon[0]:
                x, y = self.nt.orig(prev[0][0], m.end)
                m.name_text = self.text[x:y]
                return "name_contradicts_gazetteer"
        return None

    def resolve(self, m: Mention, country: str | None = None, others: list[Participant] = ()) -> Participant | None:
        """The participant a mention stands for (``country`` selects one member of a
        group or plural counterpart); ``others`` are the call's other participants.
        Memoised per article: a call's noun phrases are resolved again and again."""
        key = (id(m), country, tuple(sorted((o.country or "", o.role_code or "") for o in others)))
        if key not in self._memo:
            self._memo[key] = self._resolve(m, country, others)
        return self._memo[key]

    def _resolve(self, m: Mention, country: str | None, others) -> Participant | None:
        g = self.g
        if m.private or m.source or m.absorbed or m.merged or m.institution:
            return None
        excluded = {o.country for o in others if o.country}
        if m.kind == "person":
            if m.official_id is None and m.countries:
                cands = [o for o in m.countries if self.on is None or roles_of(g, o, self.on)]
                if len(cands) > 1:
                    top = [o for o in cands if any(r[0] in LEADER_ROLES for r in roles_of(g, o, self.on))]
                    if len(top) == 1:
                        cands = top
                return self.person(cands[0], m) if len(cands) == 1 else None
            if m.form_kind == "common" and m.official_id not in self.strong or self._out_of_time(m):
                return None
            return self.person(m.official_id, m)
        if m.kind == "text":
            return self._text(m, excluded)
        if m.kind == "title" and m.counterpart:
            return self.counterpart(m, country or m.country, others)
        if m.kind == "title":
            return self._title(m.role_code, m.country, m.title_fa, m.title_norm, m.bare, m, excluded)
        if m.kind == "group":
            c = country or (m.countries[0] if len(m.countries) == 1 else None)
            if c is None:
                return None
            if m.role_code is None:  # سران: head of state, else head of government named in the article
                return self._head(c)
            title = f"{g.titles.get(m.title_norm, (m.title_fa,))[0]} {g.countries.get(c, {}).get('name_fa', c)}"
            return self._title(m.role_code, c, title, m.title_norm, False, m, set())
        return None

    def _out_of_time(self, m: Mention) -> bool:
        """A one-word short form (a surname) of a person in no office for years around the
        article's date stands for someone else, or for a word ("هریس" the town)."""
        if m.form_kind not in {"alias", "derived"} or m.official_id in self.full_named \
                or len(norm(m.name_text or "").split()) != 1 or self.on is None:
            return False
        return not in_office_near(self.g, m.official_id, self.on)

    def _text(self, m: Mention, excluded: set = frozenset()) -> Participant:
        country = m.country
        if country is None and m.bare and m.role_code:
            # a name beside a bare title: the title's country as for the title alone
            country = self._bare_country(m.role_code, m.title_norm, m, excluded)
        nm = norm(m.name_text)
        forms, owners = _forms_by_country(self.g).get(country, ([], []))
        hit = process.extractOne(nm, forms, scorer=fuzz.ratio, score_cutoff=85)
        best = owners[hit[2]] if hit else None
        if best:
            part = self.person(best, m)
            part.alias_form = m.name_text if nm not in self.g.persons[best]["forms"] else None
            return part
        name = strip_honorific(m.name_text)
        oid = text_official_id(name, country)
        return Participant(oid, oid, country, m.title_fa, m.role_code, name_fa=name, is_text=True)

    def _named_holder(self, country: str, role: str):
        """The first person the article names who holds (or whose mention says) that office."""
        key = (country, role)
        if key not in self._holder_memo:
            self._holder_memo[key] = next(
                (pm for pm in self.named if self.g.persons[pm.official_id]["country_code"] == country
                 and holds_role(self.g, pm, role, self.on) and not self._out_of_time(pm)), None)
        return self._holder_memo[key]

    def _holders_named(self, role: str) -> tuple[list[int], list[str]]:
        """Starts and countries of the article's named people who hold ``role`` (or whose
        mention says so), in text order; once per office and article."""
        if role not in self._holders_memo:
            starts, countries = [], []
            for pm in self.named:
                c = self.g.persons[pm.official_id]["country_code"]
                if holds_role(self.g, pm, role, self.on) and not self._out_of_time(pm):
                    starts.append(pm.start)
                    countries.append(c)
            self._holders_memo[role] = (starts, countries)
        return self._holders_memo[role]

    def _head(self, country: str) -> Participant | None:
        for pm in self.named:
            if self.g.persons[pm.official_id]["country_code"] == country:
                return self.person(pm.official_id, None)
        for role in ("head_of_state", "head_of_government"):
            hs = holders(self.g, country, role, self.on)
            if len(hs) == 1:
                return self.person(hs[0], None)
        return None

    def _office_held(self, country: str, role: str) -> bool:
        if self.on is not None:
            return bool(holders(self.g, country, role, self.on))
        return office_exists(self.g, country, role)

    def _title(self, role, country, title_fa, tnorm, bare, m, excluded: set) -> Participant | None:
        g = self.g
        if bare:
            if tnorm in GENERIC_TITLES or role not in BARE_OK_ROLES:
                return None
            country = self._bare_country(role, tnorm, m, excluded)
        if country is None:
            return None
        if self.on is not None and self._elect(m, title_fa):
            # "رئیس‌جمهور منتخب": not the holder on the day, the one who takes the office next
            hs = holders_elect(g, country, role, self.on)
            if len(hs) == 1:
                part = self.person(hs[0], None)
                part.title_fa, part.role_code = title_fa or part.title_fa, role
                return part
        pm = self._named_holder(country, role)
        if pm is not None:
            part = self.person(pm.official_id, None)
            part.title_fa, part.role_code, part.alias_form = title_fa or part.title_fa, role, None
            return part
        hs = holders(g, country, role, self.on) if role and self.on is not None else []
        if role in PORTFOLIO_ROLES:   # a country has many: the holder must hold this portfolio
            hs = [h for h in hs if self._same_portfolio(h, country, role, title_fa)]
        if len(hs) == 1:
            part = self.person(hs[0], None)
            part.title_fa, part.role_code = title_fa or part.title_fa, role
            return part
        name = title_fa or tnorm or ""
        oid = text_official_id(name, country)
        return Participant(oid, oid, country, title_fa, role, name_fa=name, is_text=True, title_only=True)

    def _elect(self, m: Mention | None, title_fa: str | None) -> bool:
        if _ELECT in norm(title_fa or "").split():
            return True
        return m is not None and self.nt.s.startswith(" " + _ELECT, m.end) \
            and not self.nt.s[m.end + len(_ELECT) + 1:m.end + len(_ELECT) + 2].strip()

    def _same_portfolio(self, oid: str, country: str, role: str, title_fa: str | None) -> bool:
        """The holder's title of that office ("وزیر دفاع") starts the mention's title
        ("وزیر دفاع روسیه"), or is the mention's title told short ("دبیرکل حزب‌الله" of
        "دبیرکل حزب‌الله لبنان"); a bare "وزیر" or another portfolio ("وزیر انرژی") is not his."""
        said = norm(title_fa or "")
        return any(r == role and c == country and t
                   and (said.startswith(norm(t)) or said not in GENERIC_TITLES and (norm(t) + " ").startswith(said + " "))
                   for r, c, t in roles_of(self.g, oid, self.on))

    def _bare_country(self, role: str, tnorm: str, m: Mention, excluded: set) -> str | None:
        # a person of that office the article names: Iran's first (the house style of
        # Persian news), else the nearest one before the title
        starts, countries = self._holders_named(role)
        if "IR" in countries:
            return "IR"           # also when the other side is Iran's: a domestic call, no call
        k = bisect.bisect_left(starts, m.start) - 1
        while k >= 0 and countries[k] in excluded:
            k -= 1
        if k >= 0:
            return countries[k]
        first = next((c for c in countries if c not in excluded), None)
        if first is not None:
            return first
        for c in self.title_country.get(tnorm, []):
            if c not in excluded:
                return c
        if self._office_held("IR", role):
            return "IR"           # also when the other side is Iran's: then the call is domestic, no call
        return self._nearby_country(m, excluded | {"IR"})

    def _nearby_country(self, m: Mention, exclude: set, article_wide: bool = False) -> str | None:
        """A country the mention's sentence names (the nearest after it, else the last
        before it); with article_wide, else the first the article names."""
        s = self.nt.s
        if self._dots is None:
            # the full stops and the country names by position, once per article: a walk
            # to the sentence's ends and over all the article's countries for each
            # mention was quadratic in a long article
            self._dots = []
            k = s.find(".")
            while k >= 0:
                self._dots.append(k)
                k = s.find(".", k + 1)
            self._country_starts = [a for a, _b, _code in self.countries]
            self._sorted = all(x <= y for x, y in zip(self._country_starts, self._country_starts[1:]))
            self._country_order = list(dict.fromkeys(
                code for _a, _b, code in self.countries if self.g.countries.get(code, {}).get("kind") == "country"))
        k = bisect.bisect_left(self._dots, m.start) - 1
        lo = max(0, self._dots[k] if k >= 0 else -1)
        k = bisect.bisect_left(self._dots, m.end)
        hi = self._dots[k] if k < len(self._dots) else len(s)

        def named(code: str) -> bool:
            return code not in exclude and self.g.countries.get(code, {}).get("kind") == "country"

        best = None
        if self._sorted:
            # the first after the mention, else the last before it, within [lo, hi)
            cs, starts = self.countries, self._country_starts
            j = bisect.bisect_right(starts, m.start)
            while j < len(cs) and cs[j][0] < hi and best is None:
                if named(cs[j][2]):
                    best = cs[j][2]
                j += 1
            j = bisect.bisect_right(starts, m.start) - 1
            while j >= 0 and cs[j][0] >= lo and best is None:
                if named(cs[j][2]):
                    best = cs[j][2]
                j -= 1
        else:
            for a, _b, code in self.countries:
                if lo <= a < hi and named(code):
                    best = code
                    if a > m.start:
                        break
        if best is None and article_wide:
            return next((code for code in self._country_order if code not in exclude), None)
        return best

    def counterpart(self, m: Mention, country: str | None, others: list[Participant]) -> Participant | None:
        """همتای X: the office of the call's other participant, in country X."""
        if m.private or m.source or m.absorbed:
            return None
        role = next((o.role_code for o in others if o.role_code and o.country != country), None)
        if country is None:
            excluded = {o.country for o in others}
            country = self._nearby_country(m, excluded, article_wide=True) if others else None
        if country is None or role is None:
            return None
        part = self._title(role, country, None, None, False, m, set())
        if part is not None and part.is_text:
            title = m.title_fa if not m.countries else f"همتای {self.g.countries.get(country, {}).get('name_fa', country)}"
            part.name_fa = part.title_fa = title
            part.official_id = part.key = text_official_id(title, country)
        elif part is not None:
            part.title_fa = m.title_fa if not m.countries else None
        return part


def strip_honorific(name: str) -> str:
    n = name.strip(" «»\"،,")
    for h in HONORIFIC_PREFIXES:
        if n.startswith(h + " "):
            n = n[len(h) + 1:]
    return n.strip()


@per_object
def _forms_by_country(g: Gazetteer) -> dict:
    """Every gazetteer name form, by its person's country (None: all), with its owner."""
    out: dict = {None: ([], [])}
    for oid, p in g.persons.items():
        for key in (p["country_code"], None):
            forms, owners = out.setdefault(key, ([], []))
            for f in p["forms"]:
                forms.append(f)
                owners.append(oid)
    return out
